import type Database from 'better-sqlite3';
import type { DutyStore, StoredDutyChange } from '../core/duty/duty-store';
import type { DutyChange } from '../core/duty/roster';
import type { PlanningQueries, PlanningRow } from '../core/planning/planning-notice';

/**
 * The duty roster's chat changes (`duty_changes`), the once-only notice keys (`sent_reports`) and the
 * 研判 notice's counting, on better-sqlite3 (the same connection as the case store, so a notice key
 * is claimed in the transaction that writes its outbox row).
 */
export class SqliteDutyStore implements DutyStore, PlanningQueries {
  private readonly listStmt: Database.Statement;
  private readonly addStmt: Database.Statement;
  private readonly lastStmt: Database.Statement;
  private readonly sentStmt: Database.Statement;
  private readonly claimStmt: Database.Statement;
  private readonly planningStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.listStmt = sqlite.prepare('SELECT id, change, by, at FROM duty_changes ORDER BY id');
    this.addStmt = sqlite.prepare('INSERT INTO duty_changes (change, by, at) VALUES (?, ?, ?)');
    this.lastStmt = sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM duty_changes');
    this.sentStmt = sqlite.prepare('SELECT 1 FROM sent_reports WHERE key = ?');
    this.claimStmt = sqlite.prepare('INSERT OR IGNORE INTO sent_reports (key, sent_at) VALUES (?, ?)');
    // Solved: resolved (a reopened case has resolved_at cleared) and not followed up as 未解决.
    this.planningStmt = sqlite.prepare(`
      SELECT place_key AS placeKey, category, count(*) AS count,
             sum(CASE WHEN resolved_at IS NOT NULL AND coalesce(rating_solved, '') <> '未解决' THEN 1 ELSE 0 END) AS solved
      FROM cases
      WHERE reported_at >= @from AND reported_at < @to
      GROUP BY place_key, category
      ORDER BY count DESC, place_key, category`);
  }

  listDutyChanges(): StoredDutyChange[] {
    return (this.listStmt.all() as { id: number; change: string; by: string | null; at: number }[]).map((r) => ({ id: r.id, change: JSON.parse(r.change) as DutyChange, by: r.by, at: r.at }));
  }

  lastDutyChangeId(): number {
    return (this.lastStmt.get() as { id: number }).id;
  }

  addDutyChange(change: DutyChange, by: string | null, at: number): number {
    return Number(this.addStmt.run(JSON.stringify(change), by, at).lastInsertRowid);
  }

  isNoticeSent(key: string): boolean {
    return this.sentStmt.get(key) !== undefined;
  }

  claimNotice(key: string, at: number): boolean {
    return this.claimStmt.run(key, at).changes === 1;
  }

  planningRows(q: { from: number; to: number }): PlanningRow[] {
    return this.planningStmt.all({ from: q.from, to: q.to }) as PlanningRow[];
  }
}
