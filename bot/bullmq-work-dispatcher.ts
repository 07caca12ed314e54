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

export class BullmqWorkDispatcher implements WorkDispatcher {
  readonly outbound: Queue<OutboundJobData>;
  readonly deadlines: Queue<DeadlineJobData>;

  constructor(
    settings: QueueSettings,
    /** Wall clock for job delays (epoch ms). */
    private readonly clock: () => number = Date.now,
  ) {
    const opts = { connection: settings.connection, prefix: settings.prefix ?? 'jiesu' };
    this.outbound = new Queue<OutboundJobData>(OUTBOUND_QUEUE, opts);
    this.deadlines = new Queue<DeadlineJobData>(DEADLINES_QUEUE, opts);
  }

  async deliver(rows: { id: number; group: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.outbound.addBulk(
      rows.map((r) => ({ name: 'deliver', data: { group: r.group, uptoId: r.id }, opts: { ...OUTBOUND_JOB, jobId: outboxJobId(r.id) } })),
    );
  }

  async schedule(items: ScheduleItem[]): Promise<void> {
    if (items.length === 0) return;
    const now = this.clock();
    await this.deadlines.addBulk(
      items.map((i) => ({
        name: 'due',
        data: { caseId: i.caseId, kind: i.kind, dueAt: i.dueAt, version: i.version },
        opts: { ...DEADLINE_JOB, jobId: deadlineJobId(i), delay: Math.max(0, i.dueAt - now) },
      })),
    );
  }

  async cancel(items: JobRef[]): Promise<void> {
    // remove() refuses a locked (running) job; that one is already firing and will find the case stale.
    await Promise.all(items.map((i) => this.deadlines.remove(deadlineJobId(i)).catch(() => 0)));
  }

  async close(): Promise<void> {
    await Promise.all([this.outbound.close(), this.deadlines.close()]);
  }
}
