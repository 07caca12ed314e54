import { startTicker, type Ticker } from './minute-ticker';
import { handoverKey, handoverText } from '../core/duty/handover-notice';
import type { DutyStore } from '../core/duty/duty-store';
import { planningDue, planningText, type PlanningConfig, type PlanningQueries } from '../core/planning/planning-notice';
import { send } from '../core/decide';
import type { CaseStore, Logger } from '../core/ports';
import type { Case, Effect } from '../core/types';
import { errorSummary } from './error-summary';
import type { RosterService } from './roster-service';

/**
 * A small scheduler ticking each minute for the time-driven notices in consult:
 * - 交班: at each handover of the duty roster, who takes over and the open urgent and overdue cases;
 * - 研判: on the configured day of the month, last year's cases of the coming month.
 * Each notice is claimed by its `sent_reports` key in the transaction that writes it (App.postOnce),
 * so it goes out once whatever restarts or how many processes run.
 */

/** At start, handovers this far back are still announced (a restart just after one); older ones are not. */
export const HANDOVER_LOOKBACK_MS = 10 * 60_000;
/** Open cases the handover notice looks through. */
const OPEN_CASES_LIMIT = 1000;

export interface DutyScheduleDeps {
  roster: RosterService;
  notices: Pick<DutyStore, 'isNoticeSent' | 'claimNotice'>;
  store: Pick<CaseStore, 'listOpenCases'>;
  timeZone: string;
  groupNames: Record<string, string>;
  /** The 研判 notice; absent → not sent. */
  planning?: { queries: PlanningQueries; config: PlanningConfig };
  /** Writes effects when `claim` holds, in one transaction (App.postOnce). */
  postOnce(claim: () => boolean, effects: Effect[]): Promise<boolean>;
  clock: () => number;
  logger: Logger;
}

/** One tick now (returns the keys this process sent), and stop. */
export type DutySchedule = Ticker;

/** Ticks every `everyMs` (default one minute) and once at start; `everyMs: 0` never ticks by itself (tests call `tick`). */
export function startDutySchedule(deps: DutyScheduleDeps, opts: { everyMs?: number } = {}): DutySchedule {
  let lastTick: number | null = null;

  const openUrgentOrOverdue = (now: number): Case[] =>
    deps.store.listOpenCases({ group: null, filter: 'all', now, limit: OPEN_CASES_LIMIT }).cases.filter((c) => c.urgency === 'urgent' || c.resolveBy <= now);

  async function post(key: string, now: number, effect: Effect): Promise<boolean> {
    if (deps.notices.isNoticeSent(key)) return false;
    return deps.postOnce(() => deps.notices.claimNotice(key, now), [effect]);
  }

  async function runTick(): Promise<string[]> {
    const now = deps.clock();
    const from = Math.max(lastTick ?? now - HANDOVER_LOOKBACK_MS, now - HANDOVER_LOOKBACK_MS);
    const done: string[] = [];
    try {
      for (const h of deps.roster.current().handoversBetween(from, now)) {
        const key = handoverKey(h.at);
        if (await post(key, now, send('update', 'consult', handoverText(h, openUrgentOrOverdue(h.at), deps.timeZone), null, []))) done.push(key);
      }
      lastTick = now;
    } catch (err) {
      deps.logger.error({ err: errorSummary(err) }, 'handover notice failed');
    }
    if (deps.planning) {
      try {
        const due = planningDue(now, deps.planning.config, deps.timeZone);
        if (due && !deps.notices.isNoticeSent(due.key)) {
          const text = planningText(due, deps.planning.queries.planningRows({ from: due.from, to: due.to }), deps.groupNames);
          if (await post(due.key, now, send('update', 'consult', text, null))) done.push(due.key);
        }
      } catch (err) {
        deps.logger.error({ err: errorSummary(err) }, 'planning notice failed');
      }
    }
    for (const key of done) deps.logger.info({ notice: key }, 'notice sent');
    return done;
  }

  return startTicker(runTick, opts.everyMs ?? 60_000);
}
