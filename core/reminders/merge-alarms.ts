import type { MessageKind } from '../ports';
import type { Person } from '../types';

/**
 * No floods: reminders and alarms that fall due together in one group go out as one message listing
 * them. The bot delivers a group's outbox in order; this decides which consecutive rows travel together.
 */

/** Rows created within this many ms of the first of a batch join it (default 5 s). */
export const MERGE_WINDOW_MS = 5_000;
/** At most this many rows in one message (a long list is split). */
export const MERGE_MAX_ROWS = 20;

export interface MergeableRow {
  id: number;
  channel: string;
  kind: MessageKind;
  text: string;
  mentions: Person[];
  caseId: number | null;
  createdAt: number;
  /** Rows with an attachment or a private fallback never merge. */
  attachment?: unknown;
  fallbackGroup?: string | null;
}

export interface MergedMessage<R extends MergeableRow> {
  rows: R[];
  text: string;
  mentions: Person[];
  /** The case when every row is about the same one, else null (a quote-reply then names no case). */
  caseId: number | null;
}

const mergeable = (r: MergeableRow) => r.channel === 'chat' && r.kind === 'alarm' && !r.attachment && !r.fallbackGroup;

/**
 * The leading run of rows that go out as one message: the first row alone unless it is a chat alarm;
 * then every following alarm created within `windowMs` of the first, up to the first row that is not
 * one (order within the group is kept).
 */
export function leadingBatch<R extends MergeableRow>(rows: readonly R[], windowMs = MERGE_WINDOW_MS, maxRows = MERGE_MAX_ROWS): R[] {
  const first = rows[0];
  if (!first) return [];
  if (!mergeable(first)) return [first];
  const out: R[] = [first];
  for (const r of rows.slice(1)) {
    if (out.length >= maxRows || !mergeable(r) || r.createdAt - first.createdAt > windowMs) break;
    out.push(r);
  }
  return out;
}

/**
 * One message for a batch: a single row is itself; several are listed under a count line, the same
 * text only once (two milestones of one case at one instant), the mentions joined once each.
 */
export function mergeRows<R extends MergeableRow>(batch: readonly R[]): MergedMessage<R> {
  const rows = [...batch];
  if (rows.length === 1) return { rows, text: rows[0]!.text, mentions: rows[0]!.mentions, caseId: rows[0]!.caseId };
  const texts: string[] = [];
  for (const r of rows) if (!texts.includes(r.text)) texts.push(r.text);
  const mentions: Person[] = [];
  for (const p of rows.flatMap((r) => r.mentions)) if (!mentions.some((q) => q.id === p.id)) mentions.push(p);
  const cases = [...new Set(rows.map((r) => r.caseId))];
  const caseId = cases.length === 1 ? cases[0]! : null;
  const text = texts.length === 1 ? texts[0]! : [`📋 同时到期 ${texts.length} 条提醒：`, ...texts.map((t, i) => `${i + 1}. ${t}`)].join('\n');
  return { rows, text, mentions, caseId };
}
