/**
 * Drives chat commands the way P2 and P7 measure them: a fixed number in flight, each slot taking the
 * next job when its call returns; latency per call (it includes waiting for the others in flight) and
 * the process's CPU time over the whole run.
 */
import type { CommandResult } from '../bot/app';
import { nowMs } from './stats';

export interface InFlightRun<J> {
  seconds: number;
  latencies: number[];
  results: (J & { ok: boolean; message: string })[];
  /** User + system CPU of this process during the run, µs per call. */
  cpuUsPerCall: number;
}

export async function runInFlight<J extends object>(jobs: J[], concurrency: number, call: (job: J) => Promise<CommandResult | null>): Promise<InFlightRun<J>> {
  const latencies: number[] = [];
  const results: (J & { ok: boolean; message: string })[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = nowMs();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const s = nowMs();
        const r = await call(job);
        latencies.push(nowMs() - s);
        results.push({ ...job, ok: r?.ok ?? false, message: r?.message ?? '' });
      }
    }),
  );
  const seconds = (nowMs() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, latencies, results, cpuUsPerCall: Math.round((cpu.user + cpu.system) / Math.max(1, jobs.length)) };
}

/** Deterministic in-place shuffle (LCG), so one case's commands are spread over the run yet overlap in the window. */
export function shuffle<T>(items: T[], seed = 12345): T[] {
  let s = seed;
  for (let i = items.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
