import type { DutyConfig } from '../core/duty/duty-config';
import type { DutyStore } from '../core/duty/duty-store';
import { createRoster, type DutyChange, type Roster } from '../core/duty/roster';
import type { HolidayPeriod } from '../core/time/holiday-periods';
import { DEFAULT_QUIET_HOURS, isQuiet, parseQuietHours, type QuietHours } from '../core/time/quiet-hours';

/**
 * The duty roster (值班) as a service for the app, the 值班 command and the handover schedule: the
 * YAML's pattern plus the changes made in chat, read from the store so every process agrees. The
 * roster is rebuilt only when a change was added.
 */
export interface RosterService {
  /** The roster with every chat change applied. */
  current(): Roster;
  /** Names on duty at `at` (empty when nobody is). */
  onDutyAt(at: number): string[];
  /** Whether `at` is in the street's quiet hours. */
  isQuiet(at: number): boolean;
  /** The 值班 text: now, next, the coming holidays' duty. */
  text(now: number): string;
  /** Records a chat change (值班 设置 / 值班 换班). */
  addChange(change: DutyChange, by: string | null, at: number): void;
}

export interface RosterServiceDeps {
  duty: DutyConfig;
  timeZone: string;
  /** The YAML `quietHours` text (validated at start); default 22:00-08:00. */
  quietHours?: string;
  store: Pick<DutyStore, 'listDutyChanges' | 'lastDutyChangeId' | 'addDutyChange'>;
  /** Holiday periods (国庆节 10-01～10-07 …) for the 值班 text, from the holiday adapter. */
  holidays?: readonly HolidayPeriod[];
  /** Days ahead the 值班 text shows holidays (default 7). */
  holidayDaysAhead?: number;
}

export function createRosterService(deps: RosterServiceDeps): RosterService {
  const parsed = deps.quietHours ? parseQuietHours(deps.quietHours) : null;
  const quiet: QuietHours = parsed && parsed.ok ? parsed : DEFAULT_QUIET_HOURS;
  let cached: { lastId: number; roster: Roster } | null = null;
  /** The stretch asked about last: every reminder within it gets the same answer without recomputing. */
  let stretch: { lastId: number; from: number; to: number; people: string[] } | null = null;

  function current(): Roster {
    const lastId = deps.store.lastDutyChangeId();
    if (cached && cached.lastId === lastId) return cached.roster;
    const changes = deps.store.listDutyChanges();
    const roster = createRoster({ duty: deps.duty, changes: changes.map((c) => c.change), timeZone: deps.timeZone });
    cached = { lastId: changes.at(-1)?.id ?? 0, roster };
    return roster;
  }

  function onDutyAt(at: number): string[] {
    const roster = current();
    const lastId = cached!.lastId;
    if (stretch && stretch.lastId === lastId && at >= stretch.from && at < stretch.to) return stretch.people;
    const on = roster.onDutyAt(at);
    if (on) stretch = { lastId, from: on.shift.startMs, to: on.shift.endMs, people: on.people };
    return on?.people ?? [];
  }

  return {
    current,
    onDutyAt,
    isQuiet: (at) => isQuiet(at, quiet, deps.timeZone),
    text: (now) => current().rosterText(now, deps.holidayDaysAhead ?? 7, deps.holidays ?? []),
    addChange: (change, by, at) => {
      deps.store.addDutyChange(change, by, at);
    },
  };
}
