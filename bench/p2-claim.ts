/**
 * P2 claim: concurrent claims through handleMessage (parse → read → decide → conditional UPDATE on
 * the version → outbox → enqueue). Latency per call; exactly one owner per case, every loser told.
 */
import type { Around } from './cpu-profile';
import { runInFlight, shuffle } from './in-flight';
import { summary } from './stats';
import { intakeBodies } from './workload';
import { startBenchApp } from './wiring';
import { flushRedis } from './p1-intake';

export interface ClaimResult {
  claims: number;
  cases: number;
  concurrency: number;
  seconds: number;
  latencyMs: ReturnType<typeof summary>;
  /** CPU time of the process during the claims, µs per claim. */
  cpuUsPerCall: number;
  owners: number;
  casesWithOneOwner: number;
  losersToldOwner: number;
  losers: number;
}

/**
 * `perCase` claimers on each of `cases` cases (all in one community group); at most `concurrency`
 * claims in flight, drawn in a shuffled order so claims on one case overlap. `around` wraps only the
 * timed claims (a profiler, say).
 */
export async function runClaims(redisUrl: string, cases: number, perCase: number, concurrency: number, tag: string, around: Around = (timed) => timed()): Promise<ClaimResult> {
  await flushRedis(redisUrl);
  const b = await startBenchApp(redisUrl, { name: 'claim' });
  try {
    // Every case in 张仪村 (group zhangyi), so every claimer may claim it.
    const bodies = intakeBodies(tag, cases).map((body) => ({ ...body, address: '张仪村4号院', urgency: undefined, category: undefined }));
    for (let i = 0; i < bodies.length; i += 500) await b.app.handleIntakeBatch(bodies.slice(i, i + 500), '12345');
    const jobs: { caseId: number; who: string }[] = [];
    for (let c = 1; c <= cases; c++) for (let k = 0; k < perCase; k++) jobs.push({ caseId: c, who: `社工${c}-${k}` });
    const run = await around(() =>
      runInFlight(shuffle(jobs), concurrency, (job) =>
        b.app.handleMessage({ platform: 'console', chatId: 'zhangyi', group: 'zhangyi', sender: { id: job.who, name: job.who }, text: `认领 ${job.caseId}` }),
      ),
    );
    const { results, seconds } = run;
    let owners = 0;
    let casesWithOneOwner = 0;
    let losersToldOwner = 0;
    let losers = 0;
    const byCase = new Map<number, typeof results>();
    for (const r of results) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
    for (let c = 1; c <= cases; c++) {
      const stored = b.store.findCase(c)!;
      const claimedEvents = b.store.listEvents(c).filter((e) => e.kind === 'claimed');
      const winners = (byCase.get(c) ?? []).filter((r) => r.ok);
      owners += winners.length;
      if (winners.length === 1 && claimedEvents.length === 1 && stored.ownerName === winners[0]!.who) casesWithOneOwner++;
      for (const r of (byCase.get(c) ?? []).filter((x) => !x.ok)) {
        losers++;
        if (r.message.includes(`已由 ${stored.ownerName} 认领`)) losersToldOwner++;
      }
    }
    return { claims: jobs.length, cases, concurrency, seconds: Math.round(seconds * 1000) / 1000, latencyMs: summary(run.latencies), cpuUsPerCall: run.cpuUsPerCall, owners, casesWithOneOwner, losersToldOwner, losers };
  } finally {
    await b.close();
  }
}
