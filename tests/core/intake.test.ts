import { describe, expect, it } from 'vitest';
import { noPractice } from '../../core/case/practice-defaults';
import { newCaseFromIntake, validateIntake, type IntakeInput } from '../../core/intake';
import type { RoutingTable } from '../../core/routing';
import { DEFAULT_POLICY, type DeadlinePolicy } from '../../core/street-config';
import { DAY, HOUR, MIN, T0 } from './make-case';

const GROUPS = new Set(['consult', 'street', 'zhangyi', 'jiari', 'yueyuan', 'xifeng']);
const TABLE: RoutingTable = {
  communities: [
    { key: 'zhangyi', name: '张仪村社区', places: ['张仪村'] },
    { key: 'jiari', name: '假日风景社区', places: ['假日风景'] },
    { key: 'yueyuan', name: '阅园社区', places: ['阅园'] },
    { key: 'xifeng', name: '西丰社区', places: ['西四环', '西丰路'] },
  ],
  sections: [
    { name: '城管科', categories: ['游商', '私装地桩', '占道经营', '施工扰民'] },
    { name: '城建科', categories: ['井盖', '路灯照明', '供水'] },
  ],
};

const MINIMAL = { hotlineNo: 'GD-20261129-0001', content: '南院路灯都不亮' };

function valid(body: unknown): IntakeInput {
  const r = validateIntake(body, GROUPS);
  if (!r.ok) throw new Error(`${r.field}: ${r.error}`);
  return r.value;
}

describe('validateIntake: 400 naming the field', () => {
  it.each<[string, unknown, string]>([
    ['missing hotlineNo', { content: '路灯不亮' }, 'hotlineNo'],
    ['empty hotlineNo', { ...MINIMAL, hotlineNo: '  ' }, 'hotlineNo'],
    ['hotlineNo with spaces', { ...MINIMAL, hotlineNo: 'GD 0001' }, 'hotlineNo'],
    ['hotlineNo too long', { ...MINIMAL, hotlineNo: 'A'.repeat(65) }, 'hotlineNo'],
    ['hotlineNo a negative number', { ...MINIMAL, hotlineNo: -1 }, 'hotlineNo'],
    ['hotlineNo a fraction', { ...MINIMAL, hotlineNo: 1.5 }, 'hotlineNo'],
    ['hotlineNo a boolean', { ...MINIMAL, hotlineNo: true }, 'hotlineNo'],
    ['missing content', { hotlineNo: 'GD-1' }, 'content'],
    ['blank content', { ...MINIMAL, content: ' \n ' }, 'content'],
    ['content too long', { ...MINIMAL, content: '字'.repeat(5001) }, 'content'],
    ['bad urgency', { ...MINIMAL, urgency: 'high' }, 'urgency'],
    ['urgency in Chinese', { ...MINIMAL, urgency: '紧急' }, 'urgency'],
    ['bad type', { ...MINIMAL, type: '抱怨' }, 'type'],
    ['resolveBy without offset', { ...MINIMAL, resolveBy: '2026-12-01T18:00:00' }, 'resolveBy'],
    ['resolveBy a date only', { ...MINIMAL, resolveBy: '2026-12-01' }, 'resolveBy'],
    ['resolveBy not a time', { ...MINIMAL, resolveBy: 'next week' }, 'resolveBy'],
    ['resolveBy an impossible date', { ...MINIMAL, resolveBy: '2026-02-30T18:00:00+08:00' }, 'resolveBy'],
    ['resolveBy an impossible hour', { ...MINIMAL, resolveBy: '2026-12-01T25:00:00+08:00' }, 'resolveBy'],
    ['resolveBy a number', { ...MINIMAL, resolveBy: 1796000000000 }, 'resolveBy'],
    ['resolveBy before reportedAt', { ...MINIMAL, reportedAt: '2026-11-29T09:00:00+08:00', resolveBy: '2026-11-29T08:00:00+08:00' }, 'resolveBy'],
    ['reportedAt without offset', { ...MINIMAL, reportedAt: '2026-11-29 09:00' }, 'reportedAt'],
    ['address too long', { ...MINIMAL, address: '路'.repeat(201) }, 'address'],
    ['category too long', { ...MINIMAL, category: '类'.repeat(101) }, 'category'],
    ['citizen not an object', { ...MINIMAL, citizen: '王建国' }, 'citizen'],
    ['citizen phone a number', { ...MINIMAL, citizen: { phone: 13812345678 } }, 'citizen.phone'],
    ['citizen name too long', { ...MINIMAL, citizen: { name: '王'.repeat(51) } }, 'citizen.name'],
    ['unknown community', { ...MINIMAL, community: 'nowhere' }, 'community'],
    ['null body', null, '(body)'],
    ['string body', '{"hotlineNo":"A"}', '(body)'],
    ['number body', 12, '(body)'],
    ['boolean body', true, '(body)'],
    ['array body', [MINIMAL], '(body)'],
    ['empty array', [], '(body)'],
  ])('%s → %s', (_label, body, field) => {
    const r = validateIntake(body, GROUPS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.error.length).toBeGreaterThan(0);
    expect(r.error).not.toMatch(/[\r\n]/);
    if (field !== '(body)') expect(r.error.startsWith(`${field}: `)).toBe(true);
  });

  it('a missing field says 必填; a present field of the wrong type says so, not 必填', () => {
    const missing = validateIntake({ content: 'x' }, GROUPS);
    expect(missing).toMatchObject({ ok: false, field: 'hotlineNo', error: 'hotlineNo: 必填' });
    expect(validateIntake({ hotlineNo: 'GD-1' }, GROUPS)).toMatchObject({ ok: false, field: 'content', error: 'content: 必填' });
    for (const body of [{ hotlineNo: true, content: 'x' }, { hotlineNo: 'GD-1', content: 12 }, { hotlineNo: 'GD-1', content: 'x', citizen: { phone: 13812345678 } }]) {
      const wrongType = validateIntake(body, GROUPS);
      expect(wrongType.ok).toBe(false);
      expect(wrongType.ok ? '' : wrongType.error).toMatch(/类型不对/);
    }
  });
});

describe('validateIntake: accepted bodies', () => {
  it.each<[string, Record<string, unknown>]>([
    ['minimal', MINIMAL],
    ['everything', {
      ...MINIMAL,
      address: '张仪村4号院南院',
      category: '城乡建设->市政设施->路灯',
      type: '求助',
      urgency: 'ordinary',
      resolveBy: '2026-12-01T18:00:00+08:00',
      reportedAt: '2026-11-29T09:00:00+08:00',
      citizen: { name: '周先生', phone: '18600003333' },
      community: 'zhangyi',
    }],
    ['nulls for the optional fields', { ...MINIMAL, address: null, category: null, type: null, urgency: null, resolveBy: null, reportedAt: null, citizen: null, community: null }],
    ['UTC and compact offsets', { ...MINIMAL, reportedAt: '2026-11-29T01:00:00Z', resolveBy: '2026-12-01T18:00:00.500+0800' }],
    ['leap day', { ...MINIMAL, resolveBy: '2028-02-29T18:00:00+08:00' }],
    ['unknown extra fields pass', { ...MINIMAL, channel: 'app', priority: 3 }],
    ['each of the five types', { ...MINIMAL, type: '建议' }],
    ['hotline number with / # . :', { ...MINIMAL, hotlineNo: 'BJ/2026#11.29:0001' }],
    ['hotline number as a JSON number (12345 exports)', { ...MINIMAL, hotlineNo: 20261129 }],
    ['consult forced', { ...MINIMAL, community: 'consult' }],
  ])('%s', (_label, body) => {
    const v = valid(body);
    expect(v.hotlineNo).toBe(String(body.hotlineNo).trim());
    expect(v.content).toBe(body.content);
  });

  it('trims the text fields', () => {
    expect(valid({ hotlineNo: '  GD-1 ', content: ' 路灯不亮 ', address: ' 张仪村 ' })).toMatchObject({ hotlineNo: 'GD-1', content: '路灯不亮', address: '张仪村' });
  });
});

describe('newCaseFromIntake', () => {
  const make = (body: Record<string, unknown>, policy: DeadlinePolicy = DEFAULT_POLICY, now = T0) => newCaseFromIntake(valid(body), '12345', policy, TABLE, now);

  it('a minimal body: now, policy deadlines, inferred class and category, routed', () => {
    const c = make({ ...MINIMAL, content: '张仪村4号院南院路灯都不亮' });
    expect(c).toEqual({
      hotlineNo: MINIMAL.hotlineNo,
      status: 'new',
      group: 'zhangyi',
      section: '城建科',
      category: '路灯照明',
      urgency: 'ordinary',
      type: null,
      address: null,
      content: '张仪村4号院南院路灯都不亮',
      source: '12345',
      citizenName: null,
      citizenPhone: null,
      ownerId: null,
      ownerName: null,
      reportedAt: T0,
      postedAt: T0,
      claimedAt: null,
      contactedAt: null,
      resolvedAt: null,
      respondBy: T0 + DAY,
      resolveBy: T0 + 7 * DAY,
      result: null,
      version: 1,
      nextDueKind: null,
      nextDueAt: null,
      ...noPractice(),
    });
  });

  it.each<[string, Record<string, unknown>, number, number]>([
    // [label, body, respondBy - reportedAt, resolveBy - reportedAt]
    ['ordinary by policy', { ...MINIMAL }, DAY, 7 * DAY],
    ['urgent by its words', { ...MINIMAL, content: '院内自来水管爆裂，污水四溢' }, 30 * MIN, 2 * HOUR],
    ['utility by its words', { ...MINIMAL, content: '整栋楼停水了' }, 2 * HOUR, 24 * HOUR],
    ['consult by type', { ...MINIMAL, type: '咨询' }, DAY, 7 * DAY],
    ['complex by the work order', { ...MINIMAL, urgency: 'complex' }, DAY, 15 * DAY],
    ['given urgency beats the words', { ...MINIMAL, content: '水管爆裂', urgency: 'ordinary' }, DAY, 7 * DAY],
    ['the work order resolveBy overrides the policy', { ...MINIMAL, reportedAt: '2026-11-29T09:00:00+08:00', resolveBy: '2026-12-09T09:00:00+08:00' }, DAY, 10 * DAY],
    ['a shorter work-order limit too', { ...MINIMAL, reportedAt: '2026-11-29T09:00:00+08:00', resolveBy: '2026-12-01T09:00:00+08:00' }, DAY, 2 * DAY],
    ['the response deadline never falls after the resolution deadline', { ...MINIMAL, reportedAt: '2026-11-29T09:00:00+08:00', resolveBy: '2026-11-29T21:00:00+08:00' }, 12 * HOUR, 12 * HOUR],
    ['urgent work order with its own limit', { ...MINIMAL, urgency: 'urgent', reportedAt: '2026-11-29T09:00:00+08:00', resolveBy: '2026-11-29T13:00:00+08:00' }, 30 * MIN, 4 * HOUR],
  ])('%s', (_label, body, respond, resolve) => {
    const c = make(body);
    expect(c.respondBy - c.reportedAt).toBe(respond);
    expect(c.resolveBy - c.reportedAt).toBe(resolve);
  });

  it('respondBy counts from reportedAt (an earlier report), postedAt is now', () => {
    const now = T0 + 5 * HOUR;
    const c = make({ ...MINIMAL, reportedAt: '2026-11-29T09:00:00+08:00' }, DEFAULT_POLICY, now);
    expect(c.reportedAt).toBe(T0);
    expect(c.postedAt).toBe(now);
    expect(c.respondBy).toBe(T0 + DAY);
  });

  it('reportedAt in another offset is the same instant', () => {
    expect(make({ ...MINIMAL, reportedAt: '2026-11-29T01:00:00Z' }).reportedAt).toBe(T0);
  });

  it('follows the street policy', () => {
    const policy: DeadlinePolicy = { ...DEFAULT_POLICY, windows: { ...DEFAULT_POLICY.windows, urgent: { respondMs: 15 * MIN, resolveMs: HOUR } } };
    const c = make({ ...MINIMAL, urgency: 'urgent' }, policy);
    expect([c.respondBy - T0, c.resolveBy - T0]).toEqual([15 * MIN, HOUR]);
  });

  it.each<[string, string, string, string | null, string]>([
    // [category given, content, category stored, section, urgency]
    ['城乡建设->市政设施->井盖', '槐房西路井盖坏了', '井盖', '城建科', 'ordinary'],
    ['城乡建设 -> 市政设施 -> 井盖', '槐房西路井盖坏了', '井盖', '城建科', 'ordinary'],
    ['城市管理->市容环境->游商', '门口有人摆摊', '游商', '城管科', 'ordinary'],
    ['井盖', '井盖塌陷3至5厘米', '井盖', '城建科', 'urgent'],
    // The path's words count for urgency too.
    ['城乡建设->燃气->燃气泄漏', '楼道有味道', '燃气泄漏', null, 'urgent'],
  ])('category path %j', (category, content, stored, section, urgency) => {
    const c = make({ ...MINIMAL, category, content });
    expect({ category: c.category, section: c.section, urgency: c.urgency }).toEqual({ category: stored, section, urgency });
  });

  it('an absent category is inferred from content and address', () => {
    expect(make({ ...MINIMAL, content: '有人私装地桩', address: '西丰路45号院' })).toMatchObject({ category: '私装地桩', group: 'xifeng', section: '城管科' });
  });

  it('community forces the route', () => {
    expect(make({ ...MINIMAL, content: '张仪村路灯不亮', community: 'jiari' }).group).toBe('jiari');
  });

  it('nothing to judge by → consult', () => {
    expect(make({ ...MINIMAL, content: '我想反映个事情' })).toMatchObject({ group: 'consult', section: null, category: '其他' });
  });

  it('keeps the citizen, type and source; empty strings become null', () => {
    const c = newCaseFromIntake(valid({ ...MINIMAL, type: '投诉', address: '', citizen: { name: '王建国', phone: '13812345678' } }), 'mp', DEFAULT_POLICY, TABLE, T0);
    expect(c).toMatchObject({ type: '投诉', address: null, citizenName: '王建国', citizenPhone: '13812345678', source: 'mp' });
    const d = make({ ...MINIMAL, citizen: { name: '', phone: '' } });
    expect(d).toMatchObject({ citizenName: null, citizenPhone: null });
  });
});
