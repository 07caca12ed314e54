import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobRef, ScheduleItem, WorkDispatcher } from '../core/ports';

/**
 * The two BullMQ queues and the dispatcher that feeds them.
 * - `outbound`: one job per outbox row (`outbox-<id>`); the worker delivers a group's pending rows in order.
 * - `deadlines`: one job per open case (`deadline-<case>-<kind>-<version>`), delayed until the milestone.
 * Job ids are deterministic, so adding twice is harmless and the reconciler can tell what is missing.
 */

export const OUTBOUND_QUEUE = 'outbound';
export const DEADLINES_QUEUE = 'deadlines';

export interface QueueSettings {
  connection: Redis;
  /** Redis key prefix; tests use a unique one per file. Default `jiesu`. */
  prefix?: string;
  /**
   * Longest a queue call (deliver / schedule / cancel) may take before it is given up, ms. Default 1000.
   * The connection retries forever (`maxRetriesPerRequest: null`, as BullMQ wants), so without a bound a
   * request that hands work to the queues would wait for as long as Redis is away.
   */
  handOffTimeoutMs?: number;
}

/** Default of {@link QueueSettings.handOffTimeoutMs}. */
export const HAND_OFF_TIMEOUT_MS = 1000;

/**
 * A queue call refused or given up because Redis does not answer. The work it carried is in the
 * database already (the outbox, the case's next milestone): the reconciler hands it over later.
 */
export class QueueUnavailableError extends Error {
  readonly code = 'queue_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}

export interface OutboundJobData {
  group: string;
  uptoId: number;
}

export interface DeadlineJobData {
  caseId: number;
  kind: ScheduleItem['kind'];
  dueAt: number;
  version: number;
}

/** Delivery retries: exponential from 1 s, capped at one minute by the worker's backoff strategy; the reconciler re-adds after that. */
const OUTBOUND_JOB: JobsOptions = { attempts: 12, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: true };
const DEADLINE_JOB: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: true };

export const outboxJobId = (outboxId: number) => `outbox-${outboxId}`;
export const deadlineJobId = (ref: JobRef) => `deadline-${ref.caseId}-${ref.kind}-${ref.version}`;

interface HandOffBatch {
  deliver: { id: number; group: string }[];
  schedule: ScheduleItem[];
  cancel: JobRef[];
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * Connection states in which Redis went away: a command would wait in ioredis's offline queue until it
 * is back. `wait` / `connecting` / `connect` count as away only after the connection was lost (a
 * reconnect attempt); on the first connection a call may go ahead, bounded by the timeout.
 */
const AWAY_STATES: ReadonlySet<string> = new Set(['reconnecting', 'close', 'end']);

/**
 * Every call fails fast while Redis is away — at once when the connection was lost, after
 * `handOffTimeoutMs` when a call started but gets no answer — with {@link QueueUnavailableError}, so
 * the caller (app.ts's hand-off) logs it and returns; nothing waits in ioredis's offline queue.
 * A call given up after it was sent may still complete when Redis answers again: harmless, job ids
 * are deterministic and a stale job finds its case moved on.
 */
export class BullmqWorkDispatcher implements WorkDispatcher {
  readonly outbound: Queue<OutboundJobData>;
  readonly deadlines: Queue<DeadlineJobData>;
  private readonly connection: Redis;
  /** True from a 'close' of the connection until it is 'ready' again. */
  private lost = false;
  private readonly timeoutMs: number;
  /** The hand-off batch this turn of the event loop is filling, sent at `setImmediate`. */
  private pending: HandOffBatch | null = null;

  constructor(
    settings: QueueSettings,
    /** Wall clock for job delays (epoch ms). */
    private readonly clock: () => number = Date.now,
  ) {
    const opts = { connection: settings.connection, prefix: settings.prefix ?? 'jiesu' };
    this.connection = settings.connection;
    this.connection.on('close', () => (this.lost = true));
    this.connection.on('ready', () => (this.lost = false));
    this.timeoutMs = settings.handOffTimeoutMs ?? HAND_OFF_TIMEOUT_MS;
    this.outbound = new Queue<OutboundJobData>(OUTBOUND_QUEUE, opts);
    this.deadlines = new Queue<DeadlineJobData>(DEADLINES_QUEUE, opts);
    // The queues re-emit the connection's errors; whoever owns the connection logs them. Without a
    // listener BullMQ prints each one to stderr during an outage.
    for (const q of [this.outbound, this.deadlines]) q.on('error', () => undefined);
  }

  /** False while the connection is lost (reconnecting or closed): queue calls are refused at once. */
  get reachable(): boolean {
    return !this.lost && !AWAY_STATES.has(this.connection.status);
  }

  async deliver(rows: { id: number; group: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.enqueue('deliver', (b) => b.deliver.push(...rows));
  }

  async schedule(items: ScheduleItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.enqueue('schedule', (b) => b.schedule.push(...items));
  }

  async cancel(items: JobRef[]): Promise<void> {
    if (items.length === 0) return;
    await this.enqueue('cancel', (b) => b.cancel.push(...items));
  }

  /**
   * Group hand-off: every call made in the same turn of the event loop (e.g. the claims whose turn came
   * when one Redis reply arrived) joins one batch, sent at `setImmediate` as one `addBulk` per queue and
   * the removals, all written to the connection together (one round trip), under one time bound. Each
   * caller's promise settles with its batch: an error (Redis away, no answer) reaches every caller in it.
   */
  private enqueue(what: string, add: (batch: HandOffBatch) => void): Promise<void> {
    if (!this.reachable) return Promise.reject(new QueueUnavailableError(`queue ${what} skipped: redis connection is ${this.connection.status}`));
    let batch = this.pending;
    if (!batch) {
      const b: HandOffBatch = { deliver: [], schedule: [], cancel: [], waiters: [] };
      batch = this.pending = b;
      setImmediate(() => this.flush(b));
    }
    add(batch);
    return new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }

  private flush(batch: HandOffBatch): void {
    if (this.pending === batch) this.pending = null;
    const now = this.clock();
    const { deliver, schedule, cancel } = batch;
    this.bounded('hand-off', () =>
      Promise.all([
        deliver.length > 0
          ? this.outbound.addBulk(deliver.map((r) => ({ name: 'deliver', data: { group: r.group, uptoId: r.id }, opts: { ...OUTBOUND_JOB, jobId: outboxJobId(r.id) } })))
          : null,
        schedule.length > 0
          ? this.deadlines.addBulk(
              schedule.map((i) => ({
                name: 'due',
                data: { caseId: i.caseId, kind: i.kind, dueAt: i.dueAt, version: i.version },
                opts: { ...DEADLINE_JOB, jobId: deadlineJobId(i), delay: Math.max(0, i.dueAt - now) },
              })),
            )
          : null,
        // remove() refuses a locked (running) job; that one is already firing and will find the case stale.
        ...cancel.map((i) => this.deadlines.remove(deadlineJobId(i)).catch(() => 0)),
      ]),
    ).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (err: unknown) => batch.waiters.forEach((w) => w.reject(err)),
    );
  }

  /** Runs one queue call unless the connection is lost, and gives it up after `timeoutMs`. */
  private async bounded<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (!this.reachable) throw new QueueUnavailableError(`queue ${what} skipped: redis connection is ${this.connection.status}`);
    let timer: NodeJS.Timeout | undefined;
    const running = call();
    running.catch(() => undefined); // it may settle after the timeout won
    try {
      return await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new QueueUnavailableError(`queue ${what} gave no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.outbound.close(), this.deadlines.close()]);
  }
}
