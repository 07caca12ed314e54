import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { previousPeriod, REPORT_NAME, utcOffsetMs, type Period, type PeriodSettings } from '../core/reports/periods';
import { buildFigures, type PeriodTotals, type ReportFigures } from '../core/reports/report-figures';
import { rates } from '../core/reports/rates';
import type { ChartRenderer } from '../core/reports/report-ports';
import type { ReportQueries } from '../core/reports/report-queries';
import { reportChart, reportText } from '../core/reports/report-text';
import type { StreetConfig } from '../core/street-config';
import type { Attachment, SendEffect } from '../core/types';

/**
 * Reports on demand (统计, the Reports API) and on schedule: figures from the SQL queries, the text
 * from core, the chart rendered to a PNG saved under DATA_DIR/reports/ and attached to the message.
 */
export interface ReportService {
  readonly settings: PeriodSettings;
  /** The figures of a period for the whole street (scope null) or one group's slice. */
  figures(period: Period, scope: string | null, now: number): ReportFigures;
  /** Only the headline counts and 三率 of a period (the change column's previous period). */
  totals(period: Period, scope: string | null, now: number): PeriodTotals;
  /**
   * The report as one message to `to`: the text (with the change against the previous period) and
   * the chart as an image attachment. `lateSince`: a scheduled report sent after its time.
   */
  message(opts: { period: Period; scope: string | null; to: string; now: number; kind: SendEffect['kind']; lateSince?: number | null }): Promise<SendEffect>;
  /** Removes a chart whose message was not sent after all (another process sent the report). */
  discard(attachment: Attachment | null | undefined): void;
}

export interface ReportServiceDeps {
  queries: ReportQueries;
  chart: ChartRenderer;
  /** Folder of the saved charts (DATA_DIR/reports). */
  dir: string;
  config: StreetConfig;
}

/** Hotspot: the same place and category at least this many times … */
export const HOTSPOT_MIN = 3;
const DAY_MS = 86_400_000;

export class SqlReportService implements ReportService {
  readonly settings: PeriodSettings;

  constructor(private readonly deps: ReportServiceDeps) {
    this.settings = { timeZone: deps.config.timeZone, periodStartDay: deps.config.reports.periodStartDay };
  }

  figures(period: Period, scope: string | null, now: number): ReportFigures {
    const { queries, config } = this.deps;
    const q = { from: period.from, to: period.to, group: scope };
    const cutoff = Math.min(now, period.to);
    // … within repeat.windowDays (30) ending at the period's end (or now).
    const hotspotFrom = cutoff - config.repeat.windowDays * DAY_MS;
    return buildFigures(
      {
        period,
        scope,
        counts: queries.caseCounts({ ...q, cutoff, utcOffsetMs: utcOffsetMs(period.from, config.timeZone) }),
        followUps: queries.followUps(q),
        hotspots: queries.hotspots({ from: hotspotFrom, to: cutoff, group: scope, min: HOTSPOT_MIN, limit: 10 }),
        overdueNow: queries.overdueOpen({ group: scope, now, limit: 10 }),
      },
      { communities: config.communities, sections: config.sections, groupNames: config.groupNames },
      config.reports.weights,
    );
  }

  totals(period: Period, scope: string | null, now: number): PeriodTotals {
    const t = this.deps.queries.totals({ from: period.from, to: period.to, group: scope, cutoff: Math.min(now, period.to), utcOffsetMs: utcOffsetMs(period.from, this.deps.config.timeZone) });
    return { ...t, ...rates(t, this.deps.config.reports.weights) };
  }

  async message(opts: { period: Period; scope: string | null; to: string; now: number; kind: SendEffect['kind']; lateSince?: number | null }): Promise<SendEffect> {
    const { config } = this.deps;
    const current = this.figures(opts.period, opts.scope, opts.now);
    const previous = this.totals(previousPeriod(opts.period, this.settings), opts.scope, opts.now);
    const textOpts = { street: config.street, groupNames: config.groupNames, settings: this.settings, now: opts.now, lateSince: opts.lateSince ?? null };
    const text = reportText(current, previous, textOpts);
    const png = await this.deps.chart.render(reportChart(current, textOpts));
    const name = `${REPORT_NAME[opts.period.kind]}-${opts.period.label}${opts.scope ? `-${opts.scope}` : ''}.png`;
    mkdirSync(this.deps.dir, { recursive: true });
    // A fresh file per message: an earlier one may still wait in the outbox.
    const path = join(this.deps.dir, `${opts.now.toString(36)}-${randomBytes(4).toString('hex')}-${name}`);
    writeFileSync(path, png);
    return { type: 'send', group: opts.to, text, kind: opts.kind, mentions: [], caseId: null, attachment: { kind: 'image', path, name } };
  }

  discard(attachment: Attachment | null | undefined): void {
    if (attachment) rmSync(attachment.path, { force: true });
  }
}
