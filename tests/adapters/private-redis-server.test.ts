import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisUnavailableError,
  ensureRedis,
  findFreePort,
  findRedisServer,
  pingRedis,
  redactRedisUrl,
  startPrivateRedis,
} from '../../adapters/redis/private-redis-server';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '../helpers/redis';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'jiesu-private-redis-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function configGet(url: string, key: string): Promise<string | undefined> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const reply = (await client.config('GET', key)) as string[];
    return reply[1];
  } finally {
    client.disconnect();
  }
}

describe('pingRedis / findFreePort', () => {
  it('answers true for the test Redis', async () => {
    expect(await pingRedis(testRedisUrl())).toBe(true);
  });

  it('answers false, quickly and without throwing, where nothing listens', async () => {
    const port = await findFreePort();
    const started = Date.now();
    expect(await pingRedis(`redis://127.0.0.1:${port}`, 500)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers false for a malformed URL', async () => {
    expect(await pingRedis('not a url at all', 200)).toBe(false);
  });

  it('finds a port in the TCP range', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});

describe('startPrivateRedis', () => {
  it('starts a server that answers, and stop() makes it go away', async () => {
    const port = await findFreePort();
    const server = await startPrivateRedis({ dir: join(root, 'start'), port, appendOnly: false });
    expect(server.port).toBe(port);
    expect(server.url).toBe(`redis://127.0.0.1:${port}`);
    expect(await pingRedis(server.url)).toBe(true);
    expect(await configGet(server.url, 'maxmemory-policy')).toBe('noeviction');
    expect(await configGet(server.url, 'appendonly')).toBe('no');
    expect(await configGet(server.url, 'save')).toBe('');

    await server.stop();
    expect(await pingRedis(server.url, 300)).toBe(false);
    await server.stop(); // idempotent
  });

  it('refuses a port where a Redis already answers', async () => {
    const port = Number(new URL(testRedisUrl()).port || 6379);
    await expect(startPrivateRedis({ dir: join(root, 'busy'), port })).rejects.toThrow(/already answers/);
  });

  it('throws RedisUnavailableError when redis-server is not on the search path', async () => {
    const empty = join(root, 'empty-bin');
    await expect(startPrivateRedis({ dir: join(root, 'none'), searchPath: empty })).rejects.toBeInstanceOf(
      RedisUnavailableError,
    );
  });
});

describe('ensureRedis', () => {
  it('uses a Redis that answers at the given URL', async () => {
    const url = testRedisUrl();
    const redis = await ensureRedis({ url, dir: join(root, 'unused') });
    expect(redis).toMatchObject({ url, privateServer: false });
    await redis.stop(); // no-op
    expect(await pingRedis(url)).toBe(true);
  });

  it('starts a private server with AOF on when nothing answers at the URL', async () => {
    const dead = `redis://127.0.0.1:${await findFreePort()}`;
    const redis = await ensureRedis({ url: dead, dir: join(root, 'private') });
    try {
      expect(redis.privateServer).toBe(true);
      expect(redis.url).not.toBe(dead);
      expect(await pingRedis(redis.url)).toBe(true);
      expect(await configGet(redis.url, 'appendonly')).toBe('yes');
      expect(await configGet(redis.url, 'dir')).toBe(join(root, 'private'));
    } finally {
      await redis.stop();
    }
    expect(await pingRedis(redis.url, 300)).toBe(false);
  });

  it('throws the one-line RedisUnavailableError when nothing answers and redis-server is missing', async () => {
    const dead = `redis://127.0.0.1:${await findFreePort()}`;
    const error = await ensureRedis({ url: dead, dir: join(root, 'none'), searchPath: join(root, 'empty-bin') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toBe(
      `Redis is not running at ${dead} and redis-server is not installed: run "apt-get install -y redis-server" (Debian/Ubuntu) or set REDIS_URL.`,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('an explicit URL that does not answer is a one-line error, and no private server is started', async () => {
    const dead = `redis://:s3cret@127.0.0.1:${await findFreePort()}`;
    const dir = join(root, 'explicit');
    const error = await ensureRedis({ url: dead, mustAnswer: true, dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error).toMatchObject({ reason: 'not-answering', url: dead });
    const message = (error as Error).message;
    expect(message).toMatch(/^REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ does not answer/);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
    expect(existsSync(dir)).toBe(false);
  });

  it('an explicit URL that answers is used as it is', async () => {
    const url = testRedisUrl();
    expect(await ensureRedis({ url, mustAnswer: true, dir: join(root, 'unused-2') })).toMatchObject({ url, privateServer: false });
  });

  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://:pw@10.0.0.5:6380/2', 'redis://:***@10.0.0.5:6380/2'],
    ['redis://bot:pw@redis.internal:6379', 'redis://***:***@redis.internal:6379'],
    ['rediss://default:pw@host:6380', 'rediss://default:***@host:6380'],
    ['not a url //user:pw@x', 'not a url //***@x'],
  ])('redactRedisUrl(%s) = %s', (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });

  it('finds redis-server on this machine (the CI installs it)', () => {
    expect(findRedisServer()).toMatch(/redis-server$/);
  });
});

describe('test helpers', () => {
  it('uniquePrefix is distinct, colon-free and deleteKeysWithPrefix removes only its keys', async () => {
    const a = uniquePrefix('helpers');
    const b = uniquePrefix('helpers');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^jiesu-test-helpers-[a-z0-9]+$/);

    const url = testRedisUrl();
    const client = new Redis(url);
    try {
      await client.set(`${a}:one`, '1');
      await client.set(`${a}:two`, '2');
      await client.set(`${b}:keep`, '3');
      expect(await deleteKeysWithPrefix(url, a)).toBe(2);
      expect(await client.exists(`${a}:one`, `${a}:two`, `${b}:keep`)).toBe(1);
      expect(await deleteKeysWithPrefix(url, b)).toBe(1);
    } finally {
      client.disconnect();
    }
  });
});
