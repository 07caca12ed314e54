import { addDaysToKey, dateKeyOf, msOfDay, wallTimeToMs, weekdayOfKey } from './wall-clock';

/**
 * Working days for `days: working` (SPEC "Deadlines"): China's official holidays and make-up working days
 * (调休) are passed in as data — the adapter reads the holiday package and the YAML `holidays:` list — so
 * core stays pure. A year covered by neither counts calendar days, and says so (`fellBackToCalendar`).
 */

const DAY_MS = 86_400_000;
/** A report made on a non-working day counts from 09:00 of the next working day. */
const NON_WORKING_START_MS = 9 * 3_600_000;

/** A deadline window: clock time (`ms`, for windows written in minutes or hours) or whole days. */
export type DeadlineWindow = { ms: number } | { days: number };

/** How windows in days are counted (the YAML `days:` key, default `calendar`). */
export type DayCounting = 'calendar' | 'working';

export interface WorkCalendarData {
  /** Date `YYYY-MM-DD` → true: a day off (holiday, also on a weekday); false: a make-up working day (调休, also on a weekend). */
  holidays: ReadonlyMap<string, boolean>;
  /** Years whose holidays and make-up days are known (from the package or the YAML list). */
  coveredYears: ReadonlySet<number>;
  /** The street's IANA zone, e.g. `Asia/Shanghai`. */
  timeZone: string;
}

export interface WindowEnd {
  dueAt: number;
  /** True when a day of the count fell in a year without holiday data and was counted as a calendar day. */
  fellBackToCalendar: boolean;
}

export interface WorkCalendar {
  /** Whether a date is a working day: the holiday data first, then Monday–Friday. In a year without data this is the weekday rule alone. */
  isWorkday(dateKey: string): boolean;
  /** Whether a year's holidays are known. */
  isCovered(year: number): boolean;
  /**
   * The end of a window that starts at `startMs`. `ms` windows and the `calendar` mode add clock time
   * (days as 24 h). `working` with `{ days: n }`: the same clock time on the n-th working day after the
   * day of the report; a report on a non-working day counts from the next working day's 09:00. Days in
   * a year without data count as calendar days (`fellBackToCalendar: true`).
   */
  addWindow(startMs: number, window: DeadlineWindow, mode: DayCounting): WindowEnd;
  /** Which of the current and the next year (local to `nowMs`) have no holiday data: the bot warns once about these. */
  uncoveredYears(nowMs: number): number[];
}

/** Builds the calendar over the data; lookups are O(1), a window of n days walks about n·7/5 dates. */
export function createWorkCalendar(data: WorkCalendarData): WorkCalendar {
  const { holidays, coveredYears, timeZone } = data;
  const yearOf = (dateKey: string) => Number(dateKey.slice(0, 4));
  const isCovered = (year: number) => coveredYears.has(year);
  const isWorkday = (dateKey: string): boolean => {
    const off = holidays.get(dateKey);
    if (off !== undefined) return !off;
    const wd = weekdayOfKey(dateKey);
    return wd >= 1 && wd <= 5;
  };

  function addWorkingDays(startMs: number, days: number): WindowEnd {
    let fellBack = false;
    /** A day counts when it is a working day, or any day of a year without data. */
    const counts = (dateKey: string): boolean => {
      if (isCovered(yearOf(dateKey))) return isWorkday(dateKey);
      fellBack = true;
      return true;
    };
    let day = dateKeyOf(startMs, timeZone);
    let clock = msOfDay(startMs, timeZone);
    if (!counts(day)) {
      do day = addDaysToKey(day, 1);
      while (!counts(day));
      clock = NON_WORKING_START_MS;
    }
    for (let left = days; left > 0; ) {
      day = addDaysToKey(day, 1);
      if (counts(day)) left -= 1;
    }
    return { dueAt: wallTimeToMs(day, clock, timeZone), fellBackToCalendar: fellBack };
  }

  return {
    isWorkday,
    isCovered,
    addWindow(startMs, window, mode) {
      if ('ms' in window) return { dueAt: startMs + window.ms, fellBackToCalendar: false };
      if (mode === 'calendar' || !Number.isInteger(window.days) || window.days <= 0) {
        return { dueAt: startMs + window.days * DAY_MS, fellBackToCalendar: false };
      }
      return addWorkingDays(startMs, window.days);
    },
    uncoveredYears(nowMs) {
      const year = yearOf(dateKeyOf(nowMs, timeZone));
      return [year, year + 1].filter((y) => !isCovered(y));
    },
  };
}

/**
 * The window form of a policy duration: whole days (`7d`, also `168h`) count as days, everything else
 * stays clock time. The policy keeps milliseconds, so this is how a `resolveMs` becomes a window.
 */
export function windowFromMs(ms: number): DeadlineWindow {
  return ms > 0 && ms % DAY_MS === 0 ? { days: ms / DAY_MS } : { ms };
}

/** The one-time warning (start log and `consult`) for years without holiday data; empty list → null. */
export function uncoveredYearsText(years: readonly number[]): string | null {
  if (years.length === 0) return null;
  return `⚠️ ${years.join('、')} 年的节假日和调休安排没有数据，这些年份的时限按自然日计算。请在配置的 holidays: 中补上放假和调休日期。`;
}
