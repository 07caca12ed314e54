/**
 * P3 reminder lateness: with the pending deadlines already in Redis (100,000 open cases from P1),
 * 1,000 more cases whose first milestone (the unclaimed reminder) falls due a few seconds from now,
 * spread over ~2 s. Lateness = when the worker's handleDue starts − the job's dueAt.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createApp } from '../bot/app';
import { deadlineJobId } from '../bot/bullmq-work-dispatcher';
import { nowMs, round, summary } from './stats';
import { intakeBodies } from './workload';
import { loadStreet, silentLogger, type BenchApp } from './wiring';

/**
 * Where one lateness goes (ms, each a summary over the due jobs): `wake` = the job's `processedOn`
 * (when the worker asked Redis for it, which also promotes due delayed jobs) − `dueAt`; `fetch` = the
 * worker's `active` event (the answer read) − `processedOn`; `queued` = handleDue's start − `active`;
 * `handler` = handleDue's own time. `firstWake` is `wake` of each burst's first job (jobs falling due
 * in the same millisecond): how late the worker woke, before any queueing behind the burst.
 */
export interface LatenessBreakdown {
  wake: ReturnType<typeof summary>;
  fetch: ReturnType<typeof summary>;
  queued: ReturnType<typeof summary>;
  handler: ReturnType<typeof summary>;
  firstWake: ReturnType<typeof summary>;
  bursts: number;
  /** Event-loop delay while the reminders fell due (ms). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** GC pauses while they fell due: count and total ms. */
  gcCount: number;
  gcMs: number;
  /** This process's CPU (user + system) per reminder handled, ms. */
  cpuMsPerDue: number;
}

export interface LatenessResult {
  pending: number;
  /** Other deadline jobs handled while the 1,000 fell due (milestones of the pending cases come due): ahead of them in the queue. */
  otherDue: number;
  due: number;
  fired: number;
  latenessMs: ReturnType<typeof summary>;
  waitedSeconds: number;
  breakdown: LatenessBreakdown;
}

/** Unclaimed window of the 1,000 due cases. */
const SOON = '3s';

interface Trace {
  dueAt: number;
  processedOn?: number;
  activeAt?: number;
  start?: number;
  end?: number;
}

/** `cpuProfile`: a file to write a V8 CPU profile of the due window to (from the last intake batch until all fired). */
export async function runLateness(b: BenchApp, due: number, tag: string, opts: { cpuProfile?: string } = {}): Promise<LatenessResult> {
  const pending = (await b.dispatcher.deadlines.getJobCounts('delayed')).delayed ?? 0;
  // Same store and queues, a street whose unclaimed window is 3 s: these cases fall due soon.
  const soonConfig = loadStreet({ unclaimed: { urgent: SOON, utility: SOON, ordinary: SOON, complex: SOON, consult: SOON } });
  const soon = createApp({ store: b.store, config: soonConfig, dispatcher: b.dispatcher, logger: silentLogger, clock: Date.now });
  const watched = new Set<number>();
  const traces = new Map<number, Trace>();
  const lateness: number[] = [];
  let otherDue = 0;
  let resolveAll!: () => void;
  const allFired = new Promise<void>((r) => (resolveAll = r));
  const workers = b.startWorkers((inner) => async (job) => {
    if (watched.has(job.caseId) && job.kind === 'unclaimed-remind') {
      const start = Date.now();
      lateness.push(start - job.dueAt);
      watched.delete(job.caseId);
      const t = traces.get(job.caseId);
      if (t) t.start = start;
      try {
        return await inner(job);
      } finally {
        if (t) t.end = Date.now();
        if (watched.size === 0 && lateness.length === due) resolveAll();
      }
    }
    otherDue++;
    return inner(job);
  });
  workers.deadlines.on('active', (job) => {
    const t = traces.get(job.data.caseId);
    if (t && job.data.kind === 'unclaimed-remind') Object.assign(t, { processedOn: job.processedOn, activeAt: Date.now() });
  });
  const bodies = intakeBodies(tag, due).map((x) => ({ ...x, urgency: undefined }));
  const t0 = nowMs();
  // Ten batches 200 ms apart: due times spread over two seconds.
  for (let i = 0; i < due; i += due / 10) {
    const outcomes = await soon.handleIntakeBatch(bodies.slice(i, i + due / 10), '12345');
    for (const o of outcomes) {
      if (!o.case) continue;
      watched.add(o.case.id);
      if (o.case.nextDueAt !== null) traces.set(o.case.id, { dueAt: o.case.nextDueAt });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // Measured from here: the reminders fall due about a second after the last batch.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const gc: number[] = [];
  const gcObserver = new PerformanceObserver((list) => gc.push(...list.getEntries().map((e) => e.duration)));
  gcObserver.observe({ entryTypes: ['gc'] });
  const profiler = opts.cpuProfile ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  const timeout = new Promise<void>((r) => setTimeout(r, 60_000));
  await Promise.race([allFired, timeout]);
  const cpu = process.cpuUsage(cpu0);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(opts.cpuProfile!, JSON.stringify(profile));
    profiler.disconnect();
  }
  loop.disable();
  gcObserver.disconnect();
  const waitedSeconds = (nowMs() - t0) / 1000;
  await workers.close();
  return {
    pending,
    otherDue,
    due,
    fired: lateness.length,
    latenessMs: summary(lateness),
    waitedSeconds: Math.round(waitedSeconds * 10) / 10,
    breakdown: {
      ...breakdown([...traces.values()]),
      loopDelayP99Ms: round(loop.percentile(99) / 1e6),
      loopDelayMaxMs: round(loop.max / 1e6),
      gcCount: gc.length,
      gcMs: round(gc.reduce((a, x) => a + x, 0)),
      cpuMsPerDue: round((cpu.user + cpu.system) / 1000 / Math.max(1, lateness.length), 3),
    },
  };
}

function breakdown(traces: Trace[]): Pick<LatenessBreakdown, 'wake' | 'fetch' | 'queued' | 'handler' | 'firstWake' | 'bursts'> {
  const done = traces.filter((t): t is Required<Trace> => t.processedOn !== undefined && t.activeAt !== undefined && t.start !== undefined && t.end !== undefined);
  const bursts = new Map<number, number>();
  for (const t of done) bursts.set(t.dueAt, Math.min(bursts.get(t.dueAt) ?? Infinity, t.processedOn - t.dueAt));
  return {
    wake: summary(done.map((t) => t.processedOn - t.dueAt)),
    fetch: summary(done.map((t) => t.activeAt - t.processedOn)),
    queued: summary(done.map((t) => t.start - t.activeAt)),
    handler: summary(done.map((t) => t.end - t.start)),
    firstWake: summary([...bursts.values()]),
    bursts: bursts.size,
  };
}

/**
 * `count` more delayed deadline jobs, added raw an hour ahead (cases that do not exist: if one ever
 * fired it would find nothing), so the delayed set holds ~1,000,000 beside the 100,000 open cases.
 */
export async function addFarDeadlines(b: BenchApp, count: number): Promise<void> {
  const far = Date.now() + 3_600_000;
  for (let i = 0; i < count; i += 5000) {
    const jobs = Array.from({ length: Math.min(5000, count - i) }, (_, k) => {
      const item = { caseId: 10_000_000 + i + k, kind: 'unclaimed-remind' as const, version: 1, dueAt: far + i + k };
      return { name: 'due', data: item, opts: { jobId: deadlineJobId(item), delay: item.dueAt - Date.now(), removeOnComplete: true, removeOnFail: true } };
    });
    // Straight to the queue: the app's hand-off gives up after 1 s, which a 5,000-job addBulk can take on a busy machine.
    await b.dispatcher.deadlines.addBulk(jobs);
  }
}

/** Redis `used_memory` in MB. */
export async function redisUsedMemoryMb(b: BenchApp): Promise<number> {
  return round(Number(/used_memory:(\d+)/.exec(await b.redis.info('memory'))?.[1] ?? NaN) / 2 ** 20, 1);
}
