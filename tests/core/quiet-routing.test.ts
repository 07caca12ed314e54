import { describe, expect, it } from 'vitest';
import { decideDue, decideIntakeEffects, QUIET_PREFIX, type DueContext } from '../../core/decide';
import type { Case, MilestoneKind, SendEffect } from '../../core/types';
import { caseIn, HOUR, LEADERS, makeCase, MIN, systemContext, T0 } from './make-case';

/** Quiet hours: reminders and unclaimed notices go to the on-duty person in consult; the overdue alarm still to the owner and the leaders. */

const ON_DUTY = [{ id: 'u-lilei', name: '李雷' }];
/** 23:30 Beijing time on T0's day. */
const NIGHT = T0 + 14 * HOUR + 30 * MIN;

const ctxAt = (now: number, quiet: boolean, onDuty = ON_DUTY): DueContext => ({ ...systemContext(now), quiet, onDuty });

type Route = [group: string, mentions: string[]];
const routes = (effects: readonly { type: string }[]): Route[] =>
  (effects.filter((e) => e.type === 'send') as SendEffect[]).map((e) => [e.group, e.mentions.map((p) => p.name)]);

function dueCase(kind: MilestoneKind, status: Case['status'], now: number): Case {
  const extra: Partial<Case> = kind === 'node-due' ? { nodes: [{ no: 1, due: now, text: '清理完毕', doneAt: null, askedAt: null }] } : {};
  return caseIn(status, { ...extra, nextDueKind: kind, nextDueAt: now });
}

const table: { kind: MilestoneKind; status: Case['status']; day: Route[]; night: Route[] }[] = [
  { kind: 'unclaimed-remind', status: 'new', day: [['zhangyi', []]], night: [['consult', ['李雷']]] },
  { kind: 'unclaimed-escalate', status: 'new', day: [['consult', ['汪书记']]], night: [['consult', ['李雷']]] },
  { kind: 'respond-50', status: 'claimed', day: [['zhangyi', ['王芳']]], night: [['consult', ['李雷']]] },
  { kind: 'respond-90', status: 'claimed', day: [['zhangyi', ['王芳']]], night: [['consult', ['李雷']]] },
  { kind: 'resolve-50', status: 'contacted', day: [['zhangyi', ['王芳']]], night: [['consult', ['李雷']]] },
  { kind: 'resolve-90', status: 'contacted', day: [['zhangyi', ['王芳']]], night: [['consult', ['李雷']]] },
  { kind: 'node-due', status: 'contacted', day: [['zhangyi', ['王芳']], ['consult', []]], night: [['consult', ['李雷']], ['consult', []]] },
  { kind: 'respond-overdue', status: 'claimed', day: [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]], night: [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]] },
  { kind: 'resolve-overdue', status: 'contacted', day: [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]], night: [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]] },
];

describe('decideDue in and out of quiet hours', () => {
  it.each(table)('$kind: by day to $day', ({ kind, status, day }) => {
    const now = T0 + 2 * HOUR;
    const d = decideDue(dueCase(kind, status, now), { kind, dueAt: now }, ctxAt(now, false));
    expect(d && d.ok && routes(d.effects)).toEqual(day);
  });

  it.each(table)('$kind: at night to $night', ({ kind, status, night }) => {
    const d = decideDue(dueCase(kind, status, NIGHT), { kind, dueAt: NIGHT }, ctxAt(NIGHT, true));
    expect(d && d.ok && routes(d.effects)).toEqual(night);
  });

  it('a reminder passed to the on-duty person says so and keeps the case text', () => {
    const d = decideDue(dueCase('respond-90', 'claimed', NIGHT), { kind: 'respond-90', dueAt: NIGHT }, ctxAt(NIGHT, true));
    const text = d && d.ok ? (d.effects[0] as SendEffect).text : '';
    expect(text.startsWith(QUIET_PREFIX)).toBe(true);
    expect(text).toContain('#12');
  });

  it('quiet hours with nobody on duty: as by day (the owner is still reminded)', () => {
    const d = decideDue(dueCase('respond-90', 'claimed', NIGHT), { kind: 'respond-90', dueAt: NIGHT }, ctxAt(NIGHT, true, []));
    expect(d && d.ok && routes(d.effects)).toEqual([['zhangyi', ['王芳']]]);
  });

  it('someone on duty by day changes nothing', () => {
    const now = T0 + 2 * HOUR;
    const d = decideDue(dueCase('unclaimed-remind', 'new', now), { kind: 'unclaimed-remind', dueAt: now }, ctxAt(now, false));
    expect(d && d.ok && routes(d.effects)).toEqual([['zhangyi', []]]);
  });
});

describe('urgent intake @ the on-duty person at any hour', () => {
  it.each([
    ['by day', T0],
    ['at night', NIGHT],
  ])('%s', (_, now) => {
    const c = makeCase({ urgency: 'urgent', reportedAt: now, postedAt: now, respondBy: now + 30 * MIN, resolveBy: now + 2 * HOUR });
    const { effects } = decideIntakeEffects(c, { ...ctxAt(now, now === NIGHT), leaders: LEADERS });
    expect(routes(effects)).toEqual([['zhangyi', []], ['consult', ['李雷', '汪书记']]]);
  });

  it('an ordinary intake @ nobody', () => {
    const { effects } = decideIntakeEffects(makeCase(), ctxAt(NIGHT, true));
    expect(routes(effects)).toEqual([['zhangyi', []]]);
  });

  it('without a roster the urgent card @ the leaders only (as before)', () => {
    const c = makeCase({ urgency: 'urgent' });
    const { effects } = decideIntakeEffects(c, systemContext(T0));
    expect(routes(effects)).toEqual([['zhangyi', []], ['consult', ['汪书记']]]);
  });
});
