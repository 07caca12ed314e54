import { percent, points } from './rates';
import type { ReportFigures } from './report-figures';
import type { LedgerFigure, LedgerRow } from './report-ports';

/**
 * The ledger (台账) of a period: the cases received in it, one row each with the fields of a 12345
 * platform export, and the period's figures beside them. The rows come from SQL behind
 * {@link LedgerQueries} (storage/sqlite-ledger-queries.ts); this module names and words them. Pure.
 *
 * Personal data (the citizen's words, address) stays in: this is the internal ledger, which only
 * `consult` may ask for (导出).
 */

/** One case as storage reads it for the ledger: raw values, judged in SQL where the reports judge them. */
export interface LedgerRecord {
  id: number;
  hotlineNo: string;
  type: string | null;
  category: string;
  content: string;
  address: string | null;
  /** The group key the case lives in (`zhangyi`, `street`). */
  group: string;
  ownerName: string | null;
  leaderName: string | null;
  /** Epoch ms. */
  reportedAt: number;
  contactedAt: number | null;
  resolvedAt: number | null;
  resolveBy: number;
  /**
   * Resolved after its deadline, or unresolved with its deadline before the cut-off (the period's end,
   * or now while it runs) — the reports' `overdue` (core/reports/report-queries.ts), case by case.
   */
  overdue: boolean;
  /** A leader approved an extension (`extension-approved` in the ledger). */
  extended: boolean;
  /** The latest 回访's answers, null when none. */
  solved: string | null;
  satisfaction: string | null;
  followUpNote: string | null;
}

export interface LedgerQuery {
  from: number;
  /** Exclusive. */
  to: number;
  /** Unmet deadlines before this instant count as missed: min(now, to). */
  cutoff: number;
}

/** Reads the ledger's cases (behind storage). */
export interface LedgerQueries {
  /** The cases received in [from, to), in order of reception (then number). */
  casesReceived(q: LedgerQuery): LedgerRecord[];
}

/** A record as the exporter's row: the group's display name as 社区, flags as booleans, times as epoch ms. */
export function ledgerRow(r: LedgerRecord, groupNames: Readonly<Record<string, string>>): LedgerRow {
  return {
    hotlineNo: r.hotlineNo,
    type: r.type,
    category: r.category,
    content: r.content,
    address: r.address,
    community: groupNames[r.group] ?? r.group,
    owner: r.ownerName,
    leader: r.leaderName,
    receivedAt: r.reportedAt,
    contactedAt: r.contactedAt,
    resolvedAt: r.resolvedAt,
    resolveBy: r.resolveBy,
    overdue: r.overdue,
    extended: r.extended,
    solved: r.solved,
    satisfaction: r.satisfaction,
    followUpNote: r.followUpNote,
  };
}

/** The figures sheet: the report's counts, 三率 and score, and the ranking's rows, as label / value lines. */
export function ledgerFigures(f: ReportFigures): LedgerFigure[] {
  const lines: LedgerFigure[] = [
    { label: '受理', value: f.received },
    { label: '认领', value: f.claimed },
    { label: '按时响应', value: f.contactedOnTime },
    { label: '办结', value: f.resolved },
    { label: '按时办结', value: f.resolvedOnTime },
    { label: '超时', value: f.overdue },
    { label: '退单', value: f.returned },
    { label: '延期', value: f.extended },
    { label: '吹哨', value: f.whistled },
    { label: '包案', value: f.leaderOwned },
    { label: '重办', value: f.reopened },
    { label: '白天受理（08:00–20:00）', value: f.day },
    { label: '夜间受理', value: f.night },
    { label: '有效回访', value: f.followedUp },
    { label: '满意', value: f.satisfied },
    { label: '基本满意', value: f.basicallySatisfied },
    { label: '不满意', value: f.unsatisfied },
    { label: '已解决', value: f.solved },
    { label: '响应率', value: percent(f.responseRate) },
    { label: '解决率', value: percent(f.solveRate) },
    { label: '满意率', value: percent(f.satisfactionRate) },
    { label: '综合得分', value: points(f.score) },
  ];
  for (const g of f.byGroup) lines.push({ label: `${g.name}：受理 / 办结 / 超时 / 得分`, value: `${g.received} / ${g.resolved} / ${g.overdue} / ${points(g.score)}` });
  for (const c of f.topCategories) lines.push({ label: `类别：${c.category}`, value: c.count });
  return lines;
}

/** The file's name: `台账-2026-11.xlsx` (or `.csv`). */
export function ledgerFileName(periodLabel: string, format: 'xlsx' | 'csv'): string {
  return `台账-${periodLabel}.${format}`;
}
