import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { errorSummary } from '../../../bot/app';
import type { Logger } from '../../../core/ports';

/**
 * Makes each signed `/mp` request usable once. The query's signature covers only token, timestamp
 * and nonce — in 明文 mode not the body — so a captured query could otherwise carry any body for as
 * long as its timestamp is fresh.
 *
 * The key is the (timestamp, nonce) pair: the signature binds both, so an attacker cannot change
 * either, and two genuine requests that happen to draw the same nonce in different seconds both pass.
 * The value is the SHA-256 of the body: WeChat re-sends a request it got no answer to within 5 s
 * with the same query and the same body, and that retry must be answered (the MsgId check stores
 * nothing twice); the same query with a *different* body is a replay and refused.
 *
 * Redis (SET NX with a TTL, under the bot's key prefix) lets several processes share the record.
 * When Redis does not answer within `redisTimeoutMs`, an in-process record bounded to
 * `memoryEntries` keeps the guard working for this process.
 */
export interface MpReplayGuardOptions {
  redis: Redis;
  /** The bot's Redis key prefix; keys are `<prefix>:mp-nonce:<timestamp>:<nonce>`. */
  keyPrefix: string;
  logger: Logger;
  clock: () => number;
  /** How long a pair is remembered, ms. Default 660 000 (the ±300 s window is 600 s wide, plus a minute). */
  ttlMs?: number;
  /** How long to wait for Redis before using the in-process record, ms. Default 1000. */
  redisTimeoutMs?: number;
  /** Most pairs the in-process record holds; the oldest go first. Default 10 000. */
  memoryEntries?: number;
}

/** `first`: never seen; `retry`: seen with the same body; `replay`: seen with another body. */
export type MpRequestUse = 'first' | 'retry' | 'replay';

export class MpReplayGuard {
  private readonly ttlMs: number;
  private readonly redisTimeoutMs: number;
  private readonly memoryEntries: number;
  private readonly memory = new Map<string, { digest: string; expiresAt: number }>();
  private redisDown = false;

  constructor(private readonly opts: MpReplayGuardOptions) {
    this.ttlMs = opts.ttlMs ?? 660_000;
    this.redisTimeoutMs = opts.redisTimeoutMs ?? 1000;
    this.memoryEntries = opts.memoryEntries ?? 10_000;
  }

  /**
   * Records the request (timestamp, nonce, body) and says whether it was seen before. While Redis is
   * known to be down, the in-process answer is given at once and Redis is only tried in the
   * background (to notice it is back), so an outage costs one `redisTimeoutMs`, not one per request.
   */
  async use(timestamp: string, nonce: string, body: string): Promise<MpRequestUse> {
    const key = `${this.opts.keyPrefix}:mp-nonce:${timestamp}:${nonce}`;
    const digest = createHash('sha256').update(body).digest('hex');
    const local = this.useInMemory(key, digest);
    const shared = this.withTimeout(this.useInRedis(key, digest)).then(
      (answer) => {
        if (this.redisDown) this.opts.logger.info({}, 'public account replay guard: Redis answers again');
        this.redisDown = false;
        return answer;
      },
      (err: unknown) => {
        if (!this.redisDown) this.opts.logger.warn({ err: errorSummary(err) }, "public account replay guard: Redis does not answer, using this process's record");
        this.redisDown = true;
        return local;
      },
    );
    return this.redisDown ? local : shared;
  }

  private async useInRedis(key: string, digest: string): Promise<MpRequestUse> {
    const { redis } = this.opts;
    if ((await redis.set(key, digest, 'PX', this.ttlMs, 'NX')) === 'OK') return 'first';
    const seen = await redis.get(key);
    // Expired between SET and GET: the pair is older than the window and the timestamp check refuses it anyway.
    if (seen === null) return 'first';
    return seen === digest ? 'retry' : 'replay';
  }

  /** The in-process record is kept always, so a Redis outage does not open a gap for recent requests. */
  private useInMemory(key: string, digest: string): MpRequestUse {
    const now = this.opts.clock();
    const seen = this.memory.get(key);
    if (seen && seen.expiresAt > now) return seen.digest === digest ? 'retry' : 'replay';
    this.memory.delete(key);
    if (this.memory.size >= this.memoryEntries) {
      for (const [k, v] of this.memory) if (v.expiresAt <= now) this.memory.delete(k);
      while (this.memory.size >= this.memoryEntries) this.memory.delete(this.memory.keys().next().value!);
    }
    this.memory.set(key, { digest, expiresAt: now + this.ttlMs });
    return 'first';
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`Redis did not answer within ${this.redisTimeoutMs} ms`), { name: 'RedisTimeout' })), this.redisTimeoutMs);
    });
    work.catch(() => undefined);
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }
}
