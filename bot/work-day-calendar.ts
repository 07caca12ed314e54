import type { DutyStore } from '../core/duty/duty-store';
import type { Logger } from '../core/ports';
import { uncoveredYearsText, type DayCounting, type WorkCalendar } from '../core/time/work-calendar';
import { addDaysToKey, dateKeyOf, wallTimeToMs } from '../core/time/wall-clock';
import { send } from '../core/decide';
import type { Effect } from '../core/types';
import type { DayCalendar } from './app';

/**
 * The street's day rule for the app (`AppDeps.calendar`): with `days: working` whole-day windows
 * (7d, 15d, extensions in days) count working days over China's holidays and make-up days; hours and
 * minutes stay clock time. The 回访 reminder comes at 09:00 of the next working day in either mode.
 */

const MORNING_MS = 9 * 3_600_000;

export function workDayCalendar(calendar: WorkCalendar, mode: DayCounting, timeZone: string): DayCalendar {
  return {
    addDays: (start, days) => calendar.addWindow(start, { days }, mode).dueAt,
    nextWorkingMorning: (at) => {
      let day = addDaysToKey(dateKeyOf(at, timeZone), 1);
      while (!calendar.isWorkday(day)) day = addDaysToKey(day, 1);
      return wallTimeToMs(day, MORNING_MS, timeZone);
    },
  };
}

/** The `sent_reports` key of the warning about one year without holiday data. */
export const calendarWarningKey = (year: number) => `calendar-warning-${year}`;

export interface CalendarWarningDeps {
  calendar: WorkCalendar;
  mode: DayCounting;
  notices: Pick<DutyStore, 'isNoticeSent' | 'claimNotice'>;
  /** Writes effects when `claim` holds, in one transaction (App.postOnce). */
  postOnce(claim: () => boolean, effects: Effect[]): Promise<boolean>;
  logger: Logger;
  now: number;
}

/**
 * At start with `days: working`: when the current or the next year has no holiday data (neither the
 * package nor the YAML `holidays:`), says so in the log and once in consult (per year, whatever
 * restarts). Returns the years warned about in consult now.
 */
export async function warnUncoveredYears(deps: CalendarWarningDeps): Promise<number[]> {
  if (deps.mode !== 'working') return [];
  const years = deps.calendar.uncoveredYears(deps.now);
  if (years.length === 0) return [];
  deps.logger.warn({ years }, 'no holiday data for these years: windows in days count calendar days there; add them under holidays: in the street YAML');
  const fresh = years.filter((y) => !deps.notices.isNoticeSent(calendarWarningKey(y)));
  const text = uncoveredYearsText(fresh);
  if (!text) return [];
  const posted = await deps.postOnce(() => fresh.map((y) => deps.notices.claimNotice(calendarWarningKey(y), deps.now)).some(Boolean), [send('update', 'consult', text, null)]);
  return posted ? fresh : [];
}
