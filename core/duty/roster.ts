import type { HolidayPeriod } from '../time/holiday-periods';
import {
  addDaysToKey, daysBetweenKeys, dateKeyOf, formatMinute, minuteOfDay, wallTimeToMs, weekdayOfKey, weekdayZh,
} from '../time/wall-clock';
import type { DutyConfig, DutyShift } from './duty-config';

/**
 * The 7×24 duty roster (值守): the YAML's weekly shifts with rotations and dated overrides, plus the
 * changes made in chat (值班 设置 / 值班 换班), stored as data and passed in. Who is on duty is worked out
 * from these on demand, for any instant — nothing is stored per day.
 *
 * A shift belongs to the date it starts on (a night shift 17:30–08:30 of Friday ends Saturday morning).
 * Precedence: pattern shifts < dated shifts (an override with from/to, or a whole day for a date without
 * shifts); where a dated shift overlaps a pattern shift, the dated one holds. Overlapping shifts of the same
 * rank are on duty together.
 */

/** A roster change made in chat: `set` gives the shifts starting on `date` to `people`; `swap` exchanges `a` and `b` on them. */
export type DutyChange =
  | { kind: 'set'; date: string; people: string[] }
  | { kind: 'swap'; a: string; b: string; date: string };

export interface RosterInput {
  duty: DutyConfig;
  /** Chat changes, oldest first; applied after the YAML overrides, in this order. */
  changes?: readonly DutyChange[];
  timeZone: string;
}

/** A stretch of duty: local clock times `HH:MM` and the instants (ms) it starts and ends. */
export interface DutyWindow {
  from: string;
  to: string;
  startMs: number;
  endMs: number;
}

export interface OnDuty {
  people: string[];
  shift: DutyWindow;
}

export interface Handover {
  /** The instant (ms) the new people take over. */
  at: number;
  /** Who is on duty from `at`; empty when nobody is (a gap in the roster). */
  people: string[];
  /** Who was on duty just before. */
  previous: string[];
}

/** One shift of a date, after overrides, rotations and chat changes. */
export interface DatedShift extends DutyWindow {
  people: string[];
}

export interface Roster {
  /** Who is on duty at `at` and the stretch they are in; null when nobody is. */
  onDutyAt(at: number): OnDuty | null;
  /** The first change of the people on duty strictly after `afterMs`, looking 8 weeks ahead; null if none. */
  nextHandover(afterMs: number): Handover | null;
  /** Every change of the people on duty with `fromMs < at <= toMs`, in order. */
  handoversBetween(fromMs: number, toMs: number): Handover[];
  /** The shifts starting on a date (`YYYY-MM-DD`), by start time. */
  shiftsOn(dateKey: string): DatedShift[];
  /** Everyone on a shift starting on a date — for refusing a swap with someone who is not on duty. */
  peopleOnDate(dateKey: string): string[];
  /**
   * The 值班 text: who is on duty now and next, and the duty of each holiday day within `days` days
   * (default 7) of the periods in `holidaysAhead`.
   */
  rosterText(nowMs: number, days?: number, holidaysAhead?: readonly HolidayPeriod[]): string;
}

interface Instance {
  id: string;
  startDate: string;
  startMs: number;
  endMs: number;
  people: string[];
  /** 0: weekly pattern; 1: dated (override with times, or a whole day). */
  rank: number;
}

interface Segment {
  startMs: number;
  endMs: number;
  people: string[];
  key: string;
}

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const HANDOVER_HORIZON_DAYS = 56;

const unique = (names: readonly string[]) => [...new Set(names)];
const peopleKey = (names: readonly string[]) => [...names].sort().join('\n');

/** How many times the shift ran from `rotateFrom` up to (not including) `dateKey`; negative before it. */
function runsBefore(shift: DutyShift, dateKey: string): number {
  const diff = daysBetweenKeys(shift.rotateFrom, dateKey);
  const weeks = Math.floor(diff / 7);
  let count = weeks * shift.weekdays.length;
  const base = addDaysToKey(shift.rotateFrom, weeks * 7);
  for (let k = 0; k < diff - weeks * 7; k += 1) if (shift.weekdays.includes(weekdayOfKey(addDaysToKey(base, k)))) count += 1;
  return count;
}

/** Builds the roster; pure, the answers depend only on the input and the instant asked about. */
export function createRoster(input: RosterInput): Roster {
  const { duty, timeZone } = input;
  const changes = input.changes ?? [];
  const cache = new Map<string, Instance[]>();
  const at = (dateKey: string, minute: number) => wallTimeToMs(dateKey, minute * MIN_MS, timeZone);
  const endOf = (dateKey: string, fromMin: number, toMin: number) => at(dateKey, toMin > fromMin ? toMin : toMin + 1440);

  function instancesOn(dateKey: string): Instance[] {
    const cached = cache.get(dateKey);
    if (cached) return cached;
    const weekday = weekdayOfKey(dateKey);
    const list: Instance[] = [];
    duty.shifts.forEach((s, i) => {
      if (!s.weekdays.includes(weekday)) return;
      const rotated = s.rotate.length > 0 ? [s.rotate[((runsBefore(s, dateKey) % s.rotate.length) + s.rotate.length) % s.rotate.length]!] : [];
      list.push({ id: `s${i}@${dateKey}`, startDate: dateKey, startMs: at(dateKey, s.fromMin), endMs: endOf(dateKey, s.fromMin, s.toMin), people: unique([...s.people, ...rotated]), rank: 0 });
    });
    const giveDay = (people: string[], id: string) => {
      if (list.length === 0) list.push({ id, startDate: dateKey, startMs: at(dateKey, 0), endMs: at(dateKey, 1440), people, rank: 1 });
      else for (const inst of list) inst.people = [...people];
    };
    duty.overrides.forEach((o, j) => {
      if (o.date !== dateKey) return;
      if (o.fromMin === null || o.toMin === null) giveDay(unique(o.people), `o${j}@${dateKey}`);
      else list.push({ id: `o${j}@${dateKey}`, startDate: dateKey, startMs: at(dateKey, o.fromMin), endMs: endOf(dateKey, o.fromMin, o.toMin), people: unique(o.people), rank: 1 });
    });
    changes.forEach((c, j) => {
      if (c.date !== dateKey) return;
      if (c.kind === 'set') giveDay(unique(c.people), `c${j}@${dateKey}`);
      else for (const inst of list) inst.people = unique(inst.people.map((p) => (p === c.a ? c.b : p === c.b ? c.a : p)));
    });
    list.sort((x, y) => x.startMs - y.startMs || x.endMs - y.endMs);
    cache.set(dateKey, list);
    return list;
  }

  /** Consecutive stretches over [fromMs, toMs) during which the same shifts hold. */
  function segments(fromMs: number, toMs: number): Segment[] {
    const first = addDaysToKey(dateKeyOf(fromMs, timeZone), -1);
    const last = dateKeyOf(toMs, timeZone);
    const insts: Instance[] = [];
    for (let d = first; d <= last; d = addDaysToKey(d, 1)) {
      for (const inst of instancesOn(d)) if (inst.endMs > fromMs && inst.startMs < toMs) insts.push(inst);
    }
    const points = new Set<number>([fromMs, toMs]);
    for (const inst of insts) {
      if (inst.startMs > fromMs && inst.startMs < toMs) points.add(inst.startMs);
      if (inst.endMs > fromMs && inst.endMs < toMs) points.add(inst.endMs);
    }
    const sorted = [...points].sort((a, b) => a - b);
    const out: Segment[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 1) {
      const s = sorted[i]!;
      const e = sorted[i + 1]!;
      const covering = insts.filter((inst) => inst.startMs <= s && inst.endMs >= e);
      const top = Math.max(-1, ...covering.map((inst) => inst.rank));
      const held = covering.filter((inst) => inst.rank === top);
      const key = held.map((inst) => inst.id).join(',');
      const prev = out.at(-1);
      if (prev && prev.key === key) prev.endMs = e;
      else out.push({ startMs: s, endMs: e, key, people: unique(held.flatMap((inst) => inst.people)) });
    }
    return out;
  }

  const windowOf = (startMs: number, endMs: number): DutyWindow => ({
    from: formatMinute(minuteOfDay(startMs, timeZone)),
    to: formatMinute(minuteOfDay(endMs, timeZone)),
    startMs,
    endMs,
  });

  function onDutyAt(ms: number): OnDuty | null {
    const seg = segments(ms - 2 * DAY_MS, ms + 2 * DAY_MS).find((s) => s.startMs <= ms && ms < s.endMs);
    if (!seg || seg.people.length === 0) return null;
    return { people: seg.people, shift: windowOf(seg.startMs, seg.endMs) };
  }

  function handoversBetween(fromMs: number, toMs: number): Handover[] {
    if (toMs <= fromMs) return [];
    const segs = segments(fromMs - 2 * DAY_MS, toMs + 1);
    const out: Handover[] = [];
    for (let i = 1; i < segs.length; i += 1) {
      const seg = segs[i]!;
      const prev = segs[i - 1]!;
      if (seg.startMs <= fromMs || seg.startMs > toMs) continue;
      if (peopleKey(seg.people) !== peopleKey(prev.people)) out.push({ at: seg.startMs, people: seg.people, previous: prev.people });
    }
    return out;
  }

  function nextHandover(afterMs: number): Handover | null {
    for (let week = 0; week * 7 < HANDOVER_HORIZON_DAYS; week += 1) {
      const from = afterMs + week * 7 * DAY_MS;
      const found = handoversBetween(from, from + 7 * DAY_MS)[0];
      if (found) return found;
    }
    return null;
  }

  function shiftsOn(dateKey: string): DatedShift[] {
    return instancesOn(dateKey).map((inst) => ({ ...windowOf(inst.startMs, inst.endMs), people: [...inst.people] }));
  }

  /** 08:30-17:30, 17:30-次日08:30, or 全天 for midnight to midnight. */
  const clockRange = (w: DutyWindow) => {
    if (w.from === '00:00' && w.to === '00:00') return '全天';
    return w.to <= w.from ? `${w.from}-次日${w.to}` : `${w.from}-${w.to}`;
  };
  const short = (ms: number) => `${dateKeyOf(ms, timeZone).slice(5)} ${formatMinute(minuteOfDay(ms, timeZone))}`;

  function rosterText(nowMs: number, days = 7, holidaysAhead: readonly HolidayPeriod[] = []): string {
    const lines = ['【值班】'];
    const now = onDutyAt(nowMs);
    lines.push(now ? `现在：${now.people.join('、')}（至 ${short(now.shift.endMs)}）` : '现在：无人值班');
    const next = nextHandover(nowMs);
    if (next) lines.push(`下一班：${next.people.length > 0 ? next.people.join('、') : '无人值班'}（${short(next.at)} 起）`);
    const today = dateKeyOf(nowMs, timeZone);
    const horizon = addDaysToKey(today, days - 1);
    const coming = holidaysAhead.filter((p) => p.lastDay >= today && p.firstDay <= horizon);
    if (coming.length === 0) {
      lines.push(`近${days}天没有节假日`);
      return lines.join('\n');
    }
    lines.push('节假日安排：');
    for (const p of coming) {
      const makeUp = p.makeUpDays.length > 0 ? `；${p.makeUpDays.map((d) => d.slice(5)).join('、')} 上班` : '';
      lines.push(`${p.name} ${p.firstDay.slice(5)}～${p.lastDay.slice(5)} 放假${makeUp}`);
      for (let d = p.firstDay < today ? today : p.firstDay; d <= p.lastDay; d = addDaysToKey(d, 1)) {
        const shifts = shiftsOn(d);
        const who = shifts.length > 0 ? shifts.map((s) => `${clockRange(s)} ${s.people.join('、')}`).join('；') : '无人值班';
        lines.push(`${d.slice(5)} ${weekdayZh(d)}：${who}`);
      }
    }
    return lines.join('\n');
  }

  return {
    onDutyAt,
    nextHandover,
    handoversBetween,
    shiftsOn,
    peopleOnDate: (dateKey) => unique(instancesOn(dateKey).flatMap((inst) => inst.people)),
    rosterText,
  };
}
