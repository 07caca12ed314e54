/**
 * P2 alone, for profiling the claim path (the timed claims only, not the intake before them):
 *   PROFILE_DIR=/tmp/jiesu-prof-claim npx tsx bench/profile-claim.ts
 *   npx tsx bench/profile-intake.ts summarize /tmp/jiesu-prof-claim/<file>.cpuprofile
 * Runs 10 claimers on each of 1,000 cases, 200 in flight (as `npm run bench`), `PROFILE_CLAIM_RUNS` times (default 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { profiled } from './cpu-profile';
import { runClaims } from './p2-claim';

const dir = mkdtempSync(join(tmpdir(), 'jiesu-prof-claim-redis-'));
const redis = await startPrivateRedis({ dir, appendOnly: false });
try {
  for (let i = 0; i < Number(process.env.PROFILE_CLAIM_RUNS ?? 1); i++) {
    const r = await runClaims(redis.url, 1000, 10, 200, `PC${i}`, profiled('p2-claim'));
    console.log(JSON.stringify({ seconds: r.seconds, claimsPerSecond: Math.round(r.claims / r.seconds), cpuUsPerClaim: r.cpuUsPerCall, latencyMs: r.latencyMs, owners: r.casesWithOneOwner, losersTold: `${r.losersToldOwner}/${r.losers}` }));
  }
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
