/**
 * P3 alone: 1,000 reminders due beside `P3_PENDING` (default 100,000) open cases' deadline jobs,
 * `P3_RUNS` times (default 1); then, when `P3_FAR` is set (900000 for the stretch's 1,000,000), as
 * many more raw delayed jobs an hour ahead and the same runs again.
 * `P3_CPU_PROFILE=/tmp/x` writes a CPU profile of each run's due window to /tmp/x.<far>-<run>.cpuprofile
 * (`npx tsx bench/profile-intake.ts summarize <file>` reads it). `P3_REDIS_PORT` puts the private redis-server on a given port (default: a free one).
 *   npx tsx bench/profile-lateness.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { runReal } from './p1-intake';
import { addFarDeadlines, redisUsedMemoryMb, runLateness } from './p3-lateness';
import { round } from './stats';
import { cardsDelivered, streetWithHourWindows } from './wiring';

const dir = mkdtempSync(join(tmpdir(), 'jiesu-prof-late-redis-'));
const port = process.env.P3_REDIS_PORT ? Number(process.env.P3_REDIS_PORT) : undefined;
const redis = await startPrivateRedis({ dir, appendOnly: false, ...(port ? { port } : {}) });
try {
  // The pending cases' own first milestones an hour away (the street's are 5–10 min, which a slow
  // setup reaches): they must not fall due during the runs and queue ahead of the 1,000.
  const config = streetWithHourWindows();
  const { bench } = await runReal(redis.url, Number(process.env.P3_PENDING ?? 100_000), 500, 'PL', { keep: true, config });
  // As in `npm run bench` (P5 before P3): the cards count as delivered, only deadline jobs are pending.
  await cardsDelivered(bench!);
  const far = Number(process.env.P3_FAR ?? 0);
  for (const extra of far > 0 ? [0, far] : [0]) {
    await addFarDeadlines(bench!, extra);
    for (let i = 0; i < Number(process.env.P3_RUNS ?? 1); i++) {
      const r = await runLateness(bench!, 1000, `PLD${extra}-${i}`, process.env.P3_CPU_PROFILE ? { cpuProfile: `${process.env.P3_CPU_PROFILE}.${extra}-${i}.cpuprofile` } : {});
      console.log(JSON.stringify({ ...r, redisUsedMemoryMb: await redisUsedMemoryMb(bench!), loadAvg: loadavg().map((x) => round(x)) }));
    }
  }
  await bench!.close();
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
