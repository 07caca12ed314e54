import { zonedParts, zonedTimeToMs } from '../time-zone';

/**
 * Report periods in the street's time zone: a day (`2026-11-28`), an ISO week (`2026-W48`, Monday to
 * Sunday) and a month (`2026-11`). Pure: the instant "now" is passed in.
 *
 * A month may start on a configured day (`reports.periodStartDay`, 1–28; some districts count from the
 * 19th). The month label is the calendar month in which the period ENDS: with the 19th, `2026-11` runs
 * from 2026-10-19 00:00 to 2026-11-18 24:00 (the assessment "of November" closes on 11-18), and on
 * 2026-11-25 本月 is `2026-12` (11-19 … 12-18). With the default 1st, `2026-11` is November.
 *
 * Every period is half-open: `from` ≤ t < `to` (`to` is the next period's start).
 */

export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  kind: PeriodKind;
  /** `2026-11-28`, `2026-W48`, `2026-11`. */
  label: string;
  /** Start, epoch ms (local midnight). */
  from: number;
  /** End, exclusive, epoch ms (the next period's start). */
  to: number;
}

export interface PeriodSettings {
  /** IANA zone (the street's, Asia/Shanghai). */
  timeZone: string;
  /** Day of the month a month period starts on, 1–28; default 1. */
  periodStartDay: number;
}

/** A named period word as the 统计 parser gives it (core/commands/app-commands.ts STATS_PERIODS). */
export type NamedPeriod = 'day' | 'yesterday' | 'week' | 'lastweek' | 'month' | 'lastmonth';

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** A civil date as days since 1970-01-01 (pure calendar arithmetic, no zone). */
function civilDays(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function fromCivilDays(n: number): { y: number; m: number; d: number } {
  const t = new Date(n * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** ISO week-numbering year and week of a civil date. */
function isoWeekOf(n: number): { year: number; week: number } {
  const thursday = n - isoWeekday(n) + 4;
  const year = fromCivilDays(thursday).y;
  const week = Math.floor((thursday - civilDays(year, 1, 1)) / 7) + 1;
  return { year, week };
}

/** Monday of an ISO week, as civil days; null when the year has no such week. */
function isoWeekMonday(year: number, week: number): number | null {
  const jan4 = civilDays(year, 1, 4);
  const monday = jan4 - isoWeekday(jan4) + 1 + (week - 1) * 7;
  return isoWeekOf(monday).year === year && isoWeekOf(monday).week === week ? monday : null;
}

function midnight(n: number, tz: string): number {
  const { y, m, d } = fromCivilDays(n);
  return zonedTimeToMs(y, m, d, 0, 0, tz);
}

/** (y, m) shifted by `k` months. */
function addMonths(y: number, m: number, k: number): { y: number; m: number } {
  const i = y * 12 + (m - 1) + k;
  return { y: Math.floor(i / 12), m: (i % 12) + 1 };
}

function dayPeriod(n: number, s: PeriodSettings): Period {
  const { y, m, d } = fromCivilDays(n);
  return { kind: 'day', label: `${y}-${pad(m)}-${pad(d)}`, from: midnight(n, s.timeZone), to: midnight(n + 1, s.timeZone) };
}

function weekPeriod(monday: number, s: PeriodSettings): Period {
  const { year, week } = isoWeekOf(monday);
  return { kind: 'week', label: `${year}-W${pad(week)}`, from: midnight(monday, s.timeZone), to: midnight(monday + 7, s.timeZone) };
}

/** The month period labelled (y, m): see the module comment for where it starts. */
function monthPeriod(y: number, m: number, s: PeriodSettings): Period {
  const start = startDay(s);
  const first = start === 1 ? { y, m } : addMonths(y, m, -1);
  const next = addMonths(first.y, first.m, 1);
  return {
    kind: 'month',
    label: `${y}-${pad(m)}`,
    from: zonedTimeToMs(first.y, first.m, start, 0, 0, s.timeZone),
    to: zonedTimeToMs(next.y, next.m, start, 0, 0, s.timeZone),
  };
}

function startDay(s: PeriodSettings): number {
  return Number.isInteger(s.periodStartDay) && s.periodStartDay >= 1 && s.periodStartDay <= 28 ? s.periodStartDay : 1;
}

/** The local calendar date of an instant, as civil days. */
function localDay(at: number, tz: string): number {
  const p = zonedParts(at, tz);
  return civilDays(p.year, p.month, p.day);
}

/** The period of a kind that contains the instant `at`. */
export function periodAt(kind: PeriodKind, at: number, s: PeriodSettings): Period {
  const n = localDay(at, s.timeZone);
  if (kind === 'day') return dayPeriod(n, s);
  if (kind === 'week') return weekPeriod(n - isoWeekday(n) + 1, s);
  const { y, m, d } = fromCivilDays(n);
  const start = startDay(s);
  // From the start day on, a period whose label is the next month is running.
  const label = start > 1 && d >= start ? addMonths(y, m, 1) : { y, m };
  return monthPeriod(label.y, label.m, s);
}

/** The period before `p` (the change column's comparison). */
export function previousPeriod(p: Period, s: PeriodSettings): Period {
  return periodAt(p.kind, p.from - 1, s);
}

/** The period after `p`. */
export function nextPeriod(p: Period, s: PeriodSettings): Period {
  return periodAt(p.kind, p.to, s);
}

/** 今日/昨日/本周/上周/本月/上月 relative to now. */
export function namedPeriod(word: NamedPeriod, now: number, s: PeriodSettings): Period {
  switch (word) {
    case 'day':
      return periodAt('day', now, s);
    case 'yesterday':
      return previousPeriod(periodAt('day', now, s), s);
    case 'week':
      return periodAt('week', now, s);
    case 'lastweek':
      return previousPeriod(periodAt('week', now, s), s);
    case 'month':
      return periodAt('month', now, s);
    case 'lastmonth':
      return previousPeriod(periodAt('month', now, s), s);
  }
}

/** `2026-11-28`, `2026-W48` (or `2026-w48`), `2026-11` → the period; null when malformed or impossible (`2026-02-30`, `2026-W53`). */
export function parsePeriod(label: string, s: PeriodSettings): Period | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(label);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1) return null;
    const n = civilDays(y, mo, d);
    const back = fromCivilDays(n);
    return back.y === y && back.m === mo && back.d === d ? dayPeriod(n, s) : null;
  }
  m = /^(\d{4})-[Ww](\d{2})$/.exec(label);
  if (m) {
    const monday = isoWeekMonday(Number(m[1]), Number(m[2]));
    return monday === null || Number(m[2]) < 1 ? null : weekPeriod(monday, s);
  }
  m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return mo >= 1 && mo <= 12 && y >= 1970 ? monthPeriod(y, mo, s) : null;
  }
  return null;
}

/** A period word from 统计 (named or a label) → the period; null when it names none. */
export function resolvePeriodWord(word: string, now: number, s: PeriodSettings): Period | null {
  const named: readonly string[] = ['day', 'yesterday', 'week', 'lastweek', 'month', 'lastmonth'];
  return named.includes(word) ? namedPeriod(word as NamedPeriod, now, s) : parsePeriod(word, s);
}

const WEEKDAY_ZH = ['一', '二', '三', '四', '五', '六', '日'];

/** How a period reads in a report: `11月28日（周六）`, `第48周（11月23日—11月29日）`, `2026年11月` or `2026年11月（10月19日—11月18日）`. */
export function periodTitle(p: Period, s: PeriodSettings): string {
  const a = zonedParts(p.from, s.timeZone);
  const b = zonedParts(p.to - 1, s.timeZone);
  const span = `${a.month}月${a.day}日—${b.month}月${b.day}日`;
  if (p.kind === 'day') return `${a.month}月${a.day}日（周${WEEKDAY_ZH[isoWeekday(civilDays(a.year, a.month, a.day)) - 1]}）`;
  if (p.kind === 'week') return `第${Number(p.label.slice(6))}周（${span}）`;
  const [y, m] = p.label.split('-').map(Number);
  return startDay(s) === 1 ? `${y}年${m}月` : `${y}年${m}月（${span}）`;
}

/** The report's name by kind: 日报 / 周报 / 月报. */
export const REPORT_NAME: Readonly<Record<PeriodKind, string>> = { day: '日报', week: '周报', month: '月报' };

/** The zone's offset from UTC at an instant, ms (Asia/Shanghai: +8 h). */
export function utcOffsetMs(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}
