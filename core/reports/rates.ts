import type { ReportWeights } from './reports-config';

/**
 * 三率 and the combined score (SPEC "Reports"), from the counts of the follow-ups (有效回访) recorded
 * in a period. The counting itself is SQL behind the ReportQueries port; this is the arithmetic.
 */

/** The answers of the follow-ups recorded in a period (each case's latest 回访, 未评价 excluded). */
export interface FollowUpCounts {
  /** 有效回访: follow-ups recorded. */
  followedUp: number;
  /** The citizen was reached on the follow-up call… and had been contacted (not 未联系). */
  contacted: number;
  /** 已解决 (部分解决 and no answer do not count). */
  solved: number;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
}

export interface Rates {
  /** 响应率 = contacted ÷ followed up; null when nothing was followed up. Fractions 0–1. */
  responseRate: number | null;
  /** 解决率 = 已解决 ÷ followed up. */
  solveRate: number | null;
  /** 满意率 = (满意 + w × 基本满意) ÷ followed up. */
  satisfactionRate: number | null;
  /** a × 响应率 + b × 解决率 + c × 满意率, a fraction like the rates (0.891 reads 89.1 分). */
  score: number | null;
}

export const NO_FOLLOW_UPS: FollowUpCounts = { followedUp: 0, contacted: 0, solved: 0, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 };

export function rates(c: FollowUpCounts, w: ReportWeights): Rates {
  if (c.followedUp <= 0) return { responseRate: null, solveRate: null, satisfactionRate: null, score: null };
  const responseRate = c.contacted / c.followedUp;
  const solveRate = c.solved / c.followedUp;
  const satisfactionRate = (c.satisfied + w.basicSatisfied * c.basicallySatisfied) / c.followedUp;
  const score = w.response * responseRate + w.solve * solveRate + w.satisfaction * satisfactionRate;
  return { responseRate, solveRate, satisfactionRate, score };
}

/** Sums follow-up counts (a group's units, the whole street). */
export function addFollowUps(a: FollowUpCounts, b: FollowUpCounts): FollowUpCounts {
  return {
    followedUp: a.followedUp + b.followedUp,
    contacted: a.contacted + b.contacted,
    solved: a.solved + b.solved,
    satisfied: a.satisfied + b.satisfied,
    basicallySatisfied: a.basicallySatisfied + b.basicallySatisfied,
    unsatisfied: a.unsatisfied + b.unsatisfied,
  };
}

/** `92.5%`, or `—` for null. */
export function percent(x: number | null): string {
  return x === null ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
}

/** The score as points: `89.1`, or `—`. */
export function points(x: number | null): string {
  return x === null ? '—' : (Math.round(x * 1000) / 10).toFixed(1);
}
