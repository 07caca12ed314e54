import { z } from 'zod';
import { dateKeyOf, minuteOfDay, parseClockMinute, wallTimeToMs } from '../time/wall-clock';

/**
 * The 研判 notice (early planning): on a set day of each month (`planning: { day: 25, at: "09:00" }`)
 * consult gets the cases of the coming month one year earlier, grouped by place and category, with
 * their count and how many were solved — what is likely to come back with the season (施工扰民 after
 * the Spring Festival, 供暖 in November). Pure: the counting is SQL behind {@link PlanningQueries}.
 */

export interface PlanningConfig {
  /** Day of the month it is sent (1–28, default 25). */
  day: number;
  /** Local clock time, minutes since midnight (default 09:00). */
  atMin: number;
  /** false turns the notice off (default true). */
  enabled: boolean;
}

export const DEFAULT_PLANNING: PlanningConfig = { day: 25, atMin: 9 * 60, enabled: true };

/** The YAML `planning:` key: `{ day: 25, at: "09:00", enabled: true }`, every field optional. */
export const planningSchema = z
  .object({
    day: z.number().int().min(1, '应为 1–28').max(28, '应为 1–28（每个月都有的日子）').default(25),
    at: z.string().refine((s) => parseClockMinute(s) !== null, { message: '时间应为 HH:MM，如 09:00' }).default('09:00'),
    enabled: z.boolean().default(true),
  })
  .strict()
  .optional()
  .transform((p): PlanningConfig => (p ? { day: p.day, atMin: parseClockMinute(p.at)!, enabled: p.enabled } : DEFAULT_PLANNING));

/** One place and category of last year's month. */
export interface PlanningRow {
  /** The normalised place key (`zhangyi:张仪村4号院`), or null when the case had no usable address. */
  placeKey: string | null;
  category: string;
  count: number;
  /** How many of them were solved (resolved and not rated 未解决). */
  solved: number;
}

/** The SQL side: cases received in [from, to), grouped by place key and category. */
export interface PlanningQueries {
  planningRows(q: { from: number; to: number }): PlanningRow[];
}

export interface PlanningDue {
  /** `sent_reports` key: `planning-2027-01` (the month planned for). */
  key: string;
  /** The month planned for, `YYYY-MM`. */
  month: string;
  /** The same month one year earlier, `YYYY-MM`, and its instants. */
  lastYear: string;
  from: number;
  to: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The month after `YYYY-MM`. */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
}

/**
 * What is owed at `now`: the notice for the coming month once the configured day and time of this
 * month have come (a bot that was down on the day sends it later in the month), else null.
 */
export function planningDue(now: number, config: PlanningConfig, timeZone: string): PlanningDue | null {
  if (!config.enabled) return null;
  const today = dateKeyOf(now, timeZone);
  const day = Number(today.slice(8, 10));
  if (day < config.day || (day === config.day && minuteOfDay(now, timeZone) < config.atMin)) return null;
  const month = nextMonth(today.slice(0, 7));
  const lastYear = `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
  const firstDay = `${lastYear}-01`;
  const nextFirst = `${nextMonth(lastYear)}-01`;
  return { key: `planning-${month}`, month, lastYear, from: wallTimeToMs(firstDay, 0, timeZone), to: wallTimeToMs(nextFirst, 0, timeZone) };
}

/** Lines listed; the rest are counted. */
export const PLANNING_LIST_LIMIT = 15;

/** `zhangyi:张仪村4号院` → `张仪村社区 张仪村4号院`; `_:西四环路` → `西四环路`; null → （无地址）. */
function placeName(placeKey: string | null, groupNames: Record<string, string>): string {
  if (!placeKey) return '（无地址）';
  const i = placeKey.indexOf(':');
  const community = i > 0 ? placeKey.slice(0, i) : '_';
  const place = i >= 0 ? placeKey.slice(i + 1) : placeKey;
  return community !== '_' && groupNames[community] ? `${groupNames[community]} ${place}` : place;
}

/** The notice: rows most frequent first (then by place), each with its count and how many were solved. */
export function planningText(due: PlanningDue, rows: readonly PlanningRow[], groupNames: Record<string, string>): string {
  const [y, m] = due.lastYear.split('-');
  const head = `📅 研判：去年${Number(m)}月（${y}-${m}）的诉求，供 ${due.month} 提前谋划`;
  if (rows.length === 0) return `${head}\n去年同月没有诉求记录。`;
  const sorted = [...rows].sort((a, b) => b.count - a.count || placeName(a.placeKey, groupNames).localeCompare(placeName(b.placeKey, groupNames)) || a.category.localeCompare(b.category));
  const total = sorted.reduce((n, r) => n + r.count, 0);
  const solved = sorted.reduce((n, r) => n + r.solved, 0);
  const lines = [head, `共 ${total} 件（已解决 ${solved} 件），${sorted.length} 个点位·类别：`];
  for (const r of sorted.slice(0, PLANNING_LIST_LIMIT)) {
    const state = r.solved === r.count ? (r.count === 1 ? '已解决' : '均已解决') : r.solved === 0 ? (r.count === 1 ? '未解决' : '均未解决') : `已解决 ${r.solved} 件`;
    lines.push(`${placeName(r.placeKey, groupNames)}·${r.category}：${r.count} 件，${state}`);
  }
  if (sorted.length > PLANNING_LIST_LIMIT) lines.push(`……另有 ${sorted.length - PLANNING_LIST_LIMIT} 个点位·类别`);
  return lines.join('\n');
}
