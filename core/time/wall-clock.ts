import { zonedParts } from '../time-zone';

/**
 * Local dates and clock times in the street's zone, as plain data: a date is a `YYYY-MM-DD` key, a clock
 * time is minutes (or milliseconds) since local midnight. Pure Intl arithmetic, no fixed offset, so a
 * zone with daylight saving would work too (Asia/Shanghai has none).
 */

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isDateKey(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.getUTCFullYear() === Number(m[1]) && t.getUTCMonth() === Number(m[2]) - 1 && t.getUTCDate() === Number(m[3]);
}

/** The local date of an instant: `2026-10-01`. */
export function dateKeyOf(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Milliseconds since local midnight of an instant (0 … 86 399 999). */
export function msOfDay(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + (((at % 1000) + 1000) % 1000);
}

/** Minutes since local midnight of an instant (0 … 1439). */
export function minuteOfDay(at: number, timeZone: string): number {
  return Math.floor(msOfDay(at, timeZone) / 60_000);
}

function keyToUtcMidnight(dateKey: string): number {
  const [y, m, d] = dateKey.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** Zone offset in ms (local minus UTC) at an instant. */
function offsetAt(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * The instant at which the local clock in `timeZone` shows `dateKey` plus `msSinceMidnight` (may exceed
 * one day: 24 h means the next midnight). A clock time skipped by daylight saving maps to the later side.
 */
export function wallTimeToMs(dateKey: string, msSinceMidnight: number, timeZone: string): number {
  const asUtc = keyToUtcMidnight(dateKey) + msSinceMidnight;
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  return second;
}

/** The date `days` days after (or before, when negative) `dateKey`. */
export function addDaysToKey(dateKey: string, days: number): string {
  const t = new Date(keyToUtcMidnight(dateKey) + days * DAY_MS);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetweenKeys(from: string, to: string): number {
  return Math.round((keyToUtcMidnight(to) - keyToUtcMidnight(from)) / DAY_MS);
}

/** Day of the week of a date: 0 = Sunday … 6 = Saturday. */
export function weekdayOfKey(dateKey: string): number {
  return new Date(keyToUtcMidnight(dateKey)).getUTCDay();
}

/** `HH:MM` of minutes since midnight (1440 prints as `24:00`). */
export function formatMinute(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** Parses a clock time `HH:MM` (00:00 … 23:59) into minutes since midnight, or null. */
export function parseClockMinute(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** 周一 … 周日 for a date. */
export function weekdayZh(dateKey: string): string {
  return `周${'日一二三四五六'[weekdayOfKey(dateKey)]}`;
}
