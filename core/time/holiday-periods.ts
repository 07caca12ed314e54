import { addDaysToKey, daysBetweenKeys, weekdayOfKey } from './wall-clock';

/**
 * Holidays as people speak of them — 国庆节 10-01～10-07 放假，09-20、10-10 上班 — grouped from the dated
 * list the holiday adapter reads, for the 值班 text and the warning before a holiday.
 */

export interface HolidayDay {
  /** `YYYY-MM-DD`. */
  date: string;
  /** true: a day off; false: a make-up working day (调休上班). */
  off: boolean;
  /** The holiday's Chinese name (国庆节), or null when unknown (e.g. a YAML entry without `name`). */
  name: string | null;
}

export interface HolidayPeriod {
  /** The names of its days joined with 、 (中秋节、国庆节), or 假期 when none was given. */
  name: string;
  /** First and last day off, inclusive, `YYYY-MM-DD`. */
  firstDay: string;
  lastDay: string;
  /** Make-up working days that belong to it, ascending. */
  makeUpDays: string[];
}

/** Make-up days further than this from every holiday are left out (they belong to no holiday people would name). */
const MAKE_UP_REACH_DAYS = 31;

/**
 * Groups days off that follow each other — also across a plain weekend left out of the list, when the
 * names agree — into periods, and puts each make-up day with the nearest period of the same name (else the nearest one).
 */
export function groupHolidayPeriods(days: readonly HolidayDay[]): HolidayPeriod[] {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const makeUp = new Set(sorted.filter((d) => !d.off).map((d) => d.date));
  /** Only a plain weekend (no make-up day) lies between the two dates. */
  const weekendBetween = (from: string, to: string) => {
    for (let d = addDaysToKey(from, 1); d < to; d = addDaysToKey(d, 1)) {
      const wd = weekdayOfKey(d);
      if ((wd !== 0 && wd !== 6) || makeUp.has(d)) return false;
    }
    return true;
  };
  const periods: (HolidayPeriod & { names: string[] })[] = [];
  for (const d of sorted) {
    if (!d.off) continue;
    const last = periods.at(-1);
    const sameHoliday = !d.name || last?.names.length === 0 || last?.names.includes(d.name);
    if (last && (addDaysToKey(last.lastDay, 1) === d.date || (sameHoliday && weekendBetween(last.lastDay, d.date)))) {
      last.lastDay = d.date;
      if (d.name && !last.names.includes(d.name)) last.names.push(d.name);
    } else {
      periods.push({ name: '', firstDay: d.date, lastDay: d.date, makeUpDays: [], names: d.name ? [d.name] : [] });
    }
  }
  const distance = (p: HolidayPeriod, date: string) =>
    date < p.firstDay ? daysBetweenKeys(date, p.firstDay) : Math.max(0, daysBetweenKeys(p.lastDay, date));
  for (const d of sorted) {
    if (d.off) continue;
    const from = addDaysToKey(d.date, -MAKE_UP_REACH_DAYS);
    const to = addDaysToKey(d.date, MAKE_UP_REACH_DAYS);
    const near = periods.filter((p) => p.lastDay >= from && p.firstDay <= to);
    const sameName = d.name ? near.filter((p) => p.names.includes(d.name!)) : [];
    const pool = sameName.length > 0 ? sameName : near;
    let best: HolidayPeriod | undefined;
    for (const p of pool) if (!best || distance(p, d.date) < distance(best, d.date)) best = p;
    best?.makeUpDays.push(d.date);
  }
  return periods.map(({ names, ...p }) => ({ ...p, name: names.length > 0 ? names.join('、') : '假期' }));
}
