import type Database from 'better-sqlite3';
import type { LedgerQueries, LedgerQuery, LedgerRecord } from '../core/reports/ledger';

/**
 * The ledger's cases in one indexed range scan on `cases_reported_at`: 是否超时 judged as the reports
 * judge `overdue` (storage/sqlite-report-queries.ts), 是否延期 from the `extension-approved` event on
 * `case_events_case_kind`, the 回访 note from the rating's JSON. Rows come out already shaped; nothing
 * but the period's cases is read.
 */
const CASES_RECEIVED = `
  SELECT c.id AS id, c.hotline_no AS hotlineNo, c.type AS type, c.category AS category, c.content AS content,
    c.address AS address, c.group_key AS "group", c.owner_name AS ownerName, c.leader_name AS leaderName,
    c.reported_at AS reportedAt, c.contacted_at AS contactedAt, c.resolved_at AS resolvedAt, c.resolve_by AS resolveBy,
    CASE WHEN c.resolved_at IS NOT NULL THEN c.resolved_at > c.resolve_by
         ELSE c.resolve_by < @cutoff AND c.status <> 'closed' END AS overdue,
    EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = 'extension-approved') AS extended,
    c.rating_solved AS solved, c.rating_satisfaction AS satisfaction,
    json_extract(c.rating, '$.note') AS followUpNote
  FROM cases c
  WHERE c.reported_at >= @from AND c.reported_at < @to
  ORDER BY c.reported_at, c.id`;

type RawRecord = Omit<LedgerRecord, 'overdue' | 'extended'> & { overdue: number; extended: number };

export class SqliteLedgerQueries implements LedgerQueries {
  private readonly received: Database.Statement;

  /** Use the case store's better-sqlite3 connection (`openDatabase(...).sqlite`). */
  constructor(db: Database.Database) {
    this.received = db.prepare(CASES_RECEIVED);
  }

  casesReceived(q: LedgerQuery): LedgerRecord[] {
    return (this.received.all({ from: q.from, to: q.to, cutoff: q.cutoff }) as RawRecord[]).map((r) => ({ ...r, overdue: r.overdue === 1, extended: r.extended === 1 }));
  }
}
