/**
 * P4: the monthly report over a ledger of 1,000,000 cases (and their events and follow-ups), with the
 * chart render timed beside it. The ledger spans the 12 months before 2026-12-01 (about 83,000 cases a
 * month, some 5.3 million events, written in order of arrival like the intake does): the November
 * report reads its month and October's (the change
 * column), the overdue list and the 30-day hotspots — all SQL aggregates on the migrated schema and
 * its indexes. Target: the monthly report ≤ 1 s.
 *
 * The generated file is cached in P4_CACHE_DIR (default the OS temp dir) under a versioned name, so a
 * second run starts at once; bump LEDGER_VERSION when the generator or the schema changes.
 * Run alone: npx tsx bench/p4-report.ts
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EchartsChartRenderer } from '../adapters/chart/echarts-chart-renderer';
import { SqlReportService } from '../bot/report-service';
import { parsePeriod, previousPeriod } from '../core/reports/periods';
import { reportChart, reportText } from '../core/reports/report-text';
import { parseStreetConfig, type StreetConfig } from '../core/street-config';
import { openDatabase } from '../storage/open-database';
import { SqliteReportQueries } from '../storage/sqlite-report-queries';
import { nowMs, round, summary } from './stats';

/** Bump when the generator or the schema changes: the cached file is rebuilt. */
const LEDGER_VERSION = 4;
const CASES = 1_000_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The ledger's last instant and the report's "now": Thursday 2026-12-03 10:00 Beijing time. */
const NOW = Date.parse('2026-12-03T10:00:00+08:00');
const SPAN_FROM = Date.parse('2025-12-01T00:00:00+08:00');
const SPAN_TO = Date.parse('2026-12-01T00:00:00+08:00');

const COMMUNITIES = ['张仪村社区', '阅园社区', '西四环社区', '假日风景社区', '西山枫林社区', '莲花池社区', '卢沟桥社区', '小井村社区', '大井村社区', '六里桥社区', '青塔社区', '岳各庄社区'];
const SECTIONS = ['城管科', '平安办', '环境办', '社区建设科', '综合办', '民生保障办'];
const CATEGORIES = ['路灯照明', '垃圾清运', '占道经营', '群租房', '噪音扰民', '供暖', '停水', '停电', '电梯', '井盖', '私装地桩', '游商', '绿化养护', '道路破损', '下水道堵塞', '违章建筑', '物业服务', '停车管理', '消防安全', '其他'];

export interface ReportBenchResult {
  cases: number;
  events: number;
  casesInMonth: number;
  /** Seconds to generate the ledger this run (0 when the cached file was used). */
  generatedSeconds: number;
  cached: boolean;
  dbMb: number;
  /** The first monthly report after opening the file: figures of 2026-11 and 2026-10, overdue list, hotspots, text. */
  firstMs: number;
  /** The same, 10 more times (wall clock). */
  monthly: ReturnType<typeof summary>;
  /** CPU time of the process for each of those (what it costs when the machine is shared). */
  monthlyCpu: ReturnType<typeof summary>;
  /** 1/5/15-minute load average at the end (the machine may be shared). */
  loadAvg: number[];
  /** One community's slice of the month. */
  slice: ReturnType<typeof summary>;
  /** The case counts over all 12 months at once (every case of the ledger). */
  wholeLedgerMs: number;
  /** The report's own chart (18 groups), rendered to PNG: first, then 10 more. */
  chartFirstMs: number;
  chart: ReturnType<typeof summary>;
  pngKb: number;
  /** What SQLite does for the main aggregate (EXPLAIN QUERY PLAN). */
  plan: string[];
}

function benchStreet(): StreetConfig {
  const r = parseStreetConfig({
    street: '卢沟桥街道',
    communities: COMMUNITIES.map((name, i) => ({ key: `c${String(i + 1).padStart(2, '0')}`, name, places: [name.replace(/社区$/, '')] })),
    sections: SECTIONS.map((name, i) => ({ name, categories: [CATEGORIES[i]!] })),
  });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

/** mulberry32: the same ledger on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the ledger file at `file` (through a temp name: a half-built file is never reused). */
function generate(file: string): void {
  const tmp = `${file}.building`;
  rmSync(tmp, { force: true });
  openDatabase(tmp).close(); // the migrated schema, indexes included
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // Indexes are dropped while loading and made again from their own SQL afterwards (same schema, faster load).
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('cases', 'case_events')").all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  const insertCase = db.prepare(`INSERT INTO cases (id, hotline_no, status, group_key, section, category, urgency, type, address, content, source, owner_id, owner_name,
    reported_at, posted_at, claimed_at, contacted_at, resolved_at, respond_by, resolve_by, leader_id, leader_name, rating, rating_satisfaction, rating_solved,
    rating_contacted, rated_at, closed_at, place_key, return_count) VALUES (?, ?, ?, ?, ?, ?, 'ordinary', '投诉', ?, '诉求内容', '12345', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = db.prepare('INSERT INTO case_events (case_id, kind, actor_name, at) VALUES (?, ?, ?, ?)');
  const rnd = prng(20261203);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  // Cases arrive in time order, as the intake writes them: a month is a run of rows, not 83,000 scattered ones.
  const times = Float64Array.from({ length: CASES }, () => SPAN_FROM + Math.floor(rnd() * (SPAN_TO - SPAN_FROM))).sort();
  db.transaction(() => {
    for (let id = 1; id <= CASES; id++) {
      const reportedAt = times[id - 1]!;
      const where = rnd();
      const community = where < 0.7 ? Math.floor(rnd() * COMMUNITIES.length) : -1;
      const group = community >= 0 ? `c${String(community + 1).padStart(2, '0')}` : where < 0.95 ? 'street' : 'consult';
      const section = group === 'street' ? pick(SECTIONS) : null;
      const category = pick(CATEGORIES);
      const place = `${community >= 0 ? COMMUNITIES[community]!.replace(/社区$/, '') : '街道'}|${Math.floor(rnd() * 250) + 1}号院`;
      const respondBy = reportedAt + DAY;
      const resolveBy = reportedAt + 7 * DAY;
      const owner = `办理人${id % 97}`;
      const claimedAt = rnd() < 0.97 ? reportedAt + Math.floor(rnd() * 30 * 60_000) : null;
      const contactedAt = claimedAt !== null && rnd() < 0.96 ? claimedAt + Math.floor(rnd() * 30 * HOUR) : null;
      let resolvedAt = contactedAt !== null && rnd() < 0.93 ? contactedAt + HOUR + Math.floor(rnd() * 9 * DAY) : null;
      if (resolvedAt !== null && resolvedAt > NOW) resolvedAt = null;
      let ratedAt = resolvedAt !== null && rnd() < 0.85 ? resolvedAt + Math.floor(rnd() * 3 * DAY) : null;
      if (ratedAt !== null && ratedAt > NOW) ratedAt = null;
      const s = rnd();
      const satisfaction = ratedAt === null ? null : s < 0.75 ? '满意' : s < 0.93 ? '基本满意' : '不满意';
      const v = rnd();
      const solved = ratedAt === null ? null : v < 0.85 ? '已解决' : v < 0.95 ? '部分解决' : '未解决';
      const rContacted = ratedAt === null ? null : rnd() < 0.95 ? 1 : 0;
      const returned = rnd() < 0.03;
      const status = ratedAt !== null ? 'closed' : resolvedAt !== null ? 'resolved' : contactedAt !== null ? 'contacted' : claimedAt !== null ? 'claimed' : 'new';
      const leader = rnd() < 0.02 ? '汪书记' : null;
      const rating = satisfaction === null ? null : JSON.stringify({ satisfaction, solved, contacted: rContacted === 1, note: null });
      insertCase.run(id, `B${id}`, status, group, section, category, place, claimedAt === null ? null : owner, claimedAt === null ? null : owner,
        reportedAt, reportedAt, claimedAt, contactedAt, resolvedAt, respondBy, resolveBy, leader, leader, rating, satisfaction, solved, rContacted, ratedAt,
        ratedAt, place, returned ? 1 : 0);
      insertEvent.run(id, 'received', null, reportedAt);
      if (returned) insertEvent.run(id, 'returned', owner, reportedAt + 20 * 60_000);
      if (claimedAt !== null) insertEvent.run(id, 'claimed', owner, claimedAt);
      if (leader) insertEvent.run(id, 'leader-owned', leader, reportedAt + HOUR);
      if (leader && rnd() < 0.5) insertEvent.run(id, 'whistled', leader, reportedAt + 2 * HOUR);
      if (contactedAt !== null) insertEvent.run(id, 'contacted', owner, contactedAt);
      if (contactedAt !== null && rnd() < 0.03) insertEvent.run(id, 'extension-approved', '汪书记', contactedAt + HOUR);
      if (resolvedAt !== null) insertEvent.run(id, 'resolved', owner, resolvedAt);
      if (ratedAt !== null) {
        if (rnd() < 0.04) insertEvent.run(id, 'reopened', '李调度', ratedAt - HOUR);
        insertEvent.run(id, 'rated', '李调度', ratedAt);
        insertEvent.run(id, 'closed', '李调度', ratedAt);
      }
    }
  })();
  for (const i of indexes) db.exec(i.sql);
  db.pragma('journal_mode = WAL');
  db.close();
  renameSync(tmp, file);
}

/** The cached ledger file, generated when absent. */
export function ledgerFile(): { file: string; generatedSeconds: number; cached: boolean } {
  const dir = process.env.P4_CACHE_DIR ?? join(tmpdir(), 'jiesu-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `p4-ledger-v${LEDGER_VERSION}-${CASES}.sqlite`);
  if (existsSync(file)) return { file, generatedSeconds: 0, cached: true };
  const t = nowMs();
  generate(file);
  return { file, generatedSeconds: round((nowMs() - t) / 1000, 1), cached: false };
}

export async function runReportBench(runs = 10): Promise<ReportBenchResult> {
  const ledger = ledgerFile();
  const database = openDatabase(ledger.file);
  const chartsDir = mkdtempSync(join(tmpdir(), 'jiesu-p4-charts-'));
  const renderer = new EchartsChartRenderer();
  try {
    const config = benchStreet();
    const queries = new SqliteReportQueries(database.sqlite);
    const reports = new SqlReportService({ queries, chart: renderer, dir: chartsDir, config });
    const month = parsePeriod('2026-11', reports.settings)!;
    const textOpts = { street: config.street, groupNames: config.groupNames, settings: reports.settings, now: NOW };
    /** What 统计 本月 and the scheduled 月报 compute before the chart: this month, the last, and the text. */
    const monthlyReport = (scope: string | null) => {
      const f = reports.figures(month, scope, NOW);
      const p = reports.totals(previousPeriod(month, reports.settings), scope, NOW);
      return { f, text: reportText(f, p, textOpts) };
    };
    let t = nowMs();
    const first = monthlyReport(null);
    const firstMs = round(nowMs() - t);
    const monthly: number[] = [];
    const monthlyCpu: number[] = [];
    const slice: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = nowMs();
      const cpu = process.cpuUsage();
      monthlyReport(null);
      monthly.push(nowMs() - t);
      const used = process.cpuUsage(cpu);
      monthlyCpu.push((used.user + used.system) / 1000);
      t = nowMs();
      monthlyReport('c01');
      slice.push(nowMs() - t);
    }
    t = nowMs();
    queries.caseCounts({ from: SPAN_FROM, to: SPAN_TO, group: null, cutoff: SPAN_TO, utcOffsetMs: 8 * HOUR });
    const wholeLedgerMs = round(nowMs() - t);
    const spec = reportChart(first.f, textOpts);
    t = nowMs();
    const png = await renderer.render(spec);
    const chartFirstMs = round(nowMs() - t);
    const chart: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = nowMs();
      await renderer.render(spec);
      chart.push(nowMs() - t);
    }
    const count = (sql: string, ...args: unknown[]) => (database.sqlite.prepare(sql).get(...args) as { n: number }).n;
    const explain = (sql: string, ...args: unknown[]) => (database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    const plan = [
      ...explain('SELECT group_key, section, category, count(*), sum(resolved_at <= resolve_by) FROM cases WHERE reported_at >= ? AND reported_at < ? GROUP BY 1, 2, 3', month.from, month.to),
      ...explain("SELECT count(DISTINCT c.id) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.kind IN ('reopened', 'whistled') AND e.case_id BETWEEN 1 AND 2 AND c.reported_at >= ?", month.from),
    ];
    return {
      cases: count('SELECT count(*) AS n FROM cases'),
      events: count('SELECT count(*) AS n FROM case_events'),
      casesInMonth: first.f.received,
      generatedSeconds: ledger.generatedSeconds,
      cached: ledger.cached,
      dbMb: round((database.sqlite.pragma('page_count', { simple: true }) as number) * (database.sqlite.pragma('page_size', { simple: true }) as number) / 2 ** 20, 1),
      firstMs,
      monthly: summary(monthly),
      monthlyCpu: summary(monthlyCpu),
      loadAvg: loadavg().map((x) => round(x, 1)),
      slice: summary(slice),
      wholeLedgerMs,
      chartFirstMs,
      chart: summary(chart),
      pngKb: round(png.length / 1024, 1),
      plan,
    };
  } finally {
    renderer.close();
    database.close();
    rmSync(chartsDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await runReportBench(), null, 2)}\n`);
}
