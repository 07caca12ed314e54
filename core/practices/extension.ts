import { bad, defineCommand, ok, refuse } from '../commands/spec';
import { parseDays } from '../commands/parse-tools';
import { formatShort } from '../time-zone';
import type { Case, Effect, Extension } from '../types';
import { announce, event, send, withMilestone } from './effects';
import { stateRefusal } from './basic';

/** 延期 / 批准 / 驳回: the owner asks for more time, a leader decides. */

const OPEN = ['claimed', 'contacted', 'reopened'];
const pending = (c: Case) => c.extensions.find((e) => e.status === 'requested') ?? null;
const approvedDays = (c: Case) => c.extensions.filter((e) => e.status === 'approved').reduce((n, e) => n + e.days, 0);

export const extend = defineCommand<{ days: number; reason: string }>({
  kind: 'case',
  name: 'extend',
  zh: ['延期', '申请延期'],
  usage: '延期 12 3天 原因',
  help: '申请延期（领导批准）',
  menu: '申请延期：/extend 12 3d 原因',
  permission: 'owner',
  parse(rest) {
    const [first = '', ...more] = rest.split(/\s+/);
    const days = parseDays(first);
    if (days === null) return bad('请写延期天数，格式：延期 12 3天 原因');
    const reason = more.join(' ').trim();
    if (!reason) return bad('请写延期原因，格式：延期 12 3天 原因');
    return ok({ days, reason });
  },
  decide(c, args, ctx) {
    if (!OPEN.includes(c.status)) return refuse(stateRefusal(c));
    if (pending(c)) return refuse(`#${c.id} 已有一个延期申请在等领导「批准 ${c.id}」或「驳回 ${c.id} 原因」，不能再申请。`);
    const used = c.extensions.filter((e) => e.status === 'approved').length;
    if (used >= ctx.practice.extensionsMax) return refuse(`#${c.id} 已延期 ${used} 次，最多 ${ctx.practice.extensionsMax} 次，不能再延期；请领导「吹哨 ${c.id} 部门」或「包案 ${c.id}」。`);
    const left = ctx.practice.extensionsMaxDays - approvedDays(c);
    if (left <= 0) return refuse(`#${c.id} 已延期合计 ${approvedDays(c)} 天，到了 ${ctx.practice.extensionsMaxDays} 天上限，不能再延期。`);
    if (args.days > left) return refuse(`#${c.id} 最多还能延期 ${left} 天（合计不超过 ${ctx.practice.extensionsMaxDays} 天），格式：延期 ${c.id} ${left}天 原因`);
    const ext: Extension = { days: args.days, reason: args.reason, status: 'requested', requestedAt: ctx.now, requestedBy: ctx.actor.name, decidedAt: null, decidedBy: null, newResolveBy: null };
    const proposed = ctx.addDays(c.resolveBy, args.days);
    const text = `⏳ #${c.id} ${ctx.actor.name} 申请延期 ${args.days} 天（办结时限 ${formatShort(c.resolveBy, ctx.timeZone)} → ${formatShort(proposed, ctx.timeZone)}）：${args.reason}\n领导回复「批准 ${c.id}」或「驳回 ${c.id} 原因」。`;
    const effects = [send('update', 'consult', text, c.id, ctx.leaders)];
    if (ctx.group !== 'consult') effects.push(send('update', ctx.group, `已向领导申请 #${c.id} 延期 ${args.days} 天，批准后通知。`, c.id));
    return { ok: true, patch: { extensions: [...c.extensions, ext] }, events: [event(ctx, 'extension-requested', null, null, `${args.days}天：${args.reason}`)], effects };
  },
});

export const approve = defineCommand<Record<string, never>>({
  kind: 'case',
  name: 'approve',
  zh: ['批准', '同意延期'],
  usage: '批准 12',
  help: '批准延期',
  menu: '批准延期（领导）：/approve 12',
  permission: 'leader',
  parse: (rest) => (rest === '' ? ok({}) : bad('格式：批准 12')),
  decide(c, _args, ctx) {
    const req = pending(c);
    if (!req) return refuse(`#${c.id} 没有待批的延期申请（负责人先「延期 ${c.id} 3天 原因」）。`);
    if (!OPEN.includes(c.status)) return refuse(stateRefusal(c));
    const resolveBy = ctx.addDays(c.resolveBy, req.days);
    const decided: Extension = { ...req, status: 'approved', decidedAt: ctx.now, decidedBy: ctx.actor.name, newResolveBy: resolveBy };
    const patch = withMilestone(c, { resolveBy, extensions: c.extensions.map((e) => (e === req ? decided : e)) }, ctx);
    const owner = c.ownerId && c.ownerName ? [{ id: c.ownerId, name: c.ownerName }] : [];
    const text = `✅ #${c.id} 延期 ${req.days} 天已由 ${ctx.actor.name} 批准，新办结时限 ${formatShort(resolveBy, ctx.timeZone)}。`;
    const effects: Effect[] = [...announce(c, ctx, text, owner)];
    if (!effects.some((e) => e.type === 'send' && e.group === 'consult')) effects.push(send('update', 'consult', text, c.id));
    // The citizen's side is told the new date (no reason, nothing personal).
    effects.push({ type: 'publish', caseId: c.id, title: `办理时限调整｜#${c.id}`, text: `您反映的问题（#${c.id}）正在办理，办结时间调整为 ${formatShort(resolveBy, ctx.timeZone)}。` });
    return { ok: true, patch, events: [event(ctx, 'extension-approved', null, null, `${req.days}天，至 ${formatShort(resolveBy, ctx.timeZone)}`)], effects };
  },
});

export const reject = defineCommand<{ reason: string }>({
  kind: 'case',
  name: 'reject',
  zh: ['驳回', '不同意延期'],
  usage: '驳回 12 原因',
  help: '驳回延期',
  menu: '驳回延期（领导）：/reject 12 原因',
  permission: 'leader',
  parse: (rest) => ok({ reason: rest }),
  decide(c, args, ctx) {
    const req = pending(c);
    if (!req) return refuse(`#${c.id} 没有待批的延期申请（负责人先「延期 ${c.id} 3天 原因」）。`);
    const decided: Extension = { ...req, status: 'rejected', decidedAt: ctx.now, decidedBy: ctx.actor.name };
    const owner = c.ownerId && c.ownerName ? [{ id: c.ownerId, name: c.ownerName }] : [];
    const text = `❌ #${c.id} 延期申请被 ${ctx.actor.name} 驳回${args.reason ? `：${args.reason}` : ''}。办结时限仍为 ${formatShort(c.resolveBy, ctx.timeZone)}。`;
    return {
      ok: true,
      patch: { extensions: c.extensions.map((e) => (e === req ? decided : e)) },
      events: [event(ctx, 'extension-rejected', null, null, args.reason || null)],
      effects: announce(c, ctx, text, owner),
    };
  },
});
