import { Worker, type Processor, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * How long after a delayed job's due time the worker pokes Redis (ms). The wait's timeout starts when
 * Redis reads the BZPOPMIN, a little after the worker computed it; a PING that arrived before that
 * deadline would not end the wait.
 */
export const WAKE_AFTER_MS = [1, 10] as const;

/**
 * A BullMQ worker that fetches a delayed job when it falls due, not up to 100 ms later.
 *
 * Between jobs a worker blocks in BZPOPMIN on the queue's marker, with a timeout that ends when the
 * next delayed job falls due. Redis times blocked clients out only when its event loop turns: on a
 * quiet server at its next `serverCron` tick (`hz` 10, every 100 ms). Measured on P3 (bench/
 * profile-lateness.ts): the first job of each burst was fetched 40–90 ms after its due time with
 * nothing else wrong. Any command turns Redis's loop, so this worker sends a PING on its ordinary
 * (non-blocking) client just after each such wait ends: the blocked fetch then returns on time.
 */
export class PunctualWorker<Data = unknown> extends Worker<Data> {
  private wakes: NodeJS.Timeout[] = [];
  /** The worker's ordinary connection (not the blocking one it duplicates from it). */
  private readonly redis: Redis;

  constructor(name: string, processor: Processor<Data>, opts: WorkerOptions & { connection: Redis }) {
    super(name, processor, opts);
    this.redis = opts.connection;
  }

  protected override getBlockTimeout(blockUntil: number): number {
    const timeout = super.getBlockTimeout(blockUntil);
    for (const t of this.wakes) clearTimeout(t);
    this.wakes = [];
    // Only a wait that ends at a due time (not an idle wait of `drainDelay`, nor the 10 s ceiling).
    if (blockUntil > 0 && timeout > 0 && blockUntil - Date.now() <= timeout * 1000) {
      for (const after of WAKE_AFTER_MS) {
        const t = setTimeout(() => void this.poke(), blockUntil - Date.now() + after);
        t.unref();
        this.wakes.push(t);
      }
    }
    return timeout;
  }

  private async poke(): Promise<void> {
    if (this.closing || this.redis.status !== 'ready') return;
    try {
      await this.redis.ping();
    } catch {
      // The worker's own reconnect handles Redis going away; a missed poke only costs the old delay.
    }
  }

  override async close(force = false): Promise<void> {
    for (const t of this.wakes) clearTimeout(t);
    this.wakes = [];
    await super.close(force);
  }
}
