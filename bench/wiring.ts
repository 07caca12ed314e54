/**
 * The real application, wired for the bench the way main.ts wires it: SQLite (WAL, migrations) in a
 * temp dir, BullMQ on the bench's private Redis, and a chat that accepts everything (delivery is not
 * what P1/P2 measure). Workers are optional.
 */
import { Redis } from 'ioredis';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FilePublicChannel } from '../adapters/public/file-public-channel';
import { createApp, type App } from '../bot/app';
import { BullmqWorkDispatcher } from '../bot/bullmq-work-dispatcher';
import { ChatRouter } from '../bot/chat-router';
import { startWorkers } from '../bot/workers';
import type { Logger, OutgoingMessage, PlatformChat } from '../core/ports';
import { parseStreetConfig, type StreetConfig } from '../core/street-config';
import { openDatabase } from '../storage/open-database';
import { SqliteCaseStore } from '../storage/sqlite-case-store';

export const ROOT = join(import.meta.dirname, '..');
export const STREET_YAML = join(ROOT, 'config', 'street.yaml');

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * The demo street, optionally with deadline overrides merged into its `deadlines:` section and other
 * top-level sections replaced (`people`, `departments` …).
 */
export function loadStreet(deadlines: Record<string, unknown> = {}, sections: Record<string, unknown> = {}): StreetConfig {
  const raw = parseYaml(readFileSync(STREET_YAML, 'utf8')) as { deadlines?: Record<string, unknown> };
  raw.deadlines = { ...(raw.deadlines ?? {}), ...deadlines };
  const r = parseStreetConfig({ ...raw, ...sections });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

/** Every configured group exists; sends succeed at once and are only counted. */
export class CountingChat implements PlatformChat {
  readonly platform = 'console';
  sent = 0;
  constructor(private readonly groups: ReadonlySet<string>) {}
  staticChatIds(group: string): string[] {
    return this.groups.has(group) ? [group] : [];
  }
  async sendTo(_chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    this.sent++;
    return { messageId: String(msg.outboxId) };
  }
}

export interface BenchApp {
  app: App;
  store: SqliteCaseStore;
  sqlite: ReturnType<typeof openDatabase>['sqlite'];
  dispatcher: BullmqWorkDispatcher;
  redis: Redis;
  config: StreetConfig;
  chat: CountingChat;
  prefix: string;
  dataDir: string;
  /**
   * Starts the BullMQ workers as main.ts does (`BENCH_DEADLINE_CONCURRENCY` overrides the deadline
   * worker's concurrency); `handleDue` may be wrapped (P3 records lateness there).
   */
  startWorkers(wrapDue?: (inner: App['handleDue']) => App['handleDue']): ReturnType<typeof startWorkers>;
  close(): Promise<void>;
}

export async function startBenchApp(
  redisUrl: string,
  opts: {
    name: string;
    prefix?: string;
    config?: StreetConfig;
    store?: (db: ReturnType<typeof openDatabase>['db']) => SqliteCaseStore;
    /** An existing data dir holding `jiesu.sqlite` (P5's steady state); left in place by close(). Default: a new temp dir, removed by close(). */
    dataDir?: string;
  },
): Promise<BenchApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), `jiesu-bench-${opts.name}-`));
  const prefix = opts.prefix ?? 'bench';
  const config = opts.config ?? loadStreet();
  const database = openDatabase(join(dataDir, 'jiesu.sqlite'));
  const store = opts.store ? opts.store(database.db) : new SqliteCaseStore(database.db);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const dispatcher = new BullmqWorkDispatcher({ connection: redis, prefix });
  const app = createApp({ store, config, dispatcher, logger: silentLogger, clock: Date.now });
  const chat = new CountingChat(new Set(Object.keys(config.groupNames)));
  let workers: ReturnType<typeof startWorkers> | null = null;
  return {
    app, store, sqlite: database.sqlite, dispatcher, redis, config, chat, prefix, dataDir,
    startWorkers(wrapDue) {
      const router = new ChatRouter(store, [chat], silentLogger, Date.now);
      const wrapped: App = wrapDue ? { ...app, handleDue: wrapDue(app.handleDue) } : app;
      workers = startWorkers(wrapped, { store, chat: router, publicChannel: new FilePublicChannel(dataDir), logger: silentLogger, clock: Date.now }, { connection: redis, prefix, ...(process.env.BENCH_DEADLINE_CONCURRENCY ? { deadlineConcurrency: Number(process.env.BENCH_DEADLINE_CONCURRENCY) } : {}) });
      return workers;
    },
    async close() {
      await workers?.close();
      await dispatcher.close();
      redis.disconnect();
      database.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The cards of a setup count as delivered and their jobs are dropped: what remains pending is the deadline
 * jobs (P3 and P5 measure those, not 100,000 cards being posted beside them).
 */
export async function cardsDelivered(b: BenchApp): Promise<void> {
  b.sqlite.prepare("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'").run(Date.now());
  await b.dispatcher.outbound.obliterate({ force: true });
}

/** The street with every case's first milestone an hour away: a slow setup cannot reach it mid-measurement. */
export function streetWithHourWindows(): StreetConfig {
  const hour = '1h';
  return loadStreet({ unclaimed: { urgent: hour, utility: hour, ordinary: hour, complex: hour, consult: hour } });
}
