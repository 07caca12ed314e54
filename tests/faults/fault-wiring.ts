/**
 * The real application for fault tests, on a Redis the test owns (FLUSHALL and restarts would hurt
 * the shared test Redis): SQLite in a temp dir, BullMQ, the workers started and stopped at will, and
 * the recording chat whose `fail` flag makes every send throw. On request also the real HTTP server
 * (as main.ts wires its /healthz) and the running reconciler (timer + Redis-is-back trigger).
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { FilePublicChannel } from '../../adapters/public/file-public-channel';
import { createApp, type App } from '../../bot/app';
import { BullmqWorkDispatcher } from '../../bot/bullmq-work-dispatcher';
import { ChatRouter } from '../../bot/chat-router';
import { reconcile, startReconciler, type ReconcileReport, type RunningReconciler } from '../../bot/reconciler';
import { startWorkers } from '../../bot/workers';
import type { Logger } from '../../core/ports';
import type { StreetConfig } from '../../core/street-config';
import type { MilestoneKind } from '../../core/types';
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
  /** With `http`: the intake server's base URL (`http://127.0.0.1:<port>`). */
  baseUrl: string | null;
  /** With `reconcileEveryMs`: the reconciler as main.ts runs it. */
  reconciler: RunningReconciler | null;
  /** Every log line the app, server and reconciler wrote (level, message, fields). */
  logs: LogLine[];
  /** Every deadline milestone a worker committed (handleDue returned true), in order, with when (epoch ms). */
  fired: { caseId: number; kind: MilestoneKind; dueAt: number; version: number; at: number }[];
  close(): Promise<void>;
}

/** One recorded log call. */
export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string;
  obj: Record<string, unknown>;
}

export interface FaultAppOptions {
  name: string;
  config?: StreetConfig;
  workers?: boolean;
  /** Start the intake HTTP server on 127.0.0.1 (no token), /healthz wired as in main.ts. */
  http?: boolean;
  /** Start the reconciler with this period (ms), as main.ts does with RECONCILE_EVERY. */
  reconcileEveryMs?: number;
}

export async function startFaultApp(redisUrl: string, opts: FaultAppOptions): Promise<FaultApp> {
  const dataDir = mkdtempSync(join(tmpdir(), `jiesu-fault-${opts.name}-`));
  const prefix = `fault-${opts.name}`;
  const config = opts.config ?? loadTestStreet();
  const database = openDatabase(join(dataDir, 'jiesu.sqlite'));
  const store = new SqliteCaseStore(database.db);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => {}); // a Redis restart is part of the test
  const logs: LogLine[] = [];
  const record = (level: LogLine['level']) => (obj: object, msg = '') => void logs.push({ level, msg, obj: obj as Record<string, unknown> });
  const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error'), debug: () => {} };
  const dispatcher = new BullmqWorkDispatcher({ connection: redis, prefix });
  const app = createApp({ store, config, dispatcher, logger, clock: Date.now });
  const fired: FaultApp['fired'] = [];
  // The workers' view of the app: the same app, recording each milestone it commits.
  const watched = {
    ...app,
    handleDue: async (job: { caseId: number; kind: MilestoneKind; dueAt: number; version: number }) => {
      const committed = await app.handleDue(job);
      if (committed) fired.push({ caseId: job.caseId, kind: job.kind, dueAt: job.dueAt, version: job.version, at: Date.now() });
      return committed;
    },
  };
  const chat = new RecordingChat(new Set(Object.keys(config.groupNames)));
  const router = new ChatRouter(store, [chat], silentLogger, Date.now);
  let workers: ReturnType<typeof startWorkers> | null = null;
  const db = new Database(join(dataDir, 'jiesu.sqlite'), { readonly: true });
  const server = opts.http
    ? createIntakeServer({ app, token: null, logger, redisHealthy: async () => redis.status === 'ready' && (await redis.ping()) === 'PONG' })
    : null;
  const baseUrl = server ? `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}` : null;
  const reconciler = opts.reconcileEveryMs ? startReconciler({ store, dispatcher, redis, logger, everyMs: opts.reconcileEveryMs }) : null;
  const fa: FaultApp = {
    app, store, db, dispatcher, redis, chat, prefix, baseUrl, reconciler, logs, fired,
    startWorkers() {
      workers ??= startWorkers(watched, { store, chat: router, publicChannel: new FilePublicChannel(dataDir), logger: silentLogger, clock: Date.now }, { connection: redis, prefix });
    },
    async stopWorkers() {
      await workers?.close();
      workers = null;
    },
    reconcile: () => reconcile({ store, dispatcher, redis, logger: silentLogger }),
    async close() {
      reconciler?.stop();
      await server?.close();
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
