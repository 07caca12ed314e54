import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { App } from '../../bot/app';
import { own } from '../../core/own';

/**
 * Import of exported case sheets: JSON (an array, or `{ "cases": [...] }` like the seed fixtures)
 * or CSV with a header row (English contract names or the usual Chinese column titles).
 * Idempotent on the hotline number; a bad row is reported by its line number and skipped; rows go
 * in batches, each one SQLite transaction, so nothing is ever half-imported.
 */

export interface ImportReport {
  rows: number;
  created: number;
  existing: number;
  bad: { line: number; error: string }[];
}

/** Chinese column titles as 12345 exports tend to name them → contract field. */
const HEADER_ALIASES: Record<string, string> = {
  工单号: 'hotlineNo', 工单编号: 'hotlineNo', 诉求内容: 'content', 内容: 'content', 地址: 'address', 诉求地址: 'address',
  类别: 'category', 诉求类别: 'category', 分类: 'category', 诉求类型: 'type', 类型: 'type', 紧急程度: 'urgency',
  办理时限: 'resolveBy', 来电时间: 'reportedAt', 受理时间: 'reportedAt', 姓名: 'citizenName', 联系人: 'citizenName',
  市民姓名: 'citizenName', 电话: 'citizenPhone', 联系电话: 'citizenPhone', 社区: 'community',
};

/** Rows per transaction. */
const BATCH = 500;

export async function importFile(app: Pick<App, 'handleIntakeBatch'>, file: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  const text = await readFile(file, 'utf8');
  const rows = extname(file).toLowerCase() === '.csv' ? csvRows(text) : jsonRows(text);
  return importRows(app, rows, onProgress);
}

export async function importRows(app: Pick<App, 'handleIntakeBatch'>, rows: { line: number; value: unknown }[], onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  const report: ImportReport = { rows: rows.length, created: 0, existing: 0, bad: [] };
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const outcomes = await app.handleIntakeBatch(batch.map((r) => r.value), 'import');
    outcomes.forEach((o, j) => {
      if (o.status === 201) report.created++;
      else if (o.status === 200) report.existing++;
      else report.bad.push({ line: batch[j]!.line, error: (o.body as { error: string }).error });
    });
    onProgress?.(Math.min(i + BATCH, rows.length), rows.length);
  }
  return report;
}

/** JSON: array of intakes or `{ cases: [...] }`. Line numbers are the item's position (1-based). */
export function jsonRows(text: string): { line: number; value: unknown }[] {
  const doc = JSON.parse(text) as unknown;
  const list = Array.isArray(doc) ? doc : Array.isArray((doc as { cases?: unknown })?.cases) ? (doc as { cases: unknown[] }).cases : null;
  if (!list) throw new Error('JSON 应为案件数组，或 { "cases": [...] }');
  return list.map((value, i) => ({ line: i + 1, value }));
}

/** CSV (RFC 4180: quotes, doubled quotes, newlines inside quotes; BOM tolerated). Line numbers count the header as line 1. */
export function csvRows(text: string): { line: number; value: unknown }[] {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  if (records.length === 0) return [];
  const header = records[0]!.fields.map((h) => own(HEADER_ALIASES, h.trim()) ?? h.trim());
  return records.slice(1)
    .filter((r) => r.fields.some((f) => f.trim() !== ''))
    .map((r) => {
      const obj: Record<string, unknown> = {};
      header.forEach((h, i) => {
        const v = r.fields[i]?.trim();
        if (v) obj[h] = v;
      });
      const { citizenName, citizenPhone, ...rest } = obj;
      if (citizenName || citizenPhone) rest.citizen = { name: citizenName, phone: citizenPhone };
      return { line: r.line, value: rest };
    });
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
