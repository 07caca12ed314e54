import { getTableColumns } from 'drizzle-orm';
import { cases } from './schema';

/**
 * The `cases` row by hand, for the hot statements: drizzle's prepared insert cost ~150 µs a case
 * against ~20 µs for the same row written by better-sqlite3 directly (bench/profile-intake.ts).
 * The field ↔ column names and the JSON lists come from the drizzle schema, so there is one definition.
 */
interface Column {
  field: string;
  name: string;
  json: boolean;
}

const COLUMNS: Column[] = Object.entries(getTableColumns(cases)).map(([field, col]) => ({ field, name: col.name, json: col.columnType === 'SQLiteTextJson' }));
const BY_FIELD = new Map(COLUMNS.map((c) => [c.field, c]));

/**
 * One pass over a draft: the fields it gives (its shape, one prepared statement each), the statement's
 * named parameters (JSON lists as text) and the case it becomes once stored (null where it gave none;
 * the columns with a default are Case fields every draft gives).
 */
export function draftRow(values: Record<string, unknown>): { shape: string; fields: string[]; params: Record<string, unknown>; stored: Record<string, unknown> } {
  let shape = '';
  const fields: string[] = [];
  const params: Record<string, unknown> = {};
  const stored: Record<string, unknown> = { id: 0 };
  for (const c of COLUMNS) {
    if (c.field === 'id') continue;
    const v = values[c.field];
    if (v === undefined) {
      shape += '0';
      stored[c.field] = null;
      continue;
    }
    shape += '1';
    fields.push(c.field);
    params[c.field] = c.json && v !== null ? JSON.stringify(v) : v;
    stored[c.field] = v;
  }
  return { shape, fields, params, stored };
}

/** `INSERT INTO cases (…) VALUES (@field, …)` for the given fields. */
export function insertSql(fields: readonly string[]): string {
  const cols = fields.map((f) => BY_FIELD.get(f)!);
  return `INSERT INTO cases (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map((c) => `@${c.field}`).join(', ')})`;
}
