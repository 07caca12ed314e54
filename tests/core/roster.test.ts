import { describe, expect, it } from 'vitest';
import { createRoster, type DutyChange, type Handover } from '../../core/duty/roster';
import { parseDaysSpec, parseDutyConfig, parseHolidayList, type DutyConfig } from '../../core/duty/duty-config';
import type { HolidayPeriod } from '../../core/time/holiday-periods';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function duty(raw: unknown): DutyConfig {
  const r = parseDutyConfig(raw);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** SPEC's example: weekday day shift, a night shift for every day in rotation, 汪书记 on National Day. 2026-09-28 is a Monday. */
const specDuty = duty({
  shifts: [
    { days: 'mon-fri', from: '08:30', to: '17:30', people: ['张伟'] },
    { days: 'all', from: '17:30', to: '08:30', rotate: ['李雷', '王芳'], rotateFrom: '2026-09-28' },
  ],
  overrides: [{ date: '2026-10-01', people: ['汪书记'] }],
});
const roster = createRoster({ duty: specDuty, timeZone: TZ });

const brief = (h: Handover) => `${local(h.at)} ${h.previous.join('、') || '-'} → ${h.people.join('、') || '-'}`;

describe('duty config', () => {
  it.each([
    ['all', [0, 1, 2, 3, 4, 5, 6]],
    ['mon-fri', [1, 2, 3, 4, 5]],
    ['sat,sun', [0, 6]],
    ['Mon, wed-fri', [1, 3, 4, 5]],
    ['fri-mon', [0, 1, 5, 6]],
    ['sun', [0]],
  ])('days %j → %j', (text, expected) => {
    expect(parseDaysSpec(text)).toEqual(expected);
  });
  it.each(['', 'weekdays', 'mon-xyz', 'mon,,fri', 'monday'])('days %j is refused', (text) => {
    expect(parseDaysSpec(text)).toBeNull();
  });

  it('turns the YAML into minutes and weekdays, with defaults', () => {
    expect(parseDutyConfig(undefined)).toEqual({ ok: true, value: { shifts: [], overrides: [] } });
    expect(specDuty.shifts[1]).toEqual({ weekdays: [0, 1, 2, 3, 4, 5, 6], fromMin: 1050, toMin: 510, people: [], rotate: ['李雷', '王芳'], rotateFrom: '2026-09-28' });
    expect(duty({ shifts: [{ days: 'all', from: '00:00', to: '00:00', people: ['甲'] }] }).shifts[0]!.rotateFrom).toBe('2026-01-01');
    expect(specDuty.overrides).toEqual([{ date: '2026-10-01', people: ['汪书记'], fromMin: null, toMin: null }]);
  });

  it.each([
    [{ shifts: [{ days: 'mon-fri', from: '25:00', to: '17:30', people: ['张伟'] }] }, 'duty.shifts.0.from'],
    [{ shifts: [{ days: 'someday', from: '08:30', to: '17:30', people: ['张伟'] }] }, 'duty.shifts.0.days'],
    [{ shifts: [{ days: 'all', from: '08:30', to: '17:30' }] }, 'duty.shifts.0'],
    [{ shifts: [{ days: 'all', from: '08:30', to: '17:30', people: ['甲'], extra: 1 }] }, 'duty.shifts.0'],
    [{ overrides: [{ date: '2026-02-30', people: ['甲'] }] }, 'duty.overrides.0.date'],
    [{ overrides: [{ date: '2026-10-01', people: [] }] }, 'duty.overrides.0.people'],
    [{ overrides: [{ date: '2026-10-01', people: ['甲'], from: '08:00' }] }, 'duty.overrides.0'],
  ])('%j is refused at %s', (raw, path) => {
    const r = parseDutyConfig(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.startsWith(`${path}: `)).toBe(true);
  });

  it('holidays: dated entries, a YAML 1.1 date accepted, bad ones named', () => {
    expect(parseHolidayList([{ date: '2027-01-01', off: true, name: '元旦' }, { date: new Date('2027-02-06T00:00:00Z'), off: false }])).toEqual({
      ok: true,
      value: [{ date: '2027-01-01', off: true, name: '元旦' }, { date: '2027-02-06', off: false, name: null }],
    });
    expect(parseHolidayList(undefined)).toEqual({ ok: true, value: [] });
    const bad = parseHolidayList([{ date: '2027-13-01', off: true }]);
    expect(bad.ok === false && bad.error.startsWith('holidays.0.date: ')).toBe(true);
    const noOff = parseHolidayList([{ date: '2027-01-01' }]);
    expect(noOff.ok === false && noOff.error.startsWith('holidays.0.off: ')).toBe(true);
  });
});

describe('onDutyAt', () => {
  it.each([
    ['2026-09-29T10:00', ['张伟'], '08:30', '17:30', '2026-09-29 08:30', '2026-09-29 17:30'],
    ['2026-09-29T17:30', ['王芳'], '17:30', '08:30', '2026-09-29 17:30', '2026-09-30 08:30'],
    ['2026-09-30T03:00', ['王芳'], '17:30', '08:30', '2026-09-29 17:30', '2026-09-30 08:30'],
    ['2026-09-30T08:29', ['王芳'], '17:30', '08:30', '2026-09-29 17:30', '2026-09-30 08:30'],
    ['2026-09-30T20:00', ['李雷'], '17:30', '08:30', '2026-09-30 17:30', '2026-10-01 08:30'],
    ['2026-10-01T03:00', ['李雷'], '17:30', '08:30', '2026-09-30 17:30', '2026-10-01 08:30'],
    ['2026-10-01T10:00', ['汪书记'], '08:30', '17:30', '2026-10-01 08:30', '2026-10-01 17:30'],
    ['2026-10-01T20:00', ['汪书记'], '17:30', '08:30', '2026-10-01 17:30', '2026-10-02 08:30'],
    ['2026-10-02T20:00', ['李雷'], '17:30', '08:30', '2026-10-02 17:30', '2026-10-03 08:30'],
    ['2026-09-27T20:00', ['王芳'], '17:30', '08:30', '2026-09-27 17:30', '2026-09-28 08:30'],
  ])('%s → %j', (when, people, from, to, start, end) => {
    const d = roster.onDutyAt(at(when));
    expect(d).not.toBeNull();
    expect(d!.people).toEqual(people);
    expect([d!.shift.from, d!.shift.to, local(d!.shift.startMs), local(d!.shift.endMs)]).toEqual([from, to, start, end]);
  });

  it('nobody between the Saturday night shifts (no day shift on weekends)', () => {
    expect(roster.onDutyAt(at('2026-10-03T12:00'))).toBeNull();
  });

  it('rotation counts the days the shift runs, so a weekday rotation alternates across weekends', () => {
    const r = createRoster({ duty: duty({ shifts: [{ days: 'mon-fri', from: '09:00', to: '18:00', rotate: ['甲', '乙'], rotateFrom: '2026-09-28' }] }), timeZone: TZ });
    const days = ['2026-09-25', '2026-09-28', '2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06'];
    expect(days.map((d) => r.peopleOnDate(d).join())).toEqual(['乙', '甲', '乙', '甲', '乙', '甲', '乙', '甲']);
    expect(r.peopleOnDate('2026-10-03')).toEqual([]);
  });

  it('an override on a day without shifts covers the whole day', () => {
    const r = createRoster({
      duty: duty({ shifts: [{ days: 'mon-fri', from: '08:30', to: '17:30', people: ['张伟'] }], overrides: [{ date: '2026-10-03', people: ['汪书记'] }] }),
      timeZone: TZ,
    });
    const d = r.onDutyAt(at('2026-10-03T12:00'));
    expect(d?.people).toEqual(['汪书记']);
    expect([local(d!.shift.startMs), local(d!.shift.endMs)]).toEqual(['2026-10-03 00:00', '2026-10-04 00:00']);
    expect(r.onDutyAt(at('2026-10-04T12:00'))).toBeNull();
  });

  it('an override with times holds over the pattern shift it overlaps, which resumes after it', () => {
    const r = createRoster({
      duty: duty({
        shifts: [{ days: 'all', from: '17:30', to: '08:30', people: ['李雷'] }],
        overrides: [{ date: '2026-10-01', people: ['赵六'], from: '00:00', to: '06:00' }],
      }),
      timeZone: TZ,
    });
    expect(r.onDutyAt(at('2026-09-30T23:00'))?.people).toEqual(['李雷']);
    const during = r.onDutyAt(at('2026-10-01T03:00'));
    expect(during?.people).toEqual(['赵六']);
    expect([during!.shift.from, during!.shift.to]).toEqual(['00:00', '06:00']);
    expect(r.onDutyAt(at('2026-10-01T07:00'))?.people).toEqual(['李雷']);
    expect(r.handoversBetween(at('2026-09-30T18:00'), at('2026-10-01T18:00')).map(brief)).toEqual([
      '2026-10-01 00:00 李雷 → 赵六',
      '2026-10-01 06:00 赵六 → 李雷',
      '2026-10-01 08:30 李雷 → -',
      '2026-10-01 17:30 - → 李雷',
    ]);
  });

  it('people and a rotation on one shift are on duty together', () => {
    const r = createRoster({ duty: duty({ shifts: [{ days: 'all', from: '08:00', to: '08:00', people: ['汪书记'], rotate: ['甲', '乙'], rotateFrom: '2026-10-01' }] }), timeZone: TZ });
    expect(r.onDutyAt(at('2026-10-02T07:00'))?.people).toEqual(['汪书记', '甲']);
    expect(r.onDutyAt(at('2026-10-02T09:00'))?.people).toEqual(['汪书记', '乙']);
  });

  it('an empty roster has nobody and no handover', () => {
    const r = createRoster({ duty: duty(undefined), timeZone: TZ });
    expect(r.onDutyAt(at('2026-10-01T10:00'))).toBeNull();
    expect(r.nextHandover(at('2026-10-01T10:00'))).toBeNull();
    expect(r.rosterText(at('2026-10-01T10:00'))).toBe('【值班】\n现在：无人值班\n近7天没有节假日');
  });
});

describe('chat changes', () => {
  const withChanges = (changes: DutyChange[]) => createRoster({ duty: specDuty, changes, timeZone: TZ });

  it('a swap exchanges the two people on the shifts of that date, both ways', () => {
    const r = withChanges([{ kind: 'swap', a: '李雷', b: '张伟', date: '2026-09-30' }]);
    expect(r.onDutyAt(at('2026-09-30T10:00'))?.people).toEqual(['李雷']);
    expect(r.onDutyAt(at('2026-09-30T20:00'))?.people).toEqual(['张伟']);
    expect(r.onDutyAt(at('2026-10-02T10:00'))?.people).toEqual(['张伟']);
  });

  it('a swap with someone off duty that day hands the shift over', () => {
    const r = withChanges([{ kind: 'swap', a: '王芳', b: '赵六', date: '2026-09-29' }]);
    expect(r.onDutyAt(at('2026-09-29T20:00'))?.people).toEqual(['赵六']);
    expect(r.peopleOnDate('2026-09-29')).toEqual(['张伟', '赵六']);
  });

  it('set gives the date to the people; a later set wins; the handover list skips unchanged people', () => {
    const r = withChanges([
      { kind: 'set', date: '2026-09-29', people: ['钱七'] },
      { kind: 'set', date: '2026-09-29', people: ['赵六'] },
    ]);
    expect(r.shiftsOn('2026-09-29').map((s) => `${s.from}-${s.to} ${s.people.join()}`)).toEqual(['08:30-17:30 赵六', '17:30-08:30 赵六']);
    expect(r.handoversBetween(at('2026-09-29T00:00'), at('2026-09-30T12:00')).map(brief)).toEqual([
      '2026-09-29 08:30 李雷 → 赵六',
      '2026-09-30 08:30 赵六 → 张伟',
    ]);
  });

  it('a chat change overrides the YAML override on a holiday', () => {
    const r = withChanges([{ kind: 'set', date: '2026-10-01', people: ['李调度'] }]);
    expect(r.onDutyAt(at('2026-10-01T10:00'))?.people).toEqual(['李调度']);
  });

  it('a swap after a set applies to the set people', () => {
    const r = withChanges([
      { kind: 'set', date: '2026-10-02', people: ['赵六'] },
      { kind: 'swap', a: '赵六', b: '钱七', date: '2026-10-02' },
    ]);
    expect(r.peopleOnDate('2026-10-02')).toEqual(['钱七']);
  });
});

describe('handovers', () => {
  it('lists every change of the people on duty over the National Day start', () => {
    expect(roster.handoversBetween(at('2026-09-28T00:00'), at('2026-10-04T00:00')).map(brief)).toEqual([
      '2026-09-28 08:30 王芳 → 张伟',
      '2026-09-28 17:30 张伟 → 李雷',
      '2026-09-29 08:30 李雷 → 张伟',
      '2026-09-29 17:30 张伟 → 王芳',
      '2026-09-30 08:30 王芳 → 张伟',
      '2026-09-30 17:30 张伟 → 李雷',
      '2026-10-01 08:30 李雷 → 汪书记',
      '2026-10-02 08:30 汪书记 → 张伟',
      '2026-10-02 17:30 张伟 → 李雷',
      '2026-10-03 08:30 李雷 → -',
      '2026-10-03 17:30 - → 王芳',
    ]);
  });

  it('the window is (from, to]', () => {
    expect(roster.handoversBetween(at('2026-09-29T08:30'), at('2026-09-29T17:30')).map(brief)).toEqual(['2026-09-29 17:30 张伟 → 王芳']);
    expect(roster.handoversBetween(at('2026-09-29T17:30'), at('2026-09-29T17:30'))).toEqual([]);
  });

  it.each([
    ['2026-09-29T10:00', '2026-09-29 17:30 张伟 → 王芳'],
    ['2026-09-29T17:30', '2026-09-30 08:30 王芳 → 张伟'],
    ['2026-10-01T09:00', '2026-10-02 08:30 汪书记 → 张伟'],
    ['2026-10-03T12:00', '2026-10-03 17:30 - → 王芳'],
  ])('next after %s: %s', (when, expected) => {
    expect(brief(roster.nextHandover(at(when))!)).toBe(expected);
  });

  it('a single person on every day has no handover', () => {
    const r = createRoster({ duty: duty({ shifts: [{ days: 'all', from: '00:00', to: '00:00', people: ['汪书记'] }] }), timeZone: TZ });
    expect(r.onDutyAt(at('2026-10-01T10:00'))?.people).toEqual(['汪书记']);
    expect(r.nextHandover(at('2026-10-01T10:00'))).toBeNull();
  });
});

describe('rosterText', () => {
  const holidays: HolidayPeriod[] = [
    { name: '中秋', firstDay: '2026-09-25', lastDay: '2026-09-27', makeUpDays: [] },
    { name: '国庆节', firstDay: '2026-10-01', lastDay: '2026-10-07', makeUpDays: ['2026-09-20', '2026-10-10'] },
    { name: '元旦', firstDay: '2027-01-01', lastDay: '2027-01-03', makeUpDays: [] },
  ];

  it('now, next and the coming holiday with its duty', () => {
    expect(roster.rosterText(at('2026-09-29T20:00'), 7, holidays)).toBe(
      [
        '【值班】',
        '现在：王芳（至 09-30 08:30）',
        '下一班：张伟（09-30 08:30 起）',
        '节假日安排：',
        '国庆节 10-01～10-07 放假；09-20、10-10 上班',
        '10-01 周四：08:30-17:30 汪书记；17:30-次日08:30 汪书记',
        '10-02 周五：08:30-17:30 张伟；17:30-次日08:30 李雷',
        '10-03 周六：17:30-次日08:30 王芳',
        '10-04 周日：17:30-次日08:30 李雷',
        '10-05 周一：08:30-17:30 张伟；17:30-次日08:30 王芳',
        '10-06 周二：08:30-17:30 张伟；17:30-次日08:30 李雷',
        '10-07 周三：08:30-17:30 张伟；17:30-次日08:30 王芳',
      ].join('\n'),
    );
  });

  it('during a holiday only the days left; nothing ahead says so', () => {
    const during = roster.rosterText(at('2026-10-06T12:00'), 7, holidays).split('\n');
    expect(during.slice(4)).toEqual([
      '国庆节 10-01～10-07 放假；09-20、10-10 上班',
      '10-06 周二：08:30-17:30 张伟；17:30-次日08:30 李雷',
      '10-07 周三：08:30-17:30 张伟；17:30-次日08:30 王芳',
    ]);
    expect(roster.rosterText(at('2026-10-12T12:00'), 7, holidays)).toBe(
      '【值班】\n现在：张伟（至 10-12 17:30）\n下一班：李雷（10-12 17:30 起）\n近7天没有节假日',
    );
  });

  it('a gap now says nobody; a whole-day override prints 全天', () => {
    const r = createRoster({
      duty: duty({ shifts: [{ days: 'mon-fri', from: '08:30', to: '17:30', people: ['张伟'] }], overrides: [{ date: '2026-10-03', people: ['汪书记'] }] }),
      timeZone: TZ,
    });
    const text = r.rosterText(at('2026-10-02T20:00'), 3, holidays).split('\n');
    expect(text.slice(0, 3)).toEqual(['【值班】', '现在：无人值班', '下一班：汪书记（10-03 00:00 起）']);
    expect(text).toContain('10-03 周六：全天 汪书记');
    expect(text).toContain('10-04 周日：无人值班');
  });
});
