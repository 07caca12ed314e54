/** Report periods, the reports: YAML key, 三率 and the schedule's arithmetic — every expected value worked out by hand. */
import { describe, expect, it } from 'vitest';
import { namedPeriod, parsePeriod, periodAt, periodTitle, previousPeriod, resolvePeriodWord, utcOffsetMs } from '../../core/reports/periods';
import { rates } from '../../core/reports/rates';
import { defaultReportsConfig, parseReportsConfig } from '../../core/reports/reports-config';
import { CATCH_UP, dueReports, reportTargets } from '../../core/reports/report-schedule';
import { parseStreetConfig } from '../../core/street-config';

const TZ = 'Asia/Shanghai';
const S1 = { timeZone: TZ, periodStartDay: 1 };
const S19 = { timeZone: TZ, periodStartDay: 19 };
const at = (iso: string) => Date.parse(iso);
const local = (s: string) => at(`${s}+08:00`);

describe('periods', () => {
  it('a day is local midnight to midnight', () => {
    expect(parsePeriod('2026-11-28', S1)).toEqual({ kind: 'day', label: '2026-11-28', from: at('2026-11-27T16:00:00Z'), to: at('2026-11-28T16:00:00Z') });
  });

  it('an ISO week runs Monday to Sunday: 2026-W48 is 11-23 … 11-29 (2026 starts on a Thursday, so W01 began 2025-12-29)', () => {
    expect(parsePeriod('2026-W48', S1)).toEqual({ kind: 'week', label: '2026-W48', from: local('2026-11-23T00:00:00'), to: local('2026-11-30T00:00:00') });
    expect(parsePeriod('2026-w01', S1)!.from).toBe(local('2025-12-29T00:00:00'));
    // 2026 has 53 ISO weeks (it starts on a Thursday); 2025 has 52.
    expect(parsePeriod('2026-W53', S1)!.to).toBe(local('2027-01-04T00:00:00'));
    expect(parsePeriod('2025-W53', S1)).toBeNull();
    expect(previousPeriod(parsePeriod('2026-W01', S1)!, S1).label).toBe('2025-W52');
  });

  it('a month on the 1st is the calendar month', () => {
    expect(parsePeriod('2026-11', S1)).toEqual({ kind: 'month', label: '2026-11', from: local('2026-11-01T00:00:00'), to: local('2026-12-01T00:00:00') });
  });

  it('a month from the 19th carries the label of the month it ends in: 2026-11 = 10-19 … 11-18', () => {
    expect(parsePeriod('2026-11', S19)).toEqual({ kind: 'month', label: '2026-11', from: local('2026-10-19T00:00:00'), to: local('2026-11-19T00:00:00') });
    expect(parsePeriod('2026-01', S19)!.from).toBe(local('2025-12-19T00:00:00'));
    expect(periodAt('month', local('2026-11-18T23:59:59'), S19).label).toBe('2026-11');
    expect(periodAt('month', local('2026-11-19T00:00:00'), S19).label).toBe('2026-12');
    expect(periodAt('month', local('2026-12-25T10:00:00'), S19).label).toBe('2027-01');
    expect(previousPeriod(parsePeriod('2026-11', S19)!, S19)).toMatchObject({ label: '2026-10', from: local('2026-09-19T00:00:00'), to: local('2026-10-19T00:00:00') });
    expect(periodTitle(parsePeriod('2026-11', S19)!, S19)).toBe('2026年11月（10月19日—11月18日）');
  });

  it('the local day decides, not UTC: 2026-12-01 00:30 in Beijing is still 11-30 in UTC', () => {
    expect(periodAt('day', local('2026-12-01T00:30:00'), S1).label).toBe('2026-12-01');
    expect(periodAt('month', local('2026-12-01T00:30:00'), S1).label).toBe('2026-12');
  });

  it('named periods relative to now (Thursday 2026-12-03 09:00)', () => {
    const now = local('2026-12-03T09:00:00');
    const labels = (['day', 'yesterday', 'week', 'lastweek', 'month', 'lastmonth'] as const).map((w) => namedPeriod(w, now, S1).label);
    expect(labels).toEqual(['2026-12-03', '2026-12-02', '2026-W49', '2026-W48', '2026-12', '2026-11']);
    expect(namedPeriod('month', now, S19).label).toBe('2026-12');
    expect(namedPeriod('lastmonth', local('2026-12-20T09:00:00'), S19).label).toBe('2026-12');
    expect(resolvePeriodWord('2026-11', now, S1)!.label).toBe('2026-11');
  });

  it('refuses what names no period', () => {
    for (const bad of ['2026-02-30', '2026-13', '2026-00', '2026-W00', 'abc', '2026-1', '']) expect(parsePeriod(bad, S1)).toBeNull();
  });

  it('titles', () => {
    expect(periodTitle(parsePeriod('2026-11-28', S1)!, S1)).toBe('11月28日（周六）');
    expect(periodTitle(parsePeriod('2026-W48', S1)!, S1)).toBe('第48周（11月23日—11月29日）');
    expect(periodTitle(parsePeriod('2026-11', S1)!, S1)).toBe('2026年11月');
    expect(utcOffsetMs(local('2026-11-28T12:00:00'), TZ)).toBe(8 * 3_600_000);
  });
});

describe('reports: in the YAML', () => {
  it('defaults everything', () => {
    const c = defaultReportsConfig();
    expect(c).toEqual({
      daily: { hour: 8, minute: 30 }, weekly: { weekday: 1, hour: 9, minute: 0 }, monthly: { day: 1, hour: 9, minute: 0 },
      periodStartDay: 1, weights: { response: 0.1, solve: 0.5, satisfaction: 0.4, basicSatisfied: 0.9 }, slices: { communities: false, street: false },
    });
    const street = parseStreetConfig({});
    expect(street.ok && street.config.reports).toEqual(c);
  });

  it('reads the street YAML key by key and says what is wrong', () => {
    const r = parseReportsConfig({ daily: '07:45', weekly: 'fri 17:00', monthly: '19 09:00', periodStartDay: 19, weights: { solve: 0.6 }, slices: { communities: true } });
    expect(r.ok && r.config).toMatchObject({ daily: { hour: 7, minute: 45 }, weekly: { weekday: 5, hour: 17 }, monthly: { day: 19 }, periodStartDay: 19, weights: { response: 0.1, solve: 0.6 }, slices: { communities: true, street: false } });
    expect(parseReportsConfig({ daily: false }).ok && (parseReportsConfig({ daily: false }) as { config: { daily: null } }).config.daily).toBeNull();
    expect(parseReportsConfig({ daily: '8点半' })).toEqual({ ok: false, error: 'reports.daily: 日报时间应为 "08:30"（或 false 不发）' });
    expect(parseReportsConfig({ periodStartDay: 31 }).ok).toBe(false);
    expect(parseReportsConfig({ monthly: '30 09:00' }).ok).toBe(false);
    const street = parseStreetConfig({ reports: { weekly: 'someday' } });
    expect(street).toEqual({ ok: false, error: expect.stringContaining('reports.weekly') });
  });
});

describe('三率 and the score', () => {
  const W = defaultReportsConfig().weights;
  it('10 follow-ups: 9 contacted, 7 已解决, 6 满意 + 3 基本满意 + 1 不满意', () => {
    const r = rates({ followedUp: 10, contacted: 9, solved: 7, satisfied: 6, basicallySatisfied: 3, unsatisfied: 1 }, W);
    expect(r.responseRate).toBeCloseTo(0.9, 10);
    expect(r.solveRate).toBeCloseTo(0.7, 10);
    // (6 + 0.9 × 3) ÷ 10 = 0.87
    expect(r.satisfactionRate).toBeCloseTo(0.87, 10);
    // 0.1 × 0.9 + 0.5 × 0.7 + 0.4 × 0.87 = 0.09 + 0.35 + 0.348 = 0.788
    expect(r.score).toBeCloseTo(0.788, 10);
  });

  it('other weights from the YAML', () => {
    const r = rates({ followedUp: 4, contacted: 4, solved: 2, satisfied: 2, basicallySatisfied: 2, unsatisfied: 0 }, { response: 0.2, solve: 0.4, satisfaction: 0.4, basicSatisfied: 0.5 });
    // 响应 1, 解决 0.5, 满意 (2 + 0.5 × 2) ÷ 4 = 0.75 → 0.2 + 0.2 + 0.3 = 0.7
    expect(r.score).toBeCloseTo(0.7, 10);
  });

  it('null, not zero, when nothing was followed up', () => {
    expect(rates({ followedUp: 0, contacted: 0, solved: 0, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 }, W)).toEqual({ responseRate: null, solveRate: null, satisfactionRate: null, score: null });
  });
});

describe('dueReports', () => {
  const config = defaultReportsConfig();
  const targets = reportTargets(config, []);
  const never = () => null;
  const sent = (m: Record<string, string>) => (kind: string, group: string) => m[`${kind}:${group}`] ?? null;
  const upToDate = { 'day:consult': '2026-12-01', 'week:consult': '2026-W48', 'month:consult': '2026-11' };

  it('nothing before 08:30 when yesterday’s was sent', () => {
    expect(dueReports(local('2026-12-03T08:29:59'), { config, settings: S1, targets, lastSent: sent(upToDate) })).toEqual([]);
  });

  it('at 08:30 the 日报 of yesterday, on time', () => {
    const owed = dueReports(local('2026-12-03T08:30:00'), { config, settings: S1, targets, lastSent: sent(upToDate) });
    expect(owed).toEqual([expect.objectContaining({ kind: 'day', key: 'report:day:consult:2026-12-02', group: 'consult', scope: null, dueAt: local('2026-12-03T08:30:00'), late: false })]);
  });

  it('a missed 08:30 is owed at 11:00, marked late', () => {
    const owed = dueReports(local('2026-12-03T11:00:00'), { config, settings: S1, targets, lastSent: sent(upToDate) });
    expect(owed.map((o) => [o.key, o.late])).toEqual([['report:day:consult:2026-12-02', true]]);
  });

  it('after two days down, each missed day once, oldest first; the 周报 and 月报 too', () => {
    const owed = dueReports(local('2026-12-03T10:00:00'), { config, settings: S1, targets, lastSent: sent({ 'day:consult': '2026-11-29', 'week:consult': '2026-W47', 'month:consult': '2026-10' }) });
    expect(owed.map((o) => o.key)).toEqual([
      'report:day:consult:2026-11-30', 'report:day:consult:2026-12-01', 'report:day:consult:2026-12-02',
      'report:week:consult:2026-W48', // due Monday 11-30 09:00
      'report:month:consult:2026-11', // due 12-01 09:00
    ]);
    expect(owed.every((o) => o.late)).toBe(true);
  });

  it('a long outage catches up at most a week of 日报', () => {
    const owed = dueReports(local('2026-12-03T10:00:00'), { config, settings: S1, targets, lastSent: sent({ ...upToDate, 'day:consult': '2026-10-01' }) });
    expect(owed.map((o) => o.period.label)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(owed).toHaveLength(CATCH_UP.day);
  });

  it('a first start sends nothing old: the latest of each kind only marks where the schedule starts', () => {
    const owed = dueReports(local('2026-12-03T10:00:00'), { config, settings: S1, targets, lastSent: never });
    expect(owed.map((o) => [o.key, o.baseline])).toEqual([['report:day:consult:2026-12-02', true], ['report:week:consult:2026-W48', true], ['report:month:consult:2026-11', true]]);
    // Started at 08:30 sharp: the 日报 is on time and sent.
    const atTime = dueReports(local('2026-12-03T08:30:00'), { config, settings: S1, targets, lastSent: never });
    expect(atTime.map((o) => [o.key, o.baseline])).toEqual([['report:day:consult:2026-12-02', false], ['report:week:consult:2026-W48', true], ['report:month:consult:2026-11', true]]);
  });

  it('a 19th-start month: the 月报 on the 19th covers 10-19 … 11-18', () => {
    const c19 = { ...config, monthly: { day: 19, hour: 9, minute: 0 }, periodStartDay: 19, daily: null, weekly: null };
    const owed = dueReports(local('2026-11-19T09:00:00'), { config: c19, settings: S19, targets, lastSent: sent({ 'month:consult': '2026-10' }) });
    expect(owed.map((o) => [o.key, o.period.from, o.period.to])).toEqual([['report:month:consult:2026-11', local('2026-10-19T00:00:00'), local('2026-11-19T00:00:00')]]);
    expect(dueReports(local('2026-11-19T08:59:00'), { config: c19, settings: S19, targets, lastSent: sent({ 'month:consult': '2026-10' }) })).toEqual([]);
  });

  it('slices: each community and the street group get their own, keyed apart', () => {
    const c = { ...config, slices: { communities: true, street: true }, weekly: null, monthly: null };
    const t = reportTargets(c, [{ key: 'zhangyi' }, { key: 'jiari' }]);
    expect(t).toEqual([{ group: 'consult', scope: null }, { group: 'zhangyi', scope: 'zhangyi' }, { group: 'jiari', scope: 'jiari' }, { group: 'street', scope: 'street' }]);
    const owed = dueReports(local('2026-12-03T08:30:00'), { config: c, settings: S1, targets: t, lastSent: sent({ 'day:consult': '2026-12-02' }) });
    expect(owed.map((o) => o.key)).toEqual(['report:day:zhangyi:2026-12-02', 'report:day:jiari:2026-12-02', 'report:day:street:2026-12-02']);
  });
});
