import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { LedgerExporter, LedgerFigure, LedgerFlag, LedgerMeta, LedgerRow, LedgerTime } from '../../core/reports/report-ports';
import { zonedParts } from '../../core/time-zone';

/**
 * The ledger (台账) as a spreadsheet with the columns of a 12345 platform export, so it reads like
 * the sheets the street already keeps and imports back with `npm run import`. XLSX through exceljs
 * (not SheetJS from npm, frozen on a version with known CVEs); CSV written here.
 */

/** The ledger's columns in order: field, the Chinese header of a 12345 export, width in characters. */
export const LEDGER_COLUMNS: readonly { key: keyof LedgerRow; header: string; width: number }[] = [
  { key: 'hotlineNo', header: '工单编号', width: 18 },
  { key: 'type', header: '诉求类型', width: 10 },
  { key: 'category', header: '问题分类', width: 16 },
  { key: 'content', header: '诉求内容', width: 50 },
  { key: 'address', header: '地址', width: 28 },
  { key: 'community', header: '社区', width: 14 },
  { key: 'owner', header: '承办人', width: 10 },
  { key: 'leader', header: '包案领导', width: 10 },
  { key: 'receivedAt', header: '受理时间', width: 20 },
  { key: 'contactedAt', header: '响应时间', width: 20 },
  { key: 'resolvedAt', header: '办结时间', width: 20 },
  { key: 'resolveBy', header: '办理时限', width: 20 },
  { key: 'overdue', header: '是否超时', width: 10 },
  { key: 'extended', header: '是否延期', width: 10 },
  { key: 'solved', header: '解决情况', width: 10 },
  { key: 'satisfaction', header: '满意度', width: 10 },
  { key: 'followUpNote', header: '回访备注', width: 30 },
];

const TIME_KEYS: ReadonlySet<keyof LedgerRow> = new Set(['receivedAt', 'contactedAt', 'resolvedAt', 'resolveBy']);
const FLAG_KEYS: ReadonlySet<keyof LedgerRow> = new Set(['overdue', 'extended']);

export interface XlsxLedgerExporterOptions {
  /** Zone in which `Date` and epoch-millisecond times are written; default Asia/Shanghai. */
  timeZone?: string;
}

export class XlsxLedgerExporter implements LedgerExporter {
  private readonly timeZone: string;

  constructor(options: XlsxLedgerExporterOptions = {}) {
    this.timeZone = options.timeZone ?? 'Asia/Shanghai';
  }

  /**
   * Sheet 案件台账: one row per case, header bold, frozen and filterable; times as real Excel date
   * cells (the street's wall-clock time, sortable). Sheet 统计: title, period, then one line per figure.
   * Written with exceljs's streaming writer, each row committed as it is added: for a month of 10,000
   * cases the process peaks about 150 MB instead of 400–500 MB with the whole workbook in memory, and
   * is no slower (BENCHMARKS.md, "Ledger export"); strings are written inline (no shared-string table
   * to hold), the file about a third larger.
   */
  async xlsx(rows: readonly LedgerRow[], figures: readonly LedgerFigure[], meta: LedgerMeta): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const drained = finished(stream);
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    book.creator = 'jiesu';
    book.title = meta.title;
    book.subject = meta.period;

    const cases = book.addWorksheet('案件台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    // Column styles reach every cell added later (rows are written as they are committed).
    cases.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: columnStyle(c.key) }));
    const header = cases.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle' };
    header.commit();
    cases.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_COLUMNS.length } };
    for (const row of rows) {
      const values: Record<string, ExcelJS.CellValue> = {};
      for (const c of LEDGER_COLUMNS) values[c.key] = this.cellValue(c.key, row[c.key]);
      cases.addRow(values).commit();
    }
    cases.commit();

    const sheet = book.addWorksheet('统计');
    sheet.columns = [{ width: 28 }, { width: 18 }];
    const title = sheet.addRow([meta.title]);
    title.font = { bold: true, size: 14 };
    title.commit();
    sheet.addRow(['统计周期', meta.period]).commit();
    sheet.addRow([]).commit();
    const head = sheet.addRow(['指标', '数值']);
    head.font = { bold: true };
    head.commit();
    for (const f of figures) sheet.addRow([f.label, f.value]).commit();
    sheet.commit();

    await book.commit();
    await drained;
    return Buffer.concat(chunks);
  }

  /**
   * RFC 4180 with a BOM and CRLF, the header row in Chinese. A field that would start a formula in
   * Excel (`=`, `+`, `-`, `@`) gets a leading `'`: the citizen's words are never run as a formula.
   */
  csv(rows: readonly LedgerRow[]): string {
    const lines = [LEDGER_COLUMNS.map((c) => csvField(c.header))];
    for (const row of rows) lines.push(LEDGER_COLUMNS.map((c) => csvField(this.text(c.key, row[c.key]))));
    return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
  }

  private cellValue(key: keyof LedgerRow, v: LedgerRow[keyof LedgerRow]): ExcelJS.CellValue {
    if (v === null || v === undefined || v === '') return null;
    if (TIME_KEYS.has(key) && (v instanceof Date || typeof v === 'number')) {
      // Excel dates carry no zone: write the street's wall-clock time as the cell's date.
      const p = zonedParts(v instanceof Date ? v.getTime() : v, this.timeZone);
      return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
    }
    if (FLAG_KEYS.has(key)) return flagText(v as LedgerFlag);
    return v as string;
  }

  private text(key: keyof LedgerRow, v: LedgerRow[keyof LedgerRow]): string {
    if (v === null || v === undefined) return '';
    if (TIME_KEYS.has(key)) return timeText(v as LedgerTime, this.timeZone);
    if (FLAG_KEYS.has(key)) return flagText(v as LedgerFlag);
    return String(v);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A column's cell style: date format for times, wrapped text for the long fields. */
function columnStyle(key: keyof LedgerRow): Partial<ExcelJS.Style> {
  if (TIME_KEYS.has(key)) return { numFmt: 'yyyy-mm-dd hh:mm:ss' };
  if (key === 'content' || key === 'address' || key === 'followUpNote') return { alignment: { wrapText: true, vertical: 'top' } };
  return {};
}

/** `2026-12-03 09:15:00` in the zone; text is kept as the caller wrote it. */
export function timeText(v: LedgerTime, timeZone: string): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  const p = zonedParts(v instanceof Date ? v.getTime() : v, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

function flagText(v: LedgerFlag): string {
  return v === true ? '是' : v === false ? '否' : (v ?? '');
}

function csvField(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
