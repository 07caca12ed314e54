/**
 * The composition root: the only file that knows every concrete class.
 *   tsx main.ts            run the bot (console chat, SQLite under DATA_DIR, Redis)
 *   tsx main.ts demo       the same, and load the seed article's demo cases
 *   tsx main.ts import F   import an XLSX, CSV or JSON file of cases, then exit
 *   tsx main.ts bind-code  print a new one-time binding code, then exit
 *   tsx main.ts digest     compose the weekly digest now (files, and the public account when configured), then exit
 *   tsx main.ts export P   write the ledger (台账) of period P (2026-11, 本月, 上月; --csv) under DATA_DIR/reports, print its path, exit
 */
import { Redis } from 'ioredis';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleChat } from './adapters/chat/console-chat';
import { telegramPlatform } from './adapters/chat/telegram/telegram-platform';
import { createWechatyChat } from './adapters/chat/wechaty/create-wechaty-chat';
import { badRowText, importFile, importRows, jsonRows } from './adapters/intake/file-import';
import { createProgressBar } from './adapters/intake/import-progress';
import { createIntakeServer, type HttpRoute } from './adapters/intake/http-intake-server';
import { createQueueBoard } from './adapters/http/web/queue-board';
import { webConsoleRoute } from './adapters/http/web/web-console';
import { WebEvents } from './adapters/http/web/web-events';
import { groupRecorder, WebSessions } from './adapters/http/web/web-sessions';
import { createLogger } from './adapters/log/pino-logger';
import { loadHolidayData } from './adapters/calendar/chinese-days-holidays';
import { EchartsChartRenderer } from './adapters/chart/echarts-chart-renderer';
import { XlsxLedgerExporter } from './adapters/export/xlsx-ledger-exporter';
import { reportsApiRoute } from './adapters/intake/reports-api';
import { DispatchWebhook } from './adapters/webhook/dispatch-webhook';
import { createJiebaSegmenter } from './adapters/nlp/jieba-segmenter';
import { FilePublicChannel } from './adapters/public/file-public-channel';
import { createWechatMp, mpCredentialsSet } from './adapters/public/wechat-mp/wechat-mp';
import { ensureRedis, RedisUnavailableError } from './adapters/redis/private-redis-server';
import { createApp, errorSummary, type App } from './bot/app';
import { issueBindingCode } from './bot/binding-codes';
import { BullmqWorkDispatcher, DEADLINES_QUEUE, OUTBOUND_QUEUE } from './bot/bullmq-work-dispatcher';
import { ChatRouter } from './bot/chat-router';
import { ConfigError, loadConfig, loadDotEnv, requireIntakeToken, type AppConfig } from './bot/load-config';
import { digestSettings, runDigest, type DigestSettings } from './bot/digest';
import { FileDigestPublisher } from './bot/digest-files';
import { DIGEST_QUEUE, startDigestSchedule } from './bot/digest-schedule';
import { CompositePublicChannel } from './bot/public-channels';
import { startReconciler } from './bot/reconciler';
import { exportFromArgs, SqlLedgerExportService } from './bot/export-service';
import { SqlReportService, type ReportService } from './bot/report-service';
import { startReportScheduler } from './bot/report-scheduler';
import { startWorkers } from './bot/workers';
import { startDutySchedule } from './bot/duty-schedule';
import { createRosterService } from './bot/roster-service';
import { warnUncoveredYears, workDayCalendar } from './bot/work-day-calendar';
import { createWorkCalendar } from './core/time/work-calendar';
import { buildCategoryTable, createClassifier } from './core/classify';
import type { CaseStore, DigestPublisher, Logger, PlatformChat, PublicChannel } from './core/ports';
import { openDatabase } from './storage/open-database';
import { SqliteCaseStore } from './storage/sqlite-case-store';
import { SqliteDutyStore } from './storage/sqlite-duty-store';
import { SqliteMediaStore } from './storage/sqlite-media-store';
import { SqliteLedgerQueries } from './storage/sqlite-ledger-queries';
import { SqliteReportQueries } from './storage/sqlite-report-queries';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** What every adapter factory gets. */
interface PlatformContext {
  config: AppConfig;
  app: App;
  store: CaseStore;
  logger: Logger;
  redis: Redis;
  /** The web console's live events (the chat simulator hears the console's messages). */
  web?: WebEvents;
}

/** A running chat platform: its sending side, extra HTTP routes (webhooks), and its lifecycle. */
interface RunningChat {
  chat: PlatformChat;
  routes?: HttpRoute[];
  /** Starts receiving (after the workers and the HTTP server are up). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface RunningPublic {
  channel: PublicChannel;
  routes?: HttpRoute[];
  /** Where this channel takes the weekly digest (the files are always written). */
  digest?: DigestPublisher;
  stop?(): Promise<void>;
}

/** CHAT=… → how each chat platform is built. */
const CHAT_PLATFORMS: Record<string, (ctx: PlatformContext) => Promise<RunningChat>> = {
  telegram: async ({ config, app, logger }) => telegramPlatform({ config, app, logger }),
  wechaty: async ({ config, app, logger }) => {
    const chat = createWechatyChat({ env: config.env, dataDir: config.dataDir, street: config.street, logger, onMessage: async (msg) => void (await app.handleMessage(msg)) });
    return { chat, start: () => chat.start(), stop: () => chat.stop() };
  },
  console: async ({ config, app, web }) => {
    const chat = new ConsoleChat({
      input: process.stdin,
      output: process.stdout,
      groups: new Set(Object.keys(config.street.groupNames)),
      onMessage: async (msg) => void (await app.handleMessage(msg)),
      onBadLine: (text) => process.stderr.write(`${text}\n`),
      onSent: web?.chatPrinted,
    });
    return { chat, start: async () => chat.start(), stop: async () => chat.stop() };
  },
};

/** PUBLIC=… → how each public-side channel is built. */
const PUBLIC_CHANNELS: Record<string, (ctx: PlatformContext) => Promise<RunningPublic>> = {
  file: async ({ config }) => ({ channel: new FilePublicChannel(config.dataDir) }),
  'wechat-mp': async ({ config, app, store, logger, redis }) => {
    const mp = createWechatMp({ env: config.env, street: config.street, store, app, redis, redisPrefix: config.redisPrefix, logger });
    return { channel: mp.channel, routes: mp.routes, digest: mp.digest };
  },
};

/** PUBLIC as set; when PUBLIC is not set but the MP_* credentials are, the files and the public account. */
function publicKinds(config: AppConfig): string[] {
  if (!config.env.PUBLIC && mpCredentialsSet(config.env)) return ['file', 'wechat-mp'];
  return config.publicChannels;
}

/** The digest always goes to files; each public channel that takes it adds its own publisher. */
function digestPublishers(config: AppConfig, publics: RunningPublic[]): DigestPublisher[] {
  return [new FileDigestPublisher(config.dataDir), ...publics.flatMap((p) => (p.digest ? [p.digest] : []))];
}

function readDigestSettings(config: AppConfig): DigestSettings {
  try {
    return digestSettings(config.street.publicAccount);
  } catch (err) {
    throw new ConfigError(`街道配置 ${config.configFile}：${err instanceof Error ? err.message : String(err)}`);
  }
}

/** 导出 and `npm run export`: the ledger's rows by SQL, its figures sheet from the reports' own figures. */
function ledgerExports(config: AppConfig, sqlite: ReturnType<typeof openDatabase>['sqlite'], reports: ReportService): SqlLedgerExportService {
  return new SqlLedgerExportService({
    ledger: new SqliteLedgerQueries(sqlite),
    exporter: new XlsxLedgerExporter({ timeZone: config.street.timeZone }),
    figures: (period, now) => reports.figures(period, null, now),
    dir: join(config.dataDir, 'reports'),
    config: config.street,
  });
}

async function main(argv: string[]): Promise<void> {
  loadDotEnv(resolve('.env'), process.env);
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel });
  const command = argv[0] ?? 'start';
  if (!['start', 'demo', 'import', 'bind-code', 'digest', 'export'].includes(command)) throw new ConfigError(`不认识的命令「${command}」：start | demo | import <文件> | bind-code | digest | export <月份>`);
  const digestConf = readDigestSettings(config);
  // Before anything starts: an exposed HTTP server needs a strong token (one line, exit 1).
  if (command === 'start' || command === 'demo') {
    requireIntakeToken({ host: config.httpHost, token: config.intakeToken, publicChannels: publicKinds(config), chat: config.chat, telegramWebhookUrl: config.env.TELEGRAM_WEBHOOK_URL });
  }

  const database = openDatabase(config.dbFile);
  const store = new SqliteCaseStore(database.db);
  if (command === 'bind-code') {
    process.stdout.write(`${issueBindingCode(store, Date.now())}\n`);
    database.close();
    return;
  }
  // The ledger needs only the database: no Redis, no HTTP server, no chat.
  if (command === 'export') {
    const reports = new SqlReportService({ queries: new SqliteReportQueries(database.sqlite), chart: new EchartsChartRenderer(), dir: join(config.dataDir, 'reports'), config: config.street });
    const result = await exportFromArgs(ledgerExports(config, database.sqlite, reports), argv.slice(1), Date.now());
    database.close();
    if (!result.ok) throw new ConfigError(result.message);
    process.stderr.write(`台账 ${result.file.title}：共 ${result.file.cases} 件\n`);
    process.stdout.write(`${result.file.path}\n`);
    return;
  }

  const redisServer = await ensureRedis({ url: config.redisUrl, mustAnswer: config.redisUrlExplicit, dir: join(config.dataDir, 'redis') });
  if (redisServer.privateServer) logger.info({ url: redisServer.url, dir: join(config.dataDir, 'redis') }, 'started a private redis-server');
  const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  connection.on('error', (err) => logger.warn({ err: errorSummary(err) }, 'redis connection error'));
  const dispatcher = new BullmqWorkDispatcher({ connection, prefix: config.redisPrefix });
  // The citizen's words are read with jieba (loaded once, ~0.2 s) and the street's category table.
  const categoryTable = buildCategoryTable(config.street.categories);
  const classifier = createClassifier({ segment: createJiebaSegmenter(categoryTable), table: categoryTable });
  // Reports: SQL aggregates on the store's connection, charts as PNG under DATA_DIR/reports (统计, GET /api/reports, the schedule).
  const reportQueries = new SqliteReportQueries(database.sqlite);
  const chartRenderer = new EchartsChartRenderer();
  const reports = new SqlReportService({ queries: reportQueries, chart: chartRenderer, dir: join(config.dataDir, 'reports'), config: config.street });
  // Status changes go to the hotline side only when DISPATCH_WEBHOOK_URL is set.
  const webhook = config.dispatchWebhook ? new DispatchWebhook(config.dispatchWebhook) : undefined;
  // Photos sent as evidence: files under DATA_DIR/media/<case>/, rows beside the cases.
  const media = new SqliteMediaStore(database.db, join(config.dataDir, 'media'));
  // Working days (days: working) over China's holidays (chinese-days) and the YAML holidays:; the duty roster with its chat changes.
  const holidayData = loadHolidayData(config.street.holidays);
  const workCalendar = createWorkCalendar({ holidays: holidayData.holidays, coveredYears: holidayData.coveredYears, timeZone: config.street.timeZone });
  const dutyStore = new SqliteDutyStore(database.sqlite);
  const roster = createRosterService({ duty: config.street.duty, timeZone: config.street.timeZone, quietHours: config.street.quietHours, store: dutyStore, holidays: holidayData.periods });
  const calendar = workDayCalendar(workCalendar, config.street.days, config.street.timeZone);
  // The web console: sign-in links and sessions in Redis, live events from the app's commits.
  const webEvents = new WebEvents();
  const webSessions = new WebSessions({ redis: connection, prefix: config.redisPrefix, baseUrl: config.env.WEB_BASE_URL || `http://127.0.0.1:${config.httpPort}` });
  const webHooks = { onCaseChanged: webEvents.caseChanged, onMessageSeen: groupRecorder(webSessions, (p, c) => store.groupForChat(p, c), (err) => logger.warn({ err: errorSummary(err) }, 'web: recording a writer failed')) };
  const services = { reports, roster, exports: ledgerExports(config, database.sqlite, reports), webLogin: webSessions };
  const app = createApp({ ...webHooks, store, config: config.street, dispatcher, logger, clock: Date.now, classifier, media, statusWebhook: webhook !== undefined, calendar, services });

  const closeCore = async () => {
    await dispatcher.close();
    await connection.quit().catch(() => undefined);
    database.close();
    await redisServer.stop();
  };

  if (command === 'digest') {
    const ctx: PlatformContext = { config, app, store, logger, redis: connection };
    const publics = await Promise.all(publicKinds(config).map((kind) => PUBLIC_CHANNELS[kind]!(ctx)));
    const report = await runDigest({ store, config: config.street, publishers: digestPublishers(config, publics), notify: app.notify, logger, clock: Date.now, settings: digestConf });
    process.stdout.write(`${report.notice}\n`);
    for (const p of publics) await p.stop?.();
    await closeCore();
    process.exitCode = report.failed.length > 0 ? 1 : 0;
    return;
  }

  if (command === 'import') {
    const file = argv[1];
    if (!file) throw new ConfigError('用法：npm run import -- <文件.xlsx|文件.csv|文件.json>');
    const bar = createProgressBar(process.stderr);
    const groupKeys = Object.fromEntries(Object.entries(config.street.groupNames).map(([key, name]) => [name, key]));
    const report = await importFile(app, resolve(file), bar.update, { timeZone: config.street.timeZone, groupKeys });
    bar.finish();
    for (const bad of report.bad) process.stderr.write(`${badRowText(bad)}\n`);
    process.stderr.write(`共 ${report.rows} 行：新建 ${report.created}，已存在 ${report.existing}，出错跳过 ${report.bad.length}\n`);
    await closeCore();
    process.exitCode = report.bad.length > 0 ? 1 : 0;
    return;
  }

  const ctx: PlatformContext = { config, app, store, logger, redis: connection, web: webEvents };
  const chats = await Promise.all(config.chat.map((kind) => CHAT_PLATFORMS[kind]!(ctx)));
  const publics = await Promise.all(publicKinds(config).map((kind) => PUBLIC_CHANNELS[kind]!(ctx)));
  const router = new ChatRouter(store, chats.map((c) => c.chat), logger, Date.now, async ({ platform, group }) => {
    await app.notify('consult', `机器人已被移出一个 ${platform} 群${group ? `（原绑定「${config.street.groupNames[group] ?? group}」）` : ''}，该群已解除绑定。`);
  });
  const publicChannel = new CompositePublicChannel(publics.map((p) => p.channel));
  const workers = startWorkers(app, { store, chat: router, publicChannel, webhook, logger, clock: Date.now, onQueued: (rows) => dispatcher.deliver(rows) }, { connection, prefix: config.redisPrefix });
  const digestSchedule = await startDigestSchedule({
    connection,
    prefix: config.redisPrefix,
    cron: digestConf.cron,
    timeZone: config.street.timeZone,
    logger,
    run: () => runDigest({ store, config: config.street, publishers: digestPublishers(config, publics), notify: app.notify, logger, clock: Date.now, settings: digestConf }),
  });
  // The queues for an admin at /admin/queues (@bull-board).
  const queueBoard = createQueueBoard({ connection, prefix: config.redisPrefix, queueNames: [OUTBOUND_QUEUE, DEADLINES_QUEUE, DIGEST_QUEUE] });
  const http = createIntakeServer({
    app,
    token: config.intakeToken,
    // Not ready = down, at once: a PING would wait in ioredis's offline queue until Redis is back.
    redisHealthy: async () => connection.status === 'ready' && (await connection.ping()) === 'PONG',
    logger,
    extraRoutes: [
      reportsApiRoute({ reports, token: config.intakeToken, groups: Object.keys(config.street.groupNames), timeZone: config.street.timeZone, clock: Date.now }),
      webConsoleRoute({ app, sessions: webSessions, events: webEvents, logger, clock: Date.now, services, consoleChat: config.chat.includes('console'), queues: queueBoard, secureCookie: (config.env.WEB_BASE_URL ?? '').startsWith('https:') }),
      ...[...chats, ...publics].flatMap((p) => p.routes ?? []),
    ],
  });
  const addr = await http.listen(config.httpPort, config.httpHost);
  logger.info({ host: addr.host, port: addr.port }, 'intake API listening');

  const reconciler = startReconciler({ store, dispatcher, redis: connection, logger, everyMs: config.reconcileEveryMs });
  await reconciler.runNow();
  // 日报/周报/月报: checked every minute; a report missed while the bot was down goes out now, once, marked late.
  const reportScheduler = startReportScheduler({ reports, sent: reportQueries, config: config.street, postOnce: app.postOnce, clock: Date.now, logger });
  // 交班 notices at each handover and the monthly 研判 notice, checked every minute; once each (sent_reports).
  const dutySchedule = startDutySchedule({ roster, notices: dutyStore, store, timeZone: config.street.timeZone, groupNames: config.street.groupNames, planning: { queries: dutyStore, config: config.street.planning }, postOnce: app.postOnce, clock: Date.now, logger });
  await warnUncoveredYears({ calendar: workCalendar, mode: config.street.days, notices: dutyStore, postOnce: app.postOnce, logger, now: Date.now() });
  for (const c of chats) await c.start();
  if (config.chat.some((c) => c !== 'console')) {
    logger.info({ bindingCode: issueBindingCode(store, Date.now()) }, 'one-time binding code: send「绑定 会商 <code>」(or 街道 / 社区 <name>) in a group to bind it');
  }
  logger.info({ street: config.street.street, chat: config.chat, public: config.publicChannels, dataDir: config.dataDir }, 'jiesu is running');

  if (command === 'demo') await loadDemo(app, logger);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    reconciler.stop();
    reportScheduler.stop();
    dutySchedule.stop();
    for (const c of chats) await c.stop().catch((err) => logger.warn({ err: errorSummary(err) }, 'chat stop failed'));
    await http.close();
    await queueBoard.close();
    await workers.close();
    await digestSchedule.close();
    chartRenderer.close();
    for (const p of publics) await p.stop?.();
    await closeCore();
    logger.info({}, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The seed article's cases, with fresh times so their deadlines run from now. */
async function loadDemo(app: App, logger: Logger): Promise<void> {
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
