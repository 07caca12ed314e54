import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextMilestone } from '../../core/milestones';
import { DEFAULT_POLICY, type DeadlinePolicy } from '../../core/street-config';
import { URGENCIES, type Case, type CaseStatus, type Milestone, type MilestoneKind, type Urgency } from '../../core/types';
import { ACTORS, DAY, HOUR, makeCase, MIN, T0 } from './make-case';

/** A case of the given class and state, with deadlines from the policy. */
function caseOf(urgency: Urgency, status: CaseStatus, policy: DeadlinePolicy = DEFAULT_POLICY, extra: Partial<Case> = {}): Case {
  const w = policy.windows[urgency];
  const owned = status === 'new' || status === 'returned' ? {} : { ownerId: ACTORS.owner.id, ownerName: '王芳', claimedAt: T0 + MIN };
  const contacted = status === 'contacted' || status === 'reopened' || status === 'resolved' || status === 'closed' ? { contactedAt: T0 + 2 * MIN } : {};
  return makeCase({ urgency, status, respondBy: T0 + w.respondMs, resolveBy: T0 + w.resolveMs, ...owned, ...contacted, ...extra });
}

/** The milestones one after another, each asked for at the instant the previous one fell due. */
function sequence(c: Case, policy: DeadlinePolicy, count: number): Milestone[] {
  const out: Milestone[] = [];
  let at = c.postedAt;
  for (let i = 0; i < count; i++) {
    const m = nextMilestone(c, policy, at, at);
    if (!m) break;
    out.push(m);
    at = m.dueAt;
  }
  return out;
}

/** What SPEC "Deadlines" says the sequence is, for a class and state, with `repeats` overdue repeats. */
function expected(urgency: Urgency, status: 'new' | 'claimed' | 'contacted' | 'reopened', policy: DeadlinePolicy, repeats: number): Milestone[] {
  const { respondMs, resolveMs } = policy.windows[urgency];
  const u = policy.unclaimedMs[urgency];
  const every = policy.overdueRepeatMs[urgency];
  const at = (kind: MilestoneKind, ms: number): Milestone => ({ kind, dueAt: T0 + Math.round(ms) });
  const overdue = [at('resolve-overdue', resolveMs), ...Array.from({ length: repeats }, (_, i) => at('resolve-overdue', resolveMs + (i + 1) * every))];
  const resolveReminders = [at('resolve-50', resolveMs * 0.5), at('resolve-90', resolveMs * 0.9)];
  switch (status) {
    case 'new':
      return [at('unclaimed-remind', u), at('unclaimed-escalate', 2 * u), at('respond-overdue', respondMs), ...overdue];
    case 'claimed':
      return [at('respond-50', respondMs * 0.5), at('respond-90', respondMs * 0.9), at('respond-overdue', respondMs), ...resolveReminders, ...overdue];
    case 'contacted':
    case 'reopened':
      return [...resolveReminders, ...overdue];
  }
}

const CUSTOM: DeadlinePolicy = {
  windows: {
    urgent: { respondMs: 20 * MIN, resolveMs: 3 * HOUR },
    utility: { respondMs: HOUR, resolveMs: 12 * HOUR },
    ordinary: { respondMs: 12 * HOUR, resolveMs: 5 * DAY },
    complex: { respondMs: 2 * DAY, resolveMs: 30 * DAY },
    consult: { respondMs: 8 * HOUR, resolveMs: 3 * DAY },
  },
  unclaimedMs: { urgent: 2 * MIN, utility: 3 * MIN, ordinary: 15 * MIN, complex: 30 * MIN, consult: 20 * MIN },
  overdueRepeatMs: { urgent: 30 * MIN, utility: 2 * HOUR, ordinary: 8 * HOUR, complex: DAY, consult: 6 * HOUR },
  checkInMs: 30 * MIN,
  followUpCloseMs: 10 * DAY,
};

describe('nextMilestone: the sequence of an open case', () => {
  const rows: [string, Urgency, 'new' | 'claimed' | 'contacted' | 'reopened', DeadlinePolicy][] = [];
  for (const [policyName, policy] of [['default', DEFAULT_POLICY], ['custom', CUSTOM]] as const) {
    for (const urgency of URGENCIES) {
      for (const status of ['new', 'claimed', 'contacted', 'reopened'] as const) rows.push([policyName, urgency, status, policy]);
    }
  }

  it.each(rows)('%s policy, %s, %s', (_name, urgency, status, policy) => {
    const want = expected(urgency, status, policy, 3);
    expect(sequence(caseOf(urgency, status, policy), policy, want.length)).toEqual(want);
  });

  it('ordinary new case, spelled out', () => {
    expect(sequence(caseOf('ordinary', 'new'), DEFAULT_POLICY, 6)).toEqual([
      { kind: 'unclaimed-remind', dueAt: T0 + 10 * MIN },
      { kind: 'unclaimed-escalate', dueAt: T0 + 20 * MIN },
      { kind: 'respond-overdue', dueAt: T0 + DAY },
      { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY },
      { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 4 * HOUR },
      { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 8 * HOUR },
    ]);
  });

  it('urgent claimed case, spelled out', () => {
    expect(sequence(caseOf('urgent', 'claimed'), DEFAULT_POLICY, 8).map((m) => [m.kind, (m.dueAt - T0) / MIN])).toEqual([
      ['respond-50', 15],
      ['respond-90', 27],
      ['respond-overdue', 30],
      ['resolve-50', 60],
      ['resolve-90', 108],
      ['resolve-overdue', 120],
      ['resolve-overdue', 180],
      ['resolve-overdue', 240],
    ]);
  });

  it('the unclaimed window counts from posting, deadlines from reporting (an imported old case)', () => {
    const c = caseOf('ordinary', 'new', DEFAULT_POLICY, { postedAt: T0 + 3 * HOUR });
    expect(sequence(c, DEFAULT_POLICY, 3)).toEqual([
      { kind: 'unclaimed-remind', dueAt: T0 + 3 * HOUR + 10 * MIN },
      { kind: 'unclaimed-escalate', dueAt: T0 + 3 * HOUR + 20 * MIN },
      { kind: 'respond-overdue', dueAt: T0 + DAY },
    ]);
  });

  it('a work-order resolveBy earlier than the policy moves the resolution milestones', () => {
    const c = caseOf('ordinary', 'contacted', DEFAULT_POLICY, { resolveBy: T0 + 2 * DAY });
    expect(sequence(c, DEFAULT_POLICY, 3)).toEqual([
      { kind: 'resolve-50', dueAt: T0 + DAY },
      { kind: 'resolve-90', dueAt: T0 + Math.round(1.8 * DAY) },
      { kind: 'resolve-overdue', dueAt: T0 + 2 * DAY },
    ]);
  });

  it('times strictly increase and nothing is scheduled twice', () => {
    for (const urgency of URGENCIES) {
      for (const status of ['new', 'claimed', 'contacted', 'reopened'] as const) {
        const seq = sequence(caseOf(urgency, status), DEFAULT_POLICY, 20);
        expect(seq).toHaveLength(20);
        for (let i = 1; i < seq.length; i++) expect(seq[i]!.dueAt).toBeGreaterThan(seq[i - 1]!.dueAt);
      }
    }
  });
});

describe('nextMilestone: closed states have none', () => {
  it.each<CaseStatus>(['resolved', 'closed', 'returned'])('%s → null', (status) => {
    for (const urgency of URGENCIES) {
      const c = caseOf(urgency, status);
      expect(nextMilestone(c, DEFAULT_POLICY, T0, T0)).toBeNull();
      expect(nextMilestone(c, DEFAULT_POLICY, T0 + 30 * DAY, T0 + 30 * DAY)).toBeNull();
    }
  });
});

describe('nextMilestone: the bot was down', () => {
  /** [case, after (last fired), now, the one milestone returned] */
  const rows: [string, Case, number, number, Milestone][] = [
    ['new, down past remind and escalate', caseOf('ordinary', 'new'), T0, T0 + 30 * MIN, { kind: 'unclaimed-escalate', dueAt: T0 + 20 * MIN }],
    ['new, down for three days', caseOf('ordinary', 'new'), T0, T0 + 3 * DAY, { kind: 'respond-overdue', dueAt: T0 + DAY }],
    ['new, down past the resolution deadline', caseOf('ordinary', 'new'), T0 + 10 * MIN, T0 + 7 * DAY + HOUR, { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY }],
    ['claimed, down past both response reminders and the deadline', caseOf('ordinary', 'claimed'), T0 + MIN, T0 + 2 * DAY, { kind: 'respond-overdue', dueAt: T0 + DAY }],
    ['claimed, down past resolve-90', caseOf('ordinary', 'claimed'), T0 + MIN, T0 + 6.5 * DAY, { kind: 'resolve-90', dueAt: T0 + Math.round(6.3 * DAY) }],
    ['contacted, down past two overdue repeats: the latest repeat', caseOf('ordinary', 'contacted'), T0 + 3.5 * DAY, T0 + 7 * DAY + 9 * HOUR, { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 8 * HOUR }],
    ['contacted, down for a month: the latest repeat', caseOf('ordinary', 'contacted'), T0 + 7 * DAY, T0 + 37 * DAY + 2 * HOUR, { kind: 'resolve-overdue', dueAt: T0 + 37 * DAY }],
    ['urgent, down over many hourly repeats', caseOf('urgent', 'contacted'), T0 + 2 * HOUR, T0 + 10 * HOUR + 59 * MIN, { kind: 'resolve-overdue', dueAt: T0 + 10 * HOUR }],
    ['now exactly on a repeat', caseOf('ordinary', 'contacted'), T0 + 7 * DAY, T0 + 7 * DAY + 12 * HOUR, { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 12 * HOUR }],
    ['now exactly on a fixed milestone', caseOf('ordinary', 'new'), T0, T0 + 20 * MIN, { kind: 'unclaimed-escalate', dueAt: T0 + 20 * MIN }],
  ];

  it.each(rows)('%s', (_label, c, after, now, want) => {
    const m = nextMilestone(c, DEFAULT_POLICY, after, now);
    expect(m).toEqual(want);
    // It is past: it fires at once, and after it the next is in the future — one alarm, not a burst.
    expect(m!.dueAt).toBeLessThanOrEqual(now);
    const following = nextMilestone(c, DEFAULT_POLICY, m!.dueAt, now);
    expect(following).not.toBeNull();
    expect(following!.dueAt).toBeGreaterThan(now);
  });

  it('when nothing is past, the earliest future one', () => {
    expect(nextMilestone(caseOf('ordinary', 'claimed'), DEFAULT_POLICY, T0 + MIN, T0 + 2 * HOUR)).toEqual({ kind: 'respond-50', dueAt: T0 + 12 * HOUR });
  });
});

describe('nextMilestone: property', () => {
  const open: CaseStatus[] = ['new', 'claimed', 'contacted', 'reopened'];
  it('the result is after `after`, fits the state, and a past result is the latest past one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...URGENCIES),
        fc.constantFrom(...open),
        fc.integer({ min: 0, max: 40 * DAY }),
        fc.integer({ min: 0, max: 40 * DAY }),
        (urgency, status, a, b) => {
          const c = caseOf(urgency, status);
          const after = T0 + Math.min(a, b);
          const now = T0 + Math.max(a, b);
          const m = nextMilestone(c, DEFAULT_POLICY, after, now);
          expect(m).not.toBeNull();
          expect(m!.dueAt).toBeGreaterThan(after);
          if (status !== 'new') expect(m!.kind).not.toMatch(/^unclaimed-/);
          if (status === 'new') expect(m!.kind).not.toMatch(/^(respond|resolve)-(50|90)$/);
          if (status === 'contacted' || status === 'reopened') expect(m!.kind).not.toMatch(/^respond-/);
          if (m!.dueAt <= now) {
            // Nothing due later than it is also past: stepping from it, the next is in the future.
            expect(nextMilestone(c, DEFAULT_POLICY, m!.dueAt, now)!.dueAt).toBeGreaterThan(now);
          }
        },
      ),
      { numRuns: 2000, seed: 12345 },
    );
  });
});

describe('nextMilestone: milestones due at the same instant', () => {
  it('a work order whose response and resolution deadlines coincide gets both alarms, in order', () => {
    const at = T0 + 2 * HOUR;
    const c = makeCase({ status: 'new', respondBy: at, resolveBy: at });
    const first = nextMilestone(c, DEFAULT_POLICY, at - HOUR, at - HOUR);
    expect(first).toEqual({ kind: 'respond-overdue', dueAt: at });
    expect(nextMilestone(c, DEFAULT_POLICY, first!, at)).toEqual({ kind: 'resolve-overdue', dueAt: at });
    const third = nextMilestone(c, DEFAULT_POLICY, { kind: 'resolve-overdue', dueAt: at }, at);
    expect(third).toEqual({ kind: 'resolve-overdue', dueAt: at + DEFAULT_POLICY.overdueRepeatMs.ordinary });
  });
});
