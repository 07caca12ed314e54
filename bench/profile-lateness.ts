/**
 * P3 alone: 1,000 reminders due beside `P3_PENDING` (default 100,000) open cases' deadline jobs.
 *   npx tsx bench/profile-lateness.ts            (add node --cpu-prof --import tsx to profile)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { runReal } from './p1-intake';
import { runLateness } from './p3-lateness';

const dir = mkdtempSync(join(tmpdir(), 'jiesu-prof-late-redis-'));
const redis = await startPrivateRedis({ dir, appendOnly: false });
try {
  const { bench } = await runReal(redis.url, Number(process.env.P3_PENDING ?? 100_000), 500, 'PL', { keep: true });
  // As in `npm run bench` (P5 before P3): the cards count as delivered, only deadline jobs are pending.
  bench!.sqlite.prepare("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'").run(Date.now());
  await bench!.dispatcher.outbound.obliterate({ force: true });
  for (let i = 0; i < Number(process.env.P3_RUNS ?? 1); i++) console.log(JSON.stringify(await runLateness(bench!, 1000, `PLD${i}`)));
  await bench!.close();
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
