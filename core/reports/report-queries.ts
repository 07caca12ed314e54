import type { FollowUpCounts } from './rates';

/**
 * The report's counting, as SQL aggregates behind a port (storage/sqlite-report-queries.ts): nothing
 * here loads cases. What each figure means:
 *
 * - Cases count in the period in which they were received (`reportedAt` in [from, to)); their state
 *   is read as it is when the report is made.
 * - claimed: someone claimed it. contactedOnTime: first contact with the citizen at or before the
 *   response deadline. resolved / resolvedOnTime: has a resolution (办结), at or before its deadline
 *   (a reopened case counts again only once resolved anew, against its new deadline).
 * - overdue: resolved after its resolution deadline, or still unresolved with the deadline passed
 *   before the cut-off (the period's end, or now while the period runs); a case sent back to the
 *   hotline (退回12345, closed unresolved) is no longer ours.
 * - returned / extended / whistled / leaderOwned / reopened: the case was ever 退单, granted an
 *   extension (extension-approved), 吹哨, 包案, 重办 — from the ledger's event kinds.
 * - day / night: received 08:00–20:00 local time, or outside it.
 * - Follow-ups count in the period the 回访 was recorded (`ratedAt`), each case's latest (a reopened
 *   case rated again counts its new answer, in the period of the new 回访); 未评价 is not a follow-up.
 */

/** What a report asks about: a period and, optionally, one group's slice. */
export interface ReportQuery {
  from: number;
  /** Exclusive. */
  to: number;
  /** A group key (`zhangyi`, `street`); null = the whole street. */
  group: string | null;
}

export interface CaseQuery extends ReportQuery {
  /** An unresolved case whose deadline is before this instant is overdue (min(now, to)). */
  cutoff: number;
  /** The street's UTC offset, ms (Asia/Shanghai: 8 h), for the 08:00–20:00 day split. */
  utcOffsetMs: number;
}

export interface CaseCounts {
  received: number;
  claimed: number;
  contactedOnTime: number;
  resolved: number;
  resolvedOnTime: number;
  overdue: number;
  returned: number;
  extended: number;
  whistled: number;
  leaderOwned: number;
  reopened: number;
  /** Received 08:00–20:00. */
  day: number;
  night: number;
}

/** A unit of the street: the group a case lives in, and its section when routed by category. */
export interface ReportUnit {
  group: string;
  section: string | null;
}

/** Case counts of a unit and category (the top categories come from the same pass). */
export type UnitCaseCounts = ReportUnit & { category: string } & CaseCounts;
export type UnitFollowUps = ReportUnit & FollowUpCounts;

export interface CategoryCount {
  category: string;
  count: number;
}

/** 高频点位: the same place and category received at least `min` times. */
export interface Hotspot {
  placeKey: string;
  category: string;
  count: number;
}

/** An open case past its resolution deadline, with whoever answers for it. */
export interface OverdueCase {
  id: number;
  category: string;
  group: string;
  ownerName: string | null;
  leaderName: string | null;
  resolveBy: number;
}

export interface ReportQueries {
  /** Case counts per unit and category over the cases received in the period. */
  caseCounts(q: CaseQuery): UnitCaseCounts[];
  /** Follow-up answers per unit over the 回访 recorded in the period. */
  followUps(q: ReportQuery): UnitFollowUps[];
  /**
   * The period's totals only (no units, no categories, no event kinds: those read 0) — the previous
   * period of the change column, one ungrouped scan each.
   */
  totals(q: CaseQuery): CaseCounts & FollowUpCounts;
  /** Places with one category received at least `min` times in [from, to), most first. */
  hotspots(q: ReportQuery & { min: number; limit: number }): Hotspot[];
  /** Open cases past their deadline at `now` (any reception date), oldest deadline first, and how many there are. */
  overdueOpen(q: { group: string | null; now: number; limit: number }): { total: number; cases: OverdueCase[] };
}

/**
 * Which scheduled reports were sent (`sent_reports`): the claim is an INSERT OR IGNORE made in the
 * same transaction as the report's outbox rows, so of several processes exactly one sends.
 */
export interface SentReports {
  isSent(key: string): boolean;
  /** True for the one caller that records the key (call inside the outbox transaction). */
  claim(key: string, at: number): boolean;
  /** The greatest key starting with `prefix` (keys end with a sortable period label), or null. */
  lastSent(prefix: string): string | null;
}
