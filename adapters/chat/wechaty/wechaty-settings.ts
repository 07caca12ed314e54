import { z } from 'zod';
import { ConfigError } from '../../../bot/load-config';
import { DEFAULT_PER_MINUTE, DEFAULT_PER_ROOM_MS } from './send-pacer';
import { DEFAULT_MAX_MESSAGE_CHARS } from './split-text';

/**
 * The WeChat adapter's settings: `platforms.wechaty` in the street's YAML, and the WECHATY_* variables.
 *
 * ```yaml
 * platforms:
 *   wechaty:
 *     rooms:                      # rooms bound by their topic (group name in WeChat), by group key
 *       consult: 卢沟桥接诉即办会商群
 *       zhangyi: 张仪村社区接诉即办群
 *     rate: { perRoomMs: 1000, perMinute: 20 }
 *     maxChars: 1500
 * ```
 */

const yamlSchema = z
  .object({
    /** Group key → room topic. A topic that two rooms share binds neither (anyone can name a room). */
    rooms: z.record(z.string(), z.string().trim().min(1)).default({}),
    rate: z
      .object({
        /** Minimum gap between two messages to one room, ms (default 1000). */
        perRoomMs: z.number().int().min(0).default(DEFAULT_PER_ROOM_MS),
        /** Most messages per minute for the whole account (default 20). */
        perMinute: z.number().int().min(1).default(DEFAULT_PER_MINUTE),
      })
      .default({ perRoomMs: DEFAULT_PER_ROOM_MS, perMinute: DEFAULT_PER_MINUTE }),
    /** Longest text per message; longer texts go out in parts, split at line ends (default 1500). */
    maxChars: z.number().int().min(100).max(10_000).default(DEFAULT_MAX_MESSAGE_CHARS),
  })
  .strict();

export type WechatySettings = z.infer<typeof yamlSchema>;

/** Validates `platforms.wechaty` (absent → defaults); room keys must be configured group keys. */
export function parseWechatySettings(raw: unknown, groupKeys: Iterable<string>): WechatySettings {
  const parsed = yamlSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`街道配置 platforms.wechaty.${issue.path.join('.')}: ${issue.message}`);
  }
  const known = new Set(groupKeys);
  const unknown = Object.keys(parsed.data.rooms).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new ConfigError(`街道配置 platforms.wechaty.rooms：没有群「${unknown.join('、')}」，可选 ${[...known].join(', ')}`);
  return parsed.data;
}

/** Puppet npm names: `wechaty-puppet-xxx` or `@scope/wechaty-puppet-xxx`. */
const PUPPET_NAME = /^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/;

const envSchema = z.object({
  /** Which puppet drives WeChat (default wechaty-puppet-wechat4u: a personal account over the web protocol). */
  WECHATY_PUPPET: z.string().regex(PUPPET_NAME, '应为 wechaty-puppet-xxx 形式的包名').default('wechaty-puppet-wechat4u'),
  /** Token of a puppet-service provider (required by wechaty-puppet-service). */
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().optional(),
});

export interface WechatyEnv {
  puppet: string;
  token: string | null;
}

/** Reads WECHATY_PUPPET and WECHATY_PUPPET_SERVICE_TOKEN; the service puppet needs its token. */
export function parseWechatyEnv(env: Readonly<Record<string, string | undefined>>): WechatyEnv {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`环境变量 ${issue.path.join('.')}: ${issue.message}`);
  }
  const { WECHATY_PUPPET: puppet, WECHATY_PUPPET_SERVICE_TOKEN: token } = parsed.data;
  if (puppet === 'wechaty-puppet-service' && !token) throw new ConfigError('WECHATY_PUPPET=wechaty-puppet-service 需要 WECHATY_PUPPET_SERVICE_TOKEN（服务商提供的 token）');
  return { puppet, token: token ?? null };
}
