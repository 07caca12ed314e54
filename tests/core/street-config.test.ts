import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatDurationZh, parseDurationMs } from '../../core/duration';
import { DEFAULT_POLICY, parseStreetConfig, type StreetConfig } from '../../core/street-config';
import { URGENCIES } from '../../core/types';
import { DAY, HOUR, MIN } from './make-case';

function parsed(raw: unknown): StreetConfig {
  const r = parseStreetConfig(raw);
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

function error(raw: unknown): string {
  const r = parseStreetConfig(raw);
  if (r.ok) throw new Error('expected a config error');
  expect(r.error).not.toMatch(/[\r\n]/);
  return r.error;
}

describe('parseDurationMs', () => {
  it.each<[string, number]>([
    ['90s', 90_000],
    ['30m', 30 * MIN],
    ['2h', 2 * HOUR],
    ['24h', DAY],
    ['7d', 7 * DAY],
    ['15d', 15 * DAY],
    ['1.5h', 90 * MIN],
    [' 2h ', 2 * HOUR],
    ['2 h', 2 * HOUR],
    ['500ms', 500],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '2', 'h', '2w', '-1h', '0s', '0m', '2 hours', '7D', '2h30m', 'abc', '1e3s'])('%j → null', (text) => {
    expect(parseDurationMs(text)).toBeNull();
  });

  it.each<[number, string]>([
    [30 * MIN, '30分钟'],
    [2 * HOUR, '2小时'],
    [7 * DAY, '7天'],
    [90_000, '90秒'],
  ])('formatDurationZh(%d) → %s', (ms, text) => {
    expect(formatDurationZh(ms)).toBe(text);
  });
});

describe('parseStreetConfig: defaults', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty document', {}],
    ['empty deadlines', { deadlines: {} }],
    ['empty classes', { deadlines: { urgent: {}, unclaimed: {}, overdueRepeat: {} } }],
  ])('%s → every SPEC default', (_label, raw) => {
    const c = parsed(raw);
    expect(c.policy).toEqual(DEFAULT_POLICY);
    expect(c).toMatchObject({
      street: '卢沟桥街道',
      timeZone: 'Asia/Shanghai',
      groupNames: { consult: '接诉即办会商群', street: '街道接诉即办工作群' },
      communities: [],
      sections: [],
      people: [],
      days: 'calendar',
      quietHours: '22:00-08:00',
      maskRoomNumbers: true,
    });
  });

  it('SPEC defaults in numbers', () => {
    expect(DEFAULT_POLICY.windows).toEqual({
      urgent: { respondMs: 30 * MIN, resolveMs: 2 * HOUR },
      utility: { respondMs: 2 * HOUR, resolveMs: 24 * HOUR },
      ordinary: { respondMs: 24 * HOUR, resolveMs: 7 * DAY },
      complex: { respondMs: 24 * HOUR, resolveMs: 15 * DAY },
      consult: { respondMs: 24 * HOUR, resolveMs: 7 * DAY },
    });
    expect(DEFAULT_POLICY.unclaimedMs).toEqual({ urgent: 5 * MIN, utility: 5 * MIN, ordinary: 10 * MIN, complex: 10 * MIN, consult: 10 * MIN });
    expect(DEFAULT_POLICY.overdueRepeatMs).toEqual({ urgent: HOUR, utility: HOUR, ordinary: 4 * HOUR, complex: 4 * HOUR, consult: 4 * HOUR });
  });

  it('the demo street YAML states the defaults and parses to them', () => {
    const c = parsed(parseYaml(readFileSync(new URL('../../config/street.yaml', import.meta.url), 'utf8')));
    expect(c.policy).toEqual(DEFAULT_POLICY);
    expect(c.communities.map((x) => x.key)).toEqual(['zhangyi', 'jiari', 'yueyuan', 'xifeng']);
    expect(c.groupNames).toMatchObject({ consult: '接诉即办会商群', street: '街道接诉即办工作群', zhangyi: '张仪村社区', xifeng: '西丰社区' });
    expect(c.people).toEqual([
      { name: '汪书记', role: 'leader', ids: {}, department: null, admin: false },
      { name: '李调度', role: 'dispatcher', ids: {}, department: null, admin: false },
    ]);
  });

  it('does not share the default policy object (a parsed config cannot change the defaults)', () => {
    const c = parsed({ deadlines: { urgent: { respond: '10m' } } });
    expect(c.policy.windows.urgent.respondMs).toBe(10 * MIN);
    expect(DEFAULT_POLICY.windows.urgent.respondMs).toBe(30 * MIN);
    c.policy.unclaimedMs.urgent = 1;
    expect(DEFAULT_POLICY.unclaimedMs.urgent).toBe(5 * MIN);
  });
});

describe('parseStreetConfig: what is given replaces only its own key', () => {
  /** [yaml deadlines, path into the policy, expected ms] — everything else stays default. */
  const rows: [string, Record<string, unknown>, (p: typeof DEFAULT_POLICY) => number, number][] = [
    ['urgent.respond 90s', { urgent: { respond: '90s' } }, (p) => p.windows.urgent.respondMs, 90_000],
    ['urgent.resolve 3h', { urgent: { resolve: '3h' } }, (p) => p.windows.urgent.resolveMs, 3 * HOUR],
    ['utility.respond 30m', { utility: { respond: '30m' } }, (p) => p.windows.utility.respondMs, 30 * MIN],
    ['ordinary.resolve 5d', { ordinary: { resolve: '5d' } }, (p) => p.windows.ordinary.resolveMs, 5 * DAY],
    ['complex.resolve 30d', { complex: { resolve: '30d' } }, (p) => p.windows.complex.resolveMs, 30 * DAY],
    ['consult.respond 2h', { consult: { respond: '2h' } }, (p) => p.windows.consult.respondMs, 2 * HOUR],
    ['unclaimed.ordinary 15m', { unclaimed: { ordinary: '15m' } }, (p) => p.unclaimedMs.ordinary, 15 * MIN],
    ['unclaimed.urgent 90s', { unclaimed: { urgent: '90s' } }, (p) => p.unclaimedMs.urgent, 90_000],
    ['overdueRepeat.complex 1d', { overdueRepeat: { complex: '1d' } }, (p) => p.overdueRepeatMs.complex, DAY],
    ['overdueRepeat.utility 30m', { overdueRepeat: { utility: '30m' } }, (p) => p.overdueRepeatMs.utility, 30 * MIN],
  ];

  it.each(rows)('%s', (_label, deadlines, get, ms) => {
    const policy = parsed({ deadlines }).policy;
    expect(get(policy)).toBe(ms);
    // Exactly one of the 20 numbers differs from the defaults: the one given.
    const flat = (p: typeof DEFAULT_POLICY) => [
      ...URGENCIES.flatMap((u) => [p.windows[u].respondMs, p.windows[u].resolveMs]),
      ...URGENCIES.map((u) => p.unclaimedMs[u]),
      ...URGENCIES.map((u) => p.overdueRepeatMs[u]),
    ];
    const defaults = flat(DEFAULT_POLICY);
    const differing = flat(policy).filter((v, i) => v !== defaults[i]);
    expect(differing).toEqual([ms]);
  });

  it('a class left out keeps its default while its neighbours change', () => {
    const policy = parsed({ deadlines: { urgent: { respond: '20m', resolve: '1h' }, ordinary: { respond: '12h' } } }).policy;
    expect(policy.windows.urgent).toEqual({ respondMs: 20 * MIN, resolveMs: HOUR });
    expect(policy.windows.ordinary).toEqual({ respondMs: 12 * HOUR, resolveMs: 7 * DAY });
    expect(policy.windows.utility).toEqual(DEFAULT_POLICY.windows.utility);
    expect(policy.windows.complex).toEqual(DEFAULT_POLICY.windows.complex);
    expect(policy.windows.consult).toEqual(DEFAULT_POLICY.windows.consult);
    expect(policy.unclaimedMs).toEqual(DEFAULT_POLICY.unclaimedMs);
    expect(policy.overdueRepeatMs).toEqual(DEFAULT_POLICY.overdueRepeatMs);
  });

  it('other keys', () => {
    const c = parsed({
      street: '太平桥街道',
      timezone: 'Asia/Urumqi',
      groups: { consult: '会商群' },
      days: 'working',
      quietHours: '23:00-07:00',
      publicSide: { maskRoomNumbers: false },
      communities: [{ key: 'pengrun', name: '鹏润家园社区' }],
      sections: [{ name: '平安办', categories: ['群租房'] }],
      people: [{ name: '汪书记', role: 'leader', id: 'tg:42' }],
    });
    expect(c).toMatchObject({
      street: '太平桥街道',
      timeZone: 'Asia/Urumqi',
      groupNames: { consult: '会商群', street: '街道接诉即办工作群', pengrun: '鹏润家园社区' },
      days: 'working',
      quietHours: '23:00-07:00',
      maskRoomNumbers: false,
      communities: [{ key: 'pengrun', name: '鹏润家园社区', places: [] }],
      sections: [{ name: '平安办', categories: ['群租房'] }],
      people: [{ name: '汪书记', role: 'leader', ids: { '*': 'tg:42' }, department: null, admin: false }],
    });
  });

  it('people pinned per platform, admins, departments and the practice settings', () => {
    const c = parsed({
      people: [
        { name: '汪书记', role: 'leader', ids: { telegram: 111, wechaty: 'wxid_abc' } },
        { name: '运维', role: 'admin' },
        { name: '赵工', role: 'department', department: '区水务局' },
      ],
      departments: [{ name: '区水务局', people: ['赵工'] }, { name: '市政排水集团', group: 'paishui' }],
      extensions: { max: 2 },
      whistle: { checkInWithin: '20m' },
      followUp: { closeAfter: '5d' },
    });
    expect(c.people).toEqual([
      { name: '汪书记', role: 'leader', ids: { telegram: '111', wechaty: 'wxid_abc' }, department: null, admin: false },
      { name: '运维', role: 'member', ids: {}, department: null, admin: true },
      { name: '赵工', role: 'department', ids: {}, department: '区水务局', admin: false },
    ]);
    expect(c.departments).toEqual([{ name: '区水务局', people: ['赵工'], group: null }, { name: '市政排水集团', people: [], group: 'paishui' }]);
    expect(c.extensions).toEqual({ max: 2, maxDays: 15 });
    expect(c.policy.checkInMs).toBe(20 * 60_000);
    expect(c.policy.followUpCloseMs).toBe(5 * 86_400_000);
  });
});

describe('parseStreetConfig: errors name the path', () => {
  it.each<[string, unknown, RegExp]>([
    ['bad duration', { deadlines: { urgent: { respond: 'soon' } } }, /^deadlines\.urgent\.respond: .*90s/],
    ['zero duration', { deadlines: { ordinary: { resolve: '0d' } } }, /^deadlines\.ordinary\.resolve: /],
    ['unit not known', { deadlines: { unclaimed: { urgent: '2w' } } }, /^deadlines\.unclaimed\.urgent: /],
    ['number instead of a duration', { deadlines: { overdueRepeat: { consult: 4 } } }, /^deadlines\.overdueRepeat\.consult: /],
    ['unknown class', { deadlines: { emergency: { respond: '1h' } } }, /^deadlines: .*emergency/],
    ['unknown window key', { deadlines: { urgent: { reply: '1h' } } }, /^deadlines\.urgent: .*reply/],
    ['duplicate community key', { communities: [{ key: 'zhangyi', name: '张仪村社区' }, { key: 'zhangyi', name: '另一个' }] }, /^communities\.1\.key: .*重复.*zhangyi/],
    ['community key clashing with consult', { communities: [{ key: 'consult', name: '会商社区' }] }, /^communities\.0\.key: .*重复.*consult/],
    ['community key clashing with street', { communities: [{ key: 'a', name: 'A' }, { key: 'street', name: '街道社区' }] }, /^communities\.1\.key: .*street/],
    ['community key with capitals', { communities: [{ key: 'ZhangYi', name: '张仪村社区' }] }, /^communities\.0\.key: /],
    ['community without a name', { communities: [{ key: 'a' }] }, /^communities\.0\.name: /],
    ['unknown role', { people: [{ name: '某人', role: 'boss' }] }, /^people\.0\.role: /],
    ['bad days', { days: 'weekdays' }, /^days: /],
    ['bad quiet hours', { quietHours: '10pm-8am' }, /^quietHours: /],
    ['empty street name', { street: '' }, /^street: /],
    ['a list as the document', [], /^\(root\): /],
  ])('%s', (_label, raw, says) => {
    expect(error(raw)).toMatch(says);
  });
});
