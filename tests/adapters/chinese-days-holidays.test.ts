import { describe, expect, it } from 'vitest';
import chineseDays from 'chinese-days';
import { loadHolidayData } from '../../adapters/calendar/chinese-days-holidays';
import { createWorkCalendar } from '../../core/time/work-calendar';
import { addDaysToKey } from '../../core/time/wall-clock';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

describe('loadHolidayData (chinese-days 1.5.7)', () => {
  const data = loadHolidayData();

  it('covers 2004–2026 and nothing later', () => {
    const years = [...data.coveredYears].sort();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(23);
    expect(data.coveredYears.has(2027)).toBe(false);
  });

  const expected: [string, boolean][] = [
    ...['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'].map((d): [string, boolean] => [d, true]),
    ['2026-09-20', false],
    ['2026-10-10', false],
    ...['2026-02-15', '2026-02-19', '2026-02-23'].map((d): [string, boolean] => [d, true]),
    ['2026-02-14', false],
    ['2026-02-28', false],
  ];
  it.each(expected)('2026 National Day and Spring Festival: %s off=%s', (date, off) => {
    expect(data.holidays.get(date)).toBe(off);
  });

  it('plain days are not in the table', () => {
    expect(data.holidays.has('2026-10-08')).toBe(false);
    expect(data.holidays.has('2026-10-11')).toBe(false);
  });

  it('agrees with the package’s own isWorkday on every day from 2004 to 2026', () => {
    const cal = createWorkCalendar({ ...data, timeZone: TZ });
    const disagree: string[] = [];
    for (let d = '2004-01-01'; d <= '2026-12-31'; d = addDaysToKey(d, 1)) {
      if (cal.isWorkday(d) !== chineseDays.isWorkday(d)) disagree.push(d);
    }
    expect(disagree).toEqual([]);
  });

  it('groups the days into named periods with their make-up days', () => {
    const y2026 = data.periods.filter((p) => p.firstDay.startsWith('2026'));
    expect(y2026.map((p) => `${p.name} ${p.firstDay}～${p.lastDay} ${p.makeUpDays.join(',')}`)).toEqual([
      '元旦 2026-01-01～2026-01-03 2026-01-04',
      '春节 2026-02-15～2026-02-23 2026-02-14,2026-02-28',
      '清明 2026-04-04～2026-04-06 ',
      '劳动节 2026-05-01～2026-05-05 2026-05-09',
      '端午 2026-06-19～2026-06-21 ',
      '中秋 2026-09-25～2026-09-27 ',
      '国庆节 2026-10-01～2026-10-07 2026-09-20,2026-10-10',
    ]);
  });

  it('drives the working-day rule end to end', () => {
    const cal = createWorkCalendar({ ...data, timeZone: TZ });
    expect(iso(cal.addWindow(at('2026-09-30T10:00'), { days: 7 }, 'working').dueAt)).toBe('2026-10-15T10:00');
    expect(iso(cal.addWindow(at('2026-02-13T17:00'), { days: 2 }, 'working').dueAt)).toBe('2026-02-24T17:00');
    const fallback = cal.addWindow(at('2028-03-04T10:00'), { days: 7 }, 'working');
    expect([iso(fallback.dueAt), fallback.fellBackToCalendar]).toEqual(['2028-03-11T10:00', true]);
    expect(cal.uncoveredYears(at('2026-11-30T10:00'))).toEqual([2027]);
  });
});

describe('loadHolidayData with the YAML holidays: list', () => {
  const data = loadHolidayData([
    { date: '2027-01-01', off: true, name: '元旦' },
    { date: '2027-02-06', off: false, name: null },
    { date: '2026-10-08', off: true, name: null },
  ]);

  it('adds the years it names and wins over the package on the same date', () => {
    expect(data.coveredYears.has(2027)).toBe(true);
    expect(data.holidays.get('2027-01-01')).toBe(true);
    expect(data.holidays.get('2027-02-06')).toBe(false);
    expect(data.holidays.get('2026-10-08')).toBe(true);
    expect(data.periods.find((p) => p.firstDay === '2026-10-01')).toEqual({ name: '国庆节', firstDay: '2026-10-01', lastDay: '2026-10-08', makeUpDays: ['2026-09-20', '2026-10-10'] });
    expect(data.periods.find((p) => p.firstDay === '2027-01-01')?.name).toBe('元旦');
  });

  it('leaves the package data of other calls alone', () => {
    const plain = loadHolidayData();
    expect(plain.coveredYears.has(2027)).toBe(false);
    expect(plain.holidays.has('2026-10-08')).toBe(false);
  });

  it('a year covered by the YAML counts working days, so the warning is gone', () => {
    const cal = createWorkCalendar({ ...data, timeZone: TZ });
    const r = cal.addWindow(at('2026-12-30T10:00'), { days: 5 }, 'working');
    expect([iso(r.dueAt), r.fellBackToCalendar]).toEqual(['2027-01-07T10:00', false]);
    expect(cal.uncoveredYears(at('2026-11-30T10:00'))).toEqual([]);
  });
});
