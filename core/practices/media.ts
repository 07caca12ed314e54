import { can } from '../access/roles';
import { bad, defineCommand, ok, refuse, type DecideContext, type Decision } from '../commands/spec';
import type { Case, Refusal } from '../types';
import { announce, event, send } from './effects';

/**
 * Photos as evidence: a photo sent in reply to a case card, or with a caption naming the case, is kept
 * with the case (the bot stores the file; the ledger keeps its hash). None is public unless a leader
 * marks it: 公开照片 12 1.
 */

/** A stored photo as the decision sees it: its content hash and its number among the case's photos. */
export interface PhotoArgs {
  sha256: string;
  mime: string;
  /** True when the case already has this very photo (same hash): nothing is added. */
  duplicate: boolean;
  /** Say so in the chat (false when the caption's own command answers). */
  announce: boolean;
}

/**
 * Whether the sender may add a photo to this case: someone working it (owner, co-handler, 包案
 * leader, leader, dispatcher), or anyone in its own group, in consult or in a summoned department's group.
 */
function mayAddPhoto(c: Case, ctx: DecideContext): boolean {
  if (can(ctx.actor, 'handler', c, ctx)) return true;
  return ctx.group === c.group || ctx.group === 'consult' || c.whistle.some((w) => ctx.groupDepartments.includes(w.department));
}

/** A photo for case `c`: one more in its count, a `media` ledger row with the hash. */
export function decidePhoto(c: Case, args: PhotoArgs, ctx: DecideContext): Decision | Refusal {
  if (!mayAddPhoto(c, ctx)) return refuse(`#${c.id} 不在本群办理，照片请发到「${ctx.groupNames[c.group] ?? c.group}」（引用案件卡片或配文「进展 ${c.id} 说明」）。`);
  if (c.status === 'closed') return refuse(`#${c.id} 已关闭，不再收照片。`);
  if (args.duplicate) return refuse(`#${c.id} 已有这张照片，未重复保存。`);
  const no = c.mediaCount + 1;
  const effects = args.announce ? [send('reply', ctx.group, `📷 #${c.id} 已存照片（第 ${no} 张，仅内部可见；领导可「公开照片 ${c.id} ${no}」）。`, c.id)] : [];
  return { ok: true, patch: { mediaCount: no }, events: [event(ctx, 'media', null, null, `照片${no} ${args.mime} sha256:${args.sha256}`)], effects };
}

/** 公开照片 12 1: a leader lets one photo go to the public side. */
export const publicPhoto = defineCommand<{ no: number }>({
  kind: 'case',
  name: 'publicphoto',
  latin: ['public-photo', 'public_photo'],
  zh: ['公开照片'],
  usage: '公开照片 12 1',
  help: '允许公开某张照片（领导）',
  menu: '公开照片（领导）：/publicphoto 12 1',
  permission: 'leader',
  parse(rest) {
    const no = Number(rest);
    return /^\d{1,4}$/.test(rest) && no > 0 ? ok({ no }) : bad('请写第几张照片，格式：公开照片 12 1');
  },
  decide(c, args, ctx) {
    if (c.mediaCount === 0) return refuse(`#${c.id} 还没有照片（引用案件卡片发照片即可保存）。`);
    if (args.no > c.mediaCount) return refuse(`#${c.id} 没有第 ${args.no} 张照片（共 ${c.mediaCount} 张），格式：公开照片 ${c.id} 1`);
    const text = `🌐 #${c.id} 第 ${args.no} 张照片已由 ${ctx.actor.name} 设为可公开。`;
    return {
      ok: true,
      patch: {},
      events: [event(ctx, 'media', null, null, `公开照片${args.no}`)],
      effects: [{ type: 'media-public', caseId: c.id, no: args.no }, ...announce(c, ctx, text)],
    };
  },
});

