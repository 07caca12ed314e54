/**
 * P5 footprint with 100,000 open cases (the state P1's batched 100,000 run leaves): Redis used_memory
 * per pending deadline job; then FLUSHALL and a fresh bot process on the same database
 * (bench/p5-steady.ts) that reconciles — its time to rebuild every deadline, and its RSS once idle,
 * the steady state a street office runs. Beside it, the bench process's own RSS right after the
 * 100,000-case import and its peak: a bulk import's figure, not the steady state's.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { round } from './stats';
import type { SteadyResult } from './p5-steady';
import { cardsDelivered, ROOT, type BenchApp } from './wiring';

export interface FootprintResult {
  openCases: number;
  pendingDeadlines: number;
  /** The bot process holding the open cases, idle after its reconcile pass (see {@link SteadyResult}). */
  rssMb: number;
  steady: SteadyResult;
  /** The bench process right after the 100,000-case import: RSS, V8 heap used / reserved, memory outside it. */
  import: { rssMb: number; peakRssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number };
  redisUsedMemoryMb: number;
  redisBaselineMb: number;
  redisBytesPerDeadline: number;
  reconcileSeconds: number;
  reconcileCpuSeconds: number;
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
  await cardsDelivered(b);
  const openCases = (b.sqlite.prepare("SELECT count(*) AS n FROM cases WHERE status IN ('new','claimed','contacted','reopened') AND next_due_at IS NOT NULL").get() as { n: number }).n;
  const pendingDeadlines = (await b.dispatcher.deadlines.getJobCounts('delayed', 'wait')) as { delayed: number; wait: number };
  const withJobs = await usedMemory(b);
  const mem = process.memoryUsage();
  const sqliteMb = (b.sqlite.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').get() as { bytes: number }).bytes / 2 ** 20;

  await b.redis.flushall();
  const baseline = await usedMemory(b);
  const steady = await runSteady(b);
  const pending = pendingDeadlines.delayed + pendingDeadlines.wait;
  return {
    openCases,
    pendingDeadlines: pending,
    rssMb: steady.idleRssMb,
    steady,
    import: {
      rssMb: round(mem.rss / 2 ** 20, 1),
      // The bench process's highest RSS so far: the 100,000-case import or a run before it.
      peakRssMb: round((process.resourceUsage().maxRSS * 1024) / 2 ** 20, 1),
      heapUsedMb: round(mem.heapUsed / 2 ** 20, 1),
      heapTotalMb: round(mem.heapTotal / 2 ** 20, 1),
      externalMb: round(mem.external / 2 ** 20, 1),
    },
    redisUsedMemoryMb: round(withJobs / 2 ** 20, 1),
    redisBaselineMb: round(baseline / 2 ** 20, 1),
    redisBytesPerDeadline: Math.round((withJobs - baseline) / Math.max(1, pending)),
    reconcileSeconds: steady.reconcileSeconds,
    reconcileCpuSeconds: steady.reconcileCpuSeconds,
    reconcileChecked: steady.checked,
    reconcileRestored: steady.restored,
    sqliteMb: round(sqliteMb, 1),
  };
}

/** bench/p5-steady.ts as a child process on the bench's database (WAL: both may hold it open) and Redis. */
async function runSteady(b: BenchApp): Promise<SteadyResult> {
  const redisUrl = `redis://${b.redis.options.host}:${b.redis.options.port}`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'p5-steady.ts'), b.dataDir, redisUrl, b.prefix], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as SteadyResult;
}
