import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { App } from '../../bot/app';
import { mapHeader, phraseIntakeError, rowFromCells, type Sheet, type SheetOptions } from './sheet-columns';
import { xlsxSheet } from './xlsx-import';

/**
 * Import of exported case sheets: the 12345 platform's XLSX export, CSV with a header row (contract
 * names or the platform's Chinese titles, Chinese values, times without an offset in the street's
 * zone), or JSON (an array, or `{ "cases": [...] }` like the seed fixtures).
 * Idempotent on the hotline number; a bad row is reported by its line number and the column title
 * the sheet uses (`第 4 行「诉求内容」为空`) and skipped; rows go in batches, each one SQLite
 * transaction, so nothing is ever half-imported.
 */

export interface ImportReport {
  rows: number;
  created: number;
  existing: number;
  /** `error` names the column as the sheet titles it, e.g. `「诉求内容」为空`; sorted by line. */
  bad: { line: number; error: string }[];
}

/** How values are read; every field optional. */
export interface ImportOptions {
  /** Zone of times written without an offset; default Asia/Shanghai (pass the street's `config.timeZone`). */
  timeZone?: string;
  /** Group display name → group key, for a 社区 column holding names. */
  groupKeys?: Readonly<Record<string, string>>;
}

/** Rows per transaction. */
const BATCH = 500;

/** Reads `.xlsx`, `.csv` or JSON (any other name) and imports it. `onProgress` gets (rows done, rows in all) after each batch. */
export async function importFile(app: Pick<App, 'handleIntakeBatch'>, file: string, onProgress?: (done: number, total: number) => void, options: ImportOptions = {}): Promise<ImportReport> {
  const ext = extname(file).toLowerCase();
  if (ext === '.xls' || ext === '.et') throw new Error('不支持旧的 .xls 格式：请在 Excel 里另存为 .xlsx 或 .csv 再导入');
  const sheetOptions: SheetOptions = { timeZone: options.timeZone ?? 'Asia/Shanghai', groupKeys: options.groupKeys };
  if (ext === '.xlsx') return importSheet(app, await xlsxSheet(await readFile(file), sheetOptions), onProgress);
  const text = await readFile(file, 'utf8');
  if (ext === '.csv') return importSheet(app, csvSheet(text, sheetOptions), onProgress);
  return importRows(app, jsonRows(text), onProgress);
}

/** Imports rows whose keys are the contract's names (JSON, or anything built in code). */
export async function importRows(app: Pick<App, 'handleIntakeBatch'>, rows: { line: number; value: unknown }[], onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  return importSheet(app, { rows, columns: {}, problems: [] }, onProgress);
}

/** Imports a read sheet in batches; its problems (values that could not be read) join the bad rows. */
export async function importSheet(app: Pick<App, 'handleIntakeBatch'>, sheet: Sheet, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  const { rows, columns, problems } = sheet;
  const report: ImportReport = { rows: rows.length + problems.length, created: 0, existing: 0, bad: [...problems] };
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const outcomes = await app.handleIntakeBatch(batch.map((r) => r.value), 'import');
    outcomes.forEach((o, j) => {
      if (o.status === 201) report.created++;
      else if (o.status === 200) report.existing++;
      else {
        const body = o.body as { error: string; field?: string };
        report.bad.push({ line: batch[j]!.line, error: phraseIntakeError(body.error, body.field ?? '(body)', columns) });
      }
    });
    onProgress?.(Math.min(i + BATCH, rows.length), rows.length);
  }
  report.bad.sort((a, b) => a.line - b.line);
  return report;
}

/** `第 4 行「诉求内容」为空`: one bad row as the import prints it. */
export function badRowText(bad: { line: number; error: string }): string {
  return `第 ${bad.line} 行${bad.error.startsWith('「') ? '' : '：'}${bad.error}`;
}

/** JSON: array of intakes or `{ cases: [...] }`. Line numbers are the item's position (1-based). */
export function jsonRows(text: string): { line: number; value: unknown }[] {
  const doc = JSON.parse(text) as unknown;
  const list = Array.isArray(doc) ? doc : Array.isArray((doc as { cases?: unknown })?.cases) ? (doc as { cases: unknown[] }).cases : null;
  if (!list) throw new Error('JSON 应为案件数组，或 { "cases": [...] }');
  return list.map((value, i) => ({ line: i + 1, value }));
}

/** The rows of {@link csvSheet} (values that cannot be read are left out). */
export function csvRows(text: string, options: SheetOptions = { timeZone: 'Asia/Shanghai' }): { line: number; value: unknown }[] {
  return csvSheet(text, options).rows;
}

/**
 * CSV (RFC 4180: quotes, doubled quotes, newlines inside quotes; BOM tolerated) with a header row.
 * Line numbers count the header as line 1 and are the line a record starts on.
 */
export function csvSheet(text: string, options: SheetOptions): Sheet {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  if (records.length === 0) return { rows: [], columns: {}, problems: [] };
  const { fields, columns } = mapHeader(records[0]!.fields);
  const sheet: Sheet = { rows: [], columns, problems: [] };
  for (const r of records.slice(1)) {
    if (!r.fields.some((f) => f.trim() !== '')) continue;
    const row = rowFromCells(fields, r.fields, columns, options);
    if ('error' in row) sheet.problems.push({ line: r.line, error: row.error });
    else sheet.rows.push({ line: r.line, value: row.value });
  }
  return sheet;
}

function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') inQuotes = false;
      else { if (ch === '\n') line++; field += ch; }
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === ',') { fields.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ line: recordLine, fields });
      fields = []; field = '';
      line++; recordLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) { fields.push(field); out.push({ line: recordLine, fields }); }
  return out;
}
