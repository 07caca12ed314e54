import { describe, expect, it } from 'vitest';
import { decidePhoto, type PhotoArgs } from '../../core/practices/media';
import type { Actor, Case, CaseStatus } from '../../core/types';
import { ACTORS, caseIn, decideContext, type ActorKey } from './make-case';
import { act, after, expectOk, expectRefused, NOW, sends } from './practice-run';

/** Photos as evidence (core/practices/media.ts): who may add one, and 公开照片. */

const ARGS: PhotoArgs = { sha256: 'ab'.repeat(32), mime: 'image/jpeg', duplicate: false, announce: true };
const photo = (c: Case, who: ActorKey | Actor, group: string, args: Partial<PhotoArgs> = {}, groupDepartments: string[] = []) =>
  decidePhoto(c, { ...ARGS, ...args }, decideContext(typeof who === 'string' ? ACTORS[who] : who, group, NOW, undefined, { groupDepartments }));

describe('a photo for a case', () => {
  it.each<[string, CaseStatus, ActorKey, string]>([
    ['anyone in its group', 'new', 'member', 'zhangyi'],
    ['the owner', 'contacted', 'owner', 'zhangyi'],
    ['someone in consult', 'claimed', 'member', 'consult'],
    ['the dispatcher from elsewhere', 'claimed', 'dispatcher', 'street'],
    ['the owner on a resolved case', 'resolved', 'owner', 'zhangyi'],
  ])('%s (%s case): counted, hashed in the ledger, confirmed', (_w, status, who, group) => {
    const c = caseIn(status, { mediaCount: 2 });
    const d = expectOk(photo(c, who, group));
    expect(after(c, d).mediaCount).toBe(3);
    expect(after(c, d).status).toBe(status);
    expect(d.events).toMatchObject([{ kind: 'media', text: `照片3 image/jpeg sha256:${ARGS.sha256}`, actorName: ACTORS[who].name }]);
    expect(sends(d.effects)).toMatchObject([{ group, kind: 'reply', text: expect.stringContaining('第 3 张，仅内部可见') }]);
  });

  it('a summoned department in its own group; quiet when the caption has its own command', () => {
    const c = caseIn('claimed', { whistle: [{ department: '市政排水集团', summonedAt: NOW, reportedAt: null, reportedBy: null, remindedAt: null, escalatedAt: null }] });
    const d = expectOk(photo(c, { id: 'u-drain', name: '钱师傅', role: 'member' }, 'paishui', { announce: false }, ['市政排水集团']));
    expect(d.effects).toEqual([]);
  });

  it.each<[string, Case, ActorKey, string, Partial<PhotoArgs>, RegExp]>([
    ['from a group that does not work it', caseIn('claimed'), 'member', 'jiari', {}, /#12 不在本群办理，照片请发到「张仪村社区」/],
    ['on a closed case', caseIn('closed'), 'owner', 'zhangyi', {}, /#12 已关闭，不再收照片/],
    ['the same photo again', caseIn('claimed', { mediaCount: 1 }), 'owner', 'zhangyi', { duplicate: true }, /#12 已有这张照片，未重复保存/],
  ])('refused: %s', (_w, c, who, group, args, says) => {
    expect(expectRefused(photo(c, who, group, args))).toMatch(says);
  });
});

describe('公开照片', () => {
  it('a leader marks one photo public: a media-public effect, a ledger row, the group told', () => {
    const c = caseIn('resolved', { mediaCount: 2 });
    const d = expectOk(act(c, '公开照片 12 2', 'leader', { group: 'consult' }));
    expect(d.patch).toEqual({});
    expect(d.effects[0]).toEqual({ type: 'media-public', caseId: 12, no: 2 });
    expect(d.events).toMatchObject([{ kind: 'media', text: '公开照片2' }]);
    expect(sends(d.effects).map((e) => e.group).sort()).toEqual(['consult', 'zhangyi']);
    expectOk(act(c, '/publicphoto 12 1', 'leader', { group: 'consult' }));
  });

  it.each<[string, Case, string, ActorKey, RegExp]>([
    ['by the owner', caseIn('resolved', { mediaCount: 1 }), '公开照片 12 1', 'owner', /只有领导可以「公开照片」。格式：公开照片 12 1/],
    ['by the dispatcher', caseIn('resolved', { mediaCount: 1 }), '公开照片 12 1', 'dispatcher', /只有领导可以「公开照片」/],
    ['no photo number', caseIn('resolved', { mediaCount: 1 }), '公开照片 12', 'leader', /请写第几张照片，格式：公开照片 12 1/],
    ['photo 0', caseIn('resolved', { mediaCount: 1 }), '公开照片 12 0', 'leader', /请写第几张照片/],
    ['a case with no photos', caseIn('resolved'), '公开照片 12 1', 'leader', /#12 还没有照片/],
    ['a number past the count', caseIn('resolved', { mediaCount: 2 }), '公开照片 12 3', 'leader', /#12 没有第 3 张照片（共 2 张），格式：公开照片 12 1/],
  ])('refused: %s', (_w, c, text, who, says) => {
    expect(expectRefused(act(c, text, who, { group: 'consult' }))).toMatch(says);
  });
});
