import type { Redis } from 'ioredis';
import type { CaseStore, Logger, ScheduleItem } from '../core/ports';
import { errorSummary } from './app';
import { deadlineJobId, outboxJobId, QueueUnavailableError, type BullmqWorkDispatcher } from './bullmq-work-dispatcher';

/**
 * Rebuilds queue state from the database, which is the truth: every open case's pending milestone
 * gets its deadline job back, every undelivered outbox row its delivery job. Runs at start and
 * every few minutes, and again as soon as Redis is back after an outage ({@link startReconciler});
 * after a Redis FLUSHALL, a Redis outage or a crash between commit and enqueue nothing is lost, and
 * what fell due meanwhile fires at once (delay 0).
 */

export interface ReconcileReport {
  openCasesChecked: number;
  deadlinesRestored: number;
  outboxChecked: number;
  outboxRequeued: number;
  ms: number;
}

/** Page size for the database scans and Redis pipelines. */
const PAGE = 2000;

export interface ReconcileDeps {
  store: CaseStore;
  dispatcher: BullmqWorkDispatcher;
  /** The connection the dispatcher's queues use. */
  redis: Redis;
  logger: Logger;
}

/**
 * One pass over the database. Throws {@link QueueUnavailableError} when Redis goes away mid-pass
 * (the dispatcher gives up); {@link startReconciler} then retries once the connection is back.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const started = Date.now();
  const { store, dispatcher, redis } = deps;
  const report: ReconcileReport = { openCasesChecked: 0, deadlinesRestored: 0, outboxChecked: 0, outboxRequeued: 0, ms: 0 };
  // One page's jobs go to Redis while the next page is read and checked: Redis adds them while this
  // process builds the next addBulk. At most one in flight, so a pass holds two pages at most.
  const handOver = handOverOneAtATime();

  for (let after: ScheduleItem | null = null; ; ) {
    const page = store.pendingMilestones(after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!;
    report.openCasesChecked += page.length;
    const missing = await missingOf(redis, page, (r) => dispatcher.deadlines.toKey(deadlineJobId(r)));
    report.deadlinesRestored += missing.length;
    await handOver(missing.length > 0 ? () => dispatcher.restore({ schedule: missing }) : null);
  }

  for (let after = 0; ; ) {
    const page = store.allPendingOutbox(after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    report.outboxChecked += page.length;
    const missing = uncovered(page, await existsEach(redis, page.map((r) => dispatcher.outbound.toKey(outboxJobId(r.id)))));
    report.outboxRequeued += missing.length;
    await handOver(missing.length > 0 ? () => dispatcher.restore({ deliver: missing }) : null);
  }
  await handOver(null);
  await handOver(null);

  report.ms = Date.now() - started;
  if (report.deadlinesRestored > 0 || report.outboxRequeued > 0) deps.logger.info({ ...report }, 'reconciler restored queue state');
  return report;
}

/**
 * The pending rows no queued job will deliver. A delivery job delivers its group's pending rows up to its
 * own row (the dispatcher queues one per group per hand-off), so a row is covered by its own job or by the
 * job of a later row of its group.
 */
function uncovered<R extends { id: number; group: string }>(rows: R[], exists: boolean[]): R[] {
  const coveredUpTo = new Map<string, number>();
  rows.forEach((r, i) => {
    if (exists[i] && r.id > (coveredUpTo.get(r.group) ?? 0)) coveredUpTo.set(r.group, r.id);
  });
  return rows.filter((r) => r.id > (coveredUpTo.get(r.group) ?? 0));
}

/**
 * Each call waits for the hand-over started by the call before it (throwing its error), then starts
 * `next` without waiting for it; `null` starts nothing. Two `null` calls in a row drain it.
 */
function handOverOneAtATime(): (next: (() => Promise<void>) | null) => Promise<void> {
  let inFlight: Promise<void> | null = null;
  return async (next) => {
    const previous = inFlight;
    inFlight = null;
    if (previous) await previous;
    if (next) {
      inFlight = next();
      // Observed now, awaited (and its error thrown) by the next call; a pass that throws before then leaves it unobserved.
      inFlight.catch(() => undefined);
    }
  };
}

/** EXISTS of every key in one command (a script) rather than one command per key. */
const EXISTS_EACH = "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('EXISTS', k) end return r";

/** Whether each key exists, in one command. */
async function existsEach(redis: Redis, keys: string[]): Promise<boolean[]> {
  if (keys.length === 0) return [];
  return ((await redis.eval(EXISTS_EACH, keys.length, ...keys)) as number[]).map((n) => n === 1);
}

/** The items whose job key does not exist. */
async function missingOf<T>(redis: Redis, items: T[], key: (item: T) => string): Promise<T[]> {
  const exists = await existsEach(redis, items.map(key));
  return items.filter((_, i) => !exists[i]);
}

/** A running reconciler: {@link startReconciler}. */
export interface RunningReconciler {
  /**
   * Runs a pass now — or, when one is running, once more right after it (so nothing committed
   * meanwhile is missed). Resolves with the report, or null when the pass failed or Redis was away
   * (logged; the next trigger retries). Never rejects.
   */
  runNow(): Promise<ReconcileReport | null>;
  /** Stops the timer and the reconnect trigger; a running pass finishes on its own. */
  stop(): void;
}

/**
 * Runs {@link reconcile} every `everyMs` (RECONCILE_EVERY) and whenever the connection is ready again
 * after it was lost (a Redis restart or outage), so what was committed while Redis was away reaches
 * the queues within seconds of its return rather than at the next tick. Passes never overlap.
 * The first pass is the caller's: `await reconciler.runNow()` at start.
 */
export function startReconciler(deps: ReconcileDeps & { everyMs: number }): RunningReconciler {
  const { redis, logger } = deps;
  let running: Promise<ReconcileReport | null> | null = null;
  let again = false;
  /** Set when the connection dropped (or a pass found it down): the next 'ready' triggers a pass. */
  let lost = redis.status !== 'ready';

  const pass = async (): Promise<ReconcileReport | null> => {
    try {
      // Not while the connection is down: the scan's EXISTS would wait in ioredis's offline queue.
      if (redis.status !== 'ready') throw new QueueUnavailableError(`reconcile skipped: redis connection is ${redis.status}`);
      return await reconcile(deps);
    } catch (err) {
      if (err instanceof QueueUnavailableError || redis.status !== 'ready') {
        lost = true;
        logger.warn({ err: errorSummary(err) }, 'reconcile deferred until redis is back');
      } else {
        logger.error({ err: errorSummary(err) }, 'reconcile failed');
      }
      return null;
    }
  };
  const runNow = (): Promise<ReconcileReport | null> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let report: ReconcileReport | null;
      do {
        again = false;
        report = await pass();
      } while (again);
      running = null;
      return report;
    })();
    return running;
  };

  const onClose = () => {
    lost = true;
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    logger.info({}, 'redis is back: reconciling');
    void runNow();
  };
  redis.on('close', onClose);
  redis.on('ready', onReady);
  const timer = setInterval(() => void runNow(), deps.everyMs);
  timer.unref();
  return {
    runNow,
    stop() {
      clearInterval(timer);
      redis.off('close', onClose);
      redis.off('ready', onReady);
    },
  };
}
