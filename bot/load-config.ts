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

const envSchema = z.object({
  /** The street's YAML file. */
  JIESU_CONFIG: z.string().default('config/street.yaml'),
  /** SQLite file, public-side files, a private Redis's files. */
  DATA_DIR: z.string().default('./data'),
  /** Redis to use; when nothing answers there a private redis-server is started under DATA_DIR/redis. */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Key prefix of the queues in Redis (tests use their own). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('jiesu'),
  /** Intake API port (0 = any free port). */
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Bearer token for the intake API; without one it listens on loopback only. */
  INTAKE_TOKEN: z.string().optional(),
  /** Chat adapters, comma-separated. */
  CHAT: z.string().default('console'),
  /** Public-side channels, comma-separated. */
  PUBLIC: z.string().default('file'),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often the reconciler re-checks queue state against the database. */
  RECONCILE_EVERY: z.string().refine((s) => parseDurationMs(s) !== null, '时长格式如 5m').default('5m'),
});

/** Chat adapters main.ts can start (CHAT). */
export const CHAT_KINDS = ['console', 'wechaty', 'telegram'] as const;
/** Public-side channels main.ts can start (PUBLIC). */
export const PUBLIC_KINDS = ['file', 'wechat-mp'] as const;

export interface AppConfig {
  configFile: string;
  dataDir: string;
  dbFile: string;
  redisUrl: string;
  /** True when REDIS_URL was set explicitly (then no private server is started in its place). */
  redisUrlExplicit: boolean;
  redisPrefix: string;
  httpPort: number;
  intakeToken: string | null;
  chat: string[];
  publicChannels: string[];
  logLevel: string;
  reconcileEveryMs: number;
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
  return {
    configFile,
    dataDir,
    dbFile: resolve(dataDir, 'jiesu.sqlite'),
    redisUrl: e.REDIS_URL,
    redisUrlExplicit: env.REDIS_URL !== undefined && env.REDIS_URL !== '',
    redisPrefix: e.REDIS_PREFIX,
    httpPort: e.HTTP_PORT,
    intakeToken: e.INTAKE_TOKEN ?? null,
    chat,
    publicChannels,
    logLevel: e.LOG_LEVEL,
    reconcileEveryMs: parseDurationMs(e.RECONCILE_EVERY)!,
    street: street.config,
    env: { ...env },
  };
}
