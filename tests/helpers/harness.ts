/**
 * Wires the real application for integration tests: SQLite in a temp dir, BullMQ on the test Redis
 * with a unique prefix, the workers, and a recording chat adapter. `close()` tears it all down.
 */
import { Redis } from 'ioredis';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FilePublicChannel } from '../../adapters/public/file-public-channel';
import { createApp, type App } from '../../bot/app';
import { BullmqWorkDispatcher } from '../../bot/bullmq-work-dispatcher';
import { startWorkers } from '../../bot/workers';
import type { Logger, OutgoingMessage, PlatformChat, PublicChannel, StatusWebhook } from '../../core/ports';
import { CompositePublicChannel } from '../../bot/public-channels';
import { ChatRouter } from '../../bot/chat-router';
import type { AppServices } from '../../bot/services';
import { parseStreetConfig, type StreetConfig } from '../../core/street-config';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { SqliteMediaStore } from '../../storage/sqlite-media-store';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from './redis';

export const TEST_STREET_YAML = join(import.meta.dirname, '..', 'fixtures', 'street-test.yaml');

export function loadTestStreet(file = TEST_STREET_YAML): StreetConfig {
  const r = parseStreetConfig(parseYaml(readFileSync(file, 'utf8')));
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * A console-like chat platform that records what it sends (every configured group exists, chat id =
 * group key); `fail` makes sends throw (transient) while true.
 */
export class RecordingChat implements PlatformChat {
  readonly platform = 'console';
  readonly sent: OutgoingMessage[] = [];
  fail = false;
  private waiters: { pred: (m: OutgoingMessage[]) => boolean; resolve: () => void }[] = [];

  constructor(private readonly groups: ReadonlySet<string> = new Set()) {}

  staticChatIds(group: string): string[] {
    return this.groups.has(group) ? [group] : [];
  }

  async sendTo(_chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.fail) throw Object.assign(new Error('chat down'), { permanent: false });
    this.sent.push(msg);
    this.waiters = this.waiters.filter((w) => (w.pred(this.sent) ? (w.resolve(), false) : true));
    return { messageId: String(msg.outboxId) };
  }

  /** Private messages land in `sent` too, addressed `~console:<userId>`; `unreachable` makes them fail as never opened. */
  unreachable = false;
  async sendPrivate(userId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.unreachable) throw Object.assign(new Error('never opened a chat'), { permanent: true });
    return this.sendTo(userId, msg);
  }

  /** Resolves once the sent messages satisfy `pred` (rejects after `timeoutMs`). */
  waitFor(pred: (sent: OutgoingMessage[]) => boolean, timeoutMs = 20_000, what = 'messages'): Promise<void> {
    if (pred(this.sent)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; sent so far:\n${this.sent.map((m) => `${m.group}: ${m.text.split('\n')[0]}`).join('\n')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  inGroup(group: string): OutgoingMessage[] {
    return this.sent.filter((m) => m.group === group);
  }
}

export interface Harness {
  app: App;
  store: SqliteCaseStore;
  /** Photos kept as evidence (DATA_DIR/media). */
  media: SqliteMediaStore;
  chat: RecordingChat;
  dispatcher: BullmqWorkDispatcher;
  redis: Redis;
  prefix: string;
  dataDir: string;
  config: StreetConfig;
  /** Stops workers and queues (keeps the data dir) — a "process exit". */
  stop(): Promise<void>;
  /** stop() and remove the data and the Redis keys. */
  close(): Promise<void>;
}

export interface HarnessOptions {
  name: string;
  config?: StreetConfig;
  /** Reuse a data dir / prefix (a restart). */
  dataDir?: string;
  prefix?: string;
  clock?: () => number;
  /** Start the workers (default true). */
  workers?: boolean;
  /** More chat platforms beside the recording console (adapter tests). */
  platforms?: PlatformChat[];
  /** Services for command handlers (reports…), built on the harness's database connection and data dir. */
  services?: (deps: { sqlite: ReturnType<typeof openDatabase>['sqlite']; dataDir: string; config: StreetConfig; clock: () => number }) => AppServices;
  /**
   * The public side, built once the store and app exist (public-channel adapter tests); all of them
   * get every item, in order. Default: the file channel in the data dir.
   */
  /** The hotline side's result webhook: status changes are written to the outbox and delivered there. */
  webhook?: StatusWebhook;
  publicChannels?: (deps: { store: SqliteCaseStore; app: App; redis: Redis; prefix: string; dataDir: string; config: StreetConfig; clock: () => number }) => PublicChannel[];
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const url = testRedisUrl();
  const prefix = opts.prefix ?? uniquePrefix(opts.name);
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), `jiesu-${opts.name}-`));
  const config = opts.config ?? loadTestStreet();
  const clock = opts.clock ?? Date.now;
  const database = openDatabase(join(dataDir, 'jiesu.sqlite'));
  const store = new SqliteCaseStore(database.db);
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  // Connected before the first hand-off: the dispatcher refuses at once while Redis is not ready.
  await redis.ping();
  const dispatcher = new BullmqWorkDispatcher({ connection: redis, prefix }, clock);
  const media = new SqliteMediaStore(database.db, join(dataDir, 'media'));
  const app = createApp({ store, config, dispatcher, logger: silentLogger, clock, media, statusWebhook: opts.webhook !== undefined, services: opts.services?.({ sqlite: database.sqlite, dataDir, config, clock }) });
  const chat = new RecordingChat(new Set(Object.keys(config.groupNames)));
  const router = new ChatRouter(store, [chat, ...(opts.platforms ?? [])], silentLogger, clock, async ({ platform, group }) => {
    await app.notify('consult', `机器人已不在一个${platform}群里（${group ?? '未绑定'}），该群已解除绑定。`);
  });
  const publicChannel = opts.publicChannels ? new CompositePublicChannel(opts.publicChannels({ store, app, redis, prefix, dataDir, config, clock })) : new FilePublicChannel(dataDir);
  const workers = opts.workers === false ? null : startWorkers(app, { store, chat: router, publicChannel, webhook: opts.webhook, logger: silentLogger, clock, onQueued: (rows) => dispatcher.deliver(rows) }, { connection: redis, prefix });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await workers?.close();
    await dispatcher.close();
    redis.disconnect();
    database.close();
  };
  return {
    app, store, media, chat, dispatcher, redis, prefix, dataDir, config, stop,
    async close() {
      await stop();
      await deleteKeysWithPrefix(url, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A chat message from someone in a group (console platform). */
export function say(h: Harness, group: string, sender: string, text: string, quotedMessageId?: string) {
  return h.app.handleMessage({ platform: 'console', chatId: group, group, sender: { id: sender, name: sender }, text, quotedMessageId });
}
