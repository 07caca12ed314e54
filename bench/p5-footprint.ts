/**
 * P5 footprint with 100,000 open cases (the state P1's batched 100,000 run leaves): process RSS,
 * Redis used_memory per pending deadline job, and the reconciler's time to check and rebuild every
 * deadline after a FLUSHALL.
 */
import { reconcile } from '../bot/reconciler';
import { nowMs, round } from './stats';
import { silentLogger, type BenchApp } from './wiring';

export interface FootprintResult {
  openCases: number;
  pendingDeadlines: number;
  rssMb: number;
  heapUsedMb: number;
  /** V8 heap reserved, and memory outside it (Buffers, native addons' allocations V8 is told of). */
  heapTotalMb: number;
  externalMb: number;
  redisUsedMemoryMb: number;
  redisBaselineMb: number;
  redisBytesPerDeadline: number;
  reconcileSeconds: number;
  reconcileChecked: number;
  reconcileRestored: number;
  sqliteMb: number;
}

async function usedMemory(b: BenchApp): Promise<number> {
  const info = await b.redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

export async function runFootprint(b: BenchApp): Promise<FootprintResult> {
  // The cards are not what this measures: mark them delivered and drop their jobs, so Redis holds
  // deadline jobs only (the steady state once the worker has posted the cards).
  b.sqlite.prepare("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'").run(Date.now());
  await b.dispatcher.outbound.obliterate({ force: true });
  const openCases = (b.sqlite.prepare("SELECT count(*) AS n FROM cases WHERE status IN ('new','claimed','contacted','reopened') AND next_due_at IS NOT NULL").get() as { n: number }).n;
  const pendingDeadlines = (await b.dispatcher.deadlines.getJobCounts('delayed', 'wait')) as { delayed: number; wait: number };
  const withJobs = await usedMemory(b);
  const mem = process.memoryUsage();
  const sqliteMb = (b.sqlite.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').get() as { bytes: number }).bytes / 2 ** 20;

  await b.redis.flushall();
  const baseline = await usedMemory(b);
  const t0 = nowMs();
  const report = await reconcile({ store: b.store, dispatcher: b.dispatcher, redis: b.redis, logger: silentLogger });
  const reconcileSeconds = (nowMs() - t0) / 1000;
  const pending = pendingDeadlines.delayed + pendingDeadlines.wait;
  return {
    openCases,
    pendingDeadlines: pending,
    rssMb: round(mem.rss / 2 ** 20, 1),
    heapUsedMb: round(mem.heapUsed / 2 ** 20, 1),
    heapTotalMb: round(mem.heapTotal / 2 ** 20, 1),
    externalMb: round(mem.external / 2 ** 20, 1),
    redisUsedMemoryMb: round(withJobs / 2 ** 20, 1),
    redisBaselineMb: round(baseline / 2 ** 20, 1),
    redisBytesPerDeadline: Math.round((withJobs - baseline) / Math.max(1, pending)),
    reconcileSeconds: round(reconcileSeconds, 2),
    reconcileChecked: report.openCasesChecked,
    reconcileRestored: report.deadlinesRestored,
    sqliteMb: round(sqliteMb, 1),
  };
}
