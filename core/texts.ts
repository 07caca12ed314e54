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

export const EVENT_ZH: Record<CaseEvent['kind'], string> = {
  received: '接件', claimed: '认领', contacted: '联系市民', note: '进展', resolved: '办结', reminder: '提醒', overdue: '逾期', escalated: '升级', 'public-failed': '公众号告知失败',
  'extension-requested': '申请延期', 'extension-approved': '批准延期', 'extension-rejected': '驳回延期', returned: '退单', rerouted: '改派', 'returned-to-hotline': '退回12345',
  assigned: '转派', 'co-handler-added': '协办', 'leader-owned': '包案', whistled: '吹哨', 'checked-in': '报到', 'node-set': '设节点', 'node-done': '节点完成',
  rated: '回访', reopened: '重办', closed: '关闭', corrected: '调整', media: '照片',
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
    `类别：${c.category}（${URGENCY_ZH[c.urgency]}${c.urgencyReason ? `：${c.urgencyReason}` : ''}）`,
  ];
  if (c.repeatOf !== null) lines.push(`重复诉求：本点位第${c.repeatCount}次，前次 #${c.repeatOf}`);
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
    `负责人：${c.ownerName ?? '无'}${c.leaderName ? `　包案：${c.leaderName}` : ''}${c.coHandlers.length > 0 ? `　协办：${c.coHandlers.map((p) => p.name).join('、')}` : ''}`,
    `响应时限：${t(c.respondBy, ctx)}${c.contactedAt ? `（${t(c.contactedAt, ctx)} 已联系）` : ''}`,
    `办结时限：${t(c.resolveBy, ctx)}${c.resolvedAt ? `（${t(c.resolvedAt, ctx)} 已办结）` : ''}`,
    `内容：${truncate(c.content, 80)}`,
  ];
  if (c.whistle.length > 0) {
    const done = c.whistle.filter((w) => w.reportedAt !== null).map((w) => `${w.department}✓`);
    const waiting = c.whistle.filter((w) => w.reportedAt === null).map((w) => `${w.department}✗`);
    lines.push(`吹哨：${[...done, ...waiting].join('　')}`);
  }
  for (const n of c.nodes) lines.push(`节点${n.no}：${t(n.due, ctx)} ${truncate(n.text, 20)}${n.doneAt ? '（已完成）' : ''}`);
  const ext = c.extensions[c.extensions.length - 1];
  if (ext) lines.push(`延期：${ext.days}天（${{ requested: '待批', approved: '已批准', rejected: '已驳回' }[ext.status]}）`);
  if (c.rating) lines.push(`回访：${c.rating.satisfaction}${c.rating.solved ? `、${c.rating.solved}` : ''}`);
  if (c.status === 'reopened') {
    const why = [...events].reverse().find((e) => e.kind === 'reopened');
    lines.push(`已重办${why?.text ? `（回访${truncate(why.text, 30)}）` : ''}`);
  }
  if (c.repeatOf !== null) lines.push(`重复诉求：本点位第${c.repeatCount}次，前次 #${c.repeatOf}`);
  if (c.mediaCount > 0) lines.push(`照片：${c.mediaCount} 张`);
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

/** `by` is who typed 办结: a leader closing someone's case is credited in the message as in the ledger. */
export function resolvedText(c: Case, by: string, onTime: boolean): string {
  return `🎉 #${c.id} 已办结（${by}${onTime ? '' : '，超时办结'}）：${truncate(c.result ?? '', 200)}`;
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
      return `❗逾期 ${caseTitle(c)} 已超办结时限（${t(c.resolveBy, ctx)}）${overdueFor(now - c.resolveBy)}。负责人：${c.ownerName ?? '无人认领'}${c.leaderName ? `，包案：${c.leaderName}` : ''}，状态：${STATUS_ZH[c.status]}。`;
    case 'checkin-remind':
    case 'checkin-escalate': {
      const waiting = c.whistle.filter((w) => w.reportedAt === null).map((w) => w.department);
      return `⏰ #${c.id} 吹哨后 ${waiting.join('、')} 还未报到，请回复「报到 ${c.id}」。`;
    }
    case 'node-due': {
      const due = c.nodes.filter((n) => n.doneAt === null && n.due <= now).map((n) => `节点${n.no}「${truncate(n.text, 20)}」`);
      return `📌 #${c.id} ${due.join('、')} 已到期，完成了吗？完成请回复「节点 ${c.id} 完成 ${c.nodes.find((n) => n.doneAt === null && n.due <= now)?.no ?? 1}」。`;
    }
    case 'followup-remind':
      return `📞 ${caseTitle(c)} 已办结，请调度回访市民，回复「回访 ${c.id} 满意/基本满意/不满意 [已解决/未解决]」。`;
    case 'followup-close':
      return `📁 #${c.id} 办结后未回访，按「未评价」关闭。`;
  }
}

/** One line per case for 列表: an unclaimed case shows its contact deadline, others the resolution one. */
export function listLine(c: Case, ctx: TextContext, now: number): string {
  const late = isLate(c, now) ? '·逾期' : '';
  const limit = c.status === 'new' ? `联系限${t(c.respondBy, ctx)}` : `限${t(c.resolveBy, ctx)}`;
  return `#${c.id} ${c.category}${c.address ? ` ${truncate(c.address, 14)}` : ''}【${STATUS_ZH[c.status]}${late}】${c.ownerName ?? ''}${c.leaderName ? `（包案${c.leaderName}）` : ''} ${limit}`;
}

export function listText(title: string, lines: string[], total: number): string {
  if (lines.length === 0) return `${title}：没有案件。`;
  const more = total > lines.length ? `\n…另有 ${total - lines.length} 件，请用「状态 号码」查看。` : '';
  return `${title}（${total} 件）：\n${lines.join('\n')}${more}`;
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
