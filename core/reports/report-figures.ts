import type { Period } from './periods';
import { addFollowUps, NO_FOLLOW_UPS, rates, type FollowUpCounts, type Rates } from './rates';
import type { CaseCounts, CategoryCount, Hotspot, OverdueCase, UnitCaseCounts, UnitFollowUps } from './report-queries';
import type { ReportWeights } from './reports-config';

/**
 * A report's figures from the per-unit counts the queries return: the street's (or one group's)
 * totals, 三率 and score, and one row per community and section for the ranking. Pure.
 */

/** One row of the ranking: a community (by group key) or a section (by name). */
export interface GroupFigures extends Rates {
  /** Community group key, or the section's name; another group's key for cases outside both. */
  group: string;
  /** Shown name: 张仪村社区, 城管科. */
  name: string;
  kind: 'community' | 'section' | 'group';
  received: number;
  resolved: number;
  overdue: number;
  followedUp: number;
}

/** A period's headline figures: what the change column compares. */
export type PeriodTotals = CaseCounts & FollowUpCounts & Rates;

export interface ReportFigures extends CaseCounts, FollowUpCounts, Rates {
  period: Period;
  /** The slice: a group key, or null for the whole street. */
  scope: string | null;
  byGroup: GroupFigures[];
  topCategories: CategoryCount[];
  hotspots: Hotspot[];
  /** Open cases past their deadline now (whatever their reception date), the first few listed. */
  overdueNow: { total: number; cases: OverdueCase[] };
}

export interface FiguresInput {
  period: Period;
  scope: string | null;
  counts: UnitCaseCounts[];
  followUps: UnitFollowUps[];
  hotspots: Hotspot[];
  overdueNow: { total: number; cases: OverdueCase[] };
}

export interface StreetUnits {
  communities: { key: string; name: string }[];
  sections: { name: string }[];
  groupNames: Record<string, string>;
}

/** How many categories a report lists. */
export const TOP_CATEGORIES = 5;

/** Received per category, most first (ties in code-point order of the name, as SQLite sorts text). */
function topCategories(counts: UnitCaseCounts[], limit: number): CategoryCount[] {
  const by = new Map<string, number>();
  for (const u of counts) by.set(u.category, (by.get(u.category) ?? 0) + u.received);
  return [...by]
    .filter(([, n]) => n > 0)
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .slice(0, limit);
}

export const NO_CASES: CaseCounts = { received: 0, claimed: 0, contactedOnTime: 0, resolved: 0, resolvedOnTime: 0, overdue: 0, returned: 0, extended: 0, whistled: 0, leaderOwned: 0, reopened: 0, day: 0, night: 0 };

function addCounts(a: CaseCounts, b: CaseCounts): CaseCounts {
  const out = { ...a };
  for (const k of Object.keys(NO_CASES) as (keyof CaseCounts)[]) out[k] = a[k] + b[k];
  return out;
}

function pickCounts(u: CaseCounts): CaseCounts {
  const out = { ...NO_CASES };
  for (const k of Object.keys(NO_CASES) as (keyof CaseCounts)[]) out[k] = u[k];
  return out;
}

function pickFollowUps(u: FollowUpCounts): FollowUpCounts {
  return { followedUp: u.followedUp, contacted: u.contacted, solved: u.solved, satisfied: u.satisfied, basicallySatisfied: u.basicallySatisfied, unsatisfied: u.unsatisfied };
}

/** The ranking row a unit belongs to: its community, else its section, else its own group. */
function rowKey(unit: { group: string; section: string | null }, communities: Set<string>): { key: string; kind: GroupFigures['kind'] } {
  if (communities.has(unit.group)) return { key: `c:${unit.group}`, kind: 'community' };
  if (unit.section) return { key: `s:${unit.section}`, kind: 'section' };
  return { key: `g:${unit.group}`, kind: 'group' };
}

export function buildFigures(input: FiguresInput, street: StreetUnits, weights: ReportWeights): ReportFigures {
  const communityKeys = new Set(street.communities.map((c) => c.key));
  const rows = new Map<string, { group: string; name: string; kind: GroupFigures['kind']; counts: CaseCounts; follow: FollowUpCounts }>();
  const row = (key: string, kind: GroupFigures['kind'], group: string, name: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { group, name, kind, counts: { ...NO_CASES }, follow: { ...NO_FOLLOW_UPS } }));
    return r;
  };
  // Every configured unit of the slice has a row, cases or not (an empty community is news too).
  for (const c of street.communities) if (input.scope === null || input.scope === c.key) row(`c:${c.key}`, 'community', c.key, c.name);
  if (input.scope === null || input.scope === 'street') for (const s of street.sections) row(`s:${s.name}`, 'section', s.name, s.name);

  let total = { ...NO_CASES };
  let follow = { ...NO_FOLLOW_UPS };
  const place = (u: { group: string; section: string | null }) => {
    const { key, kind } = rowKey(u, communityKeys);
    const group = kind === 'section' ? u.section! : u.group;
    return row(key, kind, group, kind === 'section' ? u.section! : (street.groupNames[u.group] ?? u.group));
  };
  for (const u of input.counts) {
    const c = pickCounts(u);
    total = addCounts(total, c);
    const r = place(u);
    r.counts = addCounts(r.counts, c);
  }
  for (const u of input.followUps) {
    const f = pickFollowUps(u);
    follow = addFollowUps(follow, f);
    const r = place(u);
    r.follow = addFollowUps(r.follow, f);
  }
  const order = { community: 0, section: 1, group: 2 };
  const byGroup: GroupFigures[] = [...rows.values()]
    .map((r) => ({ group: r.group, name: r.name, kind: r.kind, received: r.counts.received, resolved: r.counts.resolved, overdue: r.counts.overdue, followedUp: r.follow.followedUp, ...rates(r.follow, weights) }))
    .sort((a, b) => order[a.kind] - order[b.kind]);
  return {
    period: input.period,
    scope: input.scope,
    ...total,
    ...follow,
    ...rates(follow, weights),
    byGroup,
    topCategories: topCategories(input.counts, TOP_CATEGORIES),
    hotspots: input.hotspots,
    overdueNow: input.overdueNow,
  };
}

/**
 * Communities and sections with a score, best first: higher score, then fewer overdue, then more
 * resolved, then name. Groups outside both (consult, street's unsectioned cases) are not ranked.
 */
export function ranking(f: ReportFigures): GroupFigures[] {
  return f.byGroup
    .filter((g) => g.kind !== 'group' && g.score !== null)
    .sort((a, b) => b.score! - a.score! || a.overdue - b.overdue || b.resolved - a.resolved || a.name.localeCompare(b.name, 'zh'));
}
