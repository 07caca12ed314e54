/**
 * Finds a Redis for BullMQ, or starts a private `redis-server` child process
 * when none answers. Used by main.ts (files under DATA_DIR) and by the test
 * global setup (files under the OS temp dir).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

/** The URL the SPEC gives as REDIS_URL's default. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Directories searched after PATH: Debian installs redis-server in /usr/bin, some distros in /usr/sbin. */
const EXTRA_BIN_DIRS = ['/usr/sbin', '/usr/bin'];

/** How long startPrivateRedis waits for the new server to answer PING (ms). */
const READY_TIMEOUT_MS = 10_000;
/** How long stop() waits after SIGTERM before SIGKILL (ms). */
const STOP_TIMEOUT_MS = 5_000;

/**
 * Why {@link RedisUnavailableError} was thrown: `not-installed` — nothing answers and no
 * `redis-server` can be started; `not-answering` — an explicitly configured REDIS_URL does not answer
 * (a private server in its place would hide a misconfiguration and start from empty queues).
 */
export type RedisUnavailableReason = 'not-installed' | 'not-answering';

/**
 * Thrown when there is no Redis to use. The message is one line and says how to fix it; the URL in
 * it has its password hidden.
 */
export class RedisUnavailableError extends Error {
  /** The URL where a Redis was expected (as given, password included: do not log it). */
  readonly url: string;
  readonly reason: RedisUnavailableReason;

  constructor(url: string, reason: RedisUnavailableReason = 'not-installed') {
    const shown = redactRedisUrl(url);
    super(
      reason === 'not-answering'
        ? `REDIS_URL=${shown} does not answer: start that Redis (or fix REDIS_URL), or unset REDIS_URL to let the bot use a private redis-server.`
        : `Redis is not running at ${shown} and redis-server is not installed: run "apt-get install -y redis-server" (Debian/Ubuntu) or set REDIS_URL.`,
    );
    this.name = 'RedisUnavailableError';
    this.url = url;
    this.reason = reason;
  }
}

/** The URL with its password (and a user's name) replaced by `***`, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.username && u.username !== 'default') u.username = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/**
 * True when a Redis answers PING at `url` within `timeoutMs` (milliseconds,
 * default 1000). Makes a single attempt, never retries, never throws, never
 * logs, and always closes its connection.
 */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  let client: Redis | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => {}); // keep ioredis from printing "Unhandled error event"
    const c = client;
    const attempt = (async () => {
      await c.connect();
      return (await c.ping()) === 'PONG';
    })();
    attempt.catch(() => {}); // it may settle after the timeout wins
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([attempt, timeout]);
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
    client?.disconnect();
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/**
 * The path of an executable `redis-server`, or undefined.
 * `searchPath` is a PATH-style list; when given it replaces PATH and the
 * default extra directories (/usr/sbin, /usr/bin) — tests use it to simulate
 * a machine without Redis.
 */
export function findRedisServer(searchPath?: string): string | undefined {
  const dirs =
    searchPath !== undefined
      ? searchPath.split(delimiter)
      : [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Options for {@link startPrivateRedis}. */
export interface PrivateRedisOptions {
  /** Directory for the server's files (AOF); created if missing. */
  dir: string;
  /** Port on 127.0.0.1; default: a free one from {@link findFreePort}. */
  port?: number;
  /** Append-only file on (durable jobs) or off (tests); default true. */
  appendOnly?: boolean;
  /** PATH-style list replacing the redis-server search path; see {@link findRedisServer}. */
  searchPath?: string;
}

/** A running private Redis; `stop()` is idempotent. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Shuts the server down (SIGTERM, SIGKILL after 5 s) and resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Spawns `redis-server` bound to 127.0.0.1 (no RDB snapshots, noeviction as
 * BullMQ requires) and resolves once it answers PING (waits up to 10 s).
 * Throws {@link RedisUnavailableError} when redis-server is not installed,
 * and a plain Error when the port already answers, the server exits early
 * or never becomes ready.
 */
export async function startPrivateRedis(opts: PrivateRedisOptions): Promise<PrivateRedis> {
  const port = opts.port ?? (await findFreePort());
  const url = `redis://127.0.0.1:${port}`;
  const binary = findRedisServer(opts.searchPath);
  if (!binary) throw new RedisUnavailableError(url);
  if (await pingRedis(url, 300)) {
    throw new Error(`Cannot start a private Redis on port ${port}: a Redis already answers at ${url}.`);
  }
  await mkdir(opts.dir, { recursive: true });

  // prettier-ignore
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', opts.dir,
    '--save', '',
    '--appendonly', opts.appendOnly === false ? 'no' : 'yes',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
  ];
  const child = spawn(binary, args, { stdio: 'ignore' });
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      exitInfo = err.message;
      resolve();
    });
  });
  const stop = () => stopChild(child, exited, () => exitInfo !== undefined);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exitInfo !== undefined) {
      throw new Error(
        `redis-server exited (${exitInfo}) before answering on ${url}; try by hand: ${binary} ${args.map(quoteArg).join(' ')}`,
      );
    }
    if (await pingRedis(url, 500)) return { url, port, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on ${url} within ${READY_TIMEOUT_MS / 1000} s.`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Options for {@link ensureRedis}. */
export interface EnsureRedisOptions {
  /** Where a Redis may already run (REDIS_URL); when absent a private one is started straight away. */
  url?: string;
  /**
   * The URL was configured explicitly (AppConfig.redisUrlExplicit): it must answer, and no private
   * server is started in its place. Default false.
   */
  mustAnswer?: boolean;
  /** Directory for a private server's files (e.g. DATA_DIR/redis). */
  dir: string;
  /** PATH-style list replacing the redis-server search path; see {@link findRedisServer}. */
  searchPath?: string;
}

/** The Redis to use; `stop()` only stops what ensureRedis started. */
export interface EnsuredRedis {
  url: string;
  stop(): Promise<void>;
  /** True when ensureRedis started its own redis-server. */
  privateServer: boolean;
}

/**
 * Uses the Redis at `url` when it answers PING; otherwise starts a private
 * redis-server on a free port with its AOF under `dir` (so queued jobs
 * survive a restart). Throws {@link RedisUnavailableError} when neither works,
 * and at once (reason `not-answering`) when `mustAnswer` is set and `url` does not answer.
 */
export async function ensureRedis(opts: EnsureRedisOptions): Promise<EnsuredRedis> {
  if (opts.url !== undefined && (await pingRedis(opts.url))) {
    return { url: opts.url, stop: async () => {}, privateServer: false };
  }
  if (opts.mustAnswer) {
    // One more try with a longer wait: a Redis starting beside the bot (compose, systemd) may be slow.
    if (opts.url !== undefined && (await pingRedis(opts.url, 3000))) return { url: opts.url, stop: async () => {}, privateServer: false };
    throw new RedisUnavailableError(opts.url ?? DEFAULT_REDIS_URL, 'not-answering');
  }
  // A private server left running by a process that was killed (kill -9): adopt it rather than start
  // a second one on the same files.
  const portFile = join(opts.dir, PORT_FILE);
  const leftPort = await readFile(portFile, 'utf8').then((s) => Number(s.trim()), () => NaN);
  if (Number.isInteger(leftPort) && leftPort > 0) {
    const leftUrl = `redis://127.0.0.1:${leftPort}`;
    if (await pingRedis(leftUrl, 500)) {
      return { url: leftUrl, stop: () => shutdownByCommand(leftUrl, portFile), privateServer: true };
    }
  }
  if (!findRedisServer(opts.searchPath)) throw new RedisUnavailableError(opts.url ?? DEFAULT_REDIS_URL);
  const server = await startPrivateRedis({ dir: opts.dir, appendOnly: true, searchPath: opts.searchPath });
  await writeFile(portFile, String(server.port));
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await rm(portFile, { force: true });
    },
    privateServer: true,
  };
}

/** Name of the file under the private server's dir that records its port while it runs. */
const PORT_FILE = 'redis.port';

/** Stops an adopted server (not our child): SHUTDOWN over the wire, which flushes the AOF. */
async function shutdownByCommand(url: string, portFile: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.call('SHUTDOWN').catch(() => undefined); // the connection drops as the server exits
  } catch {
    // already gone
  } finally {
    client.disconnect();
    await rm(portFile, { force: true });
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, hasExited: () => boolean): Promise<void> {
  if (hasExited()) return;
  child.kill('SIGTERM'); // redis-server shuts down cleanly on SIGTERM (flushes the AOF)
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

function quoteArg(arg: string): string {
  return /^[\w./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
