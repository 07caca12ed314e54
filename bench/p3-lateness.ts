/**
 * P3 reminder lateness: with the pending deadlines already in Redis (100,000 open cases from P1),
 * 1,000 more cases whose first milestone (the unclaimed reminder) falls due a few seconds from now,
 * spread over ~2 s. Lateness = when the worker's handleDue starts − the job's dueAt.
 */
import { createApp } from '../bot/app';
import { nowMs, summary } from './stats';
import { intakeBodies } from './workload';
import { loadStreet, silentLogger, type BenchApp } from './wiring';

export interface LatenessResult {
  pending: number;
  due: number;
  fired: number;
  latenessMs: ReturnType<typeof summary>;
  waitedSeconds: number;
}

/** Unclaimed window of the 1,000 due cases. */
const SOON = '3s';

export async function runLateness(b: BenchApp, due: number, tag: string): Promise<LatenessResult> {
  const pending = (await b.dispatcher.deadlines.getJobCounts('delayed')).delayed ?? 0;
  // Same store and queues, a street whose unclaimed window is 3 s: these cases fall due soon.
  const soonConfig = loadStreet({ unclaimed: { urgent: SOON, utility: SOON, ordinary: SOON, complex: SOON, consult: SOON } });
  const soon = createApp({ store: b.store, config: soonConfig, dispatcher: b.dispatcher, logger: silentLogger, clock: Date.now });
  const watched = new Set<number>();
  const lateness: number[] = [];
  let resolveAll!: () => void;
  const allFired = new Promise<void>((r) => (resolveAll = r));
  const workers = b.startWorkers((inner) => async (job) => {
    if (watched.has(job.caseId) && job.kind === 'unclaimed-remind') {
      lateness.push(Date.now() - job.dueAt);
      watched.delete(job.caseId);
      if (watched.size === 0 && lateness.length === due) resolveAll();
    }
    return inner(job);
  });
  const bodies = intakeBodies(tag, due).map((x) => ({ ...x, urgency: undefined }));
  const t0 = nowMs();
  // Ten batches 200 ms apart: due times spread over two seconds.
  for (let i = 0; i < due; i += due / 10) {
    const outcomes = await soon.handleIntakeBatch(bodies.slice(i, i + due / 10), '12345');
    for (const o of outcomes) if (o.case) watched.add(o.case.id);
    await new Promise((r) => setTimeout(r, 200));
  }
  const timeout = new Promise<void>((r) => setTimeout(r, 60_000));
  await Promise.race([allFired, timeout]);
  const waitedSeconds = (nowMs() - t0) / 1000;
  await workers.close();
  return { pending, due, fired: lateness.length, latenessMs: summary(lateness), waitedSeconds: Math.round(waitedSeconds * 10) / 10 };
}
