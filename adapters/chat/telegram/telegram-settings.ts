import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../../../bot/load-config';

/**
 * The Telegram adapter's settings: environment (TELEGRAM_*) and the street YAML's
 * `platforms.telegram` section, validated here when CHAT includes telegram.
 */

const envSchema = z.object({
  /** From BotFather. Required. */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, '应为 BotFather 给的 123456:ABC… 形式'),
  /** Bot API root; a local Bot API server or a test fake. Default the public one. */
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  /** Public HTTPS address Telegram posts updates to. Unset = long polling. */
  TELEGRAM_WEBHOOK_URL: z.url().optional(),
  /** Secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token`; default derived from the token. */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '只能含字母、数字、_ 和 -，最长 256').optional(),
});

const yamlSchema = z
  .object({
    /** Forum supergroups: group key → topic id (`message_thread_id`) the bot posts that group's messages in. */
    threads: z.record(z.string(), z.number().int().positive()).default({}),
    /**
     * Let a Telegram chat's creator or administrator bind it without a code (default false: anyone can
     * create a chat and be its admin, so that proves nothing about the street).
     */
    chatAdminsMayBind: z.boolean().default(false),
  })
  .strict()
  .default({ threads: {}, chatAdminsMayBind: false });

export interface TelegramSettings {
  token: string;
  apiRoot: string;
  /** Null: long polling. */
  webhookUrl: string | null;
  /** Path of the webhook route on our HTTP server (the webhook URL's path). */
  webhookPath: string | null;
  webhookSecret: string;
  /** Group key → forum topic id. */
  threads: Record<string, number>;
}

/**
 * Reads the environment and `platforms.telegram`. Throws {@link ConfigError} with a Chinese message
 * naming the variable or key that is wrong.
 */
export function telegramSettings(env: Readonly<Record<string, string | undefined>>, platforms: Record<string, unknown>, groupKeys: Iterable<string>): TelegramSettings {
  const e = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('TELEGRAM_') && v !== '')));
  if (!e.success) {
    const issue = e.error.issues[0]!;
    const name = String(issue.path[0] ?? 'TELEGRAM_BOT_TOKEN');
    throw new ConfigError(issue.code === 'invalid_type' ? `CHAT 含 telegram 时需要设置 ${name}` : `环境变量 ${name}: ${issue.message}`);
  }
  const y = yamlSchema.safeParse(platforms.telegram ?? undefined);
  if (!y.success) {
    const issue = y.error.issues[0]!;
    throw new ConfigError(`街道配置 platforms.telegram.${issue.path.join('.')}: ${issue.message}`);
  }
  const known = new Set(groupKeys);
  const unknown = Object.keys(y.data.threads).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new ConfigError(`街道配置 platforms.telegram.threads：没有群「${unknown.join('、')}」（可选：${[...known].join('、')}）`);
  const webhookUrl = e.data.TELEGRAM_WEBHOOK_URL ?? null;
  return {
    token: e.data.TELEGRAM_BOT_TOKEN,
    apiRoot: e.data.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    webhookUrl,
    webhookPath: webhookUrl ? new URL(webhookUrl).pathname : null,
    webhookSecret: e.data.TELEGRAM_WEBHOOK_SECRET ?? createHash('sha256').update(`jiesu-webhook:${e.data.TELEGRAM_BOT_TOKEN}`).digest('hex').slice(0, 48),
    threads: y.data.threads,
  };
}
