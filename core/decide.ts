import { can, WHO_ZH } from './access/roles';
import { usageFor } from './commands/registry';
import type { CaseCommandSpec, DecideContext, Decision } from './commands/spec';
import { nextMilestone } from './milestones';
import { responsible, send, systemEvent, uniquePeople } from './practices/effects';
import type { DeadlinePolicy } from './street-config';
import * as T from './texts';
import type { Case, CaseEvent, Effect, Milestone, Person, Refusal } from './types';

/**
 * Transitions: `(case, command, now) → { patch, events, effects } | refusal`. The bot writes the
 * patch with a version check, appends the events and queues the effects in one transaction.
 */

export type { DecideContext, Decision } from './commands/spec';
export { send } from './practices/effects';

/** A case command: who may (the one access rule), then the command's own decision. */
export function decideCaseCommand(spec: CaseCommandSpec, c: Case, args: unknown, ctx: DecideContext): Decision | Refusal {
  if (!can(ctx.actor, spec.permission, c, ctx)) {
    const ownerKind = ['owner', 'handler', 'contact-info'].includes(spec.permission);
    if (ownerKind && c.status === 'new') return { ok: false, message: `#${c.id} 还没人认领，请先「认领 ${c.id}」。` };
    const owner = ownerKind && c.ownerName ? `#${c.id} 由 ${c.ownerName} 负责，` : '';
    return { ok: false, message: `${owner}只有${WHO_ZH[spec.permission]}可以「${spec.zh[0]}」。格式：${usageFor(spec, c.id)}` };
  }
  return spec.decide(c, args, ctx);
}

/** Marks a reminder the on-duty person gets in quiet hours on the owner's behalf. */
export const QUIET_PREFIX = '🌙 值班代收：';

/** What the due-deadline decisions need: no actor, no group. */
export interface DueContext extends Pick<DecideContext, 'policy' | 'now' | 'timeZone' | 'groupNames' | 'leaders' | 'departments' | 'maskRoomNumbers'> {
  /** Dispatchers to @ for follow-up calls (回访). */
  dispatchers: Person[];
  /** Who is on duty (值班) at `now`, from the roster; empty or absent when nobody is. */
  onDuty?: Person[];
  /** True when `now` lies in the street's quiet hours (quietHours, default 22:00–08:00). */
  quiet?: boolean;
}

/** What a new case posts: its card in its group, and for urgent cases also in consult with the on-duty person and the leaders @-mentioned (at any hour). */
export function decideIntakeEffects(c: Case, ctx: Pick<DueContext, 'timeZone' | 'groupNames' | 'leaders' | 'now' | 'onDuty'>): { events: CaseEvent[]; effects: Effect[] } {
  const card = T.caseCard(c, ctx);
  const effects: Effect[] = [send('card', c.group, card, c.id)];
  if (c.urgency === 'urgent' && c.group !== 'consult') effects.push(send('card', 'consult', card, c.id, uniquePeople(ctx.onDuty ?? [], ctx.leaders)));
  return { events: [systemEvent('received', c.group, ctx.now, `来源 ${c.source}`, null, 'new')], effects };
}

/** The first milestone of a fresh case. */
export function firstMilestone(c: Case, policy: DeadlinePolicy, now: number): Milestone | null {
  return nextMilestone(c, policy, now, now);
}

/**
 * A deadline milestone fell due. Stale jobs (the case moved on, another milestone is pending)
 * change nothing. Otherwise: the reminder or alarm, and the case's next milestone.
 */
export function decideDue(c: Case, due: Milestone, ctx: DueContext): Decision | null {
  if (c.nextDueKind !== due.kind || c.nextDueAt !== due.dueAt) return null;
  const { now } = ctx;
  const text = T.milestoneText(due.kind, c, ctx, now);
  const people = responsible(c);
  const effects: Effect[] = [];
  let patch: Partial<Case> = {};
  let kind: CaseEvent['kind'] = 'reminder';
  let to: Case['status'] | null = null;
  const leadersAnd = (extra: Person[]) => uniquePeople(extra, ctx.leaders);
  /**
   * Quiet hours with someone on duty: a reminder or unclaimed notice goes to consult (where the duty
   * watch is) @ the on-duty person, not to a sleeping owner or group. Otherwise it goes as by day.
   */
  const onDuty = ctx.quiet ? (ctx.onDuty ?? []) : [];
  const remind = (group: string, mentions: Person[]) => {
    if (onDuty.length > 0) effects.push(send('alarm', 'consult', `${QUIET_PREFIX}${text}`, c.id, onDuty));
    else effects.push(send('alarm', group, text, c.id, mentions));
  };
  switch (due.kind) {
    case 'unclaimed-remind':
      remind(c.group, []);
      break;
    case 'unclaimed-escalate':
      kind = 'escalated';
      if (onDuty.length > 0) effects.push(send('alarm', 'consult', text, c.id, onDuty));
      else effects.push(send('alarm', 'consult', text, c.id, ctx.leaders));
      break;
    case 'respond-50':
    case 'respond-90':
    case 'resolve-50':
    case 'resolve-90':
      remind(c.group, people);
      break;
    case 'respond-overdue':
    case 'resolve-overdue':
      kind = 'overdue';
      if (c.group !== 'consult') effects.push(send('alarm', c.group, text, c.id, people));
      effects.push(send('alarm', 'consult', text, c.id, leadersAnd(people)));
      break;
    case 'checkin-remind':
    case 'checkin-escalate': {
      const escalate = due.kind === 'checkin-escalate';
      const late = c.whistle.filter((w) => w.reportedAt === null && w.summonedAt + (escalate ? 2 : 1) * ctx.policy.checkInMs <= now);
      const deps = ctx.departments.filter((d) => late.some((w) => w.department === d.name));
      const deptPeople = uniquePeople(...deps.map((d) => d.people));
      if (escalate) {
        kind = 'escalated';
        effects.push(send('alarm', 'consult', `⚠️ #${c.id} 吹哨后 ${late.map((w) => w.department).join('、')} 超时未报到，请领导督促。`, c.id, leadersAnd(c.leaderId && c.leaderName ? [{ id: c.leaderId, name: c.leaderName }] : [])));
      } else {
        effects.push(send('alarm', 'consult', text, c.id, deptPeople));
        for (const d of deps) if (d.group && d.group !== 'consult') effects.push(send('alarm', d.group, text, c.id, d.people));
      }
      const names = new Set(late.map((w) => w.department));
      patch = { whistle: c.whistle.map((w) => (names.has(w.department) ? (escalate ? { ...w, escalatedAt: now } : { ...w, remindedAt: now }) : w)) };
      break;
    }
    case 'node-due': {
      const dueNodes = c.nodes.filter((n) => n.doneAt === null && n.due <= now && n.askedAt === null);
      remind(c.group, people);
      effects.push(send('alarm', 'consult', `📌 #${c.id} ${dueNodes.map((n) => `节点${n.no}「${T.truncate(n.text, 20)}」`).join('、') || '节点'} 到期未完成。`, c.id, c.leaderId && c.leaderName ? [{ id: c.leaderId, name: c.leaderName }] : []));
      patch = { nodes: c.nodes.map((n) => (dueNodes.includes(n) ? { ...n, askedAt: now } : n)) };
      break;
    }
    case 'followup-remind':
      effects.push(send('alarm', 'consult', text, c.id, ctx.dispatchers));
      break;
    case 'followup-close':
      kind = 'closed';
      to = 'closed';
      patch = { status: 'closed', closedAt: now, rating: { satisfaction: '未评价', solved: null, contacted: c.contactedAt !== null, note: null } };
      effects.push(send('update', c.group, text, c.id));
      break;
  }
  const after = { ...c, ...patch };
  const next = nextMilestone(after, ctx.policy, due, now);
  patch = { ...patch, nextDueKind: next?.kind ?? null, nextDueAt: next?.dueAt ?? null };
  return { ok: true, patch, events: [systemEvent(kind, c.group, now, due.kind, to ? c.status : null, to)], effects };
}
