/**
 * Every report figure against the fixed ledger of tests/helpers/report-ledger.ts, through the SQL
 * queries and core's assembly. The expected numbers are worked out by hand in the comments.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlReportService } from '../../bot/report-service';
import { parsePeriod } from '../../core/reports/periods';
import { ranking } from '../../core/reports/report-figures';
import type { ChartRenderer } from '../../core/reports/report-ports';
import { reportText } from '../../core/reports/report-text';
import type { StreetConfig } from '../../core/street-config';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { SqliteReportQueries } from '../../storage/sqlite-report-queries';
import { loadTestStreet } from '../helpers/harness';
import { bj, NOW, writeLedger } from '../helpers/report-ledger';

let dir: string;
let db: ReturnType<typeof openDatabase>;
let config: StreetConfig;
let reports: SqlReportService;
let reports19: SqlReportService;
const noChart: ChartRenderer = { render: async () => new Uint8Array() };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiesu-report-figures-'));
  db = openDatabase(join(dir, 'x.sqlite'));
  writeLedger(new SqliteCaseStore(db.db));
  config = loadTestStreet();
  const queries = new SqliteReportQueries(db.sqlite);
  reports = new SqlReportService({ queries, chart: noChart, dir, config });
  reports19 = new SqlReportService({ queries, chart: noChart, dir, config: { ...config, reports: { ...config.reports, periodStartDay: 19 } } });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const month = (label: string, s = reports) => s.figures(parsePeriod(label, s.settings)!, null, NOW);

describe('November 2026, the whole street (month from the 1st)', () => {
  it('counts the cases received from 11-01 00:00:00 to 11-30 23:59:59', () => {
    const f = month('2026-11');
    // A B D E F G H I K; not C (12-01 00:00:00), not J (10-31 23:59:59).
    expect(f.received).toBe(9);
    // Not F (never claimed), not G.
    expect(f.claimed).toBe(7);
    // A, B (12-01 10:00 ≤ 12-01 23:59:59), E, H, K; D was late, I never contacted.
    expect(f.contactedOnTime).toBe(5);
    // A D E H K.
    expect(f.resolved).toBe(5);
    // Not D (11-21 after its extended deadline 11-20 09:00); E against its new deadline after the reopening.
    expect(f.resolvedOnTime).toBe(4);
    // D (resolved late), F and I (unresolved, deadlines passed before the period's end); not B (deadline in December),
    // not G (sent back to the hotline), not E (on time against the new deadline).
    expect(f.overdue).toBe(3);
    expect(f.returned).toBe(1); // G
    expect(f.extended).toBe(1); // D
    expect(f.whistled).toBe(1); // F
    expect(f.leaderOwned).toBe(1); // F
    expect(f.reopened).toBe(1); // E
    // Day 08:00–20:00: D 09:00, E 14:00, G 08:00:00, H 19:59:59, K 10:00. Night: A 00:00, B 23:59:59, F 21:00, I 20:00:00.
    expect([f.day, f.night]).toEqual([5, 4]);
  });

  it('counts the follow-ups recorded in November, whenever their case was received', () => {
    const f = month('2026-11');
    // A 满意 已解决; D 基本满意 部分解决; H 满意 已解决 未联系; J (received in October) 满意 已解决.
    // Not E (its latest 回访 is on 12-02), not K (未评价).
    expect(f).toMatchObject({ followedUp: 4, contacted: 3, solved: 3, satisfied: 3, basicallySatisfied: 1, unsatisfied: 0 });
    expect(f.responseRate).toBeCloseTo(3 / 4, 12);
    expect(f.solveRate).toBeCloseTo(3 / 4, 12);
    // (3 + 0.9 × 1) ÷ 4 = 0.975
    expect(f.satisfactionRate).toBeCloseTo(0.975, 12);
    // 0.1 × 0.75 + 0.5 × 0.75 + 0.4 × 0.975 = 0.075 + 0.375 + 0.39 = 0.84
    expect(f.score).toBeCloseTo(0.84, 12);
  });

  it('one row per community and section, ranked by score', () => {
    const f = month('2026-11');
    const row = (g: string) => f.byGroup.find((r) => r.group === g)!;
    expect(row('zhangyi')).toMatchObject({ kind: 'community', name: '张仪村社区', received: 3, resolved: 2, overdue: 0, followedUp: 1 });
    expect(row('zhangyi').score).toBeCloseTo(1, 12);
    // D: contacted, 部分解决, 基本满意 → 0.1 × 1 + 0.5 × 0 + 0.4 × 0.9 = 0.46
    expect(row('jiari')).toMatchObject({ received: 2, resolved: 2, overdue: 1, followedUp: 1 });
    expect(row('jiari').score).toBeCloseTo(0.46, 12);
    // H: 未联系, 已解决, 满意 → 0 + 0.5 + 0.4 = 0.9
    expect(row('yueyuan')).toMatchObject({ received: 2, resolved: 1, overdue: 1 });
    expect(row('yueyuan').score).toBeCloseTo(0.9, 12);
    // J's follow-up counts for 西丰 though it received nothing in November.
    expect(row('xifeng')).toMatchObject({ received: 0, followedUp: 1 });
    expect(row('城管科')).toMatchObject({ kind: 'section', received: 1, resolved: 0, overdue: 1, score: null });
    expect(row('平安办')).toMatchObject({ kind: 'section', received: 1, resolved: 0, overdue: 0, score: null });
    // 张仪村 and 西丰 both 100: 张仪村 resolved more.
    expect(ranking(f).map((g) => g.group)).toEqual(['zhangyi', 'xifeng', 'yueyuan', 'jiari']);
  });

  it('top categories, hotspots in the 30 days ending at the period’s end, and what is overdue now', () => {
    const f = month('2026-11');
    expect(f.topCategories).toEqual([{ category: '路灯照明', count: 5 }, { category: '垃圾清运', count: 2 }, { category: '占道经营', count: 1 }, { category: '群租房', count: 1 }]);
    // 张仪村|4号院 路灯照明: A (11-01 00:00:00, the window's first instant), K, B — C is after the window. 阅园|一区 has 2.
    expect(f.hotspots).toEqual([{ placeKey: '张仪村|4号院', category: '路灯照明', count: 3 }]);
    // Open now past their deadline, oldest deadline first: F (11-22), I (11-26), C (12-02, received in December).
    expect(f.overdueNow.total).toBe(3);
    expect(f.overdueNow.cases.map((c) => [c.id, c.ownerName, c.leaderName])).toEqual([[6, null, '汪书记'], [9, '孙丽', null], [3, null, null]]);
  });

  it('the text: headline, change against October, 三率, ranking, categories, hotspots, the overdue list with owners', () => {
    const period = parsePeriod('2026-11', reports.settings)!;
    const text = reportText(month('2026-11'), month('2026-10'), { street: '卢沟桥街道', groupNames: config.groupNames, settings: reports.settings, now: NOW });
    // October: J only (received 1, resolved 1, overdue 1: resolved 11-03 after its 11-02 deadline).
    expect(month('2026-10')).toMatchObject({ received: 1, resolved: 1, overdue: 1, followedUp: 0, score: null });
    expect(period.label).toBe('2026-11');
    expect(text.split('\n')).toEqual([
      '📊 卢沟桥街道 月报｜2026年11月',
      '括号内为较上期变化。',
      '受理 9 件（↑8）　认领 7　按时响应 5',
      '办结 5（↑4），其中按时 4　逾期 3（↑2）　退单 1',
      '延期 1　吹哨 1　包案 1　重办 1',
      '白天（8—20时）5 件，夜间 4 件',
      '回访 4 件：响应率 75.0%　解决率 75.0%　满意率 97.5%',
      '综合得分 84.0',
      '得分前列：张仪村社区 100.0、西丰社区 100.0、阅园社区 90.0',
      '得分靠后：假日风景社区 46.0',
      '类别前列：路灯照明 5、垃圾清运 2、占道经营 1',
      '高频点位：张仪村|4号院·路灯照明 3次',
      '当前逾期 3 件：#6 占道经营 未认领，包案 汪书记，逾期10天；#9 路灯照明 孙丽，逾期6天；#3 路灯照明 未认领，逾期1天',
    ]);
  });
});

describe('the change column’s totals', () => {
  it('equal the full figures’ headline (event kinds are not compared and read 0)', () => {
    for (const [label, scope] of [['2026-11', null], ['2026-10', null], ['2026-11', 'zhangyi'], ['2026-W48', null], ['2027-01', null]] as const) {
      const period = parsePeriod(label, reports.settings)!;
      const full = reports.figures(period, scope, NOW);
      const t = reports.totals(period, scope, NOW);
      for (const k of ['received', 'claimed', 'contactedOnTime', 'resolved', 'resolvedOnTime', 'overdue', 'returned', 'day', 'night', 'followedUp', 'contacted', 'solved', 'satisfied', 'basicallySatisfied', 'unsatisfied', 'score', 'satisfactionRate'] as const) {
        expect([label, scope, k, t[k]]).toEqual([label, scope, k, full[k]]);
      }
      expect([t.extended, t.whistled, t.leaderOwned, t.reopened]).toEqual([0, 0, 0, 0]);
    }
    expect(reports.totals(parsePeriod('2026-11', reports.settings)!, null, NOW).received).toBe(9);
  });
});

describe('other periods and slices', () => {
  it('one community’s slice (?group=zhangyi)', () => {
    const f = reports.figures(parsePeriod('2026-11', reports.settings)!, 'zhangyi', NOW);
    // A B K.
    expect(f).toMatchObject({ received: 3, claimed: 3, contactedOnTime: 3, resolved: 2, resolvedOnTime: 2, overdue: 0, followedUp: 1, day: 1, night: 2 });
    expect(f.byGroup.map((g) => g.group)).toEqual(['zhangyi']);
    expect(f.overdueNow.cases.map((c) => c.id)).toEqual([3]);
    expect(f.hotspots).toHaveLength(1);
  });

  it('the street group’s slice ranks its sections', () => {
    const f = reports.figures(parsePeriod('2026-11', reports.settings)!, 'street', NOW);
    expect(f).toMatchObject({ received: 2, overdue: 1, returned: 1, whistled: 1 });
    expect(f.byGroup.map((g) => g.group)).toEqual(['城管科', '平安办']);
  });

  it('an ISO week and a day', () => {
    // W48 = 11-23 … 11-29: H and I; H's follow-up on 11-28.
    const w = reports.figures(parsePeriod('2026-W48', reports.settings)!, null, NOW);
    expect(w).toMatchObject({ received: 2, day: 1, night: 1, followedUp: 1, contacted: 0, overdue: 1 });
    const d = reports.figures(parsePeriod('2026-11-25', reports.settings)!, null, NOW);
    // Cut-off 11-26 00:00: I's deadline (11-26 20:00) had not passed by the day's end.
    expect(d).toMatchObject({ received: 2, overdue: 0 });
  });

  it('a month from the 19th: 2026-11 = 10-19 … 11-18, 2026-12 = 11-19 … 12-18', () => {
    const nov = month('2026-11', reports19);
    expect(nov.period).toMatchObject({ from: bj('2026-10-19T00:00:00'), to: bj('2026-11-19T00:00:00') });
    // J A K D E F; follow-ups J (11-04) and A (11-06).
    expect(nov).toMatchObject({ received: 6, followedUp: 2, contacted: 2, solved: 2, satisfied: 2, reopened: 1, extended: 1 });
    expect(nov.score).toBeCloseTo(1, 12);
    // J and D were resolved late (D on 11-21, after the period: lateness counts with the reception period);
    // F is unresolved but its deadline (11-22) is after the cut-off 11-19 00:00.
    expect(nov.overdue).toBe(2);
    const dec = month('2026-12', reports19);
    // G H I B, and C (12-01) — the running period, cut off now; follow-ups D, H, E (12-02).
    expect(dec).toMatchObject({ received: 5, followedUp: 3, overdue: 2 });
  });
});
