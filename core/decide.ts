import type { Command } from './commands';
import { nextMilestone } from './milestones';
import { maskPersonal } from './privacy';
import type { DeadlinePolicy } from './street-config';
import * as T from './texts';
import type { Actor, Case, CaseEvent, CaseStatus, Effect, Milestone, Refusal, SendEffect } from './types';

/**
 * Transitions: `(case, command, now) → { patch, events, effects } | refusal`. The bot writes the
 * patch with a version check, appends the events and queues the effects in one transaction.
 */

export interface DecideContext extends T.TextContext {
  policy: DeadlinePolicy;
  now: number;
  actor: Actor;
  /** Group key the command was typed in. */
  group: string;
  /** People @-mentioned by alarms. */
  leaders: { id: string; name: string }[];
  maskRoomNumbers: boolean;
}

export interface Decision {
  ok: true;
  /** Fields to change; empty for a read-only command. */
  patch: Partial<Case>;
  events: CaseEvent[];
  effects: Effect[];
}

const refuse = (message: string): Refusal => ({ ok: false, message });

export function send(kind: SendEffect['kind'], group: string, text: string, caseId: number | null, mentions: { id: string; name: string }[] = []): SendEffect {
  return { type: 'send', kind, group, text, mentions, caseId };
}

function event(ctx: DecideContext, kind: CaseEvent['kind'], from: CaseStatus | null, to: CaseStatus | null, text: string | null): CaseEvent {
  return { kind, actorId: ctx.actor.id, actorName: ctx.actor.name, group: ctx.group, at: ctx.now, text, fromStatus: from, toStatus: to };
}

/** The patch plus the case's next pending milestone, computed from the state the patch leaves. */
function withMilestone(c: Case, patch: Partial<Case>, policy: DeadlinePolicy, now: number): Partial<Case> {
  const next = nextMilestone({ ...c, ...patch }, policy, now, now);
  return { ...patch, nextDueKind: next?.kind ?? null, nextDueAt: next?.dueAt ?? null };
}

/** Replies go to the group the command came from, and to the case's group too when that is elsewhere. */
function announce(c: Case, ctx: DecideContext, text: string, mentions: { id: string; name: string }[] = []): SendEffect[] {
  const out = [send('update', c.group, text, c.id, mentions)];
  if (ctx.group !== c.group) out.push(send('update', ctx.group, text, c.id, mentions));
  return out;
}

const isLeaderish = (a: Actor) => a.role === 'leader' || a.role === 'dispatcher' || a.role === 'admin';
const isOwner = (c: Case, a: Actor) => c.ownerId !== null && c.ownerId === a.id;

/** Commands about one case. `events` is the case's ledger, for 状态. */
export function decideCaseCommand(c: Case, cmd: Extract<Command, { caseId: number | null }>, ctx: DecideContext, events: CaseEvent[]): Decision | Refusal {
  const { now, actor } = ctx;
  switch (cmd.name) {
    case 'status':
      return { ok: true, patch: {}, events: [], effects: [send('reply', ctx.group, T.statusCard(c, events, ctx, now), c.id)] };

    case 'claim': {
      if (c.status !== 'new') {
        if (!['claimed', 'contacted', 'reopened'].includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能认领。`);
        if (c.ownerId === actor.id) return refuse(`你已认领 #${c.id}，无需重复认领。`);
        if (c.ownerName) return refuse(T.alreadyOwnedText(c));
        return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能认领。`);
      }
      if (ctx.group !== c.group && ctx.group !== 'consult') {
        return refuse(`#${c.id} 属于「${ctx.groupNames[c.group] ?? c.group}」，请在该群认领。`);
      }
      const patch = withMilestone(c, { status: 'claimed', ownerId: actor.id, ownerName: actor.name, claimedAt: now }, ctx.policy, now);
      const after = { ...c, ...patch };
      return { ok: true, patch, events: [event(ctx, 'claimed', c.status, 'claimed', null)], effects: announce(c, ctx, T.claimedText(after, ctx)) };
    }

    case 'contact': {
      if (!isOwner(c, actor) && !isLeaderish(actor)) return refuse(ownerOnly(c));
      if (c.status === 'contacted') return refuse(`#${c.id} 已记录联系市民，下一步「进展 ${c.id} 文字」或「办结 ${c.id} 结果」。`);
      if (c.status !== 'claimed' && c.status !== 'reopened') return refuse(stateRefusal(c));
      const onTime = now <= c.respondBy;
      const patch = withMilestone(c, { status: 'contacted', contactedAt: c.contactedAt ?? now }, ctx.policy, now);
      const text = cmd.text || null;
      return { ok: true, patch, events: [event(ctx, 'contacted', c.status, 'contacted', text)], effects: announce(c, ctx, T.contactedText({ ...c, ...patch }, ctx, onTime)) };
    }

    case 'note': {
      if (!isOwner(c, actor) && !isLeaderish(actor)) return refuse(ownerOnly(c));
      if (!['claimed', 'contacted', 'reopened'].includes(c.status)) return refuse(stateRefusal(c));
      return { ok: true, patch: {}, events: [event(ctx, 'note', null, null, cmd.text)], effects: announce(c, ctx, T.noteText(c, actor.name, cmd.text)) };
    }

    case 'done': {
      if (!isOwner(c, actor) && !isLeaderish(actor)) return refuse(ownerOnly(c));
      if (!['claimed', 'contacted', 'reopened'].includes(c.status)) return refuse(stateRefusal(c));
      const onTime = now <= c.resolveBy;
      const patch: Partial<Case> = { status: 'resolved', resolvedAt: now, result: cmd.text, nextDueKind: null, nextDueAt: null };
      const after = { ...c, ...patch };
      const pub = T.publicResultText(after);
      const mask = (s: string) => maskPersonal(s, { names: [c.citizenName], maskRoomNumbers: ctx.maskRoomNumbers });
      const effects: Effect[] = [...announce(c, ctx, T.resolvedText(after, onTime)), { type: 'publish', caseId: c.id, title: mask(pub.title), text: mask(pub.text) }];
      return { ok: true, patch, events: [event(ctx, 'resolved', c.status, 'resolved', cmd.text)], effects };
    }
  }
}

function ownerOnly(c: Case): string {
  return c.ownerName ? `#${c.id} 由 ${c.ownerName} 负责，只有负责人或领导可以操作。` : `#${c.id} 还没人认领，请先「认领 ${c.id}」。`;
}

function stateRefusal(c: Case): string {
  if (c.status === 'new') return `#${c.id} 还没人认领，请先「认领 ${c.id}」。`;
  return `#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能这样操作。`;
}

/** What a new case posts: its card in its group, and for urgent cases also in consult with the leaders @-mentioned. */
export function decideIntakeEffects(c: Case, ctx: Omit<DecideContext, 'actor' | 'group'>): { events: CaseEvent[]; effects: Effect[] } {
  const card = T.caseCard(c, ctx);
  const effects: Effect[] = [send('card', c.group, card, c.id)];
  if (c.urgency === 'urgent' && c.group !== 'consult') effects.push(send('card', 'consult', card, c.id, ctx.leaders));
  const ev: CaseEvent = { kind: 'received', actorId: null, actorName: null, group: c.group, at: ctx.now, text: `来源 ${c.source}`, fromStatus: null, toStatus: 'new' };
  return { events: [ev], effects };
}

/** The first milestone of a fresh case. */
export function firstMilestone(c: Case, policy: DeadlinePolicy, now: number): Milestone | null {
  return nextMilestone(c, policy, now, now);
}

/**
 * A deadline milestone fell due. Stale jobs (the case moved on, another milestone is pending)
 * change nothing. Otherwise: the reminder or alarm, and the case's next milestone.
 */
export function decideDue(c: Case, due: Milestone, ctx: Omit<DecideContext, 'actor' | 'group'>): Decision | null {
  if (c.nextDueKind !== due.kind || c.nextDueAt !== due.dueAt) return null;
  const { now } = ctx;
  const next = nextMilestone(c, ctx.policy, due, now);
  const patch: Partial<Case> = { nextDueKind: next?.kind ?? null, nextDueAt: next?.dueAt ?? null };
  const text = T.milestoneText(due.kind, c, ctx, now);
  const owner = c.ownerId && c.ownerName ? [{ id: c.ownerId, name: c.ownerName }] : [];
  const effects: Effect[] = [];
  let kind: CaseEvent['kind'] = 'reminder';
  switch (due.kind) {
    case 'unclaimed-remind':
      effects.push(send('alarm', c.group, text, c.id));
      break;
    case 'unclaimed-escalate':
      kind = 'escalated';
      effects.push(send('alarm', 'consult', text, c.id, ctx.leaders));
      break;
    case 'respond-50':
    case 'respond-90':
    case 'resolve-50':
    case 'resolve-90':
      effects.push(send('alarm', c.group, text, c.id, owner));
      break;
    case 'respond-overdue':
    case 'resolve-overdue':
      kind = 'overdue';
      effects.push(send('alarm', c.group, text, c.id, owner));
      if (c.group !== 'consult') effects.push(send('alarm', 'consult', text, c.id, [...owner, ...ctx.leaders]));
      else effects[0] = send('alarm', 'consult', text, c.id, [...owner, ...ctx.leaders]);
      break;
  }
  const ev: CaseEvent = { kind, actorId: null, actorName: null, group: c.group, at: now, text: `${due.kind}`, fromStatus: null, toStatus: null };
  return { ok: true, patch, events: [ev], effects };
}
