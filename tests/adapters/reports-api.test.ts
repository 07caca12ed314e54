/** GET /api/reports/:period on the intake server, over the fixed ledger (figures worked out in tests/storage/report-figures.test.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { reportsApiRoute } from '../../adapters/intake/reports-api';
import { createApp } from '../../bot/app';
import { SqlReportService } from '../../bot/report-service';
import type { WorkDispatcher } from '../../core/ports';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { SqliteReportQueries } from '../../storage/sqlite-report-queries';
import { loadTestStreet, silentLogger } from '../helpers/harness';
import { NOW, writeLedger } from '../helpers/report-ledger';

const TOKEN = 'report-token-0123456789abcdef0123456789';
const noQueues: WorkDispatcher = { deliver: async () => {}, schedule: async () => {}, cancel: async () => {} };
let dir: string;
let db: ReturnType<typeof openDatabase>;
let server: ReturnType<typeof createIntakeServer>;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jiesu-reports-api-'));
  db = openDatabase(join(dir, 'x.sqlite'));
  const store = new SqliteCaseStore(db.db);
  writeLedger(store);
  const config = loadTestStreet();
  const reports = new SqlReportService({ queries: new SqliteReportQueries(db.sqlite), chart: { render: async () => new Uint8Array() }, dir, config });
  const app = createApp({ store, config, dispatcher: noQueues, logger: silentLogger, clock: () => NOW });
  server = createIntakeServer({
    app, token: TOKEN, redisHealthy: async () => true, logger: silentLogger,
    extraRoutes: [reportsApiRoute({ reports, token: TOKEN, groups: Object.keys(config.groupNames), timeZone: config.timeZone, clock: () => NOW })],
  });
  const addr = await server.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string, token: string | null = TOKEN) => {
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /api/reports/:period', () => {
  it('the month with every field of the contract', async () => {
    const { status, body } = await get('/api/reports/2026-11');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      period: '2026-11', from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00',
      received: 9, claimed: 7, contactedOnTime: 5, resolved: 5, resolvedOnTime: 4, overdue: 3, returned: 1, extended: 1, whistled: 1, leaderOwned: 1, reopened: 1,
      followedUp: 4, satisfied: 3, basicallySatisfied: 1, unsatisfied: 0, solved: 3, responseRate: 0.75, solveRate: 0.75, satisfactionRate: 0.975,
      topCategories: [{ category: '路灯照明', count: 5 }, { category: '垃圾清运', count: 2 }, { category: '占道经营', count: 1 }, { category: '群租房', count: 1 }],
      hotspots: [{ placeKey: '张仪村|4号院', category: '路灯照明', count: 3 }],
      day: 5, night: 4,
    });
    expect(body.score as number).toBeCloseTo(0.84, 12);
    const byGroup = body.byGroup as { group: string; received: number; resolved: number; overdue: number; score: number | null }[];
    expect(byGroup.map((g) => [g.group, g.received, g.resolved, g.overdue])).toEqual([
      ['zhangyi', 3, 2, 0], ['jiari', 2, 2, 1], ['yueyuan', 2, 1, 1], ['xifeng', 0, 0, 0], ['城管科', 1, 0, 1], ['平安办', 1, 0, 0],
    ]);
    expect(byGroup.find((g) => g.group === '城管科')!.score).toBeNull();
  });

  it('a week, a day, one group’s slice', async () => {
    expect((await get('/api/reports/2026-W48')).body).toMatchObject({ period: '2026-W48', from: '2026-11-23T00:00:00+08:00', to: '2026-11-30T00:00:00+08:00', received: 2 });
    expect((await get('/api/reports/2026-w48')).body).toMatchObject({ period: '2026-W48' });
    expect((await get('/api/reports/2026-11-25')).body).toMatchObject({ period: '2026-11-25', received: 2, day: 1, night: 1 });
    const slice = await get('/api/reports/2026-11?group=zhangyi');
    expect(slice.body).toMatchObject({ group: 'zhangyi', received: 3, resolved: 2, followedUp: 1, score: 1 });
  });

  it('null rates when nothing was followed up', async () => {
    expect((await get('/api/reports/2026-10')).body).toMatchObject({ received: 1, followedUp: 0, responseRate: null, solveRate: null, satisfactionRate: null, score: null });
  });

  it('400 on a bad period or group, 401 without the token', async () => {
    for (const bad of ['2026-13', '2026-02-30', '2025-W53', 'november', '2026-1']) {
      expect(await get(`/api/reports/${bad}`)).toEqual({ status: 400, body: { error: '时间段应为 2026-11-28、2026-W48 或 2026-11', field: 'period' } });
    }
    expect(await get('/api/reports/2026-11?group=nowhere')).toMatchObject({ status: 400, body: { field: 'group' } });
    expect((await get('/api/reports/2026-11', null)).status).toBe(401);
    expect((await get('/api/reports/2026-11', 'wrong')).status).toBe(401);
  });
});
