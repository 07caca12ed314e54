import { bad, defineCommand, ok, refuse } from '../commands/spec';
import { withoutMentions } from '../commands/parse-tools';
import * as T from '../texts';
import type { Case } from '../types';
import { announce, event, send, withMilestone } from './effects';

/** 退单 / 改派 / 退回12345 / 转派 / 协办: the case goes where it belongs, to whom it belongs. */

const OPEN = ['new', 'claimed', 'contacted', 'reopened'];

/** A group by its key, its name, or a community's name without 社区; 街道/会商 for the fixed groups. */
export function findGroup(word: string, groupNames: Record<string, string>): string | null {
  const w = word.trim().toLowerCase();
  const fixed: Record<string, string> = { 街道: 'street', 街道群: 'street', 会商: 'consult', 会商群: 'consult' };
  if (Object.hasOwn(fixed, w)) return fixed[w]!;
  for (const [key, name] of Object.entries(groupNames)) {
    if (key === w || name === word || name === `${word}社区` || name.replace(/社区$/, '') === word) return key;
  }
  return null;
}

export const returnCase = defineCommand<{ reason: string }>({
  kind: 'case',
  name: 'return',
  zh: ['退单'],
  usage: '退单 12 原因',
  help: '退回调度（非本单位/派错社区）',
  menu: '退单：/return 12 原因',
  permission: 'returner',
  parse: (rest) => (rest ? ok({ reason: rest }) : bad('请写退单原因，格式：退单 12 原因')),
  decide(c, args, ctx) {
    if (!OPEN.includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能退单。`);
    const returnCount = c.returnCount + 1;
    const patch = withMilestone(c, { status: 'returned', ownerId: null, ownerName: null, returnCount }, ctx);
    const twice = returnCount >= 2 ? `\n⚠️ 本案已被退单 ${returnCount} 次，请领导关注。` : '';
    const text = `↩️ #${c.id} 被 ${ctx.actor.name} 从「${ctx.groupNames[c.group] ?? c.group}」退单：${args.reason}\n调度请「改派 ${c.id} 社区名」或「退回12345 ${c.id} 原因」。${twice}`;
    const effects = [send('update', 'consult', text, c.id, returnCount >= 2 ? ctx.leaders : [])];
    if (c.group !== 'consult') effects.push(send('update', c.group, `↩️ #${c.id} 已退回调度：${args.reason}`, c.id));
    return { ok: true, patch, events: [event(ctx, 'returned', c.status, 'returned', args.reason)], effects };
  },
});

export const route = defineCommand<{ target: string }>({
  kind: 'case',
  name: 'route',
  zh: ['改派'],
  usage: '改派 12 社区名',
  help: '改派到另一个群（领导/调度）',
  menu: '改派到另一个群：/route 12 群',
  permission: 'manager',
  parse: (rest) => (rest && !/\s/.test(rest) ? ok({ target: rest }) : bad('请写一个群（社区名、街道），格式：改派 12 看丹社区')),
  decide(c, args, ctx) {
    const group = findGroup(args.target, ctx.groupNames);
    if (!group) return refuse(`没有「${args.target}」这个群（可选：${Object.values(ctx.groupNames).join('、')}），格式：改派 ${c.id} 看丹社区`);
    if (!['new', 'returned', 'claimed', 'contacted', 'reopened'].includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能改派。`);
    if (group === c.group && c.status !== 'returned') return refuse(`#${c.id} 已在「${ctx.groupNames[group]}」，请写另一个群，格式：改派 ${c.id} 看丹社区`);
    const moved: Case = { ...c, group, status: 'new', ownerId: null, ownerName: null, claimedAt: null, postedAt: ctx.now };
    const patch = withMilestone(c, { group, status: 'new', ownerId: null, ownerName: null, claimedAt: null, postedAt: ctx.now }, ctx);
    const effects = [send('card', group, T.caseCard({ ...moved, ...patch }, ctx), c.id)];
    if (c.group !== group) effects.push(send('update', c.group, `➡️ #${c.id} 已由 ${ctx.actor.name} 改派到「${ctx.groupNames[group]}」。`, c.id));
    if (ctx.group !== group && ctx.group !== c.group) effects.push(send('reply', ctx.group, `➡️ #${c.id} 已改派到「${ctx.groupNames[group]}」。`, c.id));
    return { ok: true, patch, events: [event(ctx, 'rerouted', c.status, 'new', `${c.group} → ${group}`)], effects };
  },
});

export const toHotline = defineCommand<{ reason: string }>({
  kind: 'case',
  name: 'tohotline',
  zh: ['退回12345', '退回热线'],
  usage: '退回12345 12 原因',
  help: '把退单案件退回 12345（领导/调度）',
  menu: '退回12345：/tohotline 12 原因',
  permission: 'manager',
  parse: (rest) => (rest ? ok({ reason: rest }) : bad('请写原因，格式：退回12345 12 原因')),
  decide(c, args, ctx) {
    if (c.status !== 'returned') return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，只有已退单的案件能退回12345（先「退单 ${c.id} 原因」）。`);
    const patch = withMilestone(c, { status: 'closed', closedAt: ctx.now }, ctx);
    const text = `📤 #${c.id} 已由 ${ctx.actor.name} 退回12345：${args.reason}`;
    return { ok: true, patch, events: [event(ctx, 'returned-to-hotline', 'returned', 'closed', args.reason)], effects: announce(c, ctx, text) };
  },
});

export const assign = defineCommand<{ note: string }>({
  kind: 'case',
  name: 'assign',
  zh: ['转派', '指派'],
  usage: '转派 12 @某人',
  help: '换负责人（领导/调度）',
  menu: '换负责人：/assign 12 @某人',
  permission: 'manager',
  parse: (rest) => ok({ note: withoutMentions(rest) }),
  decide(c, _args, ctx) {
    const to = ctx.mentions[0];
    if (!to) return refuse(`请 @ 新的负责人，格式：转派 ${c.id} @某人`);
    if (!['new', 'claimed', 'contacted', 'reopened'].includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能转派。`);
    if (c.ownerId === to.id) return refuse(`#${c.id} 的负责人已是 ${to.name}，请 @ 另一个人，格式：转派 ${c.id} @某人`);
    const was = c.ownerId && c.ownerName ? { id: c.ownerId, name: c.ownerName } : null;
    const status = c.status === 'new' ? 'claimed' : c.status;
    const patch = withMilestone(c, { ownerId: to.id, ownerName: to.name, status, claimedAt: c.claimedAt ?? ctx.now }, ctx);
    const text = `👤 #${c.id} 负责人${was ? `由 ${was.name} ` : ''}改为 ${to.name}（${ctx.actor.name} 指派）。`;
    return { ok: true, patch, events: [event(ctx, 'assigned', c.status, status, `${was?.name ?? '无'} → ${to.name}`)], effects: announce(c, ctx, text, was ? [to, was] : [to]) };
  },
});

export const coHandle = defineCommand<Record<string, never>>({
  kind: 'case',
  name: 'cohandle',
  zh: ['协办'],
  usage: '协办 12 @某人',
  help: '加协办人（领导/调度）',
  menu: '加协办人：/cohandle 12 @某人',
  permission: 'manager',
  parse: () => ok({}),
  decide(c, _args, ctx) {
    if (ctx.mentions.length === 0) return refuse(`请 @ 协办人，格式：协办 ${c.id} @某人`);
    if (!['new', 'claimed', 'contacted', 'reopened'].includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能加协办。`);
    const added = ctx.mentions.filter((p) => !c.coHandlers.some((q) => q.id === p.id) && p.id !== c.ownerId);
    if (added.length === 0) return refuse(`${ctx.mentions.map((p) => p.name).join('、')} 已在办理 #${c.id}，请 @ 另一个人，格式：协办 ${c.id} @某人`);
    const text = `🤝 #${c.id} 增加协办：${added.map((p) => p.name).join('、')}（${ctx.actor.name}）。协办人可「进展 ${c.id} 文字」。`;
    return { ok: true, patch: { coHandlers: [...c.coHandlers, ...added] }, events: [event(ctx, 'co-handler-added', null, null, added.map((p) => p.name).join('、'))], effects: announce(c, ctx, text, added) };
  },
});
