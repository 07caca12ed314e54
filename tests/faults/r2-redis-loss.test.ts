/**
 * R2: Redis loses everything while cases are open — a FLUSHALL, and separately a restart of a Redis
 * without persistence. The reconciler rebuilds every open case's deadline job and every undelivered
 * message's job; afterwards every open case's milestones fire again, the held messages go out in
 * order and once, and nothing fires for a closed (resolved) case. The workers run through the fault,
 * as in the bot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pingRedis, startPrivateRedis, type PrivateRedis } from '../../adapters/redis/private-redis-server';
import { say } from '../helpers/harness';
import { jobsPresent, openCasesWithJobs, startFaultApp, type FaultApp } from './fault-wiring';

let redis: PrivateRedis | null = null;
let fa: FaultApp | null = null;
const dirs: string[] = [];

afterEach(async () => {
  await fa?.close();
  await redis?.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  fa = null;
  redis = null;
});

async function privateRedis(port?: number): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'jiesu-r2-redis-'));
  dirs.push(dir);
  return startPrivateRedis({ dir, appendOnly: false, port });
}

const CASES = 70;
const CLOSED = 20;

async function scenario(name: string, fault: (f: FaultApp) => Promise<void>): Promise<string> {
  redis = await privateRedis();
  // The test street: 1 s unclaimed window, 4 s / 8 s deadlines, overdue repeated every 3 s.
  fa = await startFaultApp(redis.url, { name });
  const f = fa;
  const h = { app: f.app } as Parameters<typeof say>[0];
  const places = ['张仪村3号院', '假日风景小区', '阅园四区', '西丰路45号院'];
  const groupOf = ['zhangyi', 'jiari', 'yueyuan', 'xifeng'];
  await f.app.handleIntakeBatch(Array.from({ length: 60 }, (_, i) => ({ hotlineNo: `${name}-${i + 1}`, content: `路灯不亮 ${i + 1}`, address: places[i % 4] })), '12345');
  // 1–20 resolved and followed up (closed), 21–40 claimed, 41–60 new.
  for (let id = 1; id <= 40; id++) {
    const group = groupOf[(id - 1) % 4]!;
    expect((await say(h, group, `社工${id}`, `认领 ${id}`))?.ok).toBe(true);
    if (id <= CLOSED) expect((await say(h, group, `社工${id}`, `已联系 ${id}`))?.ok).toBe(true);
    if (id <= CLOSED) expect((await say(h, group, `社工${id}`, `办结 ${id} 已修好`))?.ok).toBe(true);
    // Followed up and satisfied: closed, so no milestone of any kind is left for it.
    if (id <= CLOSED) expect((await say(h, 'consult', '李调度', `回访 ${id} 满意 已解决`))?.ok).toBe(true);
  }
  // The chat goes down: these messages stay undelivered in the outbox.
  f.chat.fail = true;
  for (let id = 21; id <= 30; id++) await say(h, groupOf[(id - 1) % 4]!, `社工${id}`, `进展 ${id} 已到现场`);
  await f.app.handleIntakeBatch(Array.from({ length: CASES - 60 }, (_, i) => ({ hotlineNo: `${name}-${61 + i}`, content: '路灯不亮', address: places[i % 4] })), '12345');

  // The fault, while the workers run (they keep running: the bot does not stop for it).
  const maxOutboxAtFault = (f.db.prepare('SELECT max(id) AS m FROM outbox').get() as { m: number }).m;
  const pending = f.db.prepare("SELECT id, channel FROM outbox WHERE status = 'pending' ORDER BY id").all() as { id: number; channel: string }[];
  expect(pending.length).toBeGreaterThan(10);
  await fault(f);
  const faultAt = Date.now();
  const eventsSince = () =>
    new Set((f.db.prepare("SELECT DISTINCT case_id AS id FROM case_events WHERE kind IN ('reminder','overdue','escalated') AND at >= ?").all(faultAt) as { id: number }[]).map((r) => r.id));

  // The reconciler (the bot runs it at start and every RECONCILE_EVERY) rebuilds from the database.
  const report = await f.reconcile();
  const open = openCasesWithJobs(f.db);
  expect(open).toHaveLength(CASES - CLOSED);
  expect(report.openCasesChecked).toBe(CASES - CLOSED);
  // Each open case's job is back — or has already fired (a missed deadline fires at once).
  const present = await jobsPresent(f.redis, f.prefix, 'deadlines', open.map((o) => o.jobId));
  const fired = eventsSince();
  expect(open.filter((o) => !present.has(o.jobId) && !fired.has(o.id)).map((o) => o.id)).toEqual([]);
  expect(report.outboxRequeued).toBeGreaterThan(0);

  // The chat recovers.
  f.chat.fail = false;
  // Every open case's milestones fire again (overdue repeats every 3 s in the test street).
  await expect.poll(() => open.every((o) => eventsSince().has(o.id)), { timeout: 30_000, interval: 250 }).toBe(true);
  // Every message held at the fault goes out.
  await expect.poll(() => (f.db.prepare("SELECT count(*) AS n FROM outbox WHERE id <= ? AND status <> 'sent'").get(maxOutboxAtFault) as { n: number }).n, { timeout: 30_000, interval: 250 }).toBe(0);
  await f.stopWorkers();
  // The queue state is whole again: a second pass finds nothing to rebuild.
  const again = await f.reconcile();
  expect(again).toMatchObject({ openCasesChecked: CASES - CLOSED, deadlinesRestored: 0, outboxRequeued: 0 });
  const closedJobs = (await f.redis.keys(`${f.prefix}:deadlines:deadline-*`)).filter((k) => Number(/deadline-(\d+)-/.exec(k)![1]) <= CLOSED);
  expect(closedJobs).toEqual([]);

  const firedForClosed = [...eventsSince()].filter((id) => id <= CLOSED);
  expect(firedForClosed).toEqual([]);
  const alarmsForClosed = f.chat.sent.filter((m) => m.outboxId > maxOutboxAtFault && m.caseId !== null && m.caseId <= CLOSED && m.kind === 'alarm');
  expect(alarmsForClosed).toEqual([]);
  // Chat rows must have reached the chat; public rows (results for the public side) are checked by status above.
  // Alarms of one moment travel as one message (issue 11): each row counts once, in the message that carried it.
  const ids = f.chat.sent.flatMap((m) => [m.outboxId, ...(m.mergedOutboxIds ?? [])]);
  const lost = pending.filter((p) => p.channel === 'chat' && !ids.includes(p.id)).length;
  const duplicated = ids.length - new Set(ids).size;
  expect(lost).toBe(0);
  expect(duplicated).toBe(0);
  for (const g of ['consult', ...groupOf]) {
    const inGroup = f.chat.inGroup(g).flatMap((m) => [m.outboxId, ...(m.mergedOutboxIds ?? [])]);
    expect(inGroup).toEqual([...inGroup].sort((x, y) => x - y));
  }
  return `cases checked ${CASES} (${open.length} open, ${CLOSED} closed): deadline jobs rebuilt ${report.deadlinesRestored} of ${open.length} open, all ${open.length} fired again, held messages ${pending.length} requeued ${report.outboxRequeued}, lost ${lost}, duplicated ${duplicated}, fired for closed cases ${firedForClosed.length}`;
}

describe('R2: Redis loses its data while cases are open', () => {
  it('FLUSHALL: the reconciler rebuilds every deadline and undelivered message; nothing fires for a closed case', async () => {
    const figure = await scenario('flush', async (f) => {
      await f.redis.flushall();
      expect(await f.redis.dbsize()).toBe(0);
    });
    console.log(`R2 FLUSHALL: ${figure}`);
  }, 90_000);

  it('a restart of a Redis without persistence: the same', async () => {
    const figure = await scenario('restart', async (f) => {
      const port = redis!.port;
      await redis!.stop();
      redis = await privateRedis(port);
      await expect.poll(() => pingRedis(redis!.url, 500), { timeout: 10_000 }).toBe(true);
      await expect.poll(async () => (await f.redis.ping().catch(() => 'down')) === 'PONG', { timeout: 20_000 }).toBe(true);
      expect(await f.redis.dbsize()).toBe(0);
    });
    console.log(`R2 Redis restart: ${figure}`);
  }, 90_000);
});
