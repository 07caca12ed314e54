import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportLedger } from '../core/commands/app-commands';
import { ledgerFigures, ledgerFileName, ledgerRow, type LedgerQueries } from '../core/reports/ledger';
import { periodTitle, resolvePeriodWord, type Period, type PeriodSettings } from '../core/reports/periods';
import type { ReportFigures } from '../core/reports/report-figures';
import type { LedgerExporter } from '../core/reports/report-ports';
import type { StreetConfig } from '../core/street-config';

/**
 * The ledger (台账) export: the cases received in a period, read with one SQL range scan, written by
 * the spreadsheet exporter under DATA_DIR/reports/ as `台账-<period>.xlsx` (or `.csv`). Used by 导出
 * in consult and by `npm run export`.
 */
export interface LedgerExportService {
  readonly settings: PeriodSettings;
  /** Writes the period's ledger; the file replaces an earlier export of the same period. */
  export(period: Period, format: 'xlsx' | 'csv', now: number): Promise<LedgerExportResult>;
}

export interface LedgerExportResult {
  /** Absolute path of the written file. */
  path: string;
  /** `台账-2026-11.xlsx`. */
  name: string;
  /** Cases in the sheet. */
  cases: number;
  /** Size of the file, bytes. */
  bytes: number;
  /** `2026年11月` (with its span when the month starts on another day than the 1st). */
  title: string;
}

export interface LedgerExportDeps {
  ledger: LedgerQueries;
  exporter: LedgerExporter;
  /** The period's figures for the whole street (the reports' own, so the sheet and 统计 agree). */
  figures(period: Period, now: number): ReportFigures;
  /** Folder of the written files (DATA_DIR/reports). */
  dir: string;
  config: StreetConfig;
}

export class SqlLedgerExportService implements LedgerExportService {
  readonly settings: PeriodSettings;
  private seq = 0;

  constructor(private readonly deps: LedgerExportDeps) {
    this.settings = { timeZone: deps.config.timeZone, periodStartDay: deps.config.reports.periodStartDay };
  }

  async export(period: Period, format: 'xlsx' | 'csv', now: number): Promise<LedgerExportResult> {
    const { ledger, exporter, config, dir } = this.deps;
    const records = ledger.casesReceived({ from: period.from, to: period.to, cutoff: Math.min(now, period.to) });
    const rows = records.map((r) => ledgerRow(r, config.groupNames));
    const title = periodTitle(period, this.settings);
    const bytes =
      format === 'csv'
        ? Buffer.from(exporter.csv(rows), 'utf8')
        : await exporter.xlsx(rows, ledgerFigures(this.deps.figures(period, now)), { title: `${config.street}接诉即办台账`, period: title });
    const name = ledgerFileName(period.label, format);
    const path = join(dir, name);
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a delivery uploading the previous export never reads half a file.
    const partial = join(dir, `.${name}.${process.pid}-${++this.seq}.part`);
    writeFileSync(partial, bytes);
    renameSync(partial, path);
    return { path, name, cases: rows.length, bytes: bytes.length, title };
  }
}

/**
 * `npm run export -- 2026-11 [--csv]`: the same words as 导出 (本月, 上月, 2026-11, csv), read by the
 * command's own parser. A value on success; the one-line reason otherwise.
 */
export async function exportFromArgs(service: LedgerExportService, args: readonly string[], now: number): Promise<{ ok: true; file: LedgerExportResult } | { ok: false; message: string }> {
  const parsed = exportLedger.parse(args.map((a) => (a === '--csv' ? 'csv' : a)).join(' '));
  const usage = '用法：npm run export -- [本月|上月|2026-11] [--csv]';
  if (!parsed.ok) return { ok: false, message: usage };
  const words = parsed.args as { period: string; csv: boolean };
  const period = resolvePeriodWord(words.period, now, service.settings);
  if (!period) return { ok: false, message: `没有这个时间段。${usage}` };
  if (period.from > now) return { ok: false, message: `这个时间段还没开始。${usage}` };
  return { ok: true, file: await service.export(period, words.csv ? 'csv' : 'xlsx', now) };
}
