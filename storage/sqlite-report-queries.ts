import type Database from 'better-sqlite3';
import type { CaseQuery, CategoryCount, Hotspot, OverdueCase, ReportQueries, ReportQuery, SentReports, UnitCaseCounts, UnitFollowUps } from '../core/reports/report-queries';

/**
 * The reports' counting as SQL aggregates (core/reports/report-queries.ts says what each figure
 * means). One pass over the period's cases on `cases_reported_at` (or `cases_group_reported` for one
 * group's slice), grouped by group and section; the ledger's event kinds are one probe a case on
 * `case_events_case_kind`. Nothing is loaded into JavaScript but the grouped rows.
 *
 * Use the same better-sqlite3 connection as the case store: `SentReports.claim` must run inside the
 * store's transaction, with the report's outbox rows.
 */

const OPEN = `('new', 'claimed', 'contacted', 'reopened')`;
const hasEvent = (kind: string) => `EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = '${kind}')`;
/** Local time of day of the reception, ms since local midnight. */
const LOCAL_TIME = `((c.reported_at + @offset) % 86400000)`;

const CASE_COUNTS = (scoped: boolean) => `
  SELECT c.group_key AS "group", c.section AS section,
    count(*) AS received,
    sum(c.claimed_at IS NOT NULL) AS claimed,
    sum(c.contacted_at IS NOT NULL AND c.contacted_at <= c.respond_by) AS contactedOnTime,
    sum(c.resolved_at IS NOT NULL) AS resolved,
    sum(c.resolved_at IS NOT NULL AND c.resolved_at <= c.resolve_by) AS resolvedOnTime,
    sum(CASE WHEN c.resolved_at IS NOT NULL THEN c.resolved_at > c.resolve_by
             ELSE c.resolve_by < @cutoff AND c.status <> 'closed' END) AS overdue,
    sum(c.return_count > 0) AS returned,
    sum(${hasEvent('extension-approved')}) AS extended,
    sum(${hasEvent('whistled')}) AS whistled,
    sum(${hasEvent('leader-owned')}) AS leaderOwned,
    sum(${hasEvent('reopened')}) AS reopened,
    sum(${LOCAL_TIME} >= 28800000 AND ${LOCAL_TIME} < 72000000) AS day
  FROM cases c
  WHERE c.reported_at >= @from AND c.reported_at < @to ${scoped ? 'AND c.group_key = @group' : ''}
  GROUP BY c.group_key, c.section`;

const FOLLOW_UPS = (scoped: boolean) => `
  SELECT group_key AS "group", section,
    count(*) AS followedUp,
    sum(rating_contacted = 1) AS contacted,
    sum(rating_solved = '已解决') AS solved,
    sum(rating_satisfaction = '满意') AS satisfied,
    sum(rating_satisfaction = '基本满意') AS basicallySatisfied,
    sum(rating_satisfaction = '不满意') AS unsatisfied
  FROM cases
  WHERE rated_at >= @from AND rated_at < @to AND rating_satisfaction IN ('满意', '基本满意', '不满意')
    ${scoped ? 'AND group_key = @group' : ''}
  GROUP BY group_key, section`;

const TOP_CATEGORIES = (scoped: boolean) => `
  SELECT category, count(*) AS count FROM cases
  WHERE reported_at >= @from AND reported_at < @to ${scoped ? 'AND group_key = @group' : ''}
  GROUP BY category ORDER BY count DESC, category LIMIT @limit`;

const HOTSPOTS = (scoped: boolean) => `
  SELECT place_key AS placeKey, category, count(*) AS count FROM cases
  WHERE reported_at >= @from AND reported_at < @to AND place_key IS NOT NULL ${scoped ? 'AND group_key = @group' : ''}
  GROUP BY place_key, category HAVING count(*) >= @min
  ORDER BY count DESC, place_key, category LIMIT @limit`;

const OVERDUE_WHERE = (scoped: boolean) => `status IN ${OPEN} AND resolve_by < @now ${scoped ? 'AND group_key = @group' : ''}`;
const OVERDUE_LIST = (scoped: boolean) => `
  SELECT id, category, group_key AS "group", owner_name AS ownerName, leader_name AS leaderName, resolve_by AS resolveBy
  FROM cases WHERE ${OVERDUE_WHERE(scoped)} ORDER BY resolve_by, id LIMIT @limit`;
const OVERDUE_COUNT = (scoped: boolean) => `SELECT count(*) AS n FROM cases WHERE ${OVERDUE_WHERE(scoped)}`;

type Stmt = Database.Statement;

/** Two prepared forms of a query: the whole street, and one group's slice. */
class Pair {
  private readonly all: Stmt;
  private readonly one: Stmt;
  constructor(db: Database.Database, sql: (scoped: boolean) => string) {
    this.all = db.prepare(sql(false));
    this.one = db.prepare(sql(true));
  }
  for(group: string | null): Stmt {
    return group === null ? this.all : this.one;
  }
}

/** Binds only what the statement uses (`group` only for a slice). */
function params(group: string | null, rest: Record<string, unknown>): Record<string, unknown> {
  return group === null ? rest : { ...rest, group };
}

export class SqliteReportQueries implements ReportQueries, SentReports {
  private readonly counts: Pair;
  private readonly follow: Pair;
  private readonly categories: Pair;
  private readonly spots: Pair;
  private readonly overdueList: Pair;
  private readonly overdueCount: Pair;
  private readonly sentOne: Stmt;
  private readonly claimOne: Stmt;
  private readonly lastOne: Stmt;

  constructor(db: Database.Database) {
    this.counts = new Pair(db, CASE_COUNTS);
    this.follow = new Pair(db, FOLLOW_UPS);
    this.categories = new Pair(db, TOP_CATEGORIES);
    this.spots = new Pair(db, HOTSPOTS);
    this.overdueList = new Pair(db, OVERDUE_LIST);
    this.overdueCount = new Pair(db, OVERDUE_COUNT);
    this.sentOne = db.prepare('SELECT 1 FROM sent_reports WHERE key = ?');
    this.claimOne = db.prepare('INSERT OR IGNORE INTO sent_reports (key, sent_at) VALUES (?, ?)');
    // Keys are ASCII and end with a period label (digits, -, W): `~` sorts after all of them.
    this.lastOne = db.prepare("SELECT max(key) AS key FROM sent_reports WHERE key >= @p AND key < @p || '~'");
  }

  caseCounts(q: CaseQuery): UnitCaseCounts[] {
    const rows = this.counts.for(q.group).all(params(q.group, { from: q.from, to: q.to, cutoff: q.cutoff, offset: q.utcOffsetMs })) as (Omit<UnitCaseCounts, 'night'>)[];
    return rows.map((r) => ({ ...r, night: r.received - r.day }));
  }

  followUps(q: ReportQuery): UnitFollowUps[] {
    return this.follow.for(q.group).all(params(q.group, { from: q.from, to: q.to })) as UnitFollowUps[];
  }

  topCategories(q: ReportQuery & { limit: number }): CategoryCount[] {
    return this.categories.for(q.group).all(params(q.group, { from: q.from, to: q.to, limit: q.limit })) as CategoryCount[];
  }

  hotspots(q: ReportQuery & { min: number; limit: number }): Hotspot[] {
    return this.spots.for(q.group).all(params(q.group, { from: q.from, to: q.to, min: q.min, limit: q.limit })) as Hotspot[];
  }

  overdueOpen(q: { group: string | null; now: number; limit: number }): { total: number; cases: OverdueCase[] } {
    const cases = this.overdueList.for(q.group).all(params(q.group, { now: q.now, limit: q.limit })) as OverdueCase[];
    const total = (this.overdueCount.for(q.group).get(params(q.group, { now: q.now })) as { n: number }).n;
    return { total, cases };
  }

  isSent(key: string): boolean {
    return this.sentOne.get(key) !== undefined;
  }

  claim(key: string, at: number): boolean {
    return this.claimOne.run(key, at).changes === 1;
  }

  lastSent(prefix: string): string | null {
    return (this.lastOne.get({ p: prefix }) as { key: string | null }).key;
  }
}
