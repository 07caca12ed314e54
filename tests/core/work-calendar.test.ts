import { describe, expect, it } from 'vitest';
import { createWorkCalendar, uncoveredYearsText, windowFromMs, type DayCounting, type DeadlineWindow } from '../../core/time/work-calendar';
import { groupHolidayPeriods } from '../../core/time/holiday-periods';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
const H = 3_600_000;

/** The State Council's 2026 arrangement (国办发明电〔2025〕7号), as the holiday adapter hands it to core. */
const OFF_2026 = [
  '2026-01-01', '2026-01-02', '2026-01-03',
  '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
  '2026-04-04', '2026-04-05', '2026-04-06',
  '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
  '2026-06-19', '2026-06-20', '2026-06-21',
  '2026-09-25', '2026-09-26', '2026-09-27',
  '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
];
const WORKED_2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];
const holidays2026 = new Map<string, boolean>([...OFF_2026.map((d) => [d, true] as const), ...WORKED_2026.map((d) => [d, false] as const)]);
const calendar = createWorkCalendar({ holidays: holidays2026, coveredYears: new Set([2026]), timeZone: TZ });

describe('isWorkday', () => {
  it.each([
    ['2026-10-01', false, 'National Day, Thursday'],
    ['2026-10-07', false, 'National Day, Wednesday'],
    ['2026-10-08', true, 'Thursday after the holiday'],
    ['2026-09-20', true, 'make-up Sunday'],
    ['2026-10-10', true, 'make-up Saturday'],
    ['2026-10-11', false, 'plain Sunday'],
    ['2026-09-25', false, 'Mid-autumn, Friday'],
    ['2026-02-14', true, 'make-up Saturday before the Spring Festival'],
    ['2026-02-23', false, 'last day of the Spring Festival, Monday'],
    ['2026-02-24', true, 'first working day after it'],
    ['2028-03-04', false, 'Saturday of a year without data: weekday rule'],
    ['2028-03-06', true, 'Monday of a year without data'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(calendar.isWorkday(date)).toBe(expected);
  });
});

describe('addWindow', () => {
  const cases: { name: string; start: string; window: DeadlineWindow; mode: DayCounting; due: string; fellBack?: boolean }[] = [
    { name: 'across the National Day week, same clock time', start: '2026-09-30T10:00:00', window: { days: 7 }, mode: 'working', due: '2026-10-15T10:00:00' },
    { name: 'reported on a holiday Saturday: from 09:00 of the next working day', start: '2026-10-03T15:30:00', window: { days: 7 }, mode: 'working', due: '2026-10-16T09:00:00' },
    { name: 'reported on the last holiday evening', start: '2026-10-07T23:00:00', window: { days: 1 }, mode: 'working', due: '2026-10-09T09:00:00' },
    { name: 'the make-up Sunday 09-20 counts', start: '2026-09-18T16:00:00', window: { days: 2 }, mode: 'working', due: '2026-09-21T16:00:00' },
    { name: 'reported on a plain Saturday before the make-up Sunday', start: '2026-09-19T11:00:00', window: { days: 1 }, mode: 'working', due: '2026-09-21T09:00:00' },
    { name: '15 days over Mid-autumn and National Day', start: '2026-09-24T09:00:00', window: { days: 15 }, mode: 'working', due: '2026-10-22T09:00:00' },
    { name: 'Spring Festival: the make-up Saturday 02-14 is the first day', start: '2026-02-13T17:00:00', window: { days: 1 }, mode: 'working', due: '2026-02-14T17:00:00' },
    { name: 'Spring Festival: the second day is after the nine days off', start: '2026-02-13T17:00:00', window: { days: 2 }, mode: 'working', due: '2026-02-24T17:00:00' },
    { name: 'reported during the Spring Festival, the make-up Saturday 02-28 counts', start: '2026-02-18T08:00:00', window: { days: 7 }, mode: 'working', due: '2026-03-04T09:00:00' },
    { name: 'reported on a plain Saturday', start: '2026-03-07T20:00:00', window: { days: 7 }, mode: 'working', due: '2026-03-18T09:00:00' },
    { name: 'seconds and milliseconds are kept', start: '2026-03-09T23:59:30.500', window: { days: 1 }, mode: 'working', due: '2026-03-10T23:59:30' },
    { name: 'hours stay clock time on a holiday', start: '2026-10-03T15:30:00', window: { ms: 2 * H }, mode: 'working', due: '2026-10-03T17:30:00' },
    { name: 'calendar mode counts days as 24 h over holidays', start: '2026-09-30T10:00:00', window: { days: 7 }, mode: 'calendar', due: '2026-10-07T10:00:00' },
    { name: 'a year without data falls back to calendar days', start: '2028-03-04T10:00:00', window: { days: 7 }, mode: 'working', due: '2028-03-11T10:00:00', fellBack: true },
    { name: 'into a year without data: covered days by the calendar, the rest calendar days', start: '2026-12-30T10:00:00', window: { days: 5 }, mode: 'working', due: '2027-01-04T10:00:00', fellBack: true },
  ];
  it.each(cases)('$name', ({ start, window, mode, due, fellBack }) => {
    const r = calendar.addWindow(at(start), window, mode);
    expect(iso(r.dueAt)).toBe(due);
    expect(r.fellBackToCalendar).toBe(fellBack ?? false);
  });

  it('keeps the milliseconds of the report', () => {
    expect(calendar.addWindow(at('2026-03-09T23:59:30.500'), { days: 1 }, 'working').dueAt).toBe(at('2026-03-10T23:59:30.500'));
  });

  it('a year covered by the YAML list counts working days there', () => {
    const withYaml = new Map(holidays2026).set('2027-01-01', true);
    const cal = createWorkCalendar({ holidays: withYaml, coveredYears: new Set([2026, 2027]), timeZone: TZ });
    const r = cal.addWindow(at('2026-12-30T10:00:00'), { days: 5 }, 'working');
    expect(iso(r.dueAt)).toBe('2027-01-07T10:00:00');
    expect(r.fellBackToCalendar).toBe(false);
  });

  it('uses the zone, not a fixed offset: working days across a DST change', () => {
    const cal = createWorkCalendar({ holidays: new Map(), coveredYears: new Set([2026]), timeZone: 'America/New_York' });
    // Friday 10:00 EST → two working days later is Tuesday 10:00, by then EDT.
    const due = cal.addWindow(Date.parse('2026-03-06T10:00:00-05:00'), { days: 2 }, 'working').dueAt;
    expect(due).toBe(Date.parse('2026-03-10T10:00:00-04:00'));
  });
});

describe('uncoveredYears', () => {
  it.each([
    [[2026], '2026-06-01T12:00:00', [2027]],
    [[2026, 2027], '2026-12-31T23:59:00', []],
    [[2026], '2027-01-01T00:00:00', [2027, 2028]],
    [[2026, 2027], '2025-12-31T23:00:00', [2025]],
  ])('covered %j at %s → %j', (covered, now, expected) => {
    const cal = createWorkCalendar({ holidays: holidays2026, coveredYears: new Set(covered), timeZone: TZ });
    expect(cal.uncoveredYears(at(now))).toEqual(expected);
  });

  it('the warning names the years, and there is none without them', () => {
    expect(uncoveredYearsText([2027])).toContain('2027 年');
    expect(uncoveredYearsText([2027])).toContain('holidays:');
    expect(uncoveredYearsText([])).toBeNull();
  });
});

describe('windowFromMs', () => {
  it.each([
    [7 * 24 * H, { days: 7 }],
    [15 * 24 * H, { days: 15 }],
    [24 * H, { days: 1 }],
    [2 * H, { ms: 2 * H }],
    [36 * H, { ms: 36 * H }],
    [30 * 60_000, { ms: 30 * 60_000 }],
  ])('%d ms → %j', (ms, expected) => {
    expect(windowFromMs(ms)).toEqual(expected);
  });
});

describe('groupHolidayPeriods', () => {
  it('groups the 2026 data as people name the holidays', () => {
    const named = (d: string) => (d >= '2026-09-28' || d === '2026-09-20' ? '国庆节' : d >= '2026-09-25' ? '中秋' : d >= '2026-06' ? '端午' : d >= '2026-04-07' ? '劳动节' : d >= '2026-04' ? '清明' : d >= '2026-02' ? '春节' : '元旦');
    const periods = groupHolidayPeriods([...holidays2026].map(([date, off]) => ({ date, off, name: named(date) })));
    expect(periods.map((p) => `${p.name} ${p.firstDay}～${p.lastDay} ${p.makeUpDays.join(',')}`)).toEqual([
      '元旦 2026-01-01～2026-01-03 2026-01-04',
      '春节 2026-02-15～2026-02-23 2026-02-14,2026-02-28',
      '清明 2026-04-04～2026-04-06 ',
      '劳动节 2026-05-01～2026-05-05 2026-05-09',
      '端午 2026-06-19～2026-06-21 ',
      '中秋 2026-09-25～2026-09-27 ',
      '国庆节 2026-10-01～2026-10-07 2026-09-20,2026-10-10',
    ]);
  });

  it('a make-up day goes to the nearest holiday of its name; unnamed lists bridge a plain weekend', () => {
    const periods = groupHolidayPeriods([
      { date: '2026-09-20', off: false, name: '国庆节' },
      { date: '2026-09-25', off: true, name: '中秋' },
      { date: '2026-10-01', off: true, name: '国庆节' },
      { date: '2026-10-02', off: true, name: '国庆节' },
      // a YAML list that leaves out the weekend inside the holiday
      { date: '2027-10-01', off: true, name: null },
      { date: '2027-10-04', off: true, name: null },
      { date: '2027-10-09', off: false, name: null },
    ]);
    expect(periods).toEqual([
      { name: '中秋', firstDay: '2026-09-25', lastDay: '2026-09-25', makeUpDays: [] },
      { name: '国庆节', firstDay: '2026-10-01', lastDay: '2026-10-02', makeUpDays: ['2026-09-20'] },
      { name: '假期', firstDay: '2027-10-01', lastDay: '2027-10-04', makeUpDays: ['2027-10-09'] },
    ]);
  });
});
