import { z } from 'zod';
import { quietHoursProblem, parseQuietHours, type QuietHours } from '../time/quiet-hours';
import { isDateKey, parseClockMinute } from '../time/wall-clock';

/**
 * zod schemas for the YAML keys `duty:`, `holidays:` and `quietHours` (SPEC "Configuration"). Each
 * validates and turns the text into the runtime form core uses (minutes, weekday numbers, date keys), so
 * a wrong value is a config error at start naming its key. Plug them into the street schema as
 * `duty: dutySchema, holidays: holidaysSchema, quietHours: quietHoursSchema`.
 */

/** Default start of every rotation: the first name of `rotate` has the shift's first day on or after it. */
export const DEFAULT_ROTATE_FROM = '2026-01-01';

export interface DutyShift {
  /** Days of the week the shift starts on: 0 = Sunday … 6 = Saturday, ascending. */
  weekdays: number[];
  /** Start, minutes since local midnight. */
  fromMin: number;
  /** End, minutes since local midnight; not above fromMin means the next day (equal: a 24-hour shift). */
  toMin: number;
  /** Always on this shift. */
  people: string[];
  /** One of these per shift day, in turn, counted from `rotateFrom`. */
  rotate: string[];
  /** `YYYY-MM-DD`; default DEFAULT_ROTATE_FROM. */
  rotateFrom: string;
}

export interface DutyOverride {
  /** `YYYY-MM-DD`: the shifts starting on this date. */
  date: string;
  people: string[];
  /** With from/to: a shift of its own at that time (minutes since midnight); without: the people of that day's shifts. */
  fromMin: number | null;
  toMin: number | null;
}

export interface DutyConfig {
  shifts: DutyShift[];
  overrides: DutyOverride[];
}

export interface HolidayEntry {
  /** `YYYY-MM-DD`. */
  date: string;
  /** true: day off; false: make-up working day (调休). */
  off: boolean;
  /** Optional holiday name for the 值班 text (春节). */
  name: string | null;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * Parses the `days` of a shift: `all`, day names (`mon` … `sun`), ranges (`mon-fri`, `fri-mon` wraps) and
 * lists (`sat,sun`, `mon,wed-fri`). Returns weekday numbers (0 = Sunday) ascending, or null.
 */
export function parseDaysSpec(text: string): number[] | null {
  const t = text.trim().toLowerCase();
  if (t === 'all') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const part of t.split(',')) {
    const m = /^\s*([a-z]{3})\s*(?:-\s*([a-z]{3})\s*)?$/.exec(part);
    if (!m) return null;
    const a = DAY_NAMES.indexOf(m[1]!);
    const b = m[2] === undefined ? a : DAY_NAMES.indexOf(m[2]);
    if (a < 0 || b < 0) return null;
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

const clock = z.string().refine((s) => parseClockMinute(s) !== null, { message: '时间应为 HH:MM（00:00–23:59）' });

/** A date `YYYY-MM-DD`; a YAML 1.1 timestamp (a Date) is accepted too. */
export const dateKeySchema = z
  .union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))])
  .refine((s) => isDateKey(s), { message: '日期应为 YYYY-MM-DD' });

const name = z.string().trim().min(1);

const shiftSchema = z
  .object({
    days: z.string().refine((s) => parseDaysSpec(s) !== null, { message: 'days 应为 all、mon-fri、sat,sun 这样的写法' }),
    from: clock,
    to: clock,
    people: z.array(name).default([]),
    rotate: z.array(name).default([]),
    rotateFrom: dateKeySchema.optional(),
  })
  .strict()
  .refine((s) => s.people.length + s.rotate.length > 0, { message: '班次要有 people 或 rotate' })
  .transform(
    (s): DutyShift => ({
      weekdays: parseDaysSpec(s.days)!,
      fromMin: parseClockMinute(s.from)!,
      toMin: parseClockMinute(s.to)!,
      people: s.people,
      rotate: s.rotate,
      rotateFrom: s.rotateFrom ?? DEFAULT_ROTATE_FROM,
    }),
  );

const overrideSchema = z
  .object({ date: dateKeySchema, people: z.array(name).min(1), from: clock.optional(), to: clock.optional() })
  .strict()
  .refine((o) => (o.from === undefined) === (o.to === undefined), { message: 'from 和 to 要么都写，要么都不写' })
  .transform(
    (o): DutyOverride => ({
      date: o.date,
      people: o.people,
      fromMin: o.from === undefined ? null : parseClockMinute(o.from)!,
      toMin: o.to === undefined ? null : parseClockMinute(o.to)!,
    }),
  );

/** `duty:` — weekly shifts and dated overrides; absent → no roster (nobody on duty). */
export const dutySchema = z
  .object({ shifts: z.array(shiftSchema).default([]), overrides: z.array(overrideSchema).default([]) })
  .strict()
  .default({ shifts: [], overrides: [] });

/** `holidays:` — dated days off and make-up working days for years the package does not cover; absent → []. */
export const holidaysSchema = z
  .array(
    z
      .object({ date: dateKeySchema, off: z.boolean(), name: z.string().trim().min(1).optional() })
      .strict()
      .transform((h): HolidayEntry => ({ date: h.date, off: h.off, name: h.name ?? null })),
  )
  .default([]);

/** `quietHours` — `HH:MM-HH:MM`, default 22:00-08:00, turned into minutes. */
export const quietHoursSchema = z
  .string()
  .default('22:00-08:00')
  .superRefine((s, ctx) => {
    const problem = quietHoursProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((s): QuietHours => {
    const r = parseQuietHours(s);
    return r.ok ? { fromMin: r.fromMin, toMin: r.toMin } : { fromMin: 0, toMin: 0 };
  });

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(key: string, schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  return { ok: false, error: `${[key, ...issue.path.map(String)].join('.')}: ${issue.message}` };
}

/** Validates the raw `duty:` value (undefined → empty roster); the error names the key path, e.g. `duty.shifts.1.from: …`. */
export function parseDutyConfig(raw: unknown): Parsed<DutyConfig> {
  return parseWith('duty', dutySchema, raw);
}

/** Validates the raw `holidays:` value (undefined → []); the error names the key path. */
export function parseHolidayList(raw: unknown): Parsed<HolidayEntry[]> {
  return parseWith('holidays', holidaysSchema, raw);
}
