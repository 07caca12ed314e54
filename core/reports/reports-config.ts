import { z } from 'zod';

/**
 * The YAML `reports:` section (SPEC "Reports", "Configuration"). Every key is optional:
 * ```yaml
 * reports:
 *   daily: "08:30"            # 日报 of yesterday at this local time; false = none
 *   weekly: "mon 09:00"       # 周报 of the last week; day mon…sun
 *   monthly: "1 09:00"        # 月报 of the last complete month period, on this day of the month (1–28)
 *   periodStartDay: 1         # a month period starts on this day (19: 2026-11 = 10-19 … 11-18)
 *   weights: { response: 0.1, solve: 0.5, satisfaction: 0.4, basicSatisfied: 0.9 }
 *   slices: { communities: false, street: false }   # also send each community / the street group its own slice
 * ```
 * Times are in the street's time zone.
 */

export interface DailyAt {
  hour: number;
  minute: number;
}
export interface WeeklyAt extends DailyAt {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}
export interface MonthlyAt extends DailyAt {
  /** Day of the month, 1–28. */
  day: number;
}

/** The weights of the combined score (SPEC: a/b/c and w). */
export interface ReportWeights {
  /** a: weight of 响应率; default 0.1. */
  response: number;
  /** b: weight of 解决率; default 0.5. */
  solve: number;
  /** c: weight of 满意率; default 0.4. */
  satisfaction: number;
  /** w: how much a 基本满意 counts in 满意率; default 0.9. */
  basicSatisfied: number;
}

export interface ReportsConfig {
  /** null = no scheduled 日报. */
  daily: DailyAt | null;
  weekly: WeeklyAt | null;
  monthly: MonthlyAt | null;
  periodStartDay: number;
  weights: ReportWeights;
  slices: {
    /** Each community group gets its own slice. */
    communities: boolean;
    /** The street work group gets the street's slice (its sections ranked). */
    street: boolean;
  };
}

export const DEFAULT_WEIGHTS: ReportWeights = { response: 0.1, solve: 0.5, satisfaction: 0.4, basicSatisfied: 0.9 };

const WEEKDAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7, 周一: 1, 周二: 2, 周三: 3, 周四: 4, 周五: 5, 周六: 6, 周日: 7 };

function hhmm(s: string): DailyAt | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

export function parseDailyAt(s: string): DailyAt | null {
  return hhmm(s);
}

export function parseWeeklyAt(s: string): WeeklyAt | null {
  const [day, time, ...rest] = s.trim().split(/\s+/);
  const weekday = WEEKDAYS[(day ?? '').toLowerCase()];
  const t = hhmm(time ?? '');
  return weekday && t && rest.length === 0 ? { weekday, ...t } : null;
}

export function parseMonthlyAt(s: string): MonthlyAt | null {
  const [day, time, ...rest] = s.trim().split(/\s+/);
  const d = /^\d{1,2}$/.test(day ?? '') ? Number(day) : NaN;
  const t = hhmm(time ?? '');
  return d >= 1 && d <= 28 && t && rest.length === 0 ? { day: d, ...t } : null;
}

function timeField<T>(parse: (s: string) => T | null, dflt: string, message: string) {
  return z
    .union([z.string(), z.literal(false)])
    .default(dflt)
    .transform((v, ctx) => {
      if (v === false) return null;
      const r = parse(v);
      if (r === null) ctx.addIssue({ code: 'custom', message });
      return r;
    });
}

const weight = z.number().min(0).max(1);

export const reportsConfigSchema = z
  .object({
    daily: timeField(parseDailyAt, '08:30', '日报时间应为 "08:30"（或 false 不发）'),
    weekly: timeField(parseWeeklyAt, 'mon 09:00', '周报时间应为 "mon 09:00"（mon…sun，或 false 不发）'),
    monthly: timeField(parseMonthlyAt, '1 09:00', '月报时间应为 "1 09:00"（每月几号 1–28，或 false 不发）'),
    periodStartDay: z.number().int().min(1, '月度起始日为 1–28').max(28, '月度起始日为 1–28').default(1),
    weights: z
      .object({ response: weight.default(0.1), solve: weight.default(0.5), satisfaction: weight.default(0.4), basicSatisfied: weight.default(0.9) })
      .strict()
      .default(DEFAULT_WEIGHTS),
    slices: z.object({ communities: z.boolean().default(false), street: z.boolean().default(false) }).strict().default({ communities: false, street: false }),
  })
  .strict();

export type ReportsConfigResult = { ok: true; config: ReportsConfig } | { ok: false; error: string };

/** Validates the raw `reports:` value (undefined → every default). */
export function parseReportsConfig(raw: unknown): ReportsConfigResult {
  const r = reportsConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { ok: false, error: `reports.${issue.path.join('.')}: ${issue.message}`.replace(/\.: /, ': ') };
  }
  return { ok: true, config: r.data as ReportsConfig };
}

/** Every default (no `reports:` in the YAML). */
export function defaultReportsConfig(): ReportsConfig {
  return reportsConfigSchema.parse({}) as ReportsConfig;
}
