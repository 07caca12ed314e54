import { bad, defineCommand, ok, refuse, type DecideContext, type Decision } from '../commands/spec';
import { publicResultText } from '../public-text';
import * as T from '../texts';
import type { Case, Effect, Refusal } from '../types';
import { announce, event, send, withMilestone } from './effects';

/** The everyday steps on a case: 认领, 已联系, 进展, 办结, 状态. */

const WORKING = ['claimed', 'contacted', 'reopened'];

export function stateRefusal(c: Case): string {
  if (c.status === 'new') return `#${c.id} 还没人认领，请先「认领 ${c.id}」。`;
  return `#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能这样操作。`;
}

const noArgs = (usage: string) => (rest: string) => (rest === '' ? ok({}) : bad(`格式：${usage}`));
const optionalText = (rest: string) => ok({ text: rest });
const requiredText = (what: string, usage: string) => (rest: string) => (rest === '' ? bad(`请写上${what}。格式：${usage}`) : ok({ text: rest }));

export const claim = defineCommand<Record<string, never>>({
  kind: 'case',
  name: 'claim',
  zh: ['认领', '接单', '接', '领取', '认领了', '我来认领', '我认领'],
  usage: '认领 12（或引用案件卡片回复：认领）',
  help: '认领案件',
  menu: '认领案件：/claim 12，或引用卡片回复 /claim',
  permission: 'anyone',
  parse: noArgs('认领 12（或引用案件卡片回复：认领）'),
  decide(c, _args, ctx): Decision | Refusal {
    const { now, actor } = ctx;
    if (c.status !== 'new') {
      if (!WORKING.includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能认领。`);
      if (c.ownerId === actor.id) return refuse(`你已认领 #${c.id}，无需重复认领。`);
      if (c.ownerName) return refuse(T.alreadyOwnedText(c));
      return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能认领。`);
    }
    if (ctx.group !== c.group && ctx.group !== 'consult') return refuse(`#${c.id} 属于「${ctx.groupNames[c.group] ?? c.group}」，请在该群认领。`);
    const patch = withMilestone(c, { status: 'claimed', ownerId: actor.id, ownerName: actor.name, claimedAt: now }, ctx);
    const after = { ...c, ...patch };
    const effects: Effect[] = [...announce(c, ctx, T.claimedText(after, ctx)), ...contactDetailsTo(after, ctx, actor)];
    return { ok: true, patch, events: [event(ctx, 'claimed', c.status, 'claimed', null)], effects };
  },
});

/**
 * The citizen's name and phone, privately to one person (never in a group). Nothing when the work
 * order carries neither.
 */
export function contactDetailsTo(c: Case, ctx: DecideContext, to: { id: string; name: string }): Effect[] {
  if (!c.citizenName && !c.citizenPhone) return [];
  const text = `🔒 #${c.id} 市民联系方式（仅你可见，请勿转发）：${c.citizenName ?? '（未留姓名）'} ${c.citizenPhone ?? '（未留电话）'}${c.address ? `\n地址：${c.address}` : ''}`;
  return [{ ...send('reply', privateAddress(ctx.platform, to.id), text, c.id), fallbackGroup: ctx.group.startsWith('~') ? c.group : ctx.group, mentions: [to] }];
}

/** The outbox address of a one-to-one chat with a person on a platform. */
export function privateAddress(platform: string, userId: string): string {
  return `~${platform}:${userId}`;
}

export const contact = defineCommand<{ text: string }>({
  kind: 'case',
  name: 'contact',
  zh: ['已联系', '联系'],
  usage: '已联系 12 [备注]',
  help: '已联系市民（响应）',
  menu: '已联系市民：/contact 12 备注',
  permission: 'owner',
  parse: optionalText,
  decide(c, args, ctx) {
    if (c.status === 'contacted') return refuse(`#${c.id} 已记录联系市民，下一步「进展 ${c.id} 文字」或「办结 ${c.id} 结果」。`);
    if (c.status !== 'claimed' && c.status !== 'reopened') return refuse(stateRefusal(c));
    const onTime = ctx.now <= c.respondBy;
    const patch = withMilestone(c, { status: 'contacted', contactedAt: c.contactedAt ?? ctx.now }, ctx);
    return { ok: true, patch, events: [event(ctx, 'contacted', c.status, 'contacted', args.text || null)], effects: announce(c, ctx, T.contactedText({ ...c, ...patch }, ctx, onTime)) };
  },
});

export const note = defineCommand<{ text: string }>({
  kind: 'case',
  name: 'note',
  zh: ['进展'],
  usage: '进展 12 文字',
  help: '记录进展',
  menu: '记录进展：/note 12 文字',
  permission: 'handler',
  parse: requiredText('进展内容', '进展 12 文字'),
  decide(c, args, ctx) {
    if (!WORKING.includes(c.status)) return refuse(stateRefusal(c));
    return { ok: true, patch: {}, events: [event(ctx, 'note', null, null, args.text)], effects: announce(c, ctx, T.noteText(c, ctx.actor.name, args.text)) };
  },
});

export const done = defineCommand<{ text: string }>({
  kind: 'case',
  name: 'done',
  zh: ['办结'],
  usage: '办结 12 办理结果',
  help: '办结，结果告知市民',
  menu: '办结：/done 12 办理结果',
  permission: 'owner',
  parse: requiredText('办理结果', '办结 12 办理结果'),
  decide(c, args, ctx) {
    if (!WORKING.includes(c.status)) return refuse(stateRefusal(c));
    // The response rate counts first contact: it comes before the result.
    if (c.status === 'claimed' && c.contactedAt === null) return refuse(`#${c.id} 还没记录联系市民，请先「已联系 ${c.id}」，再「办结 ${c.id} 结果」。`);
    const { now, actor } = ctx;
    const onTime = now <= c.resolveBy;
    const patch = withMilestone(c, { status: 'resolved', resolvedAt: now, result: args.text, followUpAt: ctx.followUpAt(now) }, ctx);
    const after = { ...c, ...patch };
    // Masked for the public before it is shortened: no citizen named, no number half-hidden.
    const pub = publicResultText(after, { maskRoomNumbers: ctx.maskRoomNumbers });
    const text = T.resolvedText(after, actor.name, onTime);
    const effects: Effect[] = [...announce(c, ctx, text), { type: 'publish', caseId: c.id, title: pub.title, text: pub.text }];
    // A case that ran past its deadline was announced in consult as overdue: tell consult it is done.
    if (!onTime && !effects.some((e) => e.type === 'send' && e.group === 'consult')) effects.push(send('update', 'consult', text, c.id));
    return { ok: true, patch, events: [event(ctx, 'resolved', c.status, 'resolved', args.text)], effects };
  },
});

export const status = defineCommand<Record<string, never>>({
  kind: 'case',
  name: 'status',
  zh: ['状态', '查询'],
  usage: '状态 12',
  help: '查看案件',
  menu: '查看案件状态：/status 12',
  permission: 'anyone',
  needsEvents: true,
  parse: noArgs('状态 12'),
  decide(c, _args, ctx) {
    // A case is read where it is worked: its group, consult, and the groups of departments summoned on it.
    const takingPart = ctx.group === c.group || ctx.group === 'consult' || c.whistle.some((w) => ctx.groupDepartments.includes(w.department));
    if (!takingPart) return refuse(`#${c.id} 不在本群办理，请在「${ctx.groupNames[c.group] ?? c.group}」或会商群查询。`);
    return { ok: true, patch: {}, events: [], effects: [send('reply', ctx.group, T.statusCard(c, ctx.events, ctx, ctx.now), c.id)] };
  },
});
