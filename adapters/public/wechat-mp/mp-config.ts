import { z } from 'zod';
import { ConfigError } from '../../../bot/load-config';
import { parseEncodingAesKey } from './mp-crypto';

/**
 * The public account's settings: MP_* from the environment (validated only when PUBLIC includes
 * wechat-mp) and the template field mapping from the street YAML's `publicAccount.template`.
 */

const envSchema = z.object({
  /** The account's AppID. */
  MP_APP_ID: z.string().trim().min(1, '必填'),
  /** The account's AppSecret. */
  MP_APP_SECRET: z.string().trim().min(1, '必填'),
  /** The server-configuration Token (公众号后台「服务器配置」) the callback signature is made with. */
  MP_TOKEN: z.string().trim().min(1, '必填').max(128),
  /**
   * EncodingAESKey (公众号后台「服务器配置」, 43 characters) for 兼容模式 and 安全模式: encrypted
   * messages are opened with it and answered encrypted. Unset: 明文模式 only.
   */
  MP_ENCODING_AES_KEY: z
    .string()
    .trim()
    .refine((s) => parseEncodingAesKey(s) !== null, '应为公众号后台「服务器配置」里的 43 位 EncodingAESKey（字母、数字、+、/）')
    .optional(),
  /** API host root; the client appends /cgi-bin/…. Default the real one. */
  MP_API_ROOT: z.string().trim().url('应为 URL，如 https://api.weixin.qq.com').default('https://api.weixin.qq.com'),
  /** Template id for result messages; without one, results go as customer-service text (48-hour window). */
  MP_TEMPLATE_ID: z.string().trim().min(1).optional(),
  /** 1 = publish the weekly digest (freepublish/submit) after saving the draft. Default 0: draft only. */
  MP_PUBLISH: z.enum(['0', '1', 'true', 'false']).default('0'),
});

export interface MpEnv {
  appId: string;
  appSecret: string;
  token: string;
  /** The 32-byte AES key from MP_ENCODING_AES_KEY; null when unset (明文模式 only). */
  aesKey: Buffer | null;
  apiRoot: string;
  templateId: string | null;
  publish: boolean;
}

/** True when the credentials are set (then an unset PUBLIC also turns the public account on). */
export function mpCredentialsSet(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.MP_APP_ID && env.MP_APP_SECRET && env.MP_TOKEN);
}

export function parseMpEnv(env: Readonly<Record<string, string | undefined>>): MpEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('MP_') && v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`PUBLIC=wechat-mp：环境变量 ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    appId: e.MP_APP_ID,
    appSecret: e.MP_APP_SECRET,
    token: e.MP_TOKEN,
    aesKey: e.MP_ENCODING_AES_KEY ? parseEncodingAesKey(e.MP_ENCODING_AES_KEY) : null,
    apiRoot: e.MP_API_ROOT.replace(/\/+$/, ''),
    templateId: e.MP_TEMPLATE_ID ?? null,
    publish: e.MP_PUBLISH === '1' || e.MP_PUBLISH === 'true',
  };
}

/** What a template field carries. `text:…` is a fixed text. */
export const TEMPLATE_SOURCES = ['title', 'result', 'caseNo', 'hotlineNo', 'category', 'resolvedAt', 'street', 'notice'] as const;
export type TemplateSource = (typeof TEMPLATE_SOURCES)[number] | `text:${string}`;

const templateSchema = z
  .object({
    /** Where tapping the message leads (optional). */
    url: z.string().url().optional(),
    /** Template keyword → what goes in it (title | result | caseNo | hotlineNo | category | resolvedAt | street | notice | text:…). */
    fields: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, '模板字段名只含字母、数字和 _'),
        z.string().refine((s) => (TEMPLATE_SOURCES as readonly string[]).includes(s) || s.startsWith('text:'), {
          message: `应为 ${TEMPLATE_SOURCES.join(' | ')} 或 text:固定文字`,
        }),
      )
      .optional(),
  })
  .strict();

export interface TemplateSettings {
  url: string | null;
  fields: Record<string, TemplateSource>;
}

/** The classic 办理结果通知 layout, used when the YAML names no fields. */
export const DEFAULT_TEMPLATE_FIELDS: Record<string, TemplateSource> = {
  first: 'notice',
  keyword1: 'caseNo',
  keyword2: 'title',
  keyword3: 'result',
  keyword4: 'resolvedAt',
  remark: 'street',
};

/** Reads `publicAccount.template` (optional; other keys of `publicAccount` belong to others). */
export function parseTemplateSettings(publicAccount: unknown): TemplateSettings {
  const raw = publicAccount && typeof publicAccount === 'object' ? (publicAccount as { template?: unknown }).template : undefined;
  const parsed = templateSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`街道配置 publicAccount.template.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const fields = parsed.data.fields && Object.keys(parsed.data.fields).length > 0 ? (parsed.data.fields as Record<string, TemplateSource>) : DEFAULT_TEMPLATE_FIELDS;
  return { url: parsed.data.url ?? null, fields };
}
