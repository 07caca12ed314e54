import { describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../core/types';
import { caseIn, type ActorKey } from './make-case';
import { act, expectOk, expectRefused, sends } from './practice-run';

/** 联系方式 (core/practices/contact-info.ts): the citizen's details, privately, to the people working the case. */

const CO: Actor = { id: 'u-co', name: '孙强', role: 'member' };

describe('联系方式', () => {
  it.each<[string, ActorKey | Actor]>([['the owner', 'owner'], ['a leader', 'leader'], ['a co-handler', CO]])('%s gets them in a private message; the group only hears that they were sent', (_w, who) => {
    const c = caseIn('claimed', { coHandlers: [{ id: CO.id, name: CO.name }] });
    const d = expectOk(act(c, '联系方式 12', who));
    expect(d.patch).toEqual({});
    expect(d.events).toEqual([]);
    const [priv, notice] = sends(d.effects);
    const id = typeof who === 'string' ? { owner: 'u-wangfang', leader: 'u-wang' }[who as 'owner' | 'leader'] : who.id;
    expect(priv!.group).toBe(`~console:${id}`);
    expect(priv!.text).toContain('18600003333');
    expect(priv!.fallbackGroup).toBe('zhangyi');
    expect(notice!.group).toBe('zhangyi');
    expect(notice!.text).not.toContain('18600003333');
    expect(notice!.text).not.toContain('周建国');
  });

  it('asked in a private chat: only the private answer', () => {
    const d = expectOk(act(caseIn('claimed'), '/contact_info 12', 'owner', { group: '~console:u-wangfang' }));
    expect(sends(d.effects).map((e) => e.group)).toEqual(['~console:u-wangfang']);
    expect(sends(d.effects)[0]!.fallbackGroup).toBe('zhangyi');
  });

  const refused: [string, Case, ActorKey, RegExp][] = [
    ['a member', caseIn('claimed'), 'member', /#12 由 王芳 负责，只有负责人、协办人或领导可以「联系方式」。格式：联系方式 12/],
    ['the dispatcher (not on the case)', caseIn('claimed'), 'dispatcher', /只有负责人、协办人或领导/],
    ['anyone before the case is claimed', caseIn('new'), 'member', /还没人认领，请先「认领 12」/],
    ['a work order with neither name nor phone', caseIn('claimed', { citizenName: null, citizenPhone: null }), 'owner', /工单上没有市民的姓名和电话/],
  ];
  it.each(refused)('refused: %s', (_w, c, who, says) => {
    const message = expectRefused(act(c, '联系方式 12', who));
    expect(message).toMatch(says);
    expect(message).not.toContain('18600003333');
  });
});
