import { getTableColumns } from 'drizzle-orm';
import type { Case } from '../core/types';
import { cases } from './schema';

/**
 * The `cases` row by hand, for the hot statements: drizzle's prepared insert cost ~150 µs a case
 * against ~20 µs for the same row written by better-sqlite3 directly (bench/profile-intake.ts), and
 * its generic read mapping was the largest part of a claim.
 * The field ↔ column names and the JSON lists come from the drizzle schema, so there is one definition.
 */
interface Column {
  field: string;
  name: string;
  json: boolean;
}

const COLUMNS: Column[] = Object.entries(getTableColumns(cases)).map(([field, col]) => ({ field, name: col.name, json: col.dataType === 'json' }));
const BY_FIELD = new Map(COLUMNS.map((c) => [c.field, c]));

/** The columns in schema order, for `SELECT ${CASE_SELECT} FROM cases …` read in raw (array) mode. */
export const CASE_SELECT = COLUMNS.map((c) => `"${c.name}"`).join(', ');

/**
 * A row read with CASE_SELECT in better-sqlite3's raw (array) mode as the `Case`: set under the schema's
 * keys in schema order (so every case has one shape), the JSON lists parsed. drizzle's generic row mapping
 * of the wide row was ~11 % of a claim's CPU, and better-sqlite3 building the row as an object three times
 * what reading it as an array costs (bench P2).
 */
export function caseFromRow(row: unknown): Case | null {
  if (!row) return null;
  const values = row as unknown[];
  const c: Record<string, unknown> = {};
  for (let i = 0; i < COLUMNS.length; i++) {
    const col = COLUMNS[i]!;
    const v = values[i];
    c[col.field] = col.json && v !== null ? JSON.parse(v as string) : v;
  }
  return c as unknown as Case;
}

/**
 * One pass over a draft: the fields it gives (in schema order; one prepared statement per set), the statement's
 * named parameters (JSON lists as text) and the case it becomes once stored (null where it gave none;
 * the columns with a default are Case fields every draft gives).
 */
export function draftRow(values: Record<string, unknown>): { fields: string[]; params: Record<string, unknown>; stored: Record<string, unknown> } {
  const fields: string[] = [];
  const params: Record<string, unknown> = {};
  const stored: Record<string, unknown> = { id: 0 };
  for (const c of COLUMNS) {
    if (c.field === 'id') continue;
    const v = values[c.field];
    if (v === undefined) {
      stored[c.field] = null;
      continue;
    }
    fields.push(c.field);
    params[c.field] = c.json && v !== null ? JSON.stringify(v) : v;
    stored[c.field] = v;
  }
  return { fields, params, stored };
}

/** `INSERT INTO cases (…) VALUES (@field, …)` for the given fields. */
export function insertSql(fields: readonly string[]): string {
  const cols = fields.map((f) => BY_FIELD.get(f)!);
  return `INSERT INTO cases (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map((c) => `@${c.field}`).join(', ')})`;
}
