/**
 * P2 claim: concurrent claims through handleMessage (parse → read → decide → conditional UPDATE on
 * the version → outbox → enqueue). Latency per call; exactly one owner per case, every loser told.
 */
import { nowMs, summary } from './stats';
import { intakeBodies } from './workload';
import { startBenchApp } from './wiring';
import { flushRedis } from './p1-intake';

export interface ClaimResult {
  claims: number;
  cases: number;
  concurrency: number;
  seconds: number;
  latencyMs: ReturnType<typeof summary>;
  owners: number;
  casesWithOneOwner: number;
  losersToldOwner: number;
  losers: number;
}

/**
 * `perCase` claimers on each of `cases` cases (all in one community group); at most `concurrency`
 * claims in flight, drawn in a shuffled order so claims on one case overlap.
 */
export async function runClaims(redisUrl: string, cases: number, perCase: number, concurrency: number, tag: string): Promise<ClaimResult> {
  await flushRedis(redisUrl);
  const b = await startBenchApp(redisUrl, { name: 'claim' });
  try {
    // Every case in 张仪村 (group zhangyi), so every claimer may claim it.
    const bodies = intakeBodies(tag, cases).map((body) => ({ ...body, address: '张仪村4号院', urgency: undefined, category: undefined }));
    for (let i = 0; i < bodies.length; i += 500) await b.app.handleIntakeBatch(bodies.slice(i, i + 500), '12345');
    const jobs: { caseId: number; who: string }[] = [];
    for (let c = 1; c <= cases; c++) for (let k = 0; k < perCase; k++) jobs.push({ caseId: c, who: `社工${c}-${k}` });
    // Deterministic shuffle (LCG) so each case's claims are spread over the run yet overlap in the window.
    let seed = 12345;
    for (let i = jobs.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
    }
    const latencies: number[] = [];
    const results: { caseId: number; who: string; ok: boolean; message: string }[] = [];
    let next = 0;
    const t0 = nowMs();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const s = nowMs();
          const r = await b.app.handleMessage({ platform: 'console', chatId: 'zhangyi', group: 'zhangyi', sender: { id: job.who, name: job.who }, text: `认领 ${job.caseId}` });
          latencies.push(nowMs() - s);
          results.push({ ...job, ok: r?.ok ?? false, message: r?.message ?? '' });
        }
      }),
    );
    const seconds = (nowMs() - t0) / 1000;
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
    return { claims: jobs.length, cases, concurrency, seconds: Math.round(seconds * 1000) / 1000, latencyMs: summary(latencies), owners, casesWithOneOwner, losersToldOwner, losers };
  } finally {
    await b.close();
  }
}
