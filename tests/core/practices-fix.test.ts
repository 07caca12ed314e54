import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/street-config';
import type { Case, CaseStatus, Extension, Urgency } from '../../core/types';
import { caseIn, DAY, MIN, T0, type ActorKey } from './make-case';
import { act, after, expectOk, expectRefused, groupsOf, NOW, sends } from './practice-run';

/** 调整 (core/practices/fix.ts): category and urgency class; the deadlines follow the class. */

const W = DEFAULT_POLICY.windows;

describe('调整 类别', () => {
  it.each<[string, ActorKey]>([['调整 12 类别 电梯', 'dispatcher'], ['/fix 12 category 电梯', 'leader']])('%s by the %s: category changes, the group is told', (text, who) => {
    const c = caseIn('claimed');
    const d = expectOk(act(c, text, who, { group: 'consult' }));
    expect(after(c, d).category).toBe('电梯');
    expect(after(c, d).resolveBy).toBe(c.resolveBy);
    expect(d.events).toMatchObject([{ kind: 'corrected', text: '类别 路灯照明 → 电梯' }]);
    expect(groupsOf(d).sort()).toEqual(['consult', 'zhangyi']);
  });
});

describe('调整 紧急程度: deadlines follow the class', () => {
  const rows: [string, Urgency][] = [
    ['调整 12 紧急', 'urgent'], ['调整 12 水电气热', 'utility'], ['调整 12 复杂', 'complex'], ['调整 12 咨询', 'consult'],
    ['/fix 12 urgency complex', 'complex'], ['调整 12 紧急程度 紧急', 'urgent'], ['/fix 12 urgent', 'urgent'],
  ];
  it.each(rows)('%s → %s', (text, urgency) => {
    const c = caseIn('claimed');
    const d = expectOk(act(c, text, 'dispatcher', { group: 'consult' }));
    const a = after(c, d);
    expect(a.urgency).toBe(urgency);
    expect(a.resolveBy).toBe(T0 + W[urgency].resolveMs);
    expect(a.respondBy).toBe(T0 + Math.min(W[urgency].respondMs, W[urgency].resolveMs));
    expect(a.urgencyReason).toBeNull();
    expect(d.events).toMatchObject([{ kind: 'corrected', text: `紧急程度 ordinary → ${urgency}` }]);
    expect(sends(d.effects)[0]!.text).toContain('办结时限');
    // The pending milestone is recomputed for the new windows.
    expect(a.nextDueAt).not.toBe(c.nextDueAt);
  });

  it('an approved extension stays granted when the class changes', () => {
    const ext: Extension = { days: 3, reason: '等配件', status: 'approved', requestedAt: T0, requestedBy: '王芳', decidedAt: T0, decidedBy: '汪书记', newResolveBy: T0 + W.ordinary.resolveMs + 3 * DAY };
    const c = caseIn('contacted', { extensions: [ext] });
    const a = after(c, expectOk(act(c, '调整 12 复杂', 'dispatcher', { group: 'consult' })));
    expect(a.resolveBy).toBe(T0 + W.complex.resolveMs + 3 * DAY);
  });

  it("a reopened case's window runs from the 回访 that reopened it", () => {
    const ratedAt = T0 + 3 * DAY;
    const c = caseIn('reopened', { ratedAt, resolveBy: ratedAt + W.ordinary.resolveMs });
    const a = after(c, expectOk(act(c, '调整 12 复杂', 'leader', { group: 'consult' })));
    expect(a.resolveBy).toBe(ratedAt + W.complex.resolveMs);
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['by the owner', caseIn('claimed'), '调整 12 紧急', 'owner', /只有领导或调度员可以「调整」。格式：调整 12 类别 电梯 \/ 调整 12 紧急/],
    ['by a member', caseIn('claimed'), '调整 12 类别 电梯', 'member', /只有领导或调度员可以「调整」/],
    ['the same class', caseIn('claimed'), '调整 12 一般', 'dispatcher', /#12 已是「一般」，要改成别的：调整 12 紧急/],
    ['the same category', caseIn('claimed'), '调整 12 类别 路灯照明', 'dispatcher', /类别已是「路灯照明」，要改成别的：调整 12 类别 新类别/],
    ['an unknown class word', caseIn('claimed'), '调整 12 特急', 'dispatcher', /请写类别或紧急程度（紧急\/水电气热\/一般\/复杂\/咨询），格式：调整 12 类别 电梯/],
    ['类别 without a category', caseIn('claimed'), '调整 12 类别', 'dispatcher', /请写一个类别，格式：调整 12 类别 电梯/],
    ['nothing to change', caseIn('claimed'), '调整 12', 'dispatcher', /请写类别或紧急程度/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult' }))).toMatch(says);
  });

  it.each<CaseStatus>(['resolved', 'closed', 'returned'])('refused on a %s case', (status) => {
    expect(expectRefused(act(caseIn(status), '调整 12 紧急', 'dispatcher', { group: 'consult' }))).toMatch(/不能调整/);
  });

  it('an unclaimed case may be corrected before anyone claims it: its response alarm moves up', () => {
    const c = caseIn('new');
    const a = after(c, expectOk(act(c, '调整 12 紧急', 'dispatcher', { group: 'consult', now: T0 + 10 * MIN })));
    expect(a).toMatchObject({ status: 'new', urgency: 'urgent', respondBy: T0 + 30 * MIN, nextDueKind: 'respond-overdue', nextDueAt: T0 + 30 * MIN });
  });
});
