/** Helpers for tests that need Redis (BullMQ queues): the shared URL and per-test key prefixes. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** URL of the test Redis, provided by tests/global-setup.ts. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/**
 * A key prefix no other test uses, `jiesu-test-<name>-<12 hex chars>`, so test
 * files can share one Redis in parallel. Fits BullMQ's `prefix` option.
 */
export function uniquePrefix(name: string): string {
  return `jiesu-test-${name}-${randomBytes(6).toString('hex')}`;
}

/**
 * Deletes every key starting with `prefix` (SCAN + UNLINK, glob characters in
 * the prefix escaped) and returns how many were deleted. For afterAll cleanup.
 */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}
