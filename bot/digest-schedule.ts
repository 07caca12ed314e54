import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/ports';
import { errorSummary } from './app';

/**
 * The weekly digest as a BullMQ job scheduler: `upsertJobScheduler` with a cron pattern in the street's
 * time zone (idempotent: every start re-states the same scheduler, a changed pattern replaces it). One
 * worker runs the digest; a run that fails is logged and waits for the next week (no retry: a retry
 * could leave a second draft on the public account).
 */

export const DIGEST_QUEUE = 'digest';
export const DIGEST_SCHEDULER_ID = 'weekly-digest';

export interface DigestScheduleOptions {
  connection: Redis;
  /** Redis key prefix (default `jiesu`). */
  prefix?: string;
  /** Cron pattern, e.g. `0 9 * * 1` (Monday 09:00). */
  cron: string;
  /** IANA zone of the pattern (the street's, Asia/Shanghai). */
  timeZone: string;
  run: () => Promise<unknown>;
  logger: Logger;
}

export async function startDigestSchedule(opts: DigestScheduleOptions): Promise<{ queue: Queue; worker: Worker; close(): Promise<void> }> {
  const base = { connection: opts.connection, prefix: opts.prefix ?? 'jiesu' };
  const queue = new Queue(DIGEST_QUEUE, base);
  await queue.upsertJobScheduler(
    DIGEST_SCHEDULER_ID,
    { pattern: opts.cron, tz: opts.timeZone },
    { name: 'digest', data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 50 } },
  );
  const worker = new Worker(DIGEST_QUEUE, async () => void (await opts.run()), { ...base, concurrency: 1 });
  worker.on('failed', (job, err) => opts.logger.error({ jobId: job?.id, err: errorSummary(err) }, 'weekly digest failed'));
  worker.on('error', (err) => opts.logger.error({ err: errorSummary(err), queue: DIGEST_QUEUE }, 'worker error'));
  opts.logger.info({ cron: opts.cron, timeZone: opts.timeZone }, 'weekly digest scheduled');
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
