import { zonedParts, zonedTimeToMs } from '../time-zone';
import { periodAt, previousPeriod, type Period, type PeriodKind, type PeriodSettings } from './periods';
import type { DailyAt, MonthlyAt, ReportsConfig, WeeklyAt } from './reports-config';

/**
 * What the scheduled reports owe at an instant: 日报 (yesterday) at `daily`, 周报 (the last ISO week)
 * at `weekly`, 月报 (the last complete month period) at `monthly`, to consult and, when configured,
 * each community's and the street's own slice. Pure: the scheduler ticks every minute and asks.
 *
 * One report per period and target, whatever happens: the sent ones are kept in the database; a
 * report whose time passed while no bot ran is owed until sent (marked late). After a long outage at
 * most {@link CATCH_UP} reports of a kind are caught up per target, oldest first. With no report of a
 * kind ever sent to a group (a new install, a slice just turned on) the schedule starts now: the
 * latest period is sent if it is on time, otherwise only recorded as the starting point (`baseline`),
 * so a first start posts no old reports.
 */

/** Where a report goes and what it covers: consult gets the whole street (scope null). */
export interface ReportTarget {
  group: string;
  scope: string | null;
}

export interface OwedReport extends ReportTarget {
  kind: PeriodKind;
  period: Period;
  /** The `sent_reports` key: `report:<kind>:<group>:<label>`. */
  key: string;
  /** When it was due. */
  dueAt: number;
  /** Sent more than {@link ScheduleInput.lateAfterMs} after it was due. */
  late: boolean;
  /** The schedule's starting point for this kind and group: record it as done, send nothing. */
  baseline: boolean;
}

export interface ScheduleInput {
  config: ReportsConfig;
  settings: PeriodSettings;
  targets: ReportTarget[];
  /** The label of the last period sent, by `<kind>:<group>` (see {@link lastSentKey}); null = never. */
  lastSent: (kind: PeriodKind, group: string) => string | null;
  /** A report sent more than this after its time says it is late; default 15 minutes. */
  lateAfterMs?: number;
}

/** At most this many missed reports of a kind are caught up per target. */
export const CATCH_UP: Readonly<Record<PeriodKind, number>> = { day: 7, week: 4, month: 3 };

const DAY_MS = 86_400_000;

export function reportKeyPrefix(kind: PeriodKind, group: string): string {
  return `report:${kind}:${group}:`;
}

export function reportKey(kind: PeriodKind, group: string, label: string): string {
  return `${reportKeyPrefix(kind, group)}${label}`;
}

/** Consult always; each community and the street group when their slices are on. */
export function reportTargets(config: ReportsConfig, communities: readonly { key: string }[]): ReportTarget[] {
  return [
    { group: 'consult', scope: null },
    ...(config.slices.communities ? communities.map((c) => ({ group: c.key, scope: c.key })) : []),
    ...(config.slices.street ? [{ group: 'street', scope: 'street' }] : []),
  ];
}

/** The local date (y, m, d) of an instant. */
function localDate(at: number, tz: string): { y: number; m: number; d: number } {
  const p = zonedParts(at, tz);
  return { y: p.year, m: p.month, d: p.day };
}

function shiftDays(date: { y: number; m: number; d: number }, days: number): { y: number; m: number; d: number } {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d) + days * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function weekday(date: { y: number; m: number; d: number }): number {
  const n = Math.floor(Date.UTC(date.y, date.m - 1, date.d) / DAY_MS);
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** The send times of a kind, latest at or before `now` first (an endless walk back). */
function* occurrences(kind: PeriodKind, at: DailyAt | WeeklyAt | MonthlyAt, now: number, tz: string): Generator<number> {
  const today = localDate(now, tz);
  if (kind === 'day') {
    for (let k = 0; ; k++) {
      const d = shiftDays(today, -k);
      const t = zonedTimeToMs(d.y, d.m, d.d, at.hour, at.minute, tz);
      if (t <= now) yield t;
    }
  }
  if (kind === 'week') {
    const w = (at as WeeklyAt).weekday;
    const back = (weekday(today) - w + 7) % 7;
    for (let k = 0; ; k++) {
      const d = shiftDays(today, -back - 7 * k);
      const t = zonedTimeToMs(d.y, d.m, d.d, at.hour, at.minute, tz);
      if (t <= now) yield t;
    }
  }
  const day = (at as MonthlyAt).day;
  for (let k = 0; ; k++) {
    const i = today.y * 12 + (today.m - 1) - k;
    const t = zonedTimeToMs(Math.floor(i / 12), (i % 12) + 1, day, at.hour, at.minute, tz);
    if (t <= now) yield t;
  }
}

/** The period a report sent at `dueAt` covers: the latest one complete by then. */
export function periodDueAt(kind: PeriodKind, dueAt: number, s: PeriodSettings): Period {
  return previousPeriod(periodAt(kind, dueAt, s), s);
}

/** The reports owed at `now`, oldest first per target and kind. */
export function dueReports(now: number, input: ScheduleInput): OwedReport[] {
  const lateAfter = input.lateAfterMs ?? 15 * 60_000;
  const kinds: [PeriodKind, DailyAt | WeeklyAt | MonthlyAt | null][] = [
    ['day', input.config.daily],
    ['week', input.config.weekly],
    ['month', input.config.monthly],
  ];
  const owed: OwedReport[] = [];
  for (const [kind, at] of kinds) {
    if (!at) continue;
    for (const target of input.targets) {
      const last = input.lastSent(kind, target.group);
      const mine: OwedReport[] = [];
      for (const dueAt of occurrences(kind, at, now, input.settings.timeZone)) {
        const period = periodDueAt(kind, dueAt, input.settings);
        if (last !== null && period.label <= last) break;
        const late = now - dueAt > lateAfter;
        mine.push({ ...target, kind, period, key: reportKey(kind, target.group, period.label), dueAt, late, baseline: last === null && late });
        if (last === null || mine.length >= CATCH_UP[kind]) break;
      }
      owed.push(...mine.reverse());
    }
  }
  return owed;
}
