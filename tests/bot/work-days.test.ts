/**
 * `days: working` wired: the app's day calendar over China's holidays (the chinese-days package and
 * the YAML holidays:), intake deadlines that follow it, the 回访 reminder on the next working morning,
 * and the one-time warning about a year without holiday data.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadHolidayData } from '../../adapters/calendar/chinese-days-holidays';
import { createApp, type DayCalendar } from '../../bot/app';
import { calendarWarningKey, warnUncoveredYears, workDayCalendar } from '../../bot/work-day-calendar';
import { parseHolidayList } from '../../core/duty/duty-config';
import type { WorkDispatcher } from '../../core/ports';
import { parseStreetConfig, type StreetConfig } from '../../core/street-config';
import { createWorkCalendar } from '../../core/time/work-calendar';
import type { Effect } from '../../core/types';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { SqliteDutyStore } from '../../storage/sqlite-duty-store';
import { silentLogger, TEST_STREET_YAML } from '../helpers/harness';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);

/** 2027's New Year from the YAML (the package has data through 2026). */
const yaml2027 = parseHolidayList([{ date: '2027-01-01', off: true, name: '元旦' }, { date: '2027-01-04', off: false }]);
if (!yaml2027.ok) throw new Error(yaml2027.error);
const data = loadHolidayData(yaml2027.value);
const workCalendar = createWorkCalendar({ holidays: data.holidays, coveredYears: data.coveredYears, timeZone: TZ });
const working = workDayCalendar(workCalendar, 'working', TZ);
const calendarMode = workDayCalendar(workCalendar, 'calendar', TZ);

describe('the app calendar with days: working', () => {
  it.each([
    ['7 days across the National Day week (10-01…07 off)', '2026-09-30T10:00:00', 7, '2026-10-15T10:00:00'],
    ['reported on a National Day holiday: from 09:00 of 10-08', '2026-10-03T15:30:00', 7, '2026-10-16T09:00:00'],
    ['the make-up Saturday 10-10 counts', '2026-10-09T11:00:00', 1, '2026-10-10T11:00:00'],
    ['Spring Festival: the make-up Saturday 02-14, then nine days off', '2026-02-13T17:00:00', 2, '2026-02-24T17:00:00'],
    ['15 days over Mid-autumn and National Day', '2026-09-24T09:00:00', 15, '2026-10-22T09:00:00'],
    ['2027 from the YAML: 01-01 off, Monday 01-04 a working day anyway', '2026-12-31T10:00:00', 1, '2027-01-04T10:00:00'],
    ['a year with no data (2028) counts calendar days', '2028-03-04T10:00:00', 7, '2028-03-11T10:00:00'],
  ])('%s', (_, start, days, due) => {
    expect(local(working.addDays(at(start), days))).toBe(due);
  });

  it('calendar mode adds 24 h per day over holidays', () => {
    expect(local(calendarMode.addDays(at('2026-09-30T10:00:00'), 7))).toBe('2026-10-07T10:00:00');
  });

  it.each([
    ['before National Day → the first working day after it', '2026-09-30T15:00:00', '2026-10-08T09:00:00'],
    ['a Friday before the make-up Saturday', '2026-10-09T16:00:00', '2026-10-10T09:00:00'],
    ['an ordinary Friday → Monday', '2026-11-27T16:00:00', '2026-11-30T09:00:00'],
  ])('回访 reminder: %s', (_, resolvedAt, morning) => {
    expect(local(working.nextWorkingMorning(at(resolvedAt)))).toBe(morning);
    expect(local(calendarMode.nextWorkingMorning(at(resolvedAt)))).toBe(morning);
  });
});

const nullDispatcher: WorkDispatcher = { deliver: async () => undefined, schedule: async () => undefined, cancel: async () => undefined };

function street(days: 'calendar' | 'working'): StreetConfig {
  const raw = parseYaml(readFileSync(TEST_STREET_YAML, 'utf8')) as Record<string, unknown>;
  // SPEC's default windows (the test street's are seconds long).
  delete raw.deadlines;
  const r = parseStreetConfig({ ...raw, days });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

async function intake(days: 'calendar' | 'working', calendar: DayCalendar | undefined, body: Record<string, unknown>) {
  const database = openDatabase(':memory:');
  const app = createApp({ store: new SqliteCaseStore(database.db), config: street(days), dispatcher: nullDispatcher, logger: silentLogger, clock: () => at('2026-09-30T10:00:00'), calendar });
  const out = await app.handleIntake({ hotlineNo: 'W-1', content: '张仪村4号院路灯不亮', address: '张仪村4号院', ...body }, '12345');
  database.close();
  return out.case!;
}

describe('intake deadlines follow the day rule', () => {
  it('working: 7d resolution in working days over National Day; the 24 h response is one working day', async () => {
    const c = await intake('working', working, { urgency: 'ordinary' });
    expect([local(c.respondBy), local(c.resolveBy)]).toEqual(['2026-10-08T10:00:00', '2026-10-15T10:00:00']);
  });

  it('working: windows in hours stay clock time (urgent 30 min / 2 h)', async () => {
    const c = await intake('working', working, { urgency: 'urgent' });
    expect([local(c.respondBy), local(c.resolveBy)]).toEqual(['2026-09-30T10:30:00', '2026-09-30T12:00:00']);
  });

  it('the 办理时限 written on the work order wins', async () => {
    const c = await intake('working', working, { urgency: 'ordinary', resolveBy: '2026-10-03T10:00:00+08:00' });
    expect(local(c.resolveBy)).toBe('2026-10-03T10:00:00');
  });

  it('without a calendar (the default) days are 24 h, as before', async () => {
    const c = await intake('calendar', undefined, { urgency: 'ordinary' });
    expect([local(c.respondBy), local(c.resolveBy)]).toEqual(['2026-10-01T10:00:00', '2026-10-07T10:00:00']);
  });
});

describe('warning about a year without holiday data', () => {
  const now = at('2026-12-03T09:00:00');
  const packageOnly = loadHolidayData();
  const cal = createWorkCalendar({ holidays: packageOnly.holidays, coveredYears: packageOnly.coveredYears, timeZone: TZ });

  async function run(store: SqliteDutyStore, mode: 'working' | 'calendar', posted: Effect[][], warned: unknown[]) {
    const logger = { ...silentLogger, warn: (obj: unknown) => void warned.push(obj) };
    const postOnce = async (claim: () => boolean, effects: Effect[]) => (claim() ? (posted.push(effects), true) : false);
    return warnUncoveredYears({ calendar: cal, mode, notices: store, postOnce, logger, now });
  }

  it('says it in the log at every start and in consult once (sent_reports)', async () => {
    const database = openDatabase(':memory:');
    const store = new SqliteDutyStore(database.sqlite);
    const posted: Effect[][] = [];
    const warned: unknown[] = [];
    expect(await run(store, 'working', posted, warned)).toEqual([2027]);
    expect(await run(store, 'working', posted, warned)).toEqual([]);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject([{ type: 'send', group: 'consult', text: expect.stringContaining('2027 年的节假日和调休安排没有数据') }]);
    expect(warned).toEqual([{ years: [2027] }, { years: [2027] }]);
    expect(store.isNoticeSent(calendarWarningKey(2027))).toBe(true);
    database.close();
  });

  it('is silent with days: calendar and when the YAML covers the year', async () => {
    const database = openDatabase(':memory:');
    const store = new SqliteDutyStore(database.sqlite);
    const posted: Effect[][] = [];
    expect(await run(store, 'calendar', posted, [])).toEqual([]);
    expect(createWorkCalendar({ holidays: data.holidays, coveredYears: data.coveredYears, timeZone: TZ }).uncoveredYears(now)).toEqual([]);
    expect(posted).toEqual([]);
    database.close();
  });
});
