/**
 * Import of the 12345 platform's XLSX export into a real app on temp SQLite: Chinese titles and
 * values, Excel date cells and text times as Asia/Shanghai, a title row above the header, errors by
 * Excel row number and column title, 5,000 rows in batches with progress, and our own ledger export
 * read back.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { XlsxLedgerExporter } from '../../adapters/export/xlsx-ledger-exporter';
import { importFile } from '../../adapters/intake/file-import';
import { createProgressBar } from '../../adapters/intake/import-progress';
import { xlsxSheet } from '../../adapters/intake/xlsx-import';
import type { LedgerRow } from '../../core/reports/report-ports';
import { startHarness, type Harness } from '../helpers/harness';

let h: Harness | undefined;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'jiesu-xlsx-import-test-'));
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

async function harness(name: string): Promise<Harness> {
  h = await startHarness({ name, workers: false });
  return h;
}

function caseCount(hh: Harness): number {
  let n = 0;
  while (hh.store.findCase(n + 1)) n++;
  return n;
}

/** An Excel date cell's value: the wall-clock time in its UTC fields (how Excel and exceljs keep dates). */
const excelDate = (y: number, mo: number, d: number, hh: number, mm: number) => new Date(Date.UTC(y, mo - 1, d, hh, mm));

const HEADER = ['工单编号', '诉求类型', '问题分类', '紧急程度', '诉求内容', '地址', '受理时间', '办理时限', '联系人', '联系电话', '承办单位'];

async function writeXlsx(file: string, fill: (ws: ExcelJS.Worksheet) => void): Promise<string> {
  const book = new ExcelJS.Workbook();
  fill(book.addWorksheet('工单'));
  await book.xlsx.writeFile(file);
  return file;
}

/** A sheet as the platform exports it: a merged title row, then the header, then cells of every kind. */
async function platformExport(): Promise<string> {
  return writeXlsx(join(tmp, '工单.xlsx'), (ws) => {
    ws.addRow(['北京市12345市民服务热线 工单明细（2026-12-03）']);
    ws.mergeCells('A1:K1');
    ws.addRow(HEADER);
    // Row 3: numbers where Excel keeps numbers, date cells for the times.
    ws.addRow([2612030101, '投诉', '城乡建设->市政设施->路灯', '一般', '张仪村4号院南院路灯不亮', '张仪村4号院南院', excelDate(2026, 12, 3, 9, 15), excelDate(2026, 12, 10, 9, 15), '王建国', 13911112222, '卢沟桥街道']);
    // Row 4: no content.
    ws.addRow([2612030102, '咨询', null, '一般', null, '假日风景小区', '2026-12-03 10:00:00']);
    // Row 5: rich text, a hyperlink, a text time.
    ws.addRow([
      '2612030103', '求助', null, '紧急',
      { richText: [{ text: '阅园四区2号楼' }, { font: { bold: true }, text: '水管爆裂，楼道进水' }] },
      { text: '阅园四区2号楼', hyperlink: 'https://map.example/1' },
      '2026-12-03 10:05:00', null, '李女士', '010-63812345',
    ]);
    ws.addRow([]);
    // Row 7: a formula with its cached result, a time as an Excel serial number.
    ws.addRow([{ formula: 'CONCAT("X-","7")', result: 'X-7' } as ExcelJS.CellFormulaValue, '投诉', null, '水电气热', '西四环83号院停水了', '西四环83号院', 46359.5]);
    // Row 8: an urgency the platform does not use.
    ws.addRow(['2612030108', '投诉', null, '特别急', '东门外有游商', '西丰路45号院', '2026-12-03 11:00:00']);
  });
}

describe('xlsxSheet', () => {
  it('finds the header under a title row and numbers rows as Excel does', async () => {
    const { readFile } = await import('node:fs/promises');
    const sheet = await xlsxSheet(await readFile(await platformExport()), { timeZone: 'Asia/Shanghai' });
    expect(sheet.columns).toMatchObject({ hotlineNo: '工单编号', content: '诉求内容', urgency: '紧急程度', reportedAt: '受理时间', 'citizen.phone': '联系电话' });
    expect(sheet.rows.map((r) => r.line)).toEqual([3, 4, 5, 7]);
    expect(sheet.rows[0]!.value).toEqual({
      hotlineNo: '2612030101', type: '投诉', category: '城乡建设->市政设施->路灯', urgency: 'ordinary', content: '张仪村4号院南院路灯不亮', address: '张仪村4号院南院',
      reportedAt: '2026-12-03T09:15:00+08:00', resolveBy: '2026-12-10T09:15:00+08:00', citizen: { name: '王建国', phone: '13911112222' }, 承办单位: '卢沟桥街道',
    });
    expect(sheet.rows[2]!.value).toMatchObject({ hotlineNo: '2612030103', urgency: 'urgent', content: '阅园四区2号楼水管爆裂，楼道进水', address: '阅园四区2号楼', reportedAt: '2026-12-03T10:05:00+08:00' });
    expect(sheet.rows[3]!.value).toMatchObject({ hotlineNo: 'X-7', urgency: 'utility', reportedAt: '2026-12-03T12:00:00+08:00' });
    expect(sheet.problems).toEqual([{ line: 8, error: '「紧急程度」是「特别急」，应为 紧急、一般、水电气热、复杂 或 咨询' }]);
  });
});

describe('importFile: XLSX', () => {
  it('creates the good rows at the right instants and names the bad ones by Excel row and column', async () => {
    const hh = await harness('import-xlsx');
    const file = await platformExport();
    const report = await importFile(hh.app, file);
    expect(report).toEqual({
      rows: 5, created: 3, existing: 0,
      bad: [{ line: 4, error: '「诉求内容」为空' }, { line: 8, error: '「紧急程度」是「特别急」，应为 紧急、一般、水电气热、复杂 或 咨询' }],
    });
    expect(hh.store.findCaseByHotlineNo('2612030101')).toMatchObject({
      source: 'import', group: 'zhangyi', urgency: 'ordinary', type: '投诉', citizenPhone: '13911112222',
      reportedAt: Date.parse('2026-12-03T09:15:00+08:00'), resolveBy: Date.parse('2026-12-10T09:15:00+08:00'),
    });
    expect(hh.store.findCaseByHotlineNo('2612030103')).toMatchObject({ group: 'yueyuan', urgency: 'urgent', reportedAt: Date.parse('2026-12-03T10:05:00+08:00') });
    expect(hh.store.findCaseByHotlineNo('X-7')).toMatchObject({ group: 'xifeng', urgency: 'utility' });
    expect(hh.store.findCaseByHotlineNo('2612030102')).toBeNull();
    expect(await importFile(hh.app, file)).toMatchObject({ created: 0, existing: 3 });
    expect(caseCount(hh)).toBe(3);
  });

  it('imports 5,000 rows in batches of 500 with a progress bar', async () => {
    const hh = await harness('import-xlsx-5000');
    const communities = ['张仪村', '阅园', '西四环', '假日风景'];
    const file = await writeXlsx(join(tmp, '5000.xlsx'), (ws) => {
      ws.addRow(HEADER);
      for (let i = 0; i < 5000; i++) {
        const content = i === 1234 || i === 4321 ? '' : `第${i}件：${communities[i % 4]}路灯不亮`;
        const at = i % 2 === 0 ? excelDate(2026, 12, 1 + (i % 28), 8 + (i % 10), i % 60) : `2026-12-${String(1 + (i % 28)).padStart(2, '0')} 09:30:00`;
        ws.addRow([`B-${i}`, '投诉', null, i % 7 === 0 ? '紧急' : '一般', content, `${communities[i % 4]}${i}号`, at]);
      }
    });
    const progress: [number, number][] = [];
    const screen: string[] = [];
    const bar = createProgressBar({ write: (t) => screen.push(t), isTTY: true });
    const report = await importFile(hh.app, file, (done, total) => {
      progress.push([done, total]);
      bar.update(done, total);
    });
    bar.finish();
    expect(report.rows).toBe(5000);
    expect(report.created).toBe(4998);
    expect(report.bad).toEqual([{ line: 1236, error: '「诉求内容」为空' }, { line: 4323, error: '「诉求内容」为空' }]);
    expect(progress).toEqual(Array.from({ length: 10 }, (_, i) => [(i + 1) * 500, 5000]));
    expect(screen.at(-2)).toBe('\r导入 [████████████████████] 5000/5000 100%');
    expect(hh.store.findCaseByHotlineNo('B-4998')).toMatchObject({ urgency: 'urgent', reportedAt: Date.parse('2026-12-15T16:18:00+08:00') });
    expect(hh.store.findCaseByHotlineNo('B-4996')).toMatchObject({ urgency: 'ordinary' });
    expect(hh.store.findCaseByHotlineNo('B-4999')).toMatchObject({ reportedAt: Date.parse('2026-12-16T09:30:00+08:00') });
    expect(hh.store.findCaseByHotlineNo('B-7')).toMatchObject({ urgency: 'urgent' });
    expect(caseCount(hh)).toBe(4998);
  });

  it('reads back the ledger this bot exports (same column titles, 社区 by name)', async () => {
    const hh = await harness('import-xlsx-ledger');
    const row: LedgerRow = {
      hotlineNo: 'L-1', type: '投诉', category: '路灯', content: '张仪村路灯不亮', address: '张仪村4号院', community: '阅园社区', owner: '王芳', leader: null,
      receivedAt: Date.parse('2026-11-30T09:15:00+08:00'), contactedAt: null, resolvedAt: null, resolveBy: Date.parse('2026-12-07T09:15:00+08:00'),
      overdue: false, extended: false, solved: null, satisfaction: null, followUpNote: null,
    };
    const file = join(tmp, 'ledger.xlsx');
    writeFileSync(file, await new XlsxLedgerExporter().xlsx([row], [{ label: '受理', value: 1 }], { title: '台账', period: '2026-11' }));
    const groupKeys = Object.fromEntries(Object.entries(hh.app.config.groupNames).map(([k, n]) => [n, k]));
    const report = await importFile(hh.app, file, undefined, { groupKeys });
    expect(report).toEqual({ rows: 1, created: 1, existing: 0, bad: [] });
    // 社区 forces the route: the address alone would say zhangyi.
    expect(hh.store.findCaseByHotlineNo('L-1')).toMatchObject({
      group: 'yueyuan', type: '投诉', content: '张仪村路灯不亮',
      reportedAt: Date.parse('2026-11-30T09:15:00+08:00'), resolveBy: Date.parse('2026-12-07T09:15:00+08:00'),
    });
  });

  it('refuses, with a sentence for the user, a sheet without a header, an .xls and a broken file', async () => {
    const hh = await harness('import-xlsx-bad');
    const noHeader = await writeXlsx(join(tmp, 'no-header.xlsx'), (ws) => {
      ws.addRow(['编号', '内容说明']);
      ws.addRow(['1', '路灯']);
    });
    await expect(importFile(hh.app, noHeader)).rejects.toThrow('找不到表头：前 10 行里没有同时含「工单编号」和「诉求内容」两列的一行');
    const xls = join(tmp, 'old.xls');
    writeFileSync(xls, 'whatever');
    await expect(importFile(hh.app, xls)).rejects.toThrow(/另存为 \.xlsx 或 \.csv/);
    const broken = join(tmp, 'broken.xlsx');
    writeFileSync(broken, '工单编号,诉求内容\nA,B\n');
    await expect(importFile(hh.app, broken)).rejects.toThrow(/读不了这个 \.xlsx 文件/);
    expect(caseCount(hh)).toBe(0);
  });
});
