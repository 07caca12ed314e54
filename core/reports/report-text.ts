import { formatShort } from '../time-zone';
import { periodTitle, REPORT_NAME, type PeriodSettings } from './periods';
import { percent, points } from './rates';
import { ranking, type PeriodTotals, type ReportFigures } from './report-figures';
import type { ReportChartSpec } from './report-ports';

/**
 * The report as people read it on a phone (short Chinese lines) and as a chart. Pure.
 */

export interface ReportTextOptions {
  street: string;
  /** Group key → shown name. */
  groupNames: Record<string, string>;
  settings: PeriodSettings;
  /** When the report is made (the overdue ages). */
  now: number;
  /** A scheduled report sent after its time: when it was due. */
  lateSince?: number | null;
  /** How many categories, ranked groups and overdue cases to list; defaults 3 / 3 / 5. */
  limits?: { categories?: number; ranked?: number; overdue?: number };
}

const HOUR_MS = 3_600_000;

/** `（↑3）`, `（↓2）`, `（持平）`; '' without a previous figure. */
function change(now: number, before: number | undefined): string {
  if (before === undefined) return '';
  const d = now - before;
  return d > 0 ? `（↑${d}）` : d < 0 ? `（↓${-d}）` : '（持平）';
}

/** A rate's change in percentage points (or points of score): `（↑2.1）`. */
function rateChange(now: number | null, before: number | null | undefined): string {
  if (now === null || before === null || before === undefined) return '';
  const d = Math.round((now - before) * 1000) / 10;
  return d > 0 ? `（↑${d.toFixed(1)}）` : d < 0 ? `（↓${(-d).toFixed(1)}）` : '（持平）';
}

function overdueAge(ms: number): string {
  return ms >= 24 * HOUR_MS ? `${Math.floor(ms / (24 * HOUR_MS))}天` : `${Math.max(1, Math.floor(ms / HOUR_MS))}小时`;
}

/** The scope's shown name: the whole street, or one group. */
export function scopeName(scope: string | null, opts: Pick<ReportTextOptions, 'street' | 'groupNames'>): string {
  return scope === null ? opts.street : (opts.groupNames[scope] ?? scope);
}

/** `卢沟桥街道 日报｜11月28日（周六）`. */
export function reportTitle(f: ReportFigures, opts: Pick<ReportTextOptions, 'street' | 'groupNames' | 'settings'>): string {
  return `${scopeName(f.scope, opts)} ${REPORT_NAME[f.period.kind]}｜${periodTitle(f.period, opts.settings)}`;
}

export function reportText(f: ReportFigures, previous: PeriodTotals | null, opts: ReportTextOptions): string {
  const p = previous ?? undefined;
  const nCat = opts.limits?.categories ?? 3;
  const nRank = opts.limits?.ranked ?? 3;
  const nOver = opts.limits?.overdue ?? 5;
  const lines: string[] = [`📊 ${reportTitle(f, opts)}`];
  if (opts.lateSince) lines.push(`（补发：本报告应于 ${formatShort(opts.lateSince, opts.settings.timeZone)} 发送）`);
  if (p) lines.push('括号内为较上期变化。');
  lines.push(`受理 ${f.received} 件${change(f.received, p?.received)}　认领 ${f.claimed}　按时响应 ${f.contactedOnTime}`);
  lines.push(`办结 ${f.resolved}${change(f.resolved, p?.resolved)}，其中按时 ${f.resolvedOnTime}　逾期 ${f.overdue}${change(f.overdue, p?.overdue)}　退单 ${f.returned}`);
  lines.push(`延期 ${f.extended}　吹哨 ${f.whistled}　包案 ${f.leaderOwned}　重办 ${f.reopened}`);
  lines.push(`白天（8—20时）${f.day} 件，夜间 ${f.night} 件`);
  if (f.followedUp > 0) {
    lines.push(
      `回访 ${f.followedUp} 件：响应率 ${percent(f.responseRate)}${rateChange(f.responseRate, p?.responseRate)}　解决率 ${percent(f.solveRate)}${rateChange(f.solveRate, p?.solveRate)}　满意率 ${percent(f.satisfactionRate)}${rateChange(f.satisfactionRate, p?.satisfactionRate)}`,
    );
    lines.push(`综合得分 ${points(f.score)}${rateChange(f.score, p?.score)}`);
  } else {
    lines.push('本期无回访，不计三率。');
  }
  const ranked = ranking(f);
  if (ranked.length > 1) {
    const item = (g: (typeof ranked)[number]) => `${g.name} ${points(g.score)}`;
    const best = ranked.slice(0, nRank);
    const worst = ranked.slice(Math.max(nRank, ranked.length - nRank)).reverse();
    lines.push(`得分前列：${best.map(item).join('、')}`);
    if (worst.length > 0) lines.push(`得分靠后：${worst.map(item).join('、')}`);
  }
  if (f.topCategories.length > 0) lines.push(`类别前列：${f.topCategories.slice(0, nCat).map((c) => `${c.category} ${c.count}`).join('、')}`);
  if (f.hotspots.length > 0) lines.push(`高频点位：${f.hotspots.slice(0, nCat).map((h) => `${h.placeKey}·${h.category} ${h.count}次`).join('；')}`);
  if (f.overdueNow.total > 0) {
    const items = f.overdueNow.cases.slice(0, nOver).map((c) => {
      const who = c.ownerName ?? '未认领';
      const leader = c.leaderName ? `，包案 ${c.leaderName}` : '';
      return `#${c.id} ${c.category} ${who}${leader}，逾期${overdueAge(opts.now - c.resolveBy)}`;
    });
    const more = f.overdueNow.total > items.length ? `；另 ${f.overdueNow.total - items.length} 件` : '';
    lines.push(`当前逾期 ${f.overdueNow.total} 件：${items.join('；')}${more}`);
  } else {
    lines.push('当前无逾期案件。');
  }
  return lines.join('\n');
}

/** The chart of a report: 受理/办结/逾期 per community and section, 解决率 and 满意率 as lines. */
export function reportChart(f: ReportFigures, opts: Pick<ReportTextOptions, 'street' | 'groupNames' | 'settings'>): ReportChartSpec {
  const groups = f.byGroup.filter((g) => g.kind !== 'group' || g.received > 0);
  const subtitle = `受理 ${f.received} 件　办结 ${f.resolved}　逾期 ${f.overdue}　回访 ${f.followedUp}` +
    (f.followedUp > 0 ? `　响应率 ${percent(f.responseRate)}　解决率 ${percent(f.solveRate)}　满意率 ${percent(f.satisfactionRate)}　综合得分 ${points(f.score)}` : '');
  return {
    title: reportTitle(f, opts),
    subtitle,
    bars: groups.map((g) => ({ label: g.name, values: [{ series: '受理', value: g.received }, { series: '办结', value: g.resolved }, { series: '逾期', value: g.overdue }] })),
    rates: [
      { series: '解决率', values: groups.map((g) => g.solveRate) },
      { series: '满意率', values: groups.map((g) => g.satisfactionRate) },
    ],
  };
}
