/**
 * P7 alone (报到, 批准, 回访; 5,000 calls each, 200 in flight, as `npm run bench`):
 *   npx tsx bench/profile-practice.ts [报到|批准|回访 …]
 * With PROFILE_DIR set, each workload's timed part (not its setup) is written there as a
 * .cpuprofile, for `npx tsx bench/profile-intake.ts summarize <file>`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { PRACTICE_WORKLOADS, runPractice, type PracticeWorkload } from './p7-practice';

const asked = process.argv.slice(2).filter((w): w is PracticeWorkload => (PRACTICE_WORKLOADS as readonly string[]).includes(w));
const profileDir = process.env.PROFILE_DIR;
const session = profileDir ? new Session() : null;
if (session) {
  mkdirSync(profileDir!, { recursive: true });
  session.connect();
  await session.post('Profiler.enable');
}

/** Profiles only the timed part when PROFILE_DIR is set. */
const profiled = (name: string) => async <T>(timed: () => Promise<T>): Promise<T> => {
  if (!session) return timed();
  await session.post('Profiler.start');
  try {
    return await timed();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = join(profileDir!, `p7-${name}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.error(`profile: ${file}`);
  }
};

const dir = mkdtempSync(join(tmpdir(), 'jiesu-prof-practice-redis-'));
const redis = await startPrivateRedis({ dir, appendOnly: false });
try {
  for (const w of asked.length > 0 ? asked : PRACTICE_WORKLOADS) {
    const r = await runPractice(redis.url, w, Number(process.env.P7_CALLS ?? 5000), 200, `PP${w}`, profiled(w));
    console.log(JSON.stringify({ workload: w, callsPerSecond: r.callsPerSecond, cpuUsPerCall: r.cpuUsPerCall, latencyMs: r.latencyMs, refused: r.refused, firstRefusal: r.firstRefusal, correct: `${r.casesCorrect}/${r.cases}` }));
  }
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
