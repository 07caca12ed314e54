/**
 * The real application for fault tests, on a Redis the test owns (FLUSHALL and restarts would hurt
 * the shared test Redis): SQLite in a temp dir, BullMQ, the workers started and stopped at will, and
 * the recording chat whose `fail` flag makes every send throw.
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePublicChannel } from '../../adapters/public/file-public-channel';
import { createApp, type App } from '../../bot/app';
import { BullmqWorkDispatcher } from '../../bot/bullmq-work-dispatcher';
import { ChatRouter } from '../../bot/chat-router';
import { reconcile, type ReconcileReport } from '../../bot/reconciler';
import { startWorkers } from '../../bot/workers';
import type { StreetConfig } from '../../core/street-config';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { RecordingChat, loadTestStreet, silentLogger } from '../helpers/harness';

export interface FaultApp {
  app: App;
  store: SqliteCaseStore;
  /** A second, plain connection for the checks (what is really on disk). */
  db: Database.Database;
  dispatcher: BullmqWorkDispatcher;
  redis: Redis;
  chat: RecordingChat;
  prefix: string;
  startWorkers(): void;
  stopWorkers(): Promise<void>;
  reconcile(): Promise<ReconcileReport>;
  close(): Promise<void>;
}

export async function startFaultApp(redisUrl: string, opts: { name: string; config?: StreetConfig; workers?: boolean }): Promise<FaultApp> {
  const dataDir = mkdtempSync(join(tmpdir(), `jiesu-fault-${opts.name}-`));
  const prefix = `fault-${opts.name}`;
  const config = opts.config ?? loadTestStreet();
  const database = openDatabase(join(dataDir, 'jiesu.sqlite'));
  const store = new SqliteCaseStore(database.db);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => {}); // a Redis restart is part of the test
  const dispatcher = new BullmqWorkDispatcher({ connection: redis, prefix });
  for (const q of [dispatcher.outbound, dispatcher.deadlines]) q.on('error', () => {});
  const app = createApp({ store, config, dispatcher, logger: silentLogger, clock: Date.now });
  const chat = new RecordingChat(new Set(Object.keys(config.groupNames)));
  const router = new ChatRouter(store, [chat], silentLogger, Date.now);
  let workers: ReturnType<typeof startWorkers> | null = null;
  const db = new Database(join(dataDir, 'jiesu.sqlite'), { readonly: true });
  const fa: FaultApp = {
    app, store, db, dispatcher, redis, chat, prefix,
    startWorkers() {
      workers ??= startWorkers(app, { store, chat: router, publicChannel: new FilePublicChannel(dataDir), logger: silentLogger, clock: Date.now }, { connection: redis, prefix });
    },
    async stopWorkers() {
      await workers?.close();
      workers = null;
    },
    reconcile: () => reconcile({ store, dispatcher, redis, logger: silentLogger }),
    async close() {
      await fa.stopWorkers();
      await dispatcher.close();
      redis.disconnect();
      db.close();
      database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.workers !== false) fa.startWorkers();
  return fa;
}

/** Open cases with a pending milestone and the id of the deadline job each must have. */
export function openCasesWithJobs(db: Database.Database): { id: number; jobId: string }[] {
  const rows = db.prepare("SELECT id, next_due_kind AS kind, version FROM cases WHERE status IN ('new','claimed','contacted','reopened') AND next_due_kind IS NOT NULL ORDER BY id").all() as { id: number; kind: string; version: number }[];
  return rows.map((r) => ({ id: r.id, jobId: `deadline-${r.id}-${r.kind}-${r.version}` }));
}

/** How many of these BullMQ job ids have their job hash in Redis. */
export async function jobsPresent(redis: Redis, prefix: string, queue: string, jobIds: string[]): Promise<Set<string>> {
  const pipe = redis.pipeline();
  for (const id of jobIds) pipe.exists(`${prefix}:${queue}:${id}`);
  const res = (await pipe.exec()) ?? [];
  return new Set(jobIds.filter((_, i) => res[i]?.[1] === 1));
}
