import { bad, defineCommand, ok, refuse } from '../commands/spec';
import { formatShort } from '../time-zone';
import * as T from '../texts';
import type { Rating, Satisfaction, Solved } from '../types';
import { announce, event, responsible, send, withMilestone } from './effects';

/**
 * 回访: the follow-up call's three answers (contacted? solved? satisfied?). 满意/基本满意 with
 * 已解决 or 部分解决 closes the case; 不满意 or 未解决 reopens it to the same owner with a fresh window.
 */

const SATISFACTION: Record<string, Satisfaction> = { 满意: '满意', 基本满意: '基本满意', 不满意: '不满意', satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' };
const SOLVED: Record<string, Solved> = { 已解决: '已解决', 未解决: '未解决', 部分解决: '部分解决', solved: '已解决', unsolved: '未解决', partly: '部分解决' };
const NOT_CONTACTED = ['未联系', '未联系上', 'uncontacted'];

const USAGE = '回访 12 满意/基本满意/不满意 [已解决/未解决/部分解决] [未联系] [备注]';

export const rate = defineCommand<{ satisfaction: Satisfaction; solved: Solved | null; notContacted: boolean; note: string }>({
  kind: 'case',
  name: 'rate',
  zh: ['回访'],
  usage: USAGE,
  help: '记录回访（调度）',
  menu: '记录回访：/rate 12 满意 已解决',
  permission: 'dispatcher',
  parse(rest) {
    const words = rest.split(/\s+/).filter(Boolean);
    const satisfaction = Object.hasOwn(SATISFACTION, words[0] ?? '') ? SATISFACTION[words.shift()!]! : null;
    if (!satisfaction) return bad(`请写满意度，格式：${USAGE}`);
    let solved: Solved | null = null;
    let notContacted = false;
    while (words.length > 0) {
      const w = words[0]!;
      if (Object.hasOwn(SOLVED, w) && solved === null) solved = SOLVED[words.shift()!]!;
      else if (NOT_CONTACTED.includes(w)) (notContacted = true), words.shift();
      else break;
    }
    return ok({ satisfaction, solved, notContacted, note: words.join(' ') });
  },
  decide(c, args, ctx) {
    if (c.status !== 'resolved') return refuse(c.status === 'closed' ? `#${c.id} 已关闭，不能再回访。` : `#${c.id} 还没办结（当前「${T.STATUS_ZH[c.status]}」），办结后再回访。`);
    const rating: Rating = { satisfaction: args.satisfaction, solved: args.solved, contacted: !args.notContacted && c.contactedAt !== null, note: args.note || null };
    const summary = `${rating.satisfaction}${rating.solved ? `、${rating.solved}` : ''}${rating.contacted ? '' : '、未联系'}${rating.note ? `：${rating.note}` : ''}`;
    const reopen = rating.satisfaction === '不满意' || rating.solved === '未解决';
    const rated = event(ctx, 'rated', null, null, summary);
    if (!reopen) {
      const patch = withMilestone(c, { rating, ratedAt: ctx.now, status: 'closed', closedAt: ctx.now }, ctx);
      const text = `📞 #${c.id} 回访：${summary}。案件关闭。`;
      return { ok: true, patch, events: [rated, event(ctx, 'closed', 'resolved', 'closed', summary)], effects: announce(c, ctx, text) };
    }
    const resolveBy = ctx.deadlineFrom(ctx.now, c.urgency, 'resolve');
    const patch = withMilestone(c, { rating, ratedAt: ctx.now, status: 'reopened', resolveBy, resolvedAt: null, result: null, followUpAt: null }, ctx);
    const text = `🔁 #${c.id} 回访${summary}，案件重办，仍由 ${c.ownerName ?? '原负责人'} 负责，新办结时限 ${formatShort(resolveBy, ctx.timeZone)}。`;
    const effects = announce(c, ctx, text, responsible(c));
    if (!effects.some((e) => e.group === 'consult')) effects.push(send('update', 'consult', text, c.id));
    return { ok: true, patch, events: [rated, event(ctx, 'reopened', 'resolved', 'reopened', summary)], effects };
  },
});
