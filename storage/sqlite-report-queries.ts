import type Database from 'better-sqlite3';
import type { FollowUpCounts } from '../core/reports/rates';
import type { CaseCounts, CaseQuery, Hotspot, OverdueCase, ReportQueries, ReportQuery, SentReports, UnitCaseCounts, UnitFollowUps } from '../core/reports/report-queries';

/**
 * The reports' counting as SQL aggregates (core/reports/report-queries.ts says what each figure
 * means). A period's counts are one range scan of the covering index `cases_reported_at` (the wide
 * rows are never read), grouped by group, section and category; follow-ups a range of the covering
 * `cases_rated_at`; the ledger's event kinds a short range per kind of `case_events_kind_case`; what is
 * overdue now a range of `cases_status_group`. Nothing is loaded into JavaScript but grouped rows
 * (bench P4: a month of 83,000 cases in a ledger of 1,000,000).
 *
 * Use the same better-sqlite3 connection as the case store: `SentReports.claim` must run inside the
 * store's transaction, with the report's outbox rows.
 */

const OPEN = `('new', 'claimed', 'contacted', 'reopened')`;
/** Ledger event kinds counted as "the case ever had one", and the figure each feeds. */
const EVENT_KINDS = [['extension-approved', 'extended'], ['whistled', 'whistled'], ['leader-owned', 'leaderOwned'], ['reopened', 'reopened']] as const;
type EventFigure = (typeof EVENT_KINDS)[number][1];
/** Local time of day of the reception, ms since local midnight. */
const LOCAL_TIME = `((c.reported_at + @offset) % 86400000)`;

const CASE_COUNTS = (scoped: boolean, grouped = true) => `
  SELECT ${grouped ? 'c.group_key AS "group", c.section AS section, c.category AS category,' : ''}
    count(*) AS received,
    sum(c.claimed_at IS NOT NULL) AS claimed,
    sum(c.contacted_at IS NOT NULL AND c.contacted_at <= c.respond_by) AS contactedOnTime,
    sum(c.resolved_at IS NOT NULL) AS resolved,
    sum(c.resolved_at IS NOT NULL AND c.resolved_at <= c.resolve_by) AS resolvedOnTime,
    sum(CASE WHEN c.resolved_at IS NOT NULL THEN c.resolved_at > c.resolve_by
             ELSE c.resolve_by < @cutoff AND c.status <> 'closed' END) AS overdue,
    sum(c.return_count > 0) AS returned,
    sum(${LOCAL_TIME} >= 28800000 AND ${LOCAL_TIME} < 72000000) AS day
  FROM cases c
  WHERE c.reported_at >= @from AND c.reported_at < @to ${scoped ? 'AND c.group_key = @group' : ''}
  ${grouped ? 'GROUP BY c.group_key, c.section, c.category' : ''}`;

/**
 * The cases that ever had an event of a kind. Cases are numbered as they arrive, so a period's cases
 * lie in a narrow id range (found on the covering index); each kind is then a short range of
 * `case_events_kind_case`, joined to its case to check the reception time. A case imported late
 * only widens the range: the answer stays exact.
 */
const ID_RANGE = (scoped: boolean) => `
  SELECT min(id) AS lo, max(id) AS hi FROM cases
  WHERE reported_at >= @from AND reported_at < @to ${scoped ? 'AND group_key = @group' : ''}`;
const EVENT_COUNTS = (scoped: boolean) => `
  SELECT c.group_key AS "group", c.section AS section, c.category AS category,
    ${EVENT_KINDS.map(([kind, as]) => `count(DISTINCT CASE WHEN e.kind = '${kind}' THEN c.id END) AS ${as}`).join(',\n    ')}
  FROM case_events e JOIN cases c ON c.id = e.case_id
  WHERE e.kind IN (${EVENT_KINDS.map(([kind]) => `'${kind}'`).join(', ')}) AND e.case_id BETWEEN @lo AND @hi
    AND c.reported_at >= @from AND c.reported_at < @to ${scoped ? 'AND c.group_key = @group' : ''}
  GROUP BY c.group_key, c.section, c.category`;

const FOLLOW_UPS = (scoped: boolean, grouped = true) => `
  SELECT ${grouped ? 'group_key AS "group", section,' : ''}
    count(*) AS followedUp,
    sum(rating_contacted = 1) AS contacted,
    sum(rating_solved = '已解决') AS solved,
    sum(rating_satisfaction = '满意') AS satisfied,
    sum(rating_satisfaction = '基本满意') AS basicallySatisfied,
    sum(rating_satisfaction = '不满意') AS unsatisfied
  FROM cases
  WHERE rated_at >= @from AND rated_at < @to AND rating_satisfaction IN ('满意', '基本满意', '不满意')
    ${scoped ? 'AND group_key = @group' : ''}
  ${grouped ? 'GROUP BY group_key, section' : ''}`;

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
  private readonly events: Pair;
  private readonly idRange: Pair;
  private readonly countTotals: Pair;
  private readonly followTotals: Pair;
  private readonly spots: Pair;
  private readonly overdueList: Pair;
  private readonly overdueCount: Pair;
  private readonly sentOne: Stmt;
  private readonly claimOne: Stmt;
  private readonly lastOne: Stmt;

  constructor(db: Database.Database) {
    this.counts = new Pair(db, CASE_COUNTS);
    this.follow = new Pair(db, FOLLOW_UPS);
    this.events = new Pair(db, EVENT_COUNTS);
    this.idRange = new Pair(db, ID_RANGE);
    this.countTotals = new Pair(db, (scoped) => CASE_COUNTS(scoped, false));
    this.followTotals = new Pair(db, (scoped) => FOLLOW_UPS(scoped, false));
    this.spots = new Pair(db, HOTSPOTS);
    this.overdueList = new Pair(db, OVERDUE_LIST);
    this.overdueCount = new Pair(db, OVERDUE_COUNT);
    this.sentOne = db.prepare('SELECT 1 FROM sent_reports WHERE key = ?');
    this.claimOne = db.prepare('INSERT OR IGNORE INTO sent_reports (key, sent_at) VALUES (?, ?)');
    // Keys are ASCII and end with a period label (digits, -, W): `~` sorts after all of them.
    this.lastOne = db.prepare("SELECT max(key) AS key FROM sent_reports WHERE key >= @p AND key < @p || '~'");
  }

  caseCounts(q: CaseQuery): UnitCaseCounts[] {
    type Counted = Omit<UnitCaseCounts, 'night' | EventFigure>;
    type Evented = Pick<UnitCaseCounts, 'group' | 'section' | 'category' | EventFigure>;
    const rows = this.counts.for(q.group).all(params(q.group, { from: q.from, to: q.to, cutoff: q.cutoff, offset: q.utcOffsetMs })) as Counted[];
    const ids = this.idRange.for(q.group).get(params(q.group, { from: q.from, to: q.to })) as { lo: number | null; hi: number | null };
    const events = ids.lo === null ? [] : (this.events.for(q.group).all(params(q.group, { from: q.from, to: q.to, lo: ids.lo, hi: ids.hi })) as Evented[]);
    const key = (r: { group: string; section: string | null; category: string }) => `${r.group}\u0000${r.section ?? ''}\u0000${r.category}`;
    const byUnit = new Map(events.map((e) => [key(e), e]));
    return rows.map((r) => {
      const e = byUnit.get(key(r));
      return { ...r, night: r.received - r.day, extended: e?.extended ?? 0, whistled: e?.whistled ?? 0, leaderOwned: e?.leaderOwned ?? 0, reopened: e?.reopened ?? 0 };
    });
  }

  followUps(q: ReportQuery): UnitFollowUps[] {
    return this.follow.for(q.group).all(params(q.group, { from: q.from, to: q.to })) as UnitFollowUps[];
  }

  totals(q: CaseQuery): CaseCounts & FollowUpCounts {
    // An empty period gives one row of NULL sums (no GROUP BY): read as 0.
    const c = this.countTotals.for(q.group).get(params(q.group, { from: q.from, to: q.to, cutoff: q.cutoff, offset: q.utcOffsetMs })) as Record<string, number | null>;
    const f = this.followTotals.for(q.group).get(params(q.group, { from: q.from, to: q.to })) as Record<string, number | null>;
    const n = (x: number | null | undefined) => x ?? 0;
    const received = n(c.received);
    return {
      received, claimed: n(c.claimed), contactedOnTime: n(c.contactedOnTime), resolved: n(c.resolved), resolvedOnTime: n(c.resolvedOnTime), overdue: n(c.overdue),
      returned: n(c.returned), extended: 0, whistled: 0, leaderOwned: 0, reopened: 0, day: n(c.day), night: received - n(c.day),
      followedUp: n(f.followedUp), contacted: n(f.contacted), solved: n(f.solved), satisfied: n(f.satisfied), basicallySatisfied: n(f.basicallySatisfied), unsatisfied: n(f.unsatisfied),
    };
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
