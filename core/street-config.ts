import { z } from 'zod';
import { categoriesConfigSchema, type CategoriesConfig } from './classify/category-table';
import { parseDurationMs } from './duration';
import { dutySchema, holidaysSchema, type DutyConfig, type HolidayEntry } from './duty/duty-config';
import { planningSchema, type PlanningConfig } from './planning/planning-notice';
import { parseQuietHours } from './time/quiet-hours';
import { defaultReportsConfig, reportsConfigSchema, type ReportsConfig } from './reports/reports-config';
import type { Role, Urgency } from './types';

/**
 * The street's YAML (SPEC "Configuration"), validated. Every key is optional; what is left out keeps
 * its default, key by key. Parsing is pure: `bot/` reads the file and hands the object in.
 */

const duration = z.string().refine((s) => parseDurationMs(s) !== null, { message: '时长格式应为 90s / 30m / 2h / 7d' });
const windowSchema = z.object({ respond: duration.optional(), resolve: duration.optional() }).strict();
const perClass = z
  .object({ urgent: duration.optional(), utility: duration.optional(), ordinary: duration.optional(), complex: duration.optional(), consult: duration.optional() })
  .strict();

const streetConfigSchema = z
  .object({
    street: z.string().min(1).default('卢沟桥街道'),
    timezone: z.string().default('Asia/Shanghai'),
    groups: z.object({ consult: z.string().default('接诉即办会商群'), street: z.string().default('街道接诉即办工作群') }).default({ consult: '接诉即办会商群', street: '街道接诉即办工作群' }),
    communities: z
      .array(z.object({ key: z.string().regex(/^[a-z][a-z0-9_-]*$/, '社区 key 只用小写字母、数字、-、_'), name: z.string().min(1), places: z.array(z.string().min(1)).default([]) }))
      .default([]),
    sections: z.array(z.object({ name: z.string().min(1), categories: z.array(z.string().min(1)).default([]) })).default([]),
    people: z
      .array(
        z.object({
          name: z.string().min(1),
          role: z.enum(['admin', 'leader', 'dispatcher', 'member', 'department']),
          /** A single platform id (kept from the first format); pins the person on every platform. */
          id: z.union([z.string(), z.number().transform(String)]).optional(),
          /** Platform ids: { telegram: "111", wechaty: "wxid_abc" }. With ids, the name proves nothing. */
          ids: z.record(z.string(), z.union([z.string(), z.number().transform(String)])).optional(),
          /** role department: which department; role admin may also say what they do on cases. */
          department: z.string().optional(),
          /** An admin (manages bindings and roles) besides the case role. */
          admin: z.boolean().optional(),
        }),
      )
      .default([]),
    departments: z
      .array(z.object({ name: z.string().min(1), people: z.array(z.string().min(1)).default([]), group: z.string().optional() }))
      .default([]),
    extensions: z.object({ max: z.number().int().min(0).default(1), maxDays: z.number().int().min(1).default(15) }).default({ max: 1, maxDays: 15 }),
    whistle: z.object({ checkInWithin: duration.default('30m') }).default({ checkInWithin: '30m' }),
    followUp: z.object({ remindAfter: duration.default('1d'), closeAfter: duration.default('10d') }).default({ remindAfter: '1d', closeAfter: '10d' }),
    repeat: z.object({ windowDays: z.number().int().min(1).default(30), askLeaderAt: z.number().int().min(2).default(3) }).default({ windowDays: 30, askLeaderAt: 3 }),
    reports: reportsConfigSchema.optional(),
    duty: dutySchema,
    holidays: holidaysSchema,
    planning: planningSchema,
    categories: categoriesConfigSchema.optional(),
    deadlines: z
      .object({
        urgent: windowSchema.optional(),
        utility: windowSchema.optional(),
        ordinary: windowSchema.optional(),
        complex: windowSchema.optional(),
        consult: windowSchema.optional(),
        unclaimed: perClass.optional(),
        overdueRepeat: perClass.optional(),
      })
      .strict()
      .default({}),
    days: z.enum(['calendar', 'working']).default('calendar'),
    quietHours: z
      .string()
      .default('22:00-08:00')
      .superRefine((s, ctx) => {
        const r = parseQuietHours(s);
        if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
      }),
    publicSide: z.object({ maskRoomNumbers: z.boolean().default(true) }).default({ maskRoomNumbers: true }),
    /** Per-platform settings (`wechaty:`, `telegram:`, `publicAccount:` …), validated by each adapter. */
    platforms: z.record(z.string(), z.unknown()).default({}),
    publicAccount: z.unknown().optional(),
  })
  .superRefine((c, ctx) => {
    const keys = new Set(['consult', 'street']);
    c.communities.forEach((com, i) => {
      if (keys.has(com.key)) ctx.addIssue({ code: 'custom', path: ['communities', i, 'key'], message: `重复的群 key: ${com.key}` });
      keys.add(com.key);
    });
  });

export interface DeadlineWindowMs {
  respondMs: number;
  resolveMs: number;
}

/** Deadline policy in milliseconds, every class filled in. */
export interface DeadlinePolicy {
  windows: Record<Urgency, DeadlineWindowMs>;
  /** Unclaimed window per class: reminder after one window, escalation to consult after two. */
  unclaimedMs: Record<Urgency, number>;
  /** How often the overdue alarm repeats until the case is resolved. */
  overdueRepeatMs: Record<Urgency, number>;
  /** How long a department summoned by 吹哨 has to report (whistle.checkInWithin, default 30 min); its leader is told after twice that. */
  checkInMs: number;
  /** A resolved case with no 回访 closes as 未评价 after this long (followUp.closeAfter, default 10 days). */
  followUpCloseMs: number;
}

export interface Community {
  key: string;
  name: string;
  places: string[];
}

/** A person of the YAML: ids per platform pin them; without ids only the console matches by name. */
export interface ConfiguredPerson {
  name: string;
  role: Role;
  /** Platform → user id; `*` for a single id given as `id:`. */
  ids: Record<string, string>;
  department: string | null;
  admin: boolean;
}

export interface DepartmentConfig {
  name: string;
  /** People of the department by name (matched to the YAML `people` for their ids). */
  people: string[];
  /** A bound group key the department works in, if any. */
  group: string | null;
}

export interface StreetConfig {
  street: string;
  timeZone: string;
  groupNames: Record<string, string>;
  communities: Community[];
  sections: { name: string; categories: string[] }[];
  people: ConfiguredPerson[];
  departments: DepartmentConfig[];
  policy: DeadlinePolicy;
  extensions: { max: number; maxDays: number };
  followUp: { remindAfterMs: number };
  repeat: { windowDays: number; askLeaderAt: number };
  /** The 7×24 roster's weekly pattern and dated overrides (duty:). */
  duty: DutyConfig;
  /** Days off and make-up days for years the holiday package does not cover (holidays:). */
  holidays: HolidayEntry[];
  /** The 研判 notice's day and time of the month (planning:, default the 25th at 09:00). */
  planning: PlanningConfig;
  /** The street's additions to the category table (categories:). */
  categories: CategoriesConfig | undefined;
  /** Report schedule, month start, score weights and slices (reports:). */
  reports: ReportsConfig;
  days: 'calendar' | 'working';
  quietHours: string;
  maskRoomNumbers: boolean;
  /** Raw per-platform sections of the YAML (`platforms.wechaty`, `platforms.telegram` …); each adapter validates its own. */
  platforms: Record<string, unknown>;
  /** The raw `publicAccount` section (SPEC: template field mapping lives there); the public-account adapter validates it. */
  publicAccount: unknown;
}

const H = 3_600_000;
const M = 60_000;
/** SPEC "Deadlines" defaults. */
export const DEFAULT_POLICY: DeadlinePolicy = {
  windows: {
    urgent: { respondMs: 30 * M, resolveMs: 2 * H },
    utility: { respondMs: 2 * H, resolveMs: 24 * H },
    ordinary: { respondMs: 24 * H, resolveMs: 7 * 24 * H },
    complex: { respondMs: 24 * H, resolveMs: 15 * 24 * H },
    consult: { respondMs: 24 * H, resolveMs: 7 * 24 * H },
  },
  unclaimedMs: { urgent: 5 * M, utility: 5 * M, ordinary: 10 * M, complex: 10 * M, consult: 10 * M },
  overdueRepeatMs: { urgent: H, utility: H, ordinary: 4 * H, complex: 4 * H, consult: 4 * H },
  checkInMs: 30 * M,
  followUpCloseMs: 10 * 24 * H,
};

export type ConfigResult = { ok: true; config: StreetConfig } | { ok: false; error: string };

/** Validates a parsed YAML document into a StreetConfig, or says in one line what is wrong and where. */
export function parseStreetConfig(raw: unknown): ConfigResult {
  const parsed = streetConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const c = parsed.data;
  const ms = (s: string | undefined, dflt: number) => (s === undefined ? dflt : parseDurationMs(s)!);
  const classes: Urgency[] = ['urgent', 'utility', 'ordinary', 'complex', 'consult'];
  const policy: DeadlinePolicy = {
    windows: { ...DEFAULT_POLICY.windows },
    unclaimedMs: { ...DEFAULT_POLICY.unclaimedMs },
    overdueRepeatMs: { ...DEFAULT_POLICY.overdueRepeatMs },
    checkInMs: parseDurationMs(c.whistle.checkInWithin)!,
    followUpCloseMs: parseDurationMs(c.followUp.closeAfter)!,
  };
  for (const k of classes) {
    const w = c.deadlines[k];
    policy.windows[k] = { respondMs: ms(w?.respond, DEFAULT_POLICY.windows[k].respondMs), resolveMs: ms(w?.resolve, DEFAULT_POLICY.windows[k].resolveMs) };
    policy.unclaimedMs[k] = ms(c.deadlines.unclaimed?.[k], DEFAULT_POLICY.unclaimedMs[k]);
    policy.overdueRepeatMs[k] = ms(c.deadlines.overdueRepeat?.[k], DEFAULT_POLICY.overdueRepeatMs[k]);
  }
  const groupNames: Record<string, string> = { consult: c.groups.consult, street: c.groups.street };
  for (const com of c.communities) groupNames[com.key] = com.name;
  return {
    ok: true,
    config: {
      street: c.street,
      timeZone: c.timezone,
      groupNames,
      communities: c.communities,
      sections: c.sections,
      people: c.people.map((p) => {
        const ids: Record<string, string> = { ...(p.ids ?? {}) };
        if (p.id !== undefined) ids['*'] = p.id;
        // role admin in the YAML: an admin with no case role of their own.
        return { name: p.name, role: p.role === 'admin' ? 'member' : p.role, ids, department: p.department ?? null, admin: p.admin === true || p.role === 'admin' };
      }),
      departments: c.departments.map((d) => ({ name: d.name, people: d.people, group: d.group ?? null })),
      policy,
      extensions: c.extensions,
      followUp: { remindAfterMs: parseDurationMs(c.followUp.remindAfter)! },
      repeat: c.repeat,
      duty: c.duty,
      holidays: c.holidays,
      planning: c.planning,
      categories: c.categories,
      reports: c.reports ?? defaultReportsConfig(),
      days: c.days,
      quietHours: c.quietHours,
      maskRoomNumbers: c.publicSide.maskRoomNumbers,
      platforms: c.platforms,
      publicAccount: c.publicAccount ?? null,
    },
  };
}
