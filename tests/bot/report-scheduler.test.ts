/**
 * The scheduled reports with an injected clock: one report per period and group whatever happens —
 * a restart, two processes ticking at once, a bot that was down at 08:30 (sent late, once, saying so).
 * Two "processes" are two connections to the same SQLite file, each with its app and scheduler.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../bot/app';
import { SqlReportService } from '../../bot/report-service';
import { startReportScheduler, type ReportScheduler } from '../../bot/report-scheduler';
import type { WorkDispatcher } from '../../core/ports';
import type { ChartRenderer } from '../../core/reports/report-ports';
import type { ReportsConfig } from '../../core/reports/reports-config';
import type { StreetConfig } from '../../core/street-config';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { SqliteReportQueries } from '../../storage/sqlite-report-queries';
import { loadTestStreet, silentLogger } from '../helpers/harness';
import { bj } from '../helpers/report-ledger';

/** Queues are not under test: outbox rows stay in the database, where the test reads them. */
const noQueues: WorkDispatcher = { deliver: async () => {}, schedule: async () => {}, cancel: async () => {} };
/** Yields to the event loop like a real render, so two ticks interleave. */
const chart: ChartRenderer = { render: () => new Promise((resolve) => setImmediate(() => resolve(new Uint8Array([0x89, 0x50, 0x4e, 0x47])))) };

let dir: string;
let opened: ReturnType<typeof openDatabase>[];
let schedulers: ReportScheduler[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiesu-report-schedule-'));
  opened = [];
  schedulers = [];
});
afterEach(() => {
  for (const s of schedulers) s.stop();
  for (const d of opened) d.close();
  rmSync(dir, { recursive: true, force: true });
});

function street(reports: Partial<ReportsConfig>): StreetConfig {
  const base = loadTestStreet();
  return { ...base, reports: { ...base.reports, ...reports } };
}

const DAILY_ONLY: Partial<ReportsConfig> = { weekly: null, monthly: null };

/** One bot process: its own connection to the shared file, app, report service and scheduler (ticking only when told). */
function process(config: StreetConfig, clock: { now: number }) {
  const database = openDatabase(join(dir, 'jiesu.sqlite'));
  opened.push(database);
  const store = new SqliteCaseStore(database.db);
  const queries = new SqliteReportQueries(database.sqlite);
  const reports = new SqlReportService({ queries, chart, dir: join(dir, 'reports'), config });
  const app = createApp({ store, config, dispatcher: noQueues, logger: silentLogger, clock: () => clock.now, services: { reports } });
  const scheduler = startReportScheduler({ reports, sent: queries, config, postOnce: app.postOnce, clock: () => clock.now, logger: silentLogger }, { everyMs: 0 });
  schedulers.push(scheduler);
  return { scheduler, database };
}

/** The reports in the outbox: group and first line. */
function outboxReports(): { group: string; title: string; text: string }[] {
  const d = openDatabase(join(dir, 'jiesu.sqlite'));
  try {
    const rows = d.sqlite.prepare("SELECT group_key AS \"group\", text FROM outbox WHERE text LIKE '📊%' ORDER BY id").all() as { group: string; text: string }[];
    return rows.map((r) => ({ group: r.group, title: r.text.split('\n')[0]!, text: r.text }));
  } finally {
    d.close();
  }
}

const charts = () => readdirSync(join(dir, 'reports')).filter((f) => f.endsWith('.png'));

describe('scheduled reports', () => {
  it('a restart sends nothing twice, and the next day’s report on time', async () => {
    const config = street(DAILY_ONLY);
    const clock = { now: bj('2026-12-01T08:30:00') };
    const first = process(config, clock);
    expect(await first.scheduler.tick()).toEqual(['report:day:consult:2026-11-30']);
    clock.now = bj('2026-12-02T08:29:00');
    expect(await first.scheduler.tick()).toEqual([]);
    clock.now = bj('2026-12-02T08:30:00');
    expect(await first.scheduler.tick()).toEqual(['report:day:consult:2026-12-01']);
    // The process exits; another starts a minute later on the same database.
    first.scheduler.stop();
    const second = process(config, clock);
    clock.now = bj('2026-12-02T08:31:00');
    expect(await second.scheduler.tick()).toEqual([]);
    clock.now = bj('2026-12-03T08:30:00');
    expect(await second.scheduler.tick()).toEqual(['report:day:consult:2026-12-02']);
    expect(await second.scheduler.tick()).toEqual([]);
    expect(outboxReports().map((r) => [r.group, r.title])).toEqual([
      ['consult', '📊 卢沟桥街道 日报｜11月30日（周一）'],
      ['consult', '📊 卢沟桥街道 日报｜12月1日（周二）'],
      ['consult', '📊 卢沟桥街道 日报｜12月2日（周三）'],
    ]);
    expect(outboxReports().some((r) => r.text.includes('补发'))).toBe(false);
  });

  it('two processes ticking at the same moment send one report', async () => {
    const config = street(DAILY_ONLY);
    const clock = { now: bj('2026-12-02T08:30:00') };
    const a = process(config, clock);
    const b = process(config, clock);
    const [sentA, sentB] = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect([...sentA, ...sentB]).toEqual(['report:day:consult:2026-12-01']);
    expect(outboxReports()).toHaveLength(1);
    // The loser's chart was removed with its message.
    expect(charts()).toHaveLength(1);
  });

  it('a bot down at 08:30 sends the missed report late, once, saying so', async () => {
    const config = street(DAILY_ONLY);
    const clock = { now: bj('2026-12-02T08:30:00') };
    const before = process(config, clock);
    await before.scheduler.tick();
    before.scheduler.stop();
    // Down from 12-02 09:00 until 12-03 11:00.
    clock.now = bj('2026-12-03T11:00:00');
    const after = process(config, clock);
    expect(await after.scheduler.tick()).toEqual(['report:day:consult:2026-12-02']);
    clock.now = bj('2026-12-03T11:01:00');
    expect(await after.scheduler.tick()).toEqual([]);
    const reports = outboxReports();
    expect(reports).toHaveLength(2);
    expect(reports[1]!.text.split('\n').slice(0, 2)).toEqual(['📊 卢沟桥街道 日报｜12月2日（周三）', '（补发：本报告应于 12-03 08:30 发送）']);
  });

  it('a first start at 15:00 posts nothing old; the next 08:30 is sent on time', async () => {
    const config = street({});
    const clock = { now: bj('2026-12-02T15:00:00') };
    const p = process(config, clock);
    expect(await p.scheduler.tick()).toEqual([]);
    expect(outboxReports()).toEqual([]);
    clock.now = bj('2026-12-03T08:30:00');
    expect(await p.scheduler.tick()).toEqual(['report:day:consult:2026-12-02']);
  });

  it('a longer outage: each missed day once, oldest first; the 周报 and 月报 of their own schedule', async () => {
    const config = street({});
    const clock = { now: bj('2026-11-29T08:30:00') };
    const p = process(config, clock);
    // First start ever at 08:30: the 日报 on time; the 周报 and 月报 due earlier only mark where their schedule starts.
    expect(await p.scheduler.tick()).toEqual(['report:day:consult:2026-11-28']);
    expect(outboxReports()).toHaveLength(1);
    clock.now = bj('2026-12-02T10:00:00');
    expect(await p.scheduler.tick()).toEqual([
      'report:day:consult:2026-11-29', 'report:day:consult:2026-11-30', 'report:day:consult:2026-12-01',
      'report:week:consult:2026-W48', 'report:month:consult:2026-11',
    ]);
    expect(outboxReports().map((r) => r.title).slice(-2)).toEqual(['📊 卢沟桥街道 周报｜第48周（11月23日—11月29日）', '📊 卢沟桥街道 月报｜2026年11月']);
  });

  it('slices go to each community and the street group, once each', async () => {
    const config = street({ ...DAILY_ONLY, slices: { communities: true, street: true } });
    const clock = { now: bj('2026-12-02T08:30:00') };
    const a = process(config, clock);
    const b = process(config, clock);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const reports = outboxReports();
    expect(reports.map((r) => r.group).sort()).toEqual(['consult', 'jiari', 'street', 'xifeng', 'yueyuan', 'zhangyi']);
    expect(reports.find((r) => r.group === 'zhangyi')!.title).toBe('📊 张仪村社区 日报｜12月1日（周二）');
  });
});
