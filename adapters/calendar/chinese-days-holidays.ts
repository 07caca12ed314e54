import { createRequire } from 'node:module';
import type { HolidayEntry } from '../../core/duty/duty-config';
import { groupHolidayPeriods, type HolidayDay, type HolidayPeriod } from '../../core/time/holiday-periods';

/**
 * China's official holidays and make-up working days (调休) from the `chinese-days` package (its published
 * `dist/chinese-days.json`, 2004 through the latest year the State Council has announced), merged with the
 * YAML `holidays:` list, as plain data for core's work calendar and the 值班 text.
 */

export interface HolidayData {
  /** `YYYY-MM-DD` → true: day off; false: make-up working day. A YAML entry wins over the package for its date. */
  holidays: Map<string, boolean>;
  /** Years with any entry in the package or the YAML list. */
  coveredYears: Set<number>;
  /** The same days grouped as people name them (国庆节 10-01～10-07, 09-20、10-10 上班), ascending. */
  periods: HolidayPeriod[];
}

/** The package's table: date → `"National Day,国庆节,3"` (English, Chinese, days off). */
type PackageTable = Record<string, string>;

let packageDays: HolidayDay[] | null = null;

function isTable(value: unknown): value is PackageTable {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

/** Reads the package data once per process; throws when the package's file is missing or its shape changed. */
function readPackageDays(): HolidayDay[] {
  if (packageDays) return packageDays;
  const data: unknown = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json');
  const { holidays, workdays } = (data ?? {}) as { holidays?: unknown; workdays?: unknown };
  if (!isTable(holidays) || !isTable(workdays)) {
    throw new Error('chinese-days/dist/chinese-days.json: expected { holidays, workdays } tables of date → "English,中文,n"');
  }
  const nameOf = (label: string) => label.split(',')[1]?.trim() || null;
  const days: HolidayDay[] = [];
  for (const [date, label] of Object.entries(holidays)) days.push({ date, off: true, name: nameOf(label) });
  for (const [date, label] of Object.entries(workdays)) days.push({ date, off: false, name: nameOf(label) });
  packageDays = days;
  return days;
}

/**
 * The holiday data for the street: the package's days, then the YAML `holidays:` entries (validated by
 * core's `holidaysSchema`) over them. Cheap after the first call (the package is read once).
 */
export function loadHolidayData(yamlHolidays: readonly HolidayEntry[] = []): HolidayData {
  const byDate = new Map<string, HolidayDay>();
  for (const d of readPackageDays()) byDate.set(d.date, d);
  for (const h of yamlHolidays) byDate.set(h.date, { date: h.date, off: h.off, name: h.name ?? byDate.get(h.date)?.name ?? null });
  const holidays = new Map<string, boolean>();
  const coveredYears = new Set<number>();
  for (const d of byDate.values()) {
    holidays.set(d.date, d.off);
    coveredYears.add(Number(d.date.slice(0, 4)));
  }
  return { holidays, coveredYears, periods: groupHolidayPeriods([...byDate.values()]) };
}
