import type { DeadlinePolicy } from './street-config';
import type { Case, Milestone, MilestoneKind } from './types';

/**
 * Deadline milestones of a case, and which one is next. One milestone is pending per open case;
 * when it fires its handler asks for the one after, so the queue holds one job per case.
 */

/** Every milestone that applies to the case in its current state, in time order. Overdue repeats are open-ended and handled apart. */
function fixedMilestones(c: Case, policy: DeadlinePolicy): Milestone[] {
  const out: Milestone[] = [];
  const unclaimedMs = policy.unclaimedMs[c.urgency];
  const respondStart = c.reportedAt;
  const respondSpan = c.respondBy - respondStart;
  const resolveSpan = c.resolveBy - respondStart;
  switch (c.status) {
    case 'new':
      out.push({ kind: 'unclaimed-remind', dueAt: c.postedAt + unclaimedMs });
      out.push({ kind: 'unclaimed-escalate', dueAt: c.postedAt + 2 * unclaimedMs });
      out.push({ kind: 'respond-overdue', dueAt: c.respondBy });
      break;
    case 'claimed':
    case 'reopened':
      out.push({ kind: 'respond-50', dueAt: respondStart + Math.round(respondSpan * 0.5) });
      out.push({ kind: 'respond-90', dueAt: respondStart + Math.round(respondSpan * 0.9) });
      out.push({ kind: 'respond-overdue', dueAt: c.respondBy });
      break;
    case 'contacted':
      break;
    case 'resolved':
      // Waiting for the follow-up call (回访): remind the dispatcher, then close as 未评价.
      if (c.rating === null && c.resolvedAt !== null) {
        if (c.followUpAt !== null) out.push({ kind: 'followup-remind', dueAt: c.followUpAt });
        out.push({ kind: 'followup-close', dueAt: c.resolvedAt + policy.followUpCloseMs });
      }
      return out.sort(byTime);
    default:
      return [];
  }
  for (const w of c.whistle) {
    if (w.reportedAt !== null) continue;
    out.push({ kind: 'checkin-remind', dueAt: w.summonedAt + policy.checkInMs });
    out.push({ kind: 'checkin-escalate', dueAt: w.summonedAt + 2 * policy.checkInMs });
  }
  for (const n of c.nodes) if (n.doneAt === null) out.push({ kind: 'node-due', dueAt: n.due });
  if (c.status !== 'new') {
    out.push({ kind: 'resolve-50', dueAt: respondStart + Math.round(resolveSpan * 0.5) });
    out.push({ kind: 'resolve-90', dueAt: respondStart + Math.round(resolveSpan * 0.9) });
  }
  // A reopened or contacted case no longer waits for the response; keep only what still applies.
  if (c.status === 'reopened' || c.contactedAt !== null) {
    return out.filter((m) => !m.kind.startsWith('respond-')).sort(byTime);
  }
  return out.sort(byTime);
}

const ORDER: MilestoneKind[] = [
  'unclaimed-remind', 'unclaimed-escalate', 'respond-50', 'respond-90', 'respond-overdue', 'resolve-50', 'resolve-90', 'resolve-overdue',
  'checkin-remind', 'checkin-escalate', 'node-due', 'followup-remind', 'followup-close',
];
function byTime(a: Milestone, b: Milestone): number {
  return a.dueAt - b.dueAt || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind);
}

/** The first overdue alarm strictly after `after`: resolveBy, then every overdueRepeat. */
function overdueAfter(c: Case, policy: DeadlinePolicy, after: number): Milestone {
  const repeat = policy.overdueRepeatMs[c.urgency];
  if (after < c.resolveBy) return { kind: 'resolve-overdue', dueAt: c.resolveBy };
  const k = Math.floor((after - c.resolveBy) / repeat) + 1;
  return { kind: 'resolve-overdue', dueAt: c.resolveBy + k * repeat };
}

/**
 * The next milestone after `after`: an instant (exclusive), or the milestone that just fired — then a
 * milestone due at the same instant but later in the order still comes (a work order whose response
 * and resolution deadlines coincide gets both alarms). When several are already past at `now` (the
 * bot was down), only the latest of them is returned — it fires at once and stands for the ones it
 * covers, so a long outage gives one alarm, not a burst. Null when the case is not open.
 */
export function nextMilestone(c: Case, policy: DeadlinePolicy, after: number | Milestone, now: number): Milestone | null {
  const cursor = typeof after === 'number' ? { dueAt: after, rank: Infinity } : { dueAt: after.dueAt, rank: ORDER.indexOf(after.kind) };
  const isAfter = (m: Milestone) => m.dueAt > cursor.dueAt || (m.dueAt === cursor.dueAt && ORDER.indexOf(m.kind) > cursor.rank);
  if (c.status === 'resolved') {
    const waiting = fixedMilestones(c, policy).filter(isAfter);
    const past = waiting.filter((m) => m.dueAt <= now);
    return past.length > 0 ? past[past.length - 1]! : (waiting[0] ?? null);
  }
  if (!['new', 'claimed', 'contacted', 'reopened'].includes(c.status)) return null;
  const candidates = fixedMilestones(c, policy).filter(isAfter);
  let overdue = overdueAfter(c, policy, cursor.dueAt - 1);
  if (!isAfter(overdue)) overdue = overdueAfter(c, policy, cursor.dueAt);
  candidates.push(overdue);
  const pastOverdue = overdueAfter(c, policy, Math.max(cursor.dueAt, now) - policy.overdueRepeatMs[c.urgency]);
  if (isAfter(pastOverdue) && pastOverdue.dueAt <= now) candidates.push(pastOverdue);
  candidates.sort(byTime);
  const past = candidates.filter((m) => m.dueAt <= now);
  if (past.length > 0) return past[past.length - 1]!;
  return candidates[0] ?? null;
}
