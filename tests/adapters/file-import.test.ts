/**
 * Import of exported case sheets (CSV with Chinese headers, JSON) into a real app on temp SQLite:
 * bad rows reported by line and skipped, the rest created, a second import creates nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { badRowText, csvRows, csvSheet, importFile, importRows, jsonRows } from '../../adapters/intake/file-import';
import { createProgressBar } from '../../adapters/intake/import-progress';
import { cellToIso, phraseIntakeError, wallToIso } from '../../adapters/intake/sheet-columns';
import { startHarness, type Harness } from '../helpers/harness';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const CSV = join(FIXTURES, 'cases.csv');
const EXPORT_CSV = join(FIXTURES, '12345-export.csv');
const SEED = join(import.meta.dirname, '..', '..', 'fixtures', 'seed-cases.json');

let h: Harness | undefined;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'jiesu-import-test-'));
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

describe('csvRows', () => {
  it('takes a header named like an Object.prototype key as a plain field name', () => {
    expect(csvRows('工单号,constructor,诉求内容\nC-1,x,路灯不亮\n')).toEqual([{ line: 2, value: { hotlineNo: 'C-1', constructor: 'x', content: '路灯不亮' } }]);
  });

  it('numbers rows by the line they start on, counting the header as line 1, across quoted newlines', () => {
    const text = [
      'hotlineNo,content,address',
      'A-1,第一件,张仪村',
      'A-2,"第二件，',
      '跨了两行, 还有逗号",阅园',
      'A-3,"三',
      '',
      '行 ""引号""",假日风景',
      'A-4,第四件,西丰路',
    ].join('\n');
    const rows = csvRows(text);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 5, 8]);
    expect(rows[1]!.value).toEqual({ hotlineNo: 'A-2', content: '第二件，\n跨了两行, 还有逗号', address: '阅园' });
    expect(rows[2]!.value).toEqual({ hotlineNo: 'A-3', content: '三\n\n行 "引号"', address: '假日风景' });
    expect(rows[3]!.value).toEqual({ hotlineNo: 'A-4', content: '第四件', address: '西丰路' });
  });

  it('maps the Chinese column titles, skips blank lines (keeping the numbering) and leaves empty cells out', () => {
    const rows = csvRows('工单号,诉求内容,地址,类别,联系人,联系电话\n\nB-1,内容,,路灯,,13900000000\n\n\nB-2,内容二,张仪村,,王先生,\n');
    expect(rows).toEqual([
      { line: 3, value: { hotlineNo: 'B-1', content: '内容', category: '路灯', citizen: { name: undefined, phone: '13900000000' } } },
      { line: 6, value: { hotlineNo: 'B-2', content: '内容二', address: '张仪村', citizen: { name: '王先生', phone: undefined } } },
    ]);
  });

  it('tolerates a BOM and CRLF line ends, inside and outside quotes', () => {
    const rows = csvRows('\uFEFF工单号,诉求内容\r\nC-1,"一\r\n二"\r\nC-2,三\r\n');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(rows[0]!.value).toEqual({ hotlineNo: 'C-1', content: '一\r\n二' });
    expect(rows[1]!.value).toEqual({ hotlineNo: 'C-2', content: '三' });
  });

  it('gives nothing for an empty file or a header alone', () => {
    expect(csvRows('')).toEqual([]);
    expect(csvRows('工单号,诉求内容\n')).toEqual([]);
  });
});

describe('jsonRows', () => {
  it('takes an array or { cases: [...] }, numbering items from 1', () => {
    expect(jsonRows('[{"hotlineNo":"J-1"},{"hotlineNo":"J-2"}]').map((r) => r.line)).toEqual([1, 2]);
    expect(jsonRows('{"cases":[{"hotlineNo":"J-1"}]}')).toEqual([{ line: 1, value: { hotlineNo: 'J-1' } }]);
  });

  it('refuses anything else', () => {
    expect(() => jsonRows('{"items":[]}')).toThrow();
    expect(() => jsonRows('null')).toThrow();
    expect(() => jsonRows('{oops')).toThrow();
  });
});

describe('importFile: CSV with Chinese headers', () => {
  it('creates the good rows, reports the bad one by line, and a second import creates nothing', async () => {
    const hh = await harness('import-csv');
    const report = await importFile(hh.app, CSV);
    expect(report).toMatchObject({ rows: 5, created: 4, existing: 0 });
    // The error names the column as the sheet titles it (it was the contract's `content: 必填`).
    expect(report.bad).toEqual([{ line: 5, error: '「诉求内容」为空' }]);

    // The bad row left nothing at all behind.
    expect(hh.store.findCaseByHotlineNo('CSV-003')).toBeNull();
    expect(caseCount(hh)).toBe(4);

    expect(hh.store.findCaseByHotlineNo('CSV-001')).toMatchObject({
      source: 'import', group: 'zhangyi', status: 'new', category: '路灯照明' /* the 12345 leaf 路灯 maps to the street's category */, citizenName: '王建国', citizenPhone: '13911112222', address: '张仪村4号院南院',
    });
    expect(hh.store.findCaseByHotlineNo('CSV-002')).toMatchObject({ group: 'yueyuan', content: '楼道堆物严重, 影响通行\n请尽快处理"急"', citizenName: '李女士', citizenPhone: '010-63812345' });
    expect(hh.store.findCaseByHotlineNo('CSV-004')).toMatchObject({ group: 'xifeng', section: '城管科', category: '游商', content: '东门外有游商, 占道经营' });
    expect(hh.store.findCaseByHotlineNo('CSV-005')).toMatchObject({ group: 'xifeng', citizenName: '张, 先生' });
    for (const no of ['CSV-001', 'CSV-002', 'CSV-004', 'CSV-005']) {
      const c = hh.store.findCaseByHotlineNo(no)!;
      expect(hh.store.listEvents(c.id).map((e) => e.kind)).toEqual(['received']);
    }

    const again = await importFile(hh.app, CSV);
    expect(again).toMatchObject({ rows: 5, created: 0, existing: 4 });
    expect(again.bad.map((b) => b.line)).toEqual([5]);
    expect(caseCount(hh)).toBe(4);
    for (const no of ['CSV-001', 'CSV-002', 'CSV-004', 'CSV-005']) {
      expect(hh.store.listEvents(hh.store.findCaseByHotlineNo(no)!.id)).toHaveLength(1);
    }
  });

  it('reads the same sheet saved with a BOM and CRLF line ends identically', async () => {
    const hh = await harness('import-csv-crlf');
    const file = join(tmp, 'cases-crlf.csv');
    writeFileSync(file, '\uFEFF' + readFileSync(CSV, 'utf8').replace(/\n/g, '\r\n'));
    const report = await importFile(hh.app, file);
    expect(report).toMatchObject({ rows: 5, created: 4, existing: 0 });
    expect(report.bad.map((b) => b.line)).toEqual([5]);
    expect(hh.store.findCaseByHotlineNo('CSV-002')?.content).toBe('楼道堆物严重, 影响通行\r\n请尽快处理"急"');
  });
});

describe('importFile: JSON', () => {
  it('imports the 12 seed cases once', async () => {
    const hh = await harness('import-seed');
    const report = await importFile(hh.app, SEED);
    expect(report).toEqual({ rows: 12, created: 12, existing: 0, bad: [] });
    expect(caseCount(hh)).toBe(12);
    expect(hh.store.findCaseByHotlineNo('DEMO-0005')).toMatchObject({ source: 'import', group: 'zhangyi' });
    expect(hh.store.findCaseByHotlineNo('DEMO-0002')).toMatchObject({ urgency: 'urgent', reportedAt: Date.parse('2019-05-01T20:30:00+08:00') });

    expect(await importFile(hh.app, SEED)).toEqual({ rows: 12, created: 0, existing: 12, bad: [] });
    expect(caseCount(hh)).toBe(12);
  });

  it('refuses a JSON file of the wrong shape, creating nothing', async () => {
    const hh = await harness('import-json-bad');
    const file = join(tmp, 'wrong.json');
    writeFileSync(file, JSON.stringify({ items: [{ hotlineNo: 'X-1', content: 'x' }] }));
    await expect(importFile(hh.app, file)).rejects.toThrow();
    expect(caseCount(hh)).toBe(0);
  });
});

describe('importRows', () => {
  it('keeps line numbers right across its transaction batches and reports progress', async () => {
    const hh = await harness('import-batches');
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      line: i + 2,
      value: i === 700 || i === 1201 ? { hotlineNo: `N-${i}` } : { hotlineNo: `N-${i}`, content: `第${i}件`, address: '张仪村' },
    }));
    const progress: [number, number][] = [];
    const report = await importRows(hh.app, rows, (done, total) => progress.push([done, total]));
    expect(report.created).toBe(1201);
    expect(report.bad.map((b) => b.line)).toEqual([702, 1203]);
    expect(progress).toEqual([[500, 1203], [1000, 1203], [1203, 1203]]);
    expect(hh.store.findCaseByHotlineNo('N-700')).toBeNull();
    expect(hh.store.findCaseByHotlineNo('N-701')).toMatchObject({ content: '第701件' });
  });
});

describe('12345 export columns, values and times (CSV)', () => {
  const SHANGHAI = { timeZone: 'Asia/Shanghai' };

  it('reads the platform titles and Chinese values, and refuses unreadable values naming their column', () => {
    const sheet = csvSheet(readFileSync(EXPORT_CSV, 'utf8'), SHANGHAI);
    expect(sheet.columns).toMatchObject({ hotlineNo: '工单编号', content: '诉求内容', address: '诉求地址', category: '问题分类', urgency: '紧急程度', reportedAt: '受理时间', resolveBy: '办理时限', 'citizen.name': '市民姓名', 'citizen.phone': '联系电话' });
    expect(sheet.rows.map((r) => r.line)).toEqual([2, 3, 4, 6]);
    expect(sheet.rows[0]!.value).toEqual({
      hotlineNo: '2612030001', type: '投诉', category: '城乡建设->市政设施->路灯', urgency: 'ordinary', content: '张仪村4号院南院路灯不亮', address: '张仪村4号院南院',
      reportedAt: '2026-12-03T09:15:00+08:00', resolveBy: '2026-12-10T09:15:00+08:00', citizen: { name: '王建国', phone: '13911112222' },
    });
    expect(sheet.rows[1]!.value).toMatchObject({ urgency: 'utility', type: '求助', reportedAt: '2026-12-03T10:05:00+08:00', citizen: { name: '张, 先生', phone: '13800000000' } });
    expect(sheet.rows[1]!.value).not.toHaveProperty('resolveBy');
    // A date alone: the start of the day when received, the end of the day as a deadline.
    expect(sheet.rows[3]!.value).toMatchObject({ urgency: 'consult', reportedAt: '2026-12-03T00:00:00+08:00', resolveBy: '2026-12-20T23:59:59+08:00' });
    expect(sheet.problems).toEqual([
      { line: 5, error: '「紧急程度」是「很急」，应为 紧急、一般、水电气热、复杂 或 咨询' },
      { line: 7, error: '「受理时间」不是有效时间「2026-13-03 09:00」，应如 2026-12-03 09:15:00' },
      { line: 8, error: '「诉求类型」是「表扬」，应为 咨询、求助、投诉、举报 或 建议' },
    ]);
  });

  it('imports it: three cases at the right instants, four bad rows by line and column, nothing twice', async () => {
    const hh = await harness('import-12345-csv');
    const report = await importFile(hh.app, EXPORT_CSV);
    expect(report).toEqual({
      rows: 7, created: 3, existing: 0,
      bad: [
        { line: 4, error: '「诉求内容」为空' },
        { line: 5, error: '「紧急程度」是「很急」，应为 紧急、一般、水电气热、复杂 或 咨询' },
        { line: 7, error: '「受理时间」不是有效时间「2026-13-03 09:00」，应如 2026-12-03 09:15:00' },
        { line: 8, error: '「诉求类型」是「表扬」，应为 咨询、求助、投诉、举报 或 建议' },
      ],
    });
    expect(report.bad.map(badRowText)[0]).toBe('第 4 行「诉求内容」为空');
    expect(hh.store.findCaseByHotlineNo('2612030001')).toMatchObject({
      urgency: 'ordinary', type: '投诉', group: 'zhangyi', citizenName: '王建国',
      reportedAt: Date.parse('2026-12-03T01:15:00Z'), resolveBy: Date.parse('2026-12-10T01:15:00Z'),
    });
    expect(hh.store.findCaseByHotlineNo('2612030002')).toMatchObject({ urgency: 'utility', type: '求助', group: 'xifeng', reportedAt: Date.parse('2026-12-03T02:05:00Z') });
    expect(hh.store.findCaseByHotlineNo('2612030005')).toMatchObject({ urgency: 'consult', type: '建议', group: 'yueyuan', resolveBy: Date.parse('2026-12-20T15:59:59Z') });
    expect(caseCount(hh)).toBe(3);
    expect(await importFile(hh.app, EXPORT_CSV)).toMatchObject({ created: 0, existing: 3 });
  });

  it('takes wall times in the zone it is given', () => {
    const rows = csvRows('工单编号,诉求内容,受理时间\nT-1,内容,2026-12-03 09:15:00\n', { timeZone: 'Europe/Berlin' });
    expect(rows[0]!.value).toMatchObject({ reportedAt: '2026-12-03T09:15:00+01:00' });
  });

  it('maps a 社区 column holding a display name to its group key', () => {
    const rows = csvRows('工单编号,诉求内容,社区\nG-1,内容,阅园社区\nG-2,内容,zhangyi\n', { timeZone: 'Asia/Shanghai', groupKeys: { 阅园社区: 'yueyuan' } });
    expect(rows.map((r) => (r.value as { community: string }).community)).toEqual(['yueyuan', 'zhangyi']);
  });
});

describe('cellToIso', () => {
  const table: [Parameters<typeof cellToIso>[0], 'start' | 'end', string | null | undefined][] = [
    ['2026-12-03 09:15:00', 'start', '2026-12-03T09:15:00+08:00'],
    ['2026-12-03 9:15', 'start', '2026-12-03T09:15:00+08:00'],
    ['2026/12/3 09:15:30', 'start', '2026-12-03T09:15:30+08:00'],
    ['2026.12.03 23:59', 'start', '2026-12-03T23:59:00+08:00'],
    ['2026年12月3日 9时15分', 'start', '2026-12-03T09:15:00+08:00'],
    ['2026年12月3日 9时15分30秒', 'start', '2026-12-03T09:15:30+08:00'],
    ['2026-12-03T09:15:00', 'start', '2026-12-03T09:15:00+08:00'],
    ['2026-12-03', 'start', '2026-12-03T00:00:00+08:00'],
    ['2026-12-03', 'end', '2026-12-03T23:59:59+08:00'],
    ['2026-12-03T09:15:00+08:00', 'start', '2026-12-03T09:15:00+08:00'],
    ['2026-12-03T01:15:00Z', 'start', '2026-12-03T01:15:00Z'],
    [new Date(Date.UTC(2026, 11, 3, 9, 15)), 'start', '2026-12-03T09:15:00+08:00'],
    // Excel serial: 46359 = 2026-12-03, .385416̅ = 09:15.
    [46359.385416666664, 'start', '2026-12-03T09:15:00+08:00'],
    ['46359.385416666664', 'start', '2026-12-03T09:15:00+08:00'],
    ['', 'start', undefined],
    [null, 'start', undefined],
    ['2026-02-30 09:00', 'start', null],
    ['2026-12-03 24:00', 'start', null],
    ['2026-12-03 09:60', 'start', null],
    ['明天上午', 'start', null],
    [12, 'start', null],
    [new Date(NaN), 'start', null],
  ];
  it.each(table)('%s (%s) → %s', (cell, dateOnly, expected) => {
    expect(cellToIso(cell, 'Asia/Shanghai', dateOnly)).toBe(expected);
  });

  it('finds the right offset on both sides of a DST change', () => {
    expect(wallToIso(2026, 3, 29, 1, 30, 0, 'Europe/Berlin')).toBe('2026-03-29T01:30:00+01:00');
    expect(wallToIso(2026, 3, 29, 3, 30, 0, 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
    expect(wallToIso(2026, 12, 31, 23, 59, 59, 'Asia/Shanghai')).toBe('2026-12-31T23:59:59+08:00');
  });
});

describe('phraseIntakeError', () => {
  const columns = { content: '诉求内容', hotlineNo: '工单编号', reportedAt: '受理时间', resolveBy: '办理时限', 'citizen.phone': '联系电话' };
  const table: [string, string, string][] = [
    ['content: 必填', 'content', '「诉求内容」为空'],
    ['content: 不能为空', 'content', '「诉求内容」为空'],
    ['hotlineNo: 只能含字母、数字和 - _ . : / #', 'hotlineNo', '「工单编号」只能含字母、数字和 - _ . : / #'],
    ['resolveBy: 应晚于 reportedAt', 'resolveBy', '「办理时限」应晚于「受理时间」'],
    ['citizen.phone: 不能超过 40 字', 'citizen.phone', '「联系电话」不能超过 40 字'],
    ['address: 不能超过 200 字', 'address', '「address」不能超过 200 字'],
    ['请求体应为 JSON 对象', '(body)', '请求体应为 JSON 对象'],
  ];
  it.each(table)('%s → %s', (error, field, expected) => {
    expect(phraseIntakeError(error, field, columns)).toBe(expected);
  });

  it('prints a row as 第 N 行 followed by the column', () => {
    expect(badRowText({ line: 4, error: '「诉求内容」为空' })).toBe('第 4 行「诉求内容」为空');
    expect(badRowText({ line: 2, error: '请求体应为 JSON 对象' })).toBe('第 2 行：请求体应为 JSON 对象');
  });
});

describe('createProgressBar', () => {
  it('redraws one line on a terminal and ends it once', () => {
    const out: string[] = [];
    const bar = createProgressBar({ write: (t) => out.push(t), isTTY: true });
    bar.update(500, 2000);
    bar.update(2000, 2000);
    bar.finish();
    expect(out).toEqual([
      '\r导入 [█████░░░░░░░░░░░░░░░] 500/2000 25%',
      '\r导入 [████████████████████] 2000/2000 100%',
      '\n',
    ]);
  });

  it('writes a line per tenth in a log file', () => {
    const out: string[] = [];
    const bar = createProgressBar({ write: (t) => out.push(t), isTTY: false });
    for (let done = 500; done <= 5000; done += 250) bar.update(done, 5000);
    bar.finish();
    expect(out).toHaveLength(10);
    expect(out[0]).toBe('导入 500/5000 10%\n');
    expect(out.at(-1)).toBe('导入 5000/5000 100%\n');
  });
});
