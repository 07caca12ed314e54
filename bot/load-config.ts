import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDurationMs } from '../core/duration';
import { parseStreetConfig, type StreetConfig } from '../core/street-config';

/**
 * The one typed configuration: environment (and `.env` when present) plus the street's YAML.
 * Every value has a default that runs on the embedded setup. Read once, in main.ts.
 */

/** REDIS_URL's default (SPEC "Configuration"). */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const envSchema = z.object({
  /** The street's YAML file. */
  JIESU_CONFIG: z.string().default('config/street.yaml'),
  /** SQLite file, public-side files, a private Redis's files. */
  DATA_DIR: z.string().default('./data'),
  /**
   * Redis to use. Left unset (or set to this default), a private redis-server is started under
   * DATA_DIR/redis when nothing answers; set to anything else, it must answer at start.
   */
  REDIS_URL: z.string().default(DEFAULT_REDIS_URL),
  /** Key prefix of the queues in Redis (tests use their own). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('jiesu'),
  /** Intake API port (0 = any free port). */
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * Address the HTTP server listens on. Default: 0.0.0.0 (every interface) when INTAKE_TOKEN is set,
   * 127.0.0.1 otherwise. Beyond loopback, INTAKE_TOKEN is required ({@link intakeTokenProblem}).
   */
  HTTP_HOST: z.string().trim().min(1).optional(),
  /** Bearer token for the intake API; at least 32 characters wherever the server is reachable from outside. */
  INTAKE_TOKEN: z.string().optional(),
  /** Chat adapters, comma-separated. */
  CHAT: z.string().default('console'),
  /** Public-side channels, comma-separated. */
  PUBLIC: z.string().default('file'),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often the reconciler re-checks queue state against the database. */
  RECONCILE_EVERY: z.string().refine((s) => parseDurationMs(s) !== null, '时长格式如 5m').default('5m'),
  /** The hotline side's result webhook: every change of a case's status is POSTed there (unset: none). */
  DISPATCH_WEBHOOK_URL: z.string().url().refine((u) => /^https?:\/\//.test(u), '应为 http(s) 地址').optional(),
  /** HMAC-SHA256 key of the webhook's X-Jiesu-Signature; required with DISPATCH_WEBHOOK_URL. */
  DISPATCH_WEBHOOK_SECRET: z.string().min(16, '至少 16 个字符').optional(),
});

/** Shortest INTAKE_TOKEN accepted where the server is reachable beyond loopback. */
export const MIN_INTAKE_TOKEN_LENGTH = 32;

/** Chat adapters main.ts can start (CHAT). */
export const CHAT_KINDS = ['console', 'wechaty', 'telegram'] as const;
/** Public-side channels main.ts can start (PUBLIC). */
export const PUBLIC_KINDS = ['file', 'wechat-mp'] as const;

export interface AppConfig {
  configFile: string;
  dataDir: string;
  dbFile: string;
  redisUrl: string;
  /**
   * True when REDIS_URL was set to something other than its default: then it must answer at start,
   * and no private server is started in its place.
   */
  redisUrlExplicit: boolean;
  redisPrefix: string;
  httpPort: number;
  /** Where the HTTP server listens (HTTP_HOST, or 0.0.0.0 with a token and 127.0.0.1 without). */
  httpHost: string;
  intakeToken: string | null;
  chat: string[];
  publicChannels: string[];
  logLevel: string;
  reconcileEveryMs: number;
  /** DISPATCH_WEBHOOK_URL and its secret, or null when status changes go nowhere. */
  dispatchWebhook: { url: string; secret: string } | null;
  street: StreetConfig;
  /**
   * The environment as read (after `.env`): each platform adapter validates its own variables
   * (TELEGRAM_*, WECHATY_*, MP_*) when it is switched on, so a console run needs none of them.
   */
  env: Readonly<Record<string, string | undefined>>;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Loads `.env` (if there) into `env`, without overriding what is already set. */
export function loadDotEnv(file: string, env: NodeJS.ProcessEnv): void {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
    if (env[m[1]!] === undefined) env[m[1]!] = value;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsedEnv = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsedEnv.success) {
    const issue = parsedEnv.error.issues[0]!;
    throw new ConfigError(`环境变量 ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsedEnv.data;
  const configFile = resolve(e.JIESU_CONFIG);
  if (!existsSync(configFile)) throw new ConfigError(`找不到街道配置文件 ${configFile}（JIESU_CONFIG）`);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(configFile, 'utf8'));
  } catch (err) {
    throw new ConfigError(`街道配置 ${configFile} 不是合法的 YAML：${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const street = parseStreetConfig(doc);
  if (!street.ok) throw new ConfigError(`街道配置 ${configFile}：${street.error}`);
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const chat = list(e.CHAT);
  const unknownChat = chat.filter((c) => !(CHAT_KINDS as readonly string[]).includes(c));
  if (unknownChat.length > 0 || chat.length === 0) throw new ConfigError(`CHAT=${e.CHAT}：可选 ${CHAT_KINDS.join(' | ')}，可用逗号组合`);
  const publicChannels = list(e.PUBLIC);
  const unknownPublic = publicChannels.filter((c) => !(PUBLIC_KINDS as readonly string[]).includes(c));
  if (unknownPublic.length > 0 || publicChannels.length === 0) throw new ConfigError(`PUBLIC=${e.PUBLIC}：可选 ${PUBLIC_KINDS.join(' | ')}，可用逗号组合`);
  const dataDir = resolve(e.DATA_DIR);
  if (e.DISPATCH_WEBHOOK_URL && !e.DISPATCH_WEBHOOK_SECRET) throw new ConfigError('DISPATCH_WEBHOOK_URL 需要 DISPATCH_WEBHOOK_SECRET（签名密钥，至少 16 个字符）');
  return {
    configFile,
    dataDir,
    dbFile: resolve(dataDir, 'jiesu.sqlite'),
    redisUrl: e.REDIS_URL,
    redisUrlExplicit: e.REDIS_URL !== DEFAULT_REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    httpPort: e.HTTP_PORT,
    httpHost: e.HTTP_HOST ?? (e.INTAKE_TOKEN ? '0.0.0.0' : '127.0.0.1'),
    intakeToken: e.INTAKE_TOKEN ?? null,
    chat,
    publicChannels,
    logLevel: e.LOG_LEVEL,
    reconcileEveryMs: parseDurationMs(e.RECONCILE_EVERY)!,
    dispatchWebhook: e.DISPATCH_WEBHOOK_URL ? { url: e.DISPATCH_WEBHOOK_URL, secret: e.DISPATCH_WEBHOOK_SECRET! } : null,
    street: street.config,
    env: { ...env },
  };
}

/** What decides whether the HTTP server must have a strong INTAKE_TOKEN; see {@link intakeTokenProblem}. */
export interface HttpExposure {
  /** The address the server listens on (AppConfig.httpHost). */
  host: string;
  /** INTAKE_TOKEN, or null. */
  token: string | null;
  /** The public-side channels that will run (main.ts's list, after PUBLIC's default is applied). */
  publicChannels: readonly string[];
  /** The chat adapters that will run (CHAT). */
  chat: readonly string[];
  /** TELEGRAM_WEBHOOK_URL, when set. */
  telegramWebhookUrl?: string | null;
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Why the configuration may not start, or null. The server is exposed — it listens beyond loopback,
 * or serves the public account's `/mp` callback, or Telegram's webhook (both reached from outside
 * through a proxy even on loopback) — and then INTAKE_TOKEN must be set and at least 32 characters:
 * `GET /api/cases/:id` hands out citizens' names and phones to whoever holds it.
 * Pure: main.ts turns a non-null answer into a {@link ConfigError} before anything starts.
 */
export function intakeTokenProblem(x: HttpExposure): string | null {
  const reasons = [
    ...(isLoopbackHost(x.host) ? [] : [`HTTP_HOST=${x.host} 对外可达`]),
    ...(x.publicChannels.includes('wechat-mp') ? ['提供公众号回调 /mp'] : []),
    ...(x.chat.includes('telegram') && x.telegramWebhookUrl ? ['提供 Telegram webhook'] : []),
  ];
  if (reasons.length === 0) return null;
  const token = x.token ?? '';
  if (token.length >= MIN_INTAKE_TOKEN_LENGTH) return null;
  const what = token ? `INTAKE_TOKEN 只有 ${token.length} 个字符` : '没有设置 INTAKE_TOKEN';
  const loopbackHint = isLoopbackHost(x.host) || reasons.length > 1 ? '' : '，或设 HTTP_HOST=127.0.0.1 只在本机监听';
  return `${what}：服务${reasons.join('、')}，需要至少 ${MIN_INTAKE_TOKEN_LENGTH} 个字符的 INTAKE_TOKEN（可用 openssl rand -hex 24 生成）${loopbackHint}。`;
}

/** Throws the one-line {@link ConfigError} of {@link intakeTokenProblem}. */
export function requireIntakeToken(x: HttpExposure): void {
  const problem = intakeTokenProblem(x);
  if (problem) throw new ConfigError(problem);
}
