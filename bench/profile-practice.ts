/**
 * P7 alone (报到, 批准, 回访; 5,000 calls each, 200 in flight, as `npm run bench`):
 *   npx tsx bench/profile-practice.ts [报到|批准|回访 …]
 * With PROFILE_DIR set, each workload's timed part (not its setup) is profiled there (bench/cpu-profile.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { profiled } from './cpu-profile';
import { PRACTICE_WORKLOADS, runPractice, type PracticeWorkload } from './p7-practice';

const asked = process.argv.slice(2).filter((w): w is PracticeWorkload => (PRACTICE_WORKLOADS as readonly string[]).includes(w));

const dir = mkdtempSync(join(tmpdir(), 'jiesu-prof-practice-redis-'));
const redis = await startPrivateRedis({ dir, appendOnly: false });
try {
  for (const w of asked.length > 0 ? asked : PRACTICE_WORKLOADS) {
    const r = await runPractice(redis.url, w, Number(process.env.P7_CALLS ?? 5000), 200, `PP${w}`, profiled(`p7-${w}`));
    console.log(JSON.stringify({ workload: w, callsPerSecond: r.callsPerSecond, cpuUsPerCall: r.cpuUsPerCall, latencyMs: r.latencyMs, refused: r.refused, firstRefusal: r.firstRefusal, correct: `${r.casesCorrect}/${r.cases}` }));
  }
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
