import { minuteOfDay, parseClockMinute } from './wall-clock';

/**
 * Quiet hours (the YAML `quietHours`, default `22:00-08:00`): reminders and unclaimed notices then go to
 * the on-duty person instead of a sleeping owner. A window may cross midnight.
 */

export interface QuietHours {
  /** Start, minutes since local midnight (inclusive). */
  fromMin: number;
  /** End, minutes since local midnight (exclusive); not above fromMin means the window crosses midnight. */
  toMin: number;
}

export type QuietHoursResult = ({ ok: true } & QuietHours) | { ok: false; error: string };

/** SPEC default: 22:00–08:00. */
export const DEFAULT_QUIET_HOURS: QuietHours = { fromMin: 22 * 60, toMin: 8 * 60 };

/** What is wrong with a quietHours text, without the key (for the zod schema), or null when it is right. */
export function quietHoursProblem(text: string): string | null {
  const r = parseQuietHours(text);
  return r.ok ? null : r.error.replace(/^quietHours: /, '');
}

/**
 * Parses `HH:MM-HH:MM` (00:00–23:59 each; spaces around `-` allowed). 24:00, 99:99 and equal ends are
 * refused with a message that names the key, e.g. `quietHours: 时间应为 HH:MM-HH:MM，如 22:00-08:00（收到 "99:99-08:00"）`.
 */
export function parseQuietHours(text: string): QuietHoursResult {
  const m = /^\s*(\S+?)\s*-\s*(\S+?)\s*$/.exec(text);
  const fromMin = m ? parseClockMinute(m[1]!) : null;
  const toMin = m ? parseClockMinute(m[2]!) : null;
  if (fromMin === null || toMin === null) {
    return { ok: false, error: `quietHours: 时间应为 HH:MM-HH:MM，如 22:00-08:00（收到 "${text}"）` };
  }
  if (fromMin === toMin) return { ok: false, error: `quietHours: 开始和结束不能相同（收到 "${text}"）` };
  return { ok: true, fromMin, toMin };
}

/** Whether the local clock time of `at` lies in the quiet window (start inclusive, end exclusive). */
export function isQuiet(at: number, quiet: QuietHours, timeZone: string): boolean {
  const m = minuteOfDay(at, timeZone);
  return quiet.fromMin < quiet.toMin ? m >= quiet.fromMin && m < quiet.toMin : m >= quiet.fromMin || m < quiet.toMin;
}
