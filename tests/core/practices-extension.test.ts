import { describe, expect, it } from 'vitest';
import type { Case, CaseStatus, Extension } from '../../core/types';
import { ACTORS, caseIn, DAY, T0, type ActorKey } from './make-case';
import { act, after, expectOk, expectRefused, groupsOf, NOW, sends } from './practice-run';

/** 延期 / 批准 / 驳回 (core/practices/extension.ts). */

const requested = (days = 3, overrides: Partial<Extension> = {}): Extension => ({
  days, reason: '管线需协调', status: 'requested', requestedAt: NOW - DAY, requestedBy: '王芳', decidedAt: null, decidedBy: null, newResolveBy: null, ...overrides,
});
const approved = (days: number): Extension => requested(days, { status: 'approved', decidedAt: NOW - DAY, decidedBy: '汪书记', newResolveBy: T0 + 10 * DAY });

describe('延期: who may ask, in which state', () => {
  const allowed: [CaseStatus, ActorKey][] = [
    ['claimed', 'owner'], ['contacted', 'owner'], ['reopened', 'owner'], ['contacted', 'leader'], ['contacted', 'dispatcher'],
  ];
  it.each(allowed)('%s case: %s asks → consult hears it with the leaders @-ed, ledger row, nothing else changes', (status, who) => {
    const c = caseIn(status);
    const d = expectOk(act(c, '延期 12 3天 管线需协调', who));
    expect(after(c, d).status).toBe(status);
    expect(after(c, d).resolveBy).toBe(c.resolveBy);
    expect(d.patch.extensions).toEqual([{ days: 3, reason: '管线需协调', status: 'requested', requestedAt: NOW, requestedBy: ACTORS[who].name, decidedAt: null, decidedBy: null, newResolveBy: null }]);
    expect(d.events).toMatchObject([{ kind: 'extension-requested', text: '3天：管线需协调', actorName: ACTORS[who].name }]);
    const consult = sends(d.effects).find((e) => e.group === 'consult')!;
    expect(consult.text).toContain('批准 12');
    expect(consult.mentions.map((p) => p.name)).toEqual(['汪书记']);
    expect(groupsOf(d)).toContain('zhangyi');
  });

  it('the Latin form: /extend 12 2d reason', () => {
    const d = expectOk(act(caseIn('contacted'), '/extend 12 2d waiting for parts', 'owner'));
    expect(d.patch.extensions![0]).toMatchObject({ days: 2, reason: 'waiting for parts' });
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['a member who is not the owner', caseIn('contacted'), '延期 12 3天 原因', 'member', /只有负责人、领导或调度可以「延期」。格式：延期 12 3天 原因/],
    ['a department', caseIn('contacted'), '延期 12 3天 原因', 'department', /只有负责人/],
    ['a bot admin (no case authority)', caseIn('contacted'), '延期 12 3天 原因', 'admin', /王芳 负责/],
    ['an unclaimed case', caseIn('new'), '延期 12 3天 原因', 'leader', /还没人认领，请先「认领 12」/],
    ['a resolved case', caseIn('resolved'), '延期 12 3天 原因', 'owner', /已办结/],
    ['a closed case', caseIn('closed'), '延期 12 3天 原因', 'owner', /已关闭/],
    ['a returned case', caseIn('returned'), '延期 12 3天 原因', 'leader', /已退单/],
    ['no day count', caseIn('contacted'), '延期 12 原因', 'owner', /请写延期天数，格式：延期 12 3天 原因/],
    ['zero days', caseIn('contacted'), '延期 12 0天 原因', 'owner', /请写延期天数/],
    ['no reason', caseIn('contacted'), '延期 12 3天', 'owner', /请写延期原因，格式：延期 12 3天 原因/],
    ['a request already pending', caseIn('contacted', { extensions: [requested()] }), '延期 12 2天 再要', 'owner', /已有一个延期申请在等领导「批准 12」或「驳回 12 原因」/],
    ['extensions.max (1) used', caseIn('contacted', { extensions: [approved(3)] }), '延期 12 2天 再要', 'owner', /已延期 1 次，最多 1 次/],
    ['more than extensions.maxDays (15)', caseIn('contacted'), '延期 12 16天 工期长', 'owner', /最多还能延期 15 天（合计不超过 15 天），格式：延期 12 15天 原因/],
  ];
  it.each(refused)('refused: %s', (_what, c, text, who, says) => {
    expect(expectRefused(act(c, text, who))).toMatch(says);
  });

  it('maxDays counts what was approved before (max 3 extensions, 15 days: 10 used → 5 left)', () => {
    const c = caseIn('contacted', { extensions: [approved(10)] });
    const practice = { extensionsMax: 3, extensionsMaxDays: 15 };
    expect(expectRefused(act(c, '延期 12 6天 还要', 'owner', { extra: { practice } }))).toMatch(/最多还能延期 5 天/);
    expectOk(act(c, '延期 12 5天 还要', 'owner', { extra: { practice } }));
    const full = caseIn('contacted', { extensions: [approved(10), approved(5)] });
    expect(expectRefused(act(full, '延期 12 1天 还要', 'owner', { extra: { practice } }))).toMatch(/已延期合计 15 天，到了 15 天上限/);
  });

  it('a rejected request does not count against extensions.max', () => {
    const c = caseIn('contacted', { extensions: [requested(3, { status: 'rejected' })] });
    expectOk(act(c, '延期 12 3天 再申请', 'owner'));
  });
});

describe('批准 / 驳回', () => {
  it('批准 moves the resolution deadline, keeps the ledger, tells the group, consult and the public side', () => {
    const c = caseIn('contacted', { extensions: [requested(3)] });
    const d = expectOk(act(c, '批准 12', 'leader', { group: 'consult' }));
    const a = after(c, d);
    expect(a.resolveBy).toBe(c.resolveBy + 3 * DAY);
    expect(a.extensions[0]).toMatchObject({ status: 'approved', decidedBy: '汪书记', decidedAt: NOW, newResolveBy: c.resolveBy + 3 * DAY });
    expect(d.events).toMatchObject([{ kind: 'extension-approved', actorName: '汪书记' }]);
    expect(groupsOf(d).sort()).toEqual(['consult', 'zhangyi']);
    expect(sends(d.effects).find((e) => e.group === 'zhangyi')!.mentions.map((p) => p.name)).toEqual(['王芳']);
    const pub = d.effects.find((e) => e.type === 'publish')!;
    expect(pub.text).toContain('12-09');
    expect(pub.text).not.toContain('管线需协调');
    // Reminders follow the new deadline.
    expect(a.nextDueAt).not.toBeNull();
  });

  it('驳回 tells the owner in the case group; the deadline stays', () => {
    const c = caseIn('contacted', { extensions: [requested(3)] });
    const d = expectOk(act(c, '驳回 12 先把现场处理完', 'leader', { group: 'consult' }));
    expect(after(c, d).resolveBy).toBe(c.resolveBy);
    expect(after(c, d).extensions[0]).toMatchObject({ status: 'rejected', decidedBy: '汪书记' });
    expect(d.events).toMatchObject([{ kind: 'extension-rejected', text: '先把现场处理完' }]);
    const toGroup = sends(d.effects).find((e) => e.group === 'zhangyi')!;
    expect(toGroup.text).toContain('先把现场处理完');
    expect(toGroup.mentions.map((p) => p.name)).toEqual(['王芳']);
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['批准 by the dispatcher', caseIn('contacted', { extensions: [requested()] }), '批准 12', 'dispatcher', /只有领导可以「批准」。格式：批准 12/],
    ['批准 by the owner', caseIn('contacted', { extensions: [requested()] }), '批准 12', 'owner', /只有领导可以「批准」/],
    ['驳回 by the owner', caseIn('contacted', { extensions: [requested()] }), '驳回 12 不行', 'owner', /只有领导可以「驳回」。格式：驳回 12 原因/],
    ['批准 with nothing pending', caseIn('contacted'), '批准 12', 'leader', /没有待批的延期申请（负责人先「延期 12 3天 原因」）/],
    ['批准 of an already decided request', caseIn('contacted', { extensions: [approved(3)] }), '批准 12', 'leader', /没有待批的延期申请/],
    ['驳回 with nothing pending', caseIn('contacted'), '驳回 12 不行', 'leader', /没有待批的延期申请/],
    ['批准 once the case is resolved', caseIn('resolved', { extensions: [requested()] }), '批准 12', 'leader', /已办结/],
    ['批准 with extra words', caseIn('contacted', { extensions: [requested()] }), '批准 12 好的', 'leader', /格式：批准 12/],
  ];
  it.each(refused)('refused: %s', (_what, c, text, who, says) => {
    expect(expectRefused(act(c, text, who))).toMatch(says);
  });
});
