/**
 * Vitest global setup: gives every test file a Redis URL via `inject('redisUrl')`.
 * REDIS_URL unset → a private redis-server (no persistence) in a temp dir,
 * stopped at teardown. REDIS_URL set → used as is, and must answer PING.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { pingRedis, startPrivateRedis } from '../adapters/redis/private-redis-server';

declare module 'vitest' {
  interface ProvidedContext {
    /** URL of the Redis the tests share; give each test file its own key prefix. */
    redisUrl: string;
  }
}

/** Starts (or checks) the test Redis; the returned function is vitest's teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.REDIS_URL;
  if (external) {
    if (!(await pingRedis(external, 2000))) {
      throw new Error(
        `REDIS_URL=${external} does not answer PING: start Redis there, or unset REDIS_URL so the tests start their own redis-server.`,
      );
    }
    project.provide('redisUrl', external);
    return async () => {};
  }

  const dir = join(tmpdir(), `jiesu-test-redis-${process.pid}`);
  const server = await startPrivateRedis({ dir, appendOnly: false });
  project.provide('redisUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
