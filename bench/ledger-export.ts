/**
 * The ledger export (导出 / npm run export) over a month of 10,000 cases: the SQL read of the month's
 * rows, the XLSX (cases sheet + figures sheet) and the CSV, each timed from the query to the file on
 * disk, with the files' sizes. The ledger is generated into a fresh migrated database (a tenth of the
 * cases with an approved extension, 60 % followed up with a note, long citizen texts like the 12345
 * export has them).
 * Run alone: npx tsx bench/ledger-export.ts [cases]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EchartsChartRenderer } from '../adapters/chart/echarts-chart-renderer';
import { XlsxLedgerExporter } from '../adapters/export/xlsx-ledger-exporter';
import { SqlLedgerExportService } from '../bot/export-service';
import { SqlReportService } from '../bot/report-service';
import { parsePeriod } from '../core/reports/periods';
import { parseStreetConfig } from '../core/street-config';
import { openDatabase } from '../storage/open-database';
import { SqliteLedgerQueries } from '../storage/sqlite-ledger-queries';
import { SqliteReportQueries } from '../storage/sqlite-report-queries';
import { nowMs, round, summary } from './stats';

const CASES = Number(process.argv[2] ?? 10_000);
const NOW = Date.parse('2026-12-03T10:00:00+08:00');
const FROM = Date.parse('2026-11-01T00:00:00+08:00');
const MONTH_MS = 30 * 86_400_000;
const COMMUNITIES = ['zhangyi', 'jiari', 'yueyuan', 'xifeng'];
const CATEGORIES = ['路灯照明', '垃圾清运', '占道经营', '噪音扰民', '供暖', '停水', '电梯', '井盖'];
const SATISFACTION = ['满意', '基本满意', '不满意'];

const r = parseStreetConfig({
  street: '卢沟桥街道',
  communities: [
    { key: 'zhangyi', name: '张仪村社区', places: ['张仪村'] },
    { key: 'jiari', name: '假日风景社区', places: ['假日风景'] },
    { key: 'yueyuan', name: '阅园社区', places: ['阅园'] },
    { key: 'xifeng', name: '西丰社区', places: ['西丰路'] },
  ],
});
if (!r.ok) throw new Error(r.error);
const config = r.config;

const dir = mkdtempSync(join(tmpdir(), 'jiesu-ledger-bench-'));
const database = openDatabase(join(dir, 'jiesu.sqlite'));
const insertCase = database.sqlite.prepare(`INSERT INTO cases (hotline_no, status, group_key, category, urgency, type, address, content, source, citizen_name, citizen_phone,
  owner_id, owner_name, reported_at, posted_at, claimed_at, contacted_at, resolved_at, respond_by, resolve_by, leader_name, rating, rating_satisfaction, rating_solved, rating_contacted, rated_at)
  VALUES (@no, @status, @group, @category, 'ordinary', '投诉', @address, @content, '12345', '陈女士', '13800007777', @owner, @owner, @at, @at, @claimed, @contacted, @resolved, @respondBy, @resolveBy, @leader, @rating, @satisfaction, @solved, @ratedContacted, @ratedAt)`);
const insertEvent = database.sqlite.prepare(`INSERT INTO case_events (case_id, kind, actor_name, at, text) VALUES (?, 'extension-approved', '汪书记', ?, '批准延期 3 天')`);

const genStart = nowMs();
database.sqlite.transaction(() => {
  for (let i = 0; i < CASES; i++) {
    const at = FROM + Math.floor((i / CASES) * MONTH_MS);
    const resolved = i % 5 !== 0 ? at + ((i % 9) + 1) * 86_400_000 : null;
    const rated = resolved !== null && i % 5 < 4 ? resolved + 86_400_000 : null;
    const s = SATISFACTION[i % 3]!;
    const { lastInsertRowid } = insertCase.run({
      no: `2611${String(i).padStart(9, '0')}`,
      at,
      status: rated ? 'closed' : resolved ? 'resolved' : 'claimed',
      group: COMMUNITIES[i % COMMUNITIES.length],
      category: CATEGORIES[i % CATEGORIES.length],
      address: `张仪村${(i % 40) + 1}号院${(i % 6) + 1}单元`,
      content: `市民来电反映：张仪村${(i % 40) + 1}号院${CATEGORIES[i % CATEGORIES.length]}问题已持续多日，夜间影响老人和孩子出行，希望尽快处理并反馈结果。`,
      owner: i % 7 === 0 ? null : '王芳',
      claimed: at + 600_000,
      contacted: at + 1_800_000,
      resolved,
      respondBy: at + 86_400_000,
      resolveBy: at + 7 * 86_400_000,
      leader: i % 20 === 0 ? '汪书记' : null,
      rating: rated ? JSON.stringify({ satisfaction: s, solved: '已解决', contacted: true, note: '电话回访，居民认可处理结果' }) : null,
      satisfaction: rated ? s : null,
      solved: rated ? '已解决' : null,
      ratedContacted: rated ? 1 : null,
      ratedAt: rated,
    });
    if (i % 10 === 0) insertEvent.run(Number(lastInsertRowid), at + 3_600_000);
  }
})();
const generatedMs = nowMs() - genStart;

const reportsDir = join(dir, 'reports');
const reports = new SqlReportService({ queries: new SqliteReportQueries(database.sqlite), chart: new EchartsChartRenderer(), dir: reportsDir, config });
const ledger = new SqliteLedgerQueries(database.sqlite);
const service = new SqlLedgerExportService({ ledger, exporter: new XlsxLedgerExporter(), figures: (p, now) => reports.figures(p, null, now), dir: reportsDir, config });
const period = parsePeriod('2026-11', { timeZone: config.timeZone, periodStartDay: 1 })!;

const RUNS = 5;
const query: number[] = [];
const xlsx: number[] = [];
const csv: number[] = [];
let xlsxBytes = 0;
let csvBytes = 0;
let rows = 0;
for (let k = 0; k < RUNS; k++) {
  let t = nowMs();
  rows = ledger.casesReceived({ from: period.from, to: period.to, cutoff: Math.min(NOW, period.to) }).length;
  query.push(nowMs() - t);
  t = nowMs();
  const x = await service.export(period, 'xlsx', NOW);
  xlsx.push(nowMs() - t);
  xlsxBytes = statSync(x.path).size;
  t = nowMs();
  const c = await service.export(period, 'csv', NOW);
  csv.push(nowMs() - t);
  csvBytes = statSync(c.path).size;
}

const result = {
  cases: CASES,
  rowsExported: rows,
  generatedSeconds: round(generatedMs / 1000, 1),
  sqlRowsMs: summary(query),
  xlsxMs: summary(xlsx),
  csvMs: summary(csv),
  xlsxKb: round(xlsxBytes / 1024, 0),
  csvKb: round(csvBytes / 1024, 0),
  rssMb: round(process.memoryUsage().rss / 1_048_576, 0),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
database.close();
rmSync(dir, { recursive: true, force: true });
