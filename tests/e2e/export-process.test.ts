/**
 * `npm run export -- 2026-11 [--csv]` as a street office runs it: the real `main.ts` in a child
 * process on a data dir with cases in it. It writes the ledger under DATA_DIR/reports, prints the
 * path and exits by itself — no Redis started, no chat read.
 */
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { makeCase } from '../core/make-case';
import { ROOT } from '../helpers/bot-process';
import { TEST_STREET_YAML } from '../helpers/harness';

const run = promisify(execFile);
/** Each case starts main.ts once or twice; tsx and the imports take 10–20 s on a busy 2-core machine. */
const SLOW = { timeout: 120_000 };
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jiesu-export-'));
  const database = openDatabase(join(dataDir, 'jiesu.sqlite'));
  const store = new SqliteCaseStore(database.db);
  const at = (iso: string) => Date.parse(iso);
  for (const [hotlineNo, reportedAt, group] of [
    ['X-1', '2026-11-02T10:00:00+08:00', 'zhangyi'],
    ['X-2', '2026-11-20T21:30:00+08:00', 'jiari'],
    ['X-3', '2026-12-01T09:00:00+08:00', 'zhangyi'],
  ] as const) {
    const { id: _id, ...c } = makeCase({ hotlineNo, group, reportedAt: at(reportedAt), postedAt: at(reportedAt), respondBy: at(reportedAt) + 3_600_000, resolveBy: at(reportedAt) + 7 * 86_400_000 });
    store.insertCase(c);
  }
  database.close();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `tsx main.ts export …` with the data dir; resolves with the exit code and output (a failure is a value). */
async function exportCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, JIESU_CONFIG: TEST_STREET_YAML, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'main.ts'), 'export', ...args], { cwd: ROOT, env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run export', () => {
  it('writes 台账-2026-11.xlsx under DATA_DIR/reports, prints its path, and exits without starting Redis or a chat', SLOW, async () => {
    const out = await exportCli(['2026-11']);
    const path = join(dataDir, 'reports', '台账-2026-11.xlsx');
    expect(out).toMatchObject({ code: 0, stdout: `${path}\n` });
    expect(out.stderr).toContain('台账 2026年11月：共 2 件');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('案件台账')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(1).value).toBe('X-1');
    expect(sheet.getRow(3).getCell(6).value).toBe('假日风景社区');
    expect(book.getWorksheet('统计')!.getRow(5).values).toEqual([undefined, '受理', 2]);
    // No private Redis was started for it (it would keep its files under DATA_DIR/redis).
    expect(existsSync(join(dataDir, 'redis'))).toBe(false);
  });

  it('--csv writes the CSV; a word that names no period exits 1 with the usage', SLOW, async () => {
    const csv = await exportCli(['2026-11', '--csv']);
    const path = join(dataDir, 'reports', '台账-2026-11.csv');
    expect(csv).toMatchObject({ code: 0, stdout: `${path}\n` });
    const lines = readFileSync(path, 'utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFF工单编号,诉求类型,问题分类,诉求内容,地址,社区,承办人,包案领导,受理时间,响应时间,办结时间,办理时限,是否超时,是否延期,解决情况,满意度,回访备注');
    expect(lines[1]).toMatch(/^X-1,求助,路灯照明,.*,张仪村社区,,,2026-11-02 10:00:00,/);
    expect(lines).toHaveLength(4); // header, two cases, the final CRLF

    const bad = await exportCli(['十一月']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('用法：npm run export -- [本月|上月|2026-11] [--csv]');
  });
});
