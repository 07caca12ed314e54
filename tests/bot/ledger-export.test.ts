/**
 * 导出 on the console harness (real SQLite, Redis, workers): the ledger of a period written under
 * DATA_DIR/reports, read back with exceljs (headers, the rows as a 12345 export has them, the figures
 * sheet), sent into consult as a file attachment through the outbox; refused outside consult.
 */
import ExcelJS from 'exceljs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { EchartsChartRenderer } from '../../adapters/chart/echarts-chart-renderer';
import { XlsxLedgerExporter } from '../../adapters/export/xlsx-ledger-exporter';
import { SqlLedgerExportService } from '../../bot/export-service';
import { SqlReportService } from '../../bot/report-service';
import { parseStreetConfig, type StreetConfig } from '../../core/street-config';
import { SqliteLedgerQueries } from '../../storage/sqlite-ledger-queries';
import { SqliteReportQueries } from '../../storage/sqlite-report-queries';
import { say, startHarness, TEST_STREET_YAML, type Harness, type HarnessOptions } from '../helpers/harness';

const HEADERS = ['工单编号', '诉求类型', '问题分类', '诉求内容', '地址', '社区', '承办人', '包案领导', '受理时间', '响应时间', '办结时间', '办理时限', '是否超时', '是否延期', '解决情况', '满意度', '回访备注'];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function street(extra: Record<string, unknown> = {}): StreetConfig {
  const yaml = parseYaml(readFileSync(TEST_STREET_YAML, 'utf8')) as Record<string, unknown>;
  // Windows in days so only what the test does happens; the ledger's times are the test's clock.
  const r = parseStreetConfig({ ...yaml, deadlines: { ordinary: { respond: '1h', resolve: '7d' }, unclaimed: { ordinary: '1h' } }, ...extra });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

/** The reports' figures and the ledger export on the harness's own database and data dir. */
const services: HarnessOptions['services'] = ({ sqlite, dataDir, config }) => {
  const dir = join(dataDir, 'reports');
  const reports = new SqlReportService({ queries: new SqliteReportQueries(sqlite), chart: new EchartsChartRenderer(), dir, config });
  const exports = new SqlLedgerExportService({ ledger: new SqliteLedgerQueries(sqlite), exporter: new XlsxLedgerExporter({ timeZone: config.timeZone }), figures: (p, now) => reports.figures(p, null, now), dir, config });
  return { reports, exports };
};

const at = (iso: string) => Date.parse(iso);

async function readBook(path: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book;
}

/** Data rows of the cases sheet as header → value. */
function rowsOf(book: ExcelJS.Workbook): Record<string, unknown>[] {
  const sheet = book.getWorksheet('案件台账')!;
  const out: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    out.push(Object.fromEntries(HEADERS.map((hd, i) => [hd, row.getCell(i + 1).value])));
  });
  return out;
}

/** The figures sheet as label → value. */
function figuresOf(book: ExcelJS.Workbook): Record<string, unknown> {
  const sheet = book.getWorksheet('统计')!;
  const out: Record<string, unknown> = {};
  sheet.eachRow((row, n) => {
    if (n > 4) out[String(row.getCell(1).value)] = row.getCell(2).value;
  });
  return out;
}

describe('导出 (ledger export)', () => {
  it('exports last month in consult as an XLSX file sent with one line; the sheet holds that month’s cases with the 12345 fields', async () => {
    let now = at('2026-11-05T09:00:00+08:00');
    h = await startHarness({ name: 'ledger-export', config: street(), clock: () => now, services });
    const intake = (hotlineNo: string, reportedAt: string, address: string, content: string, type?: string) =>
      h!.app.handleIntake({ hotlineNo, reportedAt, address, content, ...(type ? { type } : {}), citizen: { name: '陈女士', phone: '13800007777' } }, '12345');

    const before = await intake('L-OCT', '2026-10-31T23:59:59+08:00', '张仪村1号院', '张仪村1号院路灯不亮');
    const a = (await intake('L-A', '2026-11-05T09:00:00+08:00', '张仪村4号院', '张仪村4号院南院路灯不亮，老人出行不便', '投诉')).case!;
    // Case A: claimed, contacted at 09:30, 包案, an extension approved, resolved, 回访 基本满意 已解决 with a note.
    now = at('2026-11-05T09:10:00+08:00');
    await say(h, 'zhangyi', '王芳', `认领 ${a.id}`);
    now = at('2026-11-05T09:30:00+08:00');
    await say(h, 'zhangyi', '王芳', `已联系 ${a.id} 电话联系了`);
    await say(h, 'consult', '汪书记', `包案 ${a.id}`);
    await say(h, 'zhangyi', '王芳', `延期 ${a.id} 3天 等待配件`);
    expect((await say(h, 'consult', '汪书记', `批准 ${a.id}`))?.ok).toBe(true);
    now = at('2026-11-08T16:00:00+08:00');
    expect((await say(h, 'zhangyi', '王芳', `办结 ${a.id} 已更换灯泡`))?.ok).toBe(true);
    now = at('2026-11-09T10:00:00+08:00');
    expect((await say(h, 'consult', '李调度', `回访 ${a.id} 基本满意 已解决 居民说修得很快`))?.ok).toBe(true);

    // Case B: received on the 18th, never resolved: its 7 days ran out before the month ended.
    const b = (await intake('L-B', '2026-11-18T08:00:00+08:00', '假日风景3号楼', '假日风景3号楼楼道堆物')).case!;
    // Case C: the last second of November, still within its window at the month's end.
    const c = (await intake('L-C', '2026-11-30T23:59:59+08:00', '阅园小区', '阅园小区门口积水')).case!;
    const after = await intake('L-DEC', '2026-12-01T00:00:00+08:00', '西丰路8号', '西丰路8号噪音扰民');
    expect([before.status, after.status]).toEqual([201, 201]);

    now = at('2026-12-03T10:00:00+08:00');
    const answer = await say(h, 'consult', '李调度', '导出 上月');
    expect(answer).toMatchObject({ ok: true, message: '📄 台账 2026年11月：共 3 件（XLSX）' });
    await h.chat.waitFor((s) => s.some((m) => m.attachment?.kind === 'file'), 20_000, 'the file in consult');
    const sent = h.chat.sent.find((m) => m.attachment)!;
    expect(sent.group).toBe('consult');
    expect(sent.text).toBe('📄 台账 2026年11月：共 3 件（XLSX）');
    const path = join(h.dataDir, 'reports', '台账-2026-11.xlsx');
    expect(sent.attachment).toEqual({ kind: 'file', path, name: '台账-2026-11.xlsx' });
    expect(existsSync(path)).toBe(true);

    const book = await readBook(path);
    expect(book.worksheets.map((w) => w.name)).toEqual(['案件台账', '统计']);
    expect((book.getWorksheet('案件台账')!.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    const rows = rowsOf(book);
    expect(rows.map((r) => r['工单编号'])).toEqual(['L-A', 'L-B', 'L-C']);
    // Excel dates carry the street's wall-clock time.
    expect(rows[0]).toEqual({
      工单编号: 'L-A', 诉求类型: '投诉', 问题分类: a.category, 诉求内容: '张仪村4号院南院路灯不亮，老人出行不便', 地址: '张仪村4号院', 社区: '张仪村社区',
      承办人: '王芳', 包案领导: '汪书记',
      受理时间: new Date('2026-11-05T09:00:00Z'), 响应时间: new Date('2026-11-05T09:30:00Z'), 办结时间: new Date('2026-11-08T16:00:00Z'),
      办理时限: new Date(`${new Date(h.store.findCase(a.id)!.resolveBy + 8 * 3_600_000).toISOString().slice(0, 19)}Z`),
      是否超时: '否', 是否延期: '是', 解决情况: '已解决', 满意度: '基本满意', 回访备注: '居民说修得很快',
    });
    expect(rows[1]).toMatchObject({ 工单编号: 'L-B', 社区: '假日风景社区', 承办人: null, 办结时间: null, 是否超时: '是', 是否延期: '否', 满意度: null });
    expect(rows[2]).toMatchObject({ 工单编号: 'L-C', 社区: '阅园社区', 受理时间: new Date('2026-11-30T23:59:59Z'), 是否超时: '否' });
    expect(h.store.findCase(b.id)!.resolveBy).toBeLessThan(at('2026-12-01T00:00:00+08:00'));
    expect(h.store.findCase(c.id)!.resolveBy).toBeGreaterThan(at('2026-12-01T00:00:00+08:00'));

    const figures = figuresOf(book);
    expect(figures).toMatchObject({ 受理: 3, 办结: 1, 超时: 1, 延期: 1, 包案: 1, 有效回访: 1, 基本满意: 1, 已解决: 1, 解决率: '100.0%', 满意率: '90.0%' });
    expect(book.getWorksheet('统计')!.getRow(2).values).toEqual([undefined, '统计周期', '2026年11月']);
  });

  it('refuses outside consult in one line and writes nothing; csv on request; the file waits in the outbox while the chat is down', async () => {
    h = await startHarness({ name: 'ledger-export-refuse', config: street(), services });
    await h.app.handleIntake({ hotlineNo: 'R-1', address: '张仪村2号院', content: '张仪村2号院垃圾未清运' }, '12345');
    const refused = await say(h, 'zhangyi', '王芳', '导出 本月');
    expect(refused).toMatchObject({ ok: false, message: '台账含个人信息，只有会商群可以导出。' });
    expect(existsSync(join(h.dataDir, 'reports')) ? readdirSync(join(h.dataDir, 'reports')) : []).toEqual([]);
    expect((await say(h, 'consult', '汪书记', '导出 明年'))?.message).toBe('格式：导出 [本月/上月/2026-11] [csv]');

    h.chat.fail = true;
    const answer = await say(h, 'consult', '汪书记', '/export month csv');
    expect(answer?.message).toMatch(/^📄 台账 \d{4}年\d{1,2}月：共 1 件（CSV）$/);
    const pending = h.store.pendingOutbox('consult', Number.MAX_SAFE_INTEGER).filter((r) => r.attachment);
    expect(pending).toHaveLength(1);
    const file = pending[0]!.attachment!;
    expect(file).toMatchObject({ kind: 'file', name: expect.stringMatching(/^台账-\d{4}-\d{2}\.csv$/) });
    const csv = readFileSync(file.path, 'utf8');
    expect(csv.startsWith(`\uFEFF${HEADERS.join(',')}\r\n`)).toBe(true);
    expect(csv).toContain('张仪村2号院垃圾未清运');

    h.chat.fail = false;
    await h.chat.waitFor((s) => s.some((m) => m.attachment?.path === file.path), 20_000, 'the csv delivered after the chat came back');
    expect(h.chat.sent.filter((m) => m.attachment)).toHaveLength(1);
  });

  it('a month starting on the 19th: 导出 2026-11 holds the cases of 10-19 … 11-18', async () => {
    h = await startHarness({ name: 'ledger-export-19', config: street({ reports: { periodStartDay: 19 } }), clock: () => at('2026-12-03T10:00:00+08:00'), services });
    for (const [no, when] of [['P-1', '2026-10-18T23:59:59+08:00'], ['P-2', '2026-10-19T00:00:00+08:00'], ['P-3', '2026-11-18T23:59:59+08:00'], ['P-4', '2026-11-19T00:00:00+08:00']] as const) {
      await h.app.handleIntake({ hotlineNo: no, reportedAt: when, address: '张仪村5号院', content: '张仪村5号院路灯不亮' }, '12345');
    }
    const answer = await say(h, 'consult', '李调度', '导出 2026-11');
    expect(answer?.message).toBe('📄 台账 2026年11月（10月19日—11月18日）：共 2 件（XLSX）');
    const rows = rowsOf(await readBook(join(h.dataDir, 'reports', '台账-2026-11.xlsx')));
    expect(rows.map((r) => r['工单编号'])).toEqual(['P-2', 'P-3']);
  });
});
