import { USAGE, type CommandName } from './commands';
import { formatShort } from './time-zone';
import type { Case, CaseEvent, CaseStatus, MilestoneKind, Urgency } from './types';

/**
 * Every line the bot says. Short, plain Chinese for people reading on a phone between two jobs.
 */

export const URGENCY_ZH: Record<Urgency, string> = {
  urgent: '紧急', utility: '水电气热', ordinary: '一般', complex: '复杂疑难', consult: '咨询建议',
};

export const STATUS_ZH: Record<CaseStatus, string> = {
  new: '待认领', claimed: '已认领', contacted: '已联系', resolved: '已办结', closed: '已关闭', returned: '已退单', reopened: '重办',
};

const EVENT_ZH: Record<CaseEvent['kind'], string> = {
  received: '接件', claimed: '认领', contacted: '联系市民', note: '进展', resolved: '办结', reminder: '提醒', overdue: '逾期', escalated: '升级', 'public-failed': '公众号告知失败',
};

export interface TextContext {
  timeZone: string;
  groupNames: Record<string, string>;
}

const t = (at: number, ctx: TextContext) => formatShort(at, ctx.timeZone);
const groupName = (key: string, ctx: TextContext) => ctx.groupNames[key] ?? key;

/** First line of the card and of most notices: `#12 井盖｜槐房西路…`. */
export function caseTitle(c: Case): string {
  const place = c.address ? `｜${truncate(c.address, 24)}` : '';
  return `#${c.id} ${c.category}${place}`;
}

/** The case card posted in the group. */
export function caseCard(c: Case, ctx: TextContext): string {
  const lines = [
    `${c.urgency === 'urgent' ? '🔴紧急 ' : ''}新案件 ${caseTitle(c)}`,
    `工单号：${c.hotlineNo}`,
    `类别：${c.category}（${URGENCY_ZH[c.urgency]}）`,
  ];
  if (c.address) lines.push(`地址：${c.address}`);
  lines.push(`内容：${truncate(c.content, 200)}`);
  lines.push(`响应时限：${t(c.respondBy, ctx)}　办结时限：${t(c.resolveBy, ctx)}`);
  lines.push(`回复「认领 ${c.id}」或引用本消息回复「认领」`);
  return lines.join('\n');
}

/** The card as 状态 shows it: current state, owner, deadlines, last events. */
export function statusCard(c: Case, events: CaseEvent[], ctx: TextContext, now: number): string {
  const lines = [
    `${caseTitle(c)}【${STATUS_ZH[c.status]}${isLate(c, now) ? '·逾期' : ''}】`,
    `工单号：${c.hotlineNo}　群：${groupName(c.group, ctx)}`,
    `负责人：${c.ownerName ?? '无'}`,
    `响应时限：${t(c.respondBy, ctx)}${c.contactedAt ? `（${t(c.contactedAt, ctx)} 已联系）` : ''}`,
    `办结时限：${t(c.resolveBy, ctx)}${c.resolvedAt ? `（${t(c.resolvedAt, ctx)} 已办结）` : ''}`,
    `内容：${truncate(c.content, 80)}`,
  ];
  const last = events.slice(-3);
  if (last.length > 0) {
    lines.push('最近：');
    for (const e of last) lines.push(`· ${t(e.at, ctx)} ${EVENT_ZH[e.kind]}${e.actorName ? ` ${e.actorName}` : ''}${e.text ? `：${truncate(e.text, 40)}` : ''}`);
  }
  return lines.join('\n');
}

export function isLate(c: Case, now: number): boolean {
  return (c.status === 'new' || c.status === 'claimed' || c.status === 'contacted' || c.status === 'reopened') && now > c.resolveBy;
}

export function claimedText(c: Case, ctx: TextContext): string {
  return `✅ #${c.id} 由 ${c.ownerName} 认领。请在 ${t(c.respondBy, ctx)} 前联系市民，联系后回复「已联系 ${c.id}」。`;
}

export function alreadyOwnedText(c: Case): string {
  return `#${c.id} 已由 ${c.ownerName} 认领，无需重复认领。`;
}

export function contactedText(c: Case, ctx: TextContext, onTime: boolean): string {
  return `☎️ #${c.id} ${c.ownerName} 已联系市民${onTime ? '' : '（已超响应时限）'}。办结时限 ${t(c.resolveBy, ctx)}，办完回复「办结 ${c.id} 结果」。`;
}

export function noteText(c: Case, actorName: string, note: string): string {
  return `📝 #${c.id} 进展（${actorName}）：${truncate(note, 300)}`;
}

export function resolvedText(c: Case, onTime: boolean): string {
  return `🎉 #${c.id} 已办结（${c.ownerName ?? '—'}${onTime ? '' : '，超时办结'}）：${truncate(c.result ?? '', 200)}`;
}

/** Reminder and alarm texts by milestone. */
export function milestoneText(kind: MilestoneKind, c: Case, ctx: TextContext, now: number): string {
  switch (kind) {
    case 'unclaimed-remind':
      return `⏰ ${caseTitle(c)} 还没人认领，请尽快回复「认领 ${c.id}」。`;
    case 'unclaimed-escalate':
      return `⚠️ ${caseTitle(c)} 在「${groupName(c.group, ctx)}」无人认领，请调度或领导指派。`;
    case 'respond-50':
    case 'respond-90':
      return `⏰ #${c.id} 请在 ${t(c.respondBy, ctx)} 前联系市民（剩 ${remaining(c.respondBy - now)}），联系后回复「已联系 ${c.id}」。`;
    case 'resolve-50':
    case 'resolve-90':
      return `⏰ #${c.id} 办结时限 ${t(c.resolveBy, ctx)}（剩 ${remaining(c.resolveBy - now)}），办完回复「办结 ${c.id} 结果」。`;
    case 'respond-overdue':
      return `❗ ${caseTitle(c)} 超过响应时限（${t(c.respondBy, ctx)}）仍未联系市民。负责人：${c.ownerName ?? '无人认领'}。`;
    case 'resolve-overdue':
      return `❗逾期 ${caseTitle(c)} 已超办结时限（${t(c.resolveBy, ctx)}）${overdueFor(now - c.resolveBy)}。负责人：${c.ownerName ?? '无人认领'}，状态：${STATUS_ZH[c.status]}。`;
  }
}

/** One line per case for 列表. */
export function listLine(c: Case, ctx: TextContext, now: number): string {
  const late = isLate(c, now) ? '·逾期' : '';
  return `#${c.id} ${c.category}${c.address ? ` ${truncate(c.address, 14)}` : ''}【${STATUS_ZH[c.status]}${late}】${c.ownerName ?? ''} 限${t(c.resolveBy, ctx)}`;
}

export function listText(title: string, lines: string[], total: number): string {
  if (lines.length === 0) return `${title}：没有案件。`;
  const more = total > lines.length ? `\n…另有 ${total - lines.length} 件，请用「状态 号码」查看。` : '';
  return `${title}（${total} 件）：\n${lines.join('\n')}${more}`;
}

const HELP_ORDER: CommandName[] = ['claim', 'contact', 'note', 'done', 'status', 'list', 'new', 'help', 'bind'];
export function helpText(): string {
  return ['可用命令（中文或 /英文 均可）：', ...HELP_ORDER.map((n) => `· ${USAGE[n]}`), '引用案件卡片回复时可省略案件号。'].join('\n');
}

/** The public text of a resolved case (masking is applied by the caller's publish step). */
export function publicResultText(c: Case): { title: string; text: string } {
  const title = `${c.category}${c.address ? `｜${truncate(c.address, 20)}` : ''}`;
  return { title, text: `诉求：${c.content}\n办理结果：${c.result ?? ''}` };
}

function remaining(ms: number): string {
  if (ms <= 0) return '0分钟';
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)}天${Math.floor((ms % 86_400_000) / 3_600_000)}小时`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)}小时${Math.floor((ms % 3_600_000) / 60_000)}分钟`;
  if (ms >= 60_000) return `${Math.floor(ms / 60_000)}分钟`;
  return `${Math.ceil(ms / 1000)}秒`;
}

function overdueFor(ms: number): string {
  return ms >= 60_000 ? ` ${remaining(ms)}` : '';
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
