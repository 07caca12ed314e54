/**
 * The composition root: the only file that knows every concrete class.
 *   tsx main.ts            run the bot (console chat, SQLite under DATA_DIR, Redis)
 *   tsx main.ts demo       the same, and load the seed article's demo cases
 *   tsx main.ts import F   import a JSON or CSV file of cases, then exit
 */
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleChat } from './adapters/chat/console-chat';
import { importFile, importRows, jsonRows } from './adapters/intake/file-import';
import { createIntakeServer } from './adapters/intake/http-intake-server';
import { createLogger } from './adapters/log/pino-logger';
import { FilePublicChannel } from './adapters/public/file-public-channel';
import { ensureRedis, RedisUnavailableError } from './adapters/redis/private-redis-server';
import { createApp, errorSummary } from './bot/app';
import { BullmqWorkDispatcher } from './bot/bullmq-work-dispatcher';
import { ConfigError, loadConfig, loadDotEnv } from './bot/load-config';
import { reconcile } from './bot/reconciler';
import { startWorkers } from './bot/workers';
import type { Logger } from './core/ports';
import { openDatabase } from './storage/open-database';
import { SqliteCaseStore } from './storage/sqlite-case-store';
import { readFileSync } from 'node:fs';

const ROOT = dirname(fileURLToPath(import.meta.url));

async function main(argv: string[]): Promise<void> {
  loadDotEnv(resolve('.env'), process.env);
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel });
  const command = argv[0] ?? 'start';
  if (!['start', 'demo', 'import'].includes(command)) throw new ConfigError(`不认识的命令「${command}」：start | demo | import <文件>`);

  const redisServer = await ensureRedis({ url: config.redisUrl, dir: join(config.dataDir, 'redis') });
  if (redisServer.privateServer) logger.info({ url: redisServer.url, dir: join(config.dataDir, 'redis') }, 'started a private redis-server');
  const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  connection.on('error', (err) => logger.warn({ err: errorSummary(err) }, 'redis connection error'));
  const database = openDatabase(config.dbFile);
  const store = new SqliteCaseStore(database.db);
  const dispatcher = new BullmqWorkDispatcher({ connection, prefix: config.redisPrefix });
  const app = createApp({ store, config: config.street, dispatcher, logger, clock: Date.now });

  const closeCore = async () => {
    await dispatcher.close();
    await connection.quit().catch(() => undefined);
    database.close();
    await redisServer.stop();
  };

  if (command === 'import') {
    const file = argv[1];
    if (!file) throw new ConfigError('用法：npm run import -- <文件.json|文件.csv>');
    const report = await importFile(app, resolve(file), (done, total) => process.stderr.write(`\r导入 ${done}/${total}`));
    process.stderr.write('\n');
    for (const bad of report.bad) process.stderr.write(`第 ${bad.line} 行：${bad.error}\n`);
    process.stderr.write(`共 ${report.rows} 行：新建 ${report.created}，已存在 ${report.existing}，出错跳过 ${report.bad.length}\n`);
    await closeCore();
    process.exitCode = report.bad.length > 0 ? 1 : 0;
    return;
  }

  const groups = new Set(Object.keys(config.street.groupNames));
  const chat = new ConsoleChat({
    input: process.stdin,
    output: process.stdout,
    groups,
    onMessage: (msg) => app.handleMessage(msg),
    onBadLine: (text) => process.stderr.write(`${text}\n`),
  });
  const publicChannel = new FilePublicChannel(config.dataDir);
  const workers = startWorkers(app, { store, chat, publicChannel, logger, clock: Date.now }, { connection, prefix: config.redisPrefix });
  const http = createIntakeServer({ app, token: config.intakeToken, redisHealthy: async () => (await connection.ping()) === 'PONG', logger });
  const addr = await http.listen(config.httpPort);
  logger.info({ host: addr.host, port: addr.port }, 'intake API listening');

  const runReconcile = () => reconcile({ store, dispatcher, redis: connection, logger }).catch((err) => logger.error({ err: errorSummary(err) }, 'reconcile failed'));
  await runReconcile();
  const timer = setInterval(runReconcile, config.reconcileEveryMs);
  chat.start();
  logger.info({ street: config.street.street, groups: [...groups], dataDir: config.dataDir }, 'jiesu is running (console chat)');

  if (command === 'demo') await loadDemo(app, logger);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    clearInterval(timer);
    chat.stop();
    await http.close();
    await workers.close();
    await closeCore();
    logger.info({}, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The seed article's cases, with fresh times so their deadlines run from now. */
async function loadDemo(app: ReturnType<typeof createApp>, logger: Logger): Promise<void> {
  const file = join(ROOT, 'fixtures', 'seed-cases.json');
  if (!existsSync(file)) throw new ConfigError(`找不到演示数据 ${file}`);
  const rows = jsonRows(readFileSync(file, 'utf8')).map((r) => {
    const { reportedAt: _r, ...rest } = r.value as Record<string, unknown>;
    return { line: r.line, value: rest };
  });
  const report = await importRows(app, rows);
  logger.info({ created: report.created, existing: report.existing, bad: report.bad.length }, 'demo cases loaded');
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError || err instanceof RedisUnavailableError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`jiesu failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
