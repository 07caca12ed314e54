import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/street-config';
import type { Case, CaseStatus, Rating } from '../../core/types';
import { caseIn, HOUR, type ActorKey } from './make-case';
import { act, after, expectOk, expectRefused, groupsOf, NOW, sends } from './practice-run';

/** 回访 (core/practices/follow-up.ts): each combination of the three answers. */

type Outcome = 'closed' | 'reopened';
/** [typed after 回访 12, the rating recorded, what becomes of the case] */
const COMBOS: [string, Omit<Rating, 'note'>, Outcome][] = [
  ['满意 已解决', { satisfaction: '满意', solved: '已解决', contacted: true }, 'closed'],
  ['满意 部分解决', { satisfaction: '满意', solved: '部分解决', contacted: true }, 'closed'],
  ['满意 未解决', { satisfaction: '满意', solved: '未解决', contacted: true }, 'reopened'],
  ['满意', { satisfaction: '满意', solved: null, contacted: true }, 'closed'],
  ['基本满意 已解决', { satisfaction: '基本满意', solved: '已解决', contacted: true }, 'closed'],
  ['基本满意 部分解决', { satisfaction: '基本满意', solved: '部分解决', contacted: true }, 'closed'],
  ['基本满意 未解决', { satisfaction: '基本满意', solved: '未解决', contacted: true }, 'reopened'],
  ['基本满意', { satisfaction: '基本满意', solved: null, contacted: true }, 'closed'],
  ['不满意', { satisfaction: '不满意', solved: null, contacted: true }, 'reopened'],
  ['不满意 已解决', { satisfaction: '不满意', solved: '已解决', contacted: true }, 'reopened'],
  ['不满意 未解决', { satisfaction: '不满意', solved: '未解决', contacted: true }, 'reopened'],
  ['不满意 部分解决', { satisfaction: '不满意', solved: '部分解决', contacted: true }, 'reopened'],
  ['满意 已解决 未联系', { satisfaction: '满意', solved: '已解决', contacted: false }, 'closed'],
  ['基本满意 未联系', { satisfaction: '基本满意', solved: null, contacted: false }, 'closed'],
  ['不满意 未解决 未联系', { satisfaction: '不满意', solved: '未解决', contacted: false }, 'reopened'],
  ['满意 未联系 已解决', { satisfaction: '满意', solved: '已解决', contacted: false }, 'closed'],
  ['satisfied solved', { satisfaction: '满意', solved: '已解决', contacted: true }, 'closed'],
  ['basic partly uncontacted', { satisfaction: '基本满意', solved: '部分解决', contacted: false }, 'closed'],
  ['unsatisfied unsolved', { satisfaction: '不满意', solved: '未解决', contacted: true }, 'reopened'],
];

describe('回访: every combination of the three answers', () => {
  it.each(COMBOS)('回访 12 %s', (words, rating, outcome) => {
    const c = caseIn('resolved', { followUpAt: NOW - HOUR });
    const latin = /^[a-z]/.test(words);
    const d = expectOk(act(c, `${latin ? '/rate' : '回访'} 12 ${words}`, 'dispatcher', { group: 'consult' }));
    const a = after(c, d);
    expect(a.rating).toEqual({ ...rating, note: null });
    expect(a.ratedAt).toBe(NOW);
    expect(d.events[0]).toMatchObject({ kind: 'rated', actorName: '李调度' });
    expect(d.events[1]).toMatchObject({ kind: outcome, fromStatus: 'resolved', toStatus: outcome });
    if (outcome === 'closed') {
      expect(a).toMatchObject({ status: 'closed', closedAt: NOW, nextDueKind: null, nextDueAt: null });
      expect(sends(d.effects)[0]!.text).toContain('案件关闭');
    } else {
      // Reopened to the same owner with the class's full window from now; the group and consult hear why.
      expect(a).toMatchObject({ status: 'reopened', ownerName: '王芳', resolvedAt: null, result: null, followUpAt: null, resolveBy: NOW + DEFAULT_POLICY.windows.ordinary.resolveMs });
      expect(a.nextDueKind).toBe('resolve-50');
      expect(groupsOf(d).sort()).toEqual(['consult', 'zhangyi']);
      const toGroup = sends(d.effects).find((e) => e.group === 'zhangyi')!;
      expect(toGroup.text).toContain('案件重办，仍由 王芳 负责');
      expect(toGroup.mentions.map((p) => p.name)).toContain('王芳');
    }
  });

  it('a note after the answers is kept', () => {
    const c = caseIn('resolved');
    const d = expectOk(act(c, '回访 12 不满意 未解决 灯又坏了', 'dispatcher', { group: 'consult' }));
    expect(after(c, d).rating!.note).toBe('灯又坏了');
    expect(d.events[0]!.text).toBe('不满意、未解决：灯又坏了');
  });

  it('contact defaults to the ledger: a case never marked 已联系 rates as not contacted', () => {
    const c = caseIn('resolved', { contactedAt: null });
    expect(after(c, expectOk(act(c, '回访 12 满意 已解决', 'dispatcher'))).rating!.contacted).toBe(false);
  });

  it('a leader may stand in for the dispatcher', () => {
    expectOk(act(caseIn('resolved'), '回访 12 满意 已解决', 'leader', { group: 'consult' }));
  });

  const refused: [string, Case, string, ActorKey, RegExp][] = [
    ['by the owner', caseIn('resolved'), '回访 12 满意 已解决', 'owner', /只有调度员或领导可以「回访」。格式：回访 12 满意\/基本满意\/不满意/],
    ['by a member', caseIn('resolved'), '回访 12 满意', 'member', /只有调度员或领导可以「回访」/],
    ['no satisfaction', caseIn('resolved'), '回访 12 已解决', 'dispatcher', /请写满意度，格式：回访 12 满意\/基本满意\/不满意 \[已解决\/未解决\/部分解决\] \[未联系\] \[备注\]/],
    ['an unknown word for satisfaction', caseIn('resolved'), '回访 12 很好', 'dispatcher', /请写满意度/],
    ['nothing after the number', caseIn('resolved'), '回访 12', 'dispatcher', /请写满意度/],
    ['a closed case (already rated)', caseIn('closed'), '回访 12 满意', 'dispatcher', /#12 已关闭，不能再回访/],
  ];
  it.each(refused)('refused: %s', (_w, c, text, who, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult' }))).toMatch(says);
  });

  it.each<CaseStatus>(['new', 'claimed', 'contacted', 'reopened', 'returned'])('refused before 办结: a %s case', (status) => {
    expect(expectRefused(act(caseIn(status), '回访 12 满意', 'dispatcher', { group: 'consult' }))).toMatch(/还没办结.*办结后再回访/);
  });
});
