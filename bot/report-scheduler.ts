import { startTicker, type Ticker } from './minute-ticker';
import type { Logger } from '../core/ports';
import { dueReports, reportKeyPrefix, reportTargets, type OwedReport } from '../core/reports/report-schedule';
import type { SentReports } from '../core/reports/report-queries';
import type { StreetConfig } from '../core/street-config';
import type { Effect } from '../core/types';
import { errorSummary } from './error-summary';
import type { ReportService } from './report-service';

/**
 * The scheduled 日报 / 周报 / 月报: a timer ticks every minute and asks core's `dueReports` what is
 * owed given the periods already sent (`sent_reports`). Each owed report is claimed by an
 * INSERT OR IGNORE of its key inside the transaction that writes its outbox row, so with several
 * processes (or a restart in the middle) exactly one message goes out per period and group; a
 * report missed while no bot ran is sent at the next tick, once, saying it is late.
 */

export interface ReportSchedulerDeps {
  reports: ReportService;
  sent: SentReports;
  config: StreetConfig;
  /** Writes effects when `claim` holds, in one transaction (App.postOnce). */
  postOnce(claim: () => boolean, effects: Effect[]): Promise<boolean>;
  clock: () => number;
  logger: Logger;
}

/** One tick now (returns the keys this process sent), and stop. */
export type ReportScheduler = Ticker;

/** Checks every minute (and once at start) when `everyMs` is not given; `everyMs: 0` never ticks by itself (tests call `tick`). */
export function startReportScheduler(deps: ReportSchedulerDeps, opts: { everyMs?: number } = {}): ReportScheduler {
  const { reports, sent, config, logger } = deps;
  const targets = reportTargets(config.reports, config.communities);

  async function sendOne(r: OwedReport, now: number): Promise<boolean> {
    if (sent.isSent(r.key)) return false;
    if (r.baseline) {
      // The first time this kind goes to this group: the schedule starts here, nothing old is posted.
      if (sent.claim(r.key, now)) logger.info({ report: r.key }, 'report schedule starts');
      return false;
    }
    const message = await reports.message({ period: r.period, scope: r.scope, to: r.group, now, kind: 'update', lateSince: r.late ? r.dueAt : null });
    const posted = await deps.postOnce(() => sent.claim(r.key, now), [message]);
    if (!posted) reports.discard(message.attachment);
    return posted;
  }

  async function runTick(): Promise<string[]> {
    const now = deps.clock();
    const owed = dueReports(now, {
      config: config.reports,
      settings: reports.settings,
      targets,
      lastSent: (kind, group) => {
        const prefix = reportKeyPrefix(kind, group);
        const key = sent.lastSent(prefix);
        return key === null ? null : key.slice(prefix.length);
      },
    });
    const done: string[] = [];
    for (const r of owed) {
      try {
        if (await sendOne(r, now)) {
          done.push(r.key);
          logger.info({ report: r.key, late: r.late }, 'report sent');
        }
      } catch (err) {
        // Not claimed: the next tick tries again.
        logger.error({ report: r.key, err: errorSummary(err) }, 'report failed');
      }
    }
    return done;
  }

  return startTicker(runTick, opts.everyMs ?? 60_000);
}
