/**
 * Import of exported case sheets (CSV with Chinese headers, JSON) into a real app on temp SQLite:
 * bad rows reported by line and skipped, the rest created, a second import creates nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { csvRows, importFile, importRows, jsonRows } from '../../adapters/intake/file-import';
import { startHarness, type Harness } from '../helpers/harness';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const CSV = join(FIXTURES, 'cases.csv');
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
    expect(report.bad).toEqual([{ line: 5, error: expect.stringContaining('content') }]);

    // The bad row left nothing at all behind.
    expect(hh.store.findCaseByHotlineNo('CSV-003')).toBeNull();
    expect(caseCount(hh)).toBe(4);

    expect(hh.store.findCaseByHotlineNo('CSV-001')).toMatchObject({
      source: 'import', group: 'zhangyi', status: 'new', category: '路灯', citizenName: '王建国', citizenPhone: '13911112222', address: '张仪村4号院南院',
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
