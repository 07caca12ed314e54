import { bad, defineCommand, ok, refuse } from '../commands/spec';
import { formatShort } from '../time-zone';
import * as T from '../texts';
import { URGENCIES, type Urgency } from '../types';
import { announce, event, withMilestone } from './effects';

/** 调整: the dispatcher corrects a case's category or urgency class; the deadlines follow the class. */

const URGENCY_WORDS: Record<string, Urgency> = {
  紧急: 'urgent', 水电气热: 'utility', 一般: 'ordinary', 普通: 'ordinary', 复杂: 'complex', 复杂疑难: 'complex', 咨询: 'consult', 咨询建议: 'consult',
  ...Object.fromEntries(URGENCIES.map((u) => [u, u])),
};
const USAGE = '调整 12 类别 电梯 / 调整 12 紧急';

export const fix = defineCommand<{ category: string } | { urgency: Urgency }>({
  kind: 'case',
  name: 'fix',
  zh: ['调整'],
  usage: USAGE,
  help: '更正类别或紧急程度（调度/领导）',
  menu: '更正类别/紧急程度：/fix 12 category 电梯',
  permission: 'manager',
  parse(rest) {
    const words = rest.split(/\s+/).filter(Boolean);
    if (words[0] === '类别' || words[0]?.toLowerCase() === 'category') {
      return words.length === 2 ? ok({ category: words[1]! }) : bad(`请写一个类别，格式：${USAGE}`);
    }
    if (words[0] === '紧急程度' || words[0]?.toLowerCase() === 'urgency') words.shift();
    const u = words.length === 1 && Object.hasOwn(URGENCY_WORDS, words[0]!.toLowerCase()) ? URGENCY_WORDS[words[0]!.toLowerCase()]! : null;
    return u ? ok({ urgency: u }) : bad(`请写类别或紧急程度（紧急/水电气热/一般/复杂/咨询），格式：${USAGE}`);
  },
  decide(c, args, ctx) {
    if (!['new', 'claimed', 'contacted', 'reopened'].includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能调整。`);
    if ('category' in args) {
      if (args.category === c.category) return refuse(`#${c.id} 类别已是「${c.category}」，要改成别的：调整 ${c.id} 类别 新类别`);
      const text = `✏️ #${c.id} 类别由「${c.category}」改为「${args.category}」（${ctx.actor.name}）。`;
      return { ok: true, patch: { category: args.category }, events: [event(ctx, 'corrected', null, null, `类别 ${c.category} → ${args.category}`)], effects: announce(c, ctx, text) };
    }
    if (args.urgency === c.urgency) return refuse(`#${c.id} 已是「${T.URGENCY_ZH[c.urgency]}」，要改成别的：调整 ${c.id} 紧急/水电气热/一般/复杂/咨询`);
    // A reopened case's window runs from the 回访 that reopened it; approved extensions stay granted.
    const start = c.status === 'reopened' && c.ratedAt !== null ? c.ratedAt : c.reportedAt;
    const extendedDays = c.extensions.filter((e) => e.status === 'approved').reduce((n, e) => n + e.days, 0);
    const resolveBy = ctx.addDays(ctx.deadlineFrom(start, args.urgency, 'resolve'), extendedDays);
    const respondBy = Math.min(ctx.deadlineFrom(c.reportedAt, args.urgency, 'respond'), resolveBy);
    const patch = withMilestone(c, { urgency: args.urgency, respondBy, resolveBy, urgencyReason: null }, ctx);
    const text = `✏️ #${c.id} 改为「${T.URGENCY_ZH[args.urgency]}」（${ctx.actor.name}），响应时限 ${formatShort(respondBy, ctx.timeZone)}，办结时限 ${formatShort(resolveBy, ctx.timeZone)}。`;
    return { ok: true, patch, events: [event(ctx, 'corrected', null, null, `紧急程度 ${c.urgency} → ${args.urgency}`)], effects: announce(c, ctx, text) };
  },
});
