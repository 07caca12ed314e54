import { describe, expect, it } from 'vitest';
import type { Case, CaseStatus, Person } from '../../core/types';
import { caseIn, LEADERS, type ActorKey } from './make-case';
import { act, after, expectOk, expectRefused, groupsOf, NOW, sends } from './practice-run';

/** 退单 / 改派 / 退回12345 / 转派 / 协办 (core/practices/routing-practice.ts). */

const ZHAO: Person = { id: 'u-zhaolei', name: '赵磊' };
const SUN: Person = { id: 'u-sun', name: '孙强' };
const OWNER: Person = { id: 'u-wangfang', name: '王芳' };

describe('退单', () => {
  const allowed: [CaseStatus, ActorKey, string][] = [
    ['claimed', 'owner', 'zhangyi'], ['contacted', 'owner', 'zhangyi'], ['reopened', 'owner', 'zhangyi'],
    // Any member of the case's own group may send a wrongly dispatched card back, claimed or not.
    ['new', 'member', 'zhangyi'], ['claimed', 'member', 'zhangyi'], ['new', 'dispatcher', 'consult'],
  ];
  it.each(allowed)('%s case: %s in %s → returned, owner dropped, consult told with the reason, no more milestones', (status, who, group) => {
    const c = caseIn(status);
    const d = expectOk(act(c, '退单 12 不属于本社区', who, { group }));
    const a = after(c, d);
    expect(a).toMatchObject({ status: 'returned', ownerId: null, ownerName: null, returnCount: 1, nextDueKind: null, nextDueAt: null });
    expect(d.events).toMatchObject([{ kind: 'returned', fromStatus: status, toStatus: 'returned', text: '不属于本社区' }]);
    const consult = sends(d.effects).find((e) => e.group === 'consult')!;
    expect(consult.text).toContain('不属于本社区');
    expect(consult.text).toContain('改派 12');
    expect(consult.mentions).toEqual([]);
  });

  it('a case returned a second time is flagged to the leaders', () => {
    const c = caseIn('new', { returnCount: 1, group: 'jiari' });
    const d = expectOk(act(c, '退单 12 也不是我们的', 'member', { group: 'jiari' }));
    expect(after(c, d).returnCount).toBe(2);
    const consult = sends(d.effects).find((e) => e.group === 'consult')!;
    expect(consult.text).toContain('已被退单 2 次，请领导关注');
    expect(consult.mentions).toEqual(LEADERS);
  });

  const refused: [string, Case, string, ActorKey, string, RegExp][] = [
    ['someone of another group, not the owner', caseIn('claimed'), '退单 12 不是我们的', 'member', 'jiari', /只有负责人或本群成员可以「退单」。格式：退单 12 原因/],
    ['no reason', caseIn('claimed'), '退单 12', 'owner', 'zhangyi', /请写退单原因，格式：退单 12 原因/],
    ['an already returned case', caseIn('returned'), '退单 12 再退', 'member', 'zhangyi', /当前「已退单」，不能退单/],
    ['a resolved case', caseIn('resolved'), '退单 12 晚了', 'owner', 'zhangyi', /当前「已办结」，不能退单/],
    ['a closed case', caseIn('closed'), '退单 12 晚了', 'owner', 'zhangyi', /当前「已关闭」/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, group, says) => {
    expect(expectRefused(act(c, text, who, { group }))).toMatch(says);
  });
});

describe('改派', () => {
  it.each<[string, ActorKey]>([['dispatcher', 'dispatcher'], ['leader', 'leader']])('a returned case re-posted by the %s: card in the new group, a fresh claim window, the old group told', (_w, who) => {
    const c = caseIn('returned', { returnCount: 1 });
    const d = expectOk(act(c, '改派 12 假日风景', who, { group: 'consult' }));
    const a = after(c, d);
    expect(a).toMatchObject({ group: 'jiari', status: 'new', ownerId: null, postedAt: NOW, nextDueKind: 'unclaimed-remind' });
    expect(d.events).toMatchObject([{ kind: 'rerouted', fromStatus: 'returned', toStatus: 'new', text: 'zhangyi → jiari' }]);
    const card = sends(d.effects).find((e) => e.group === 'jiari')!;
    expect(card.kind).toBe('card');
    expect(sends(d.effects).find((e) => e.group === 'zhangyi')!.text).toContain('改派到「假日风景社区」');
    expect(groupsOf(d)).toContain('consult');
  });

  it('by key, by full name, to the street group; a claimed case loses its owner', () => {
    expect(after(caseIn('returned'), expectOk(act(caseIn('returned'), '改派 12 yueyuan', 'dispatcher', { group: 'consult' }))).group).toBe('yueyuan');
    expect(after(caseIn('returned'), expectOk(act(caseIn('returned'), '改派 12 西丰社区', 'dispatcher', { group: 'consult' }))).group).toBe('xifeng');
    const c = caseIn('claimed');
    const a = after(c, expectOk(act(c, '/route 12 街道', 'leader', { group: 'consult' })));
    expect(a).toMatchObject({ group: 'street', status: 'new', ownerId: null, claimedAt: null });
  });

  it('back to its own group after a return (the return was a mistake)', () => {
    const c = caseIn('returned');
    expect(after(c, expectOk(act(c, '改派 12 张仪村', 'dispatcher', { group: 'consult' }))).group).toBe('zhangyi');
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['by a member', caseIn('returned'), '改派 12 假日风景', 'member', /只有领导或调度员可以「改派」。格式：改派 12 社区名/],
    ['by the owner', caseIn('claimed'), '改派 12 假日风景', 'owner', /只有领导或调度员可以「改派」/],
    ['to an unknown group', caseIn('returned'), '改派 12 看丹社区', 'dispatcher', /没有「看丹社区」这个群（可选：.*张仪村社区.*），格式：改派 12 看丹社区/],
    ['with no group', caseIn('returned'), '改派 12', 'dispatcher', /请写一个群.*格式：改派 12 看丹社区/],
    ['with two words', caseIn('returned'), '改派 12 假日 风景', 'dispatcher', /请写一个群/],
    ['to the group it is already in', caseIn('claimed'), '改派 12 张仪村', 'dispatcher', /已在「张仪村社区」，请写另一个群/],
    ['a resolved case', caseIn('resolved'), '改派 12 假日风景', 'dispatcher', /当前「已办结」，不能改派/],
    ['a closed case', caseIn('closed'), '改派 12 假日风景', 'leader', /当前「已关闭」，不能改派/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult' }))).toMatch(says);
  });
});

describe('退回12345', () => {
  it('a returned case ends as closed with the reason in the ledger', () => {
    const c = caseIn('returned');
    const d = expectOk(act(c, '退回12345 12 非本街道辖区', 'dispatcher', { group: 'consult' }));
    expect(after(c, d)).toMatchObject({ status: 'closed', closedAt: NOW, nextDueKind: null });
    expect(d.events).toMatchObject([{ kind: 'returned-to-hotline', fromStatus: 'returned', toStatus: 'closed', text: '非本街道辖区' }]);
    expect(sends(d.effects).map((e) => e.text).join()).toContain('非本街道辖区');
  });

  it('/tohotline by a leader', () => {
    expectOk(act(caseIn('returned'), '/tohotline 12 not ours', 'leader', { group: 'consult' }));
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['by a member', caseIn('returned'), '退回12345 12 不归我们', 'member', /只有领导或调度员可以「退回12345」。格式：退回12345 12 原因/],
    ['a case that was not returned', caseIn('claimed'), '退回12345 12 不归我们', 'dispatcher', /只有已退单的案件能退回12345（先「退单 12 原因」）/],
    ['a new case', caseIn('new'), '退回12345 12 不归我们', 'leader', /当前「待认领」/],
    ['no reason', caseIn('returned'), '退回12345 12', 'dispatcher', /请写原因，格式：退回12345 12 原因/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult' }))).toMatch(says);
  });
});

describe('转派', () => {
  it('a claimed case changes owner; both are told and @-ed', () => {
    const c = caseIn('contacted');
    const d = expectOk(act(c, '转派 12 @赵磊', 'leader', { group: 'consult', mentions: [ZHAO] }));
    expect(after(c, d)).toMatchObject({ ownerId: ZHAO.id, ownerName: '赵磊', status: 'contacted' });
    expect(d.events).toMatchObject([{ kind: 'assigned', text: '王芳 → 赵磊', fromStatus: 'contacted', toStatus: 'contacted' }]);
    const toGroup = sends(d.effects).find((e) => e.group === 'zhangyi')!;
    expect(toGroup.mentions).toEqual([ZHAO, OWNER]);
    expect(toGroup.text).toContain('由 王芳 改为 赵磊');
  });

  it('an unclaimed case assigned by the dispatcher becomes claimed by that person', () => {
    const c = caseIn('new');
    const d = expectOk(act(c, '/assign 12 @赵磊', 'dispatcher', { group: 'consult', mentions: [ZHAO] }));
    expect(after(c, d)).toMatchObject({ status: 'claimed', ownerId: ZHAO.id, claimedAt: NOW, nextDueKind: 'respond-50' });
    expect(d.events[0]).toMatchObject({ fromStatus: 'new', toStatus: 'claimed' });
  });

  const refused: [string, Case, string, ActorKey, Person[], RegExp][] = [
    ['without @', caseIn('claimed'), '转派 12', 'leader', [], /请 @ 新的负责人，格式：转派 12 @某人/],
    ['@ a name nobody resolves (no mention)', caseIn('claimed'), '转派 12 赵磊', 'dispatcher', [], /请 @ 新的负责人/],
    ['by the owner', caseIn('claimed'), '转派 12 @赵磊', 'owner', [ZHAO], /只有领导或调度员可以「转派」。格式：转派 12 @某人/],
    ['by a member', caseIn('claimed'), '转派 12 @赵磊', 'member', [ZHAO], /只有领导或调度员/],
    ['to the owner already', caseIn('claimed'), '转派 12 @王芳', 'leader', [OWNER], /负责人已是 王芳，请 @ 另一个人/],
    ['a resolved case', caseIn('resolved'), '转派 12 @赵磊', 'leader', [ZHAO], /当前「已办结」，不能转派/],
    ['a returned case', caseIn('returned'), '转派 12 @赵磊', 'leader', [ZHAO], /当前「已退单」，不能转派/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, mentions, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult', mentions }))).toMatch(says);
  });
});

describe('协办', () => {
  it('adds co-handlers, @-ing them; they may then add notes', () => {
    const c = caseIn('claimed');
    const d = expectOk(act(c, '协办 12 @赵磊 @孙强', 'dispatcher', { group: 'consult', mentions: [ZHAO, SUN] }));
    const a = after(c, d);
    expect(a.coHandlers).toEqual([ZHAO, SUN]);
    expect(d.events).toMatchObject([{ kind: 'co-handler-added', text: '赵磊、孙强' }]);
    expect(sends(d.effects).find((e) => e.group === 'zhangyi')!.mentions).toEqual([ZHAO, SUN]);
    expectOk(act(a, '进展 12 已到现场', 'member'));
  });

  it('only the new ones are added when some are there already', () => {
    const c = caseIn('claimed', { coHandlers: [ZHAO] });
    const d = expectOk(act(c, '/cohandle 12 @赵磊 @孙强', 'leader', { group: 'consult', mentions: [ZHAO, SUN] }));
    expect(after(c, d).coHandlers).toEqual([ZHAO, SUN]);
    expect(d.events[0]!.text).toBe('孙强');
  });

  const refused: [string, Case, string, ActorKey, Person[], RegExp][] = [
    ['without @', caseIn('claimed'), '协办 12', 'dispatcher', [], /请 @ 协办人，格式：协办 12 @某人/],
    ['a duplicate co-handler', caseIn('claimed', { coHandlers: [ZHAO] }), '协办 12 @赵磊', 'dispatcher', [ZHAO], /赵磊 已在办理 #12，请 @ 另一个人，格式：协办 12 @某人/],
    ['the owner as co-handler', caseIn('claimed'), '协办 12 @王芳', 'leader', [OWNER], /王芳 已在办理 #12/],
    ['by the owner', caseIn('claimed'), '协办 12 @赵磊', 'owner', [ZHAO], /只有领导或调度员可以「协办」。格式：协办 12 @某人/],
    ['a closed case', caseIn('closed'), '协办 12 @赵磊', 'leader', [ZHAO], /当前「已关闭」，不能加协办/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, mentions, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult', mentions }))).toMatch(says);
  });
});
