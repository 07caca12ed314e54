import { describe, expect, it } from 'vitest';
import type { Actor, Case, CaseStatus, TimeNode, WhistleEntry } from '../../core/types';
import { caseIn, DAY, HOUR, MIN, T0, type ActorKey } from './make-case';
import { act, after, expectOk, expectRefused, groupsOf, NOW, sends } from './practice-run';

/** 包案 / 吹哨 / 报到 / 节点 (core/practices/whistle.ts). NOW is 2026-11-29 11:00 Beijing time. */

const WATER: Actor = { id: 'u-water', name: '赵工', role: 'department', department: '区水务局' };
const DRAIN: Actor = { id: 'u-drain', name: '钱师傅', role: 'member' };
const OTHER_LEADER: Actor = { id: 'u-zhang', name: '张主任', role: 'leader' };

const summoned = (department: string, overrides: Partial<WhistleEntry> = {}): WhistleEntry => ({
  department, summonedAt: NOW - 10 * MIN, reportedAt: null, reportedBy: null, remindedAt: null, escalatedAt: null, ...overrides,
});
const nodeOf = (no: number, overrides: Partial<TimeNode> = {}): TimeNode => ({ no, due: NOW + DAY, text: '完成管线排查', doneAt: null, askedAt: null, ...overrides });

describe('包案', () => {
  it.each<CaseStatus>(['new', 'claimed', 'contacted', 'reopened'])('a leader takes a %s case: on the card, in consult, in every alarm', (status) => {
    const c = caseIn(status);
    const d = expectOk(act(c, '包案 12', 'leader', { group: 'consult' }));
    expect(after(c, d)).toMatchObject({ leaderId: 'u-wang', leaderName: '汪书记', status });
    expect(d.events).toMatchObject([{ kind: 'leader-owned', actorName: '汪书记' }]);
    expect(groupsOf(d).sort()).toEqual(['consult', 'zhangyi']);
  });

  it('another leader takes it over; the card names who had it', () => {
    const c = caseIn('claimed', { leaderId: 'u-wang', leaderName: '汪书记' });
    const d = expectOk(act(c, '/own 12', OTHER_LEADER, { group: 'consult' }));
    expect(after(c, d).leaderName).toBe('张主任');
    expect(sends(d.effects)[0]!.text).toContain('原 汪书记');
  });

  const refused: [string, Case, string, ActorKey | Actor, RegExp][] = [
    ['by the dispatcher', caseIn('claimed'), '包案 12', 'dispatcher', /只有领导可以「包案」。格式：包案 12/],
    ['by the owner', caseIn('claimed'), '包案 12', 'owner', /只有领导可以「包案」/],
    ['twice by the same leader', caseIn('claimed', { leaderId: 'u-wang', leaderName: '汪书记' }), '包案 12', 'leader', /你已包案 #12/],
    ['a resolved case', caseIn('resolved'), '包案 12', 'leader', /当前「已办结」，不能包案/],
    ['a returned case', caseIn('returned'), '包案 12', 'leader', /当前「已退单」，不能包案/],
    ['with extra words', caseIn('claimed'), '包案 12 我来', 'leader', /格式：包案 12/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult' }))).toMatch(says);
  });
});

describe('吹哨', () => {
  it('summons two departments: consult and the case group hear it, the department group too, with its people @-ed; check-in milestones follow', () => {
    const c = caseIn('claimed', { leaderId: 'u-wang', leaderName: '汪书记' });
    const d = expectOk(act(c, '吹哨 12 区水务局 市政排水集团 周五前排查管线', 'leader', { group: 'consult' }));
    const a = after(c, d);
    expect(a.whistle).toEqual([summoned('区水务局', { summonedAt: NOW }), summoned('市政排水集团', { summonedAt: NOW })]);
    expect(a.nextDueKind).toBe('checkin-remind');
    expect(a.nextDueAt).toBe(NOW + 30 * MIN);
    expect(d.events).toMatchObject([{ kind: 'whistled', text: '区水务局、市政排水集团：周五前排查管线' }]);
    expect(groupsOf(d).sort()).toEqual(['consult', 'paishui', 'zhangyi']);
    const consult = sends(d.effects).find((e) => e.group === 'consult')!;
    expect(consult.text).toContain('30 分钟内回复「报到 12」');
    expect(consult.text).toContain('说明：周五前排查管线');
    expect(consult.mentions.map((p) => p.name)).toEqual(['赵工']);
  });

  it('a department that already reported can be summoned again; one still waiting is left as it is', () => {
    const c = caseIn('claimed', { whistle: [summoned('区水务局', { reportedAt: NOW - MIN, reportedBy: '赵工' }), summoned('市政排水集团')] });
    const d = expectOk(act(c, '/whistle 12 区水务局 市政排水集团', 'leader', { group: 'consult' }));
    const a = after(c, d);
    expect(a.whistle.find((w) => w.department === '区水务局')).toMatchObject({ reportedAt: null, summonedAt: NOW });
    expect(a.whistle.find((w) => w.department === '市政排水集团')).toEqual(summoned('市政排水集团'));
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['by the dispatcher', caseIn('claimed'), '吹哨 12 区水务局', 'dispatcher', /只有领导可以「吹哨」。格式：吹哨 12 区水务局 市政排水集团 \[说明\]/],
    ['by the owner', caseIn('claimed'), '吹哨 12 区水务局', 'owner', /只有领导可以「吹哨」/],
    ['an unknown department', caseIn('claimed'), '吹哨 12 区燃气集团', 'leader', /没有部门「区燃气集团」。可召集：区水务局、市政排水集团。格式：吹哨 12 区水务局 \[说明\]/],
    ['an unknown department after a known one (not taken as the note)', caseIn('claimed'), '吹哨 12 区水务局 区燃气集团', 'leader', /没有部门「区燃气集团」/],
    ['no department', caseIn('claimed'), '吹哨 12', 'leader', /请写要召集的部门，格式：吹哨 12 区水务局/],
    ['already summoned and not yet reported', caseIn('claimed', { whistle: [summoned('区水务局')] }), '吹哨 12 区水务局', 'leader', /区水务局 已被召集，还在等「报到 12」/],
    ['a resolved case', caseIn('resolved'), '吹哨 12 区水务局', 'leader', /当前「已办结」，不能吹哨/],
    ['a closed case', caseIn('closed'), '吹哨 12 区水务局', 'leader', /当前「已关闭」，不能吹哨/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult' }))).toMatch(says);
  });
});

describe('报到', () => {
  const whistled = (overrides: Partial<Case> = {}) => caseIn('claimed', { whistle: [summoned('区水务局'), summoned('市政排水集团')], ...overrides });

  it('a person of the department (by role) checks in: the card shows who has and who not', () => {
    const c = whistled();
    const d = expectOk(act(c, '报到 12 已派人到场', WATER, { group: 'zhangyi' }));
    const a = after(c, d);
    expect(a.whistle[0]).toMatchObject({ department: '区水务局', reportedAt: NOW, reportedBy: '赵工' });
    expect(a.whistle[1]!.reportedAt).toBeNull();
    expect(d.events).toMatchObject([{ kind: 'checked-in', text: '区水务局：已派人到场' }]);
    const text = sends(d.effects)[0]!.text;
    expect(text).toContain('区水务局 已报到（赵工）：已派人到场');
    expect(text).toContain('未报到：市政排水集团');
    expect(text).not.toContain('超时');
  });

  it("anyone in a department's bound group checks in for it; the last one closes the list", () => {
    const c = whistled({ whistle: [summoned('区水务局', { reportedAt: NOW - MIN, reportedBy: '赵工' }), summoned('市政排水集团')] });
    const d = expectOk(act(c, '/checkin 12', DRAIN, { group: 'paishui', extra: { groupDepartments: ['市政排水集团'] } }));
    expect(after(c, d).whistle[1]).toMatchObject({ reportedBy: '钱师傅', reportedAt: NOW });
    expect(sends(d.effects)[0]!.text).toContain('全部部门已报到');
  });

  it('a group bound to two departments checks in the one still waiting', () => {
    const c = whistled({ whistle: [summoned('区水务局', { reportedAt: NOW - MIN, reportedBy: '赵工' }), summoned('市政排水集团')] });
    const d = expectOk(act(c, '报到 12', DRAIN, { group: 'paishui', extra: { groupDepartments: ['区水务局', '市政排水集团'] } }));
    expect(d.events[0]!.text).toBe('市政排水集团');
  });

  it('late: past whistle.checkInWithin it is still recorded, marked 超时', () => {
    const c = whistled({ whistle: [summoned('区水务局', { summonedAt: NOW - 45 * MIN })] });
    const d = expectOk(act(c, '报到 12', WATER));
    expect(sends(d.effects)[0]!.text).toContain('已报到（超时）');
  });

  const refused: [string, Case, string, ActorKey | Actor, string[], RegExp][] = [
    ['by a person of no summoned department', whistled(), '报到 12', 'member', [], /只有被吹哨的部门可以「报到」。格式：报到 12/],
    ['by a leader', whistled(), '报到 12', 'leader', [], /只有被吹哨的部门可以「报到」/],
    ['by a department that was not summoned', caseIn('claimed', { whistle: [summoned('市政排水集团')] }), '报到 12', WATER, [], /只有被吹哨的部门/],
    ['on a case with no whistle', caseIn('claimed'), '报到 12', WATER, [], /只有被吹哨的部门/],
    ['twice', whistled({ whistle: [summoned('区水务局', { reportedAt: T0 + HOUR, reportedBy: '赵工' })] }), '报到 12', WATER, [], /区水务局 已于 11-29 10:00 报到 #12，无需重复报到/],
    ['twice from the bound group', whistled({ whistle: [summoned('市政排水集团', { reportedAt: T0 + HOUR, reportedBy: '钱师傅' })] }), '报到 12', DRAIN, ['市政排水集团'], /已于 11-29 10:00 报到/],
    ['on a closed case', whistled({ status: 'closed' }), '报到 12', WATER, [], /已关闭，不用再报到/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, groupDepartments, says) => {
    expect(expectRefused(act(c, text, who, { group: 'paishui', extra: { groupDepartments } }))).toMatch(says);
  });
});

describe('节点', () => {
  it('sets a dated checkpoint at 18:00 of that day; the node milestone follows', () => {
    const c = caseIn('contacted', { leaderId: 'u-wang', leaderName: '汪书记' });
    const d = expectOk(act(c, '节点 12 12-01 完成管线排查', 'leader', { group: 'consult' }));
    const a = after(c, d);
    const due = Date.parse('2026-12-01T18:00:00+08:00');
    expect(a.nodes).toEqual([{ no: 1, due, text: '完成管线排查', doneAt: null, askedAt: null }]);
    expect(a.nextDueKind).toBe('node-due');
    expect(a.nextDueAt).toBe(due);
    expect(d.events).toMatchObject([{ kind: 'node-set', text: '1 12-01 18:00 完成管线排查' }]);
  });

  it('today before 18:00 is still ahead; a date early next year typed in December is next year', () => {
    expectOk(act(caseIn('contacted'), '节点 12 11-29 今天下班前', 'leader'));
    const dec = Date.parse('2026-12-20T10:00:00+08:00');
    const d = expectOk(act(caseIn('contacted'), '/node 12 1-05 春节前完工', 'leader', { now: dec }));
    expect(d.patch.nodes![0]!.due).toBe(Date.parse('2027-01-05T18:00:00+08:00'));
  });

  it('完成 marks a node, on time or late', () => {
    const c = caseIn('contacted', { nodes: [nodeOf(1), nodeOf(2, { due: NOW - HOUR })] });
    const onTime = expectOk(act(c, '节点 12 完成 1', 'leader'));
    expect(after(c, onTime).nodes[0]!.doneAt).toBe(NOW);
    expect(onTime.events).toMatchObject([{ kind: 'node-done', text: '1 完成管线排查' }]);
    expect(sends(onTime.effects)[0]!.text).not.toContain('晚于');
    const late = expectOk(act(c, '/node 12 done 2', 'leader'));
    expect(sends(late.effects)[0]!.text).toContain('晚于节点时间');
    expect(groupsOf(late)).toContain('consult');
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['by the dispatcher', caseIn('contacted'), '节点 12 12-10 完成排查', 'dispatcher', /只有领导可以「节点」。格式：节点 12 12-10 事项/],
    ['by the owner', caseIn('contacted'), '节点 12 12-10 完成排查', 'owner', /只有领导可以「节点」/],
    ['a past date', caseIn('contacted'), '节点 12 11-20 完成排查', 'leader', /节点日期 11-20 已过，请写以后的日期，格式：节点 12 11-30 事项/],
    ['a past date with a year', caseIn('contacted'), '节点 12 2026-11-28 完成排查', 'leader', /已过/],
    ['today after 18:00', caseIn('contacted'), '节点 12 11-29 完成排查', 'leader', /已过/],
    ['no text', caseIn('contacted'), '节点 12 12-10', 'leader', /请写节点事项，格式：节点 12 12-10 完成管线排查/],
    ['no date', caseIn('contacted'), '节点 12 完成管线排查', 'leader', /请写日期和事项/],
    ['an impossible date', caseIn('contacted'), '节点 12 13-40 完成排查', 'leader', /请写日期和事项/],
    ['done without a number', caseIn('contacted', { nodes: [nodeOf(1)] }), '节点 12 完成', 'leader', /格式：节点 12 完成 1/],
    ['done: an unknown number', caseIn('contacted', { nodes: [nodeOf(1)] }), '节点 12 完成 3', 'leader', /没有第 3 个节点（共 1 个），格式：节点 12 完成 1/],
    ['done on a case with no nodes', caseIn('contacted'), '节点 12 完成 1', 'leader', /还没有节点，先设：节点 12 12-10 事项/],
    ['done twice', caseIn('contacted', { nodes: [nodeOf(1, { doneAt: T0 + HOUR })] }), '节点 12 完成 1', 'leader', /节点 1 已于 11-29 10:00 完成，无需重复/],
    ['a resolved case', caseIn('resolved'), '节点 12 12-10 完成排查', 'leader', /当前「已办结」，不能设节点/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, says) => {
    const now = text.includes('11-29') ? Date.parse('2026-11-29T19:00:00+08:00') : NOW;
    expect(expectRefused(act(c, text, who, { group: 'consult', now }))).toMatch(says);
  });
});
