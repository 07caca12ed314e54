import type { DecideContext } from '../commands/spec';
import { nextMilestone } from '../milestones';
import type { Case, CaseEvent, CaseStatus, Person, SendEffect } from '../types';

/** Small builders every practice uses: a message, a ledger row, the next milestone. */

export function send(kind: SendEffect['kind'], group: string, text: string, caseId: number | null, mentions: Person[] = []): SendEffect {
  return { type: 'send', kind, group, text, mentions, caseId };
}

/** A ledger row written by the person acting. */
export function event(ctx: Pick<DecideContext, 'actor' | 'group' | 'now'>, kind: CaseEvent['kind'], from: CaseStatus | null, to: CaseStatus | null, text: string | null): CaseEvent {
  return { kind, actorId: ctx.actor.id, actorName: ctx.actor.name, group: ctx.group, at: ctx.now, text, fromStatus: from, toStatus: to };
}

/** A ledger row written by the bot itself (deadlines, follow-up closing). */
export function systemEvent(kind: CaseEvent['kind'], group: string | null, at: number, text: string | null, from: CaseStatus | null = null, to: CaseStatus | null = null): CaseEvent {
  return { kind, actorId: null, actorName: null, group, at, text, fromStatus: from, toStatus: to };
}

/** The patch plus the case's next pending milestone, computed from the state the patch leaves. */
export function withMilestone(c: Case, patch: Partial<Case>, ctx: Pick<DecideContext, 'policy' | 'now'>): Partial<Case> {
  const next = nextMilestone({ ...c, ...patch }, ctx.policy, ctx.now, ctx.now);
  return { ...patch, nextDueKind: next?.kind ?? null, nextDueAt: next?.dueAt ?? null };
}

/** A message to the case's group, and to the group the command came from when that is elsewhere. */
export function announce(c: Case, ctx: Pick<DecideContext, 'group'>, text: string, mentions: Person[] = []): SendEffect[] {
  const out = [send('update', c.group, text, c.id, mentions)];
  if (ctx.group !== c.group && !ctx.group.startsWith('~') && !ctx.group.startsWith('@')) out.push(send('update', ctx.group, text, c.id, mentions));
  return out;
}

/** The same, and in consult too (leaders' business: extensions, whistles, returns). */
export function announceWithConsult(c: Case, ctx: Pick<DecideContext, 'group'>, text: string, mentions: Person[] = [], consultMentions: Person[] = mentions): SendEffect[] {
  const out = announce(c, ctx, text, mentions);
  if (!out.some((e) => e.group === 'consult')) out.push(send('update', 'consult', text, c.id, consultMentions));
  return out;
}

/** The people responsible for a case, to @ in reminders: owner, 包案 leader, co-handlers (once each). */
export function responsible(c: Case): Person[] {
  const out: Person[] = [];
  const add = (p: Person | null) => {
    if (p && !out.some((q) => q.id === p.id)) out.push(p);
  };
  add(c.ownerId && c.ownerName ? { id: c.ownerId, name: c.ownerName } : null);
  add(c.leaderId && c.leaderName ? { id: c.leaderId, name: c.leaderName } : null);
  for (const p of c.coHandlers) add(p);
  return out;
}

/** Merges two mention lists without repeating a person. */
export function uniquePeople(...lists: Person[][]): Person[] {
  const out: Person[] = [];
  for (const p of lists.flat()) if (!out.some((q) => q.id === p.id)) out.push(p);
  return out;
}
