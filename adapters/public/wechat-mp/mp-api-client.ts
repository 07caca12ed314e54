import type { Redis } from 'ioredis';
import type { Logger } from '../../../core/ports';
import { isPermanentCode, PublicApiError, TOKEN_CODES } from './public-api-error';

/**
 * The Official Account API client: `MP_API_ROOT` + `/cgi-bin/…`. The access token comes from
 * `POST /cgi-bin/stable_token` and is cached in Redis with its expiry, so every worker shares one;
 * it is refreshed `refreshMarginMs` before it runs out, and at once when a call answers 40001/42001
 * (the call is then made once more). WeChat errors become {@link PublicApiError}.
 */

export interface MpApiClientOptions {
  /** `https://api.weixin.qq.com` or a test server; no trailing slash. */
  apiRoot: string;
  appId: string;
  appSecret: string;
  redis: Redis;
  /** Redis key prefix (the queues' prefix); the token lives at `<prefix>:mp-token:<appId>`. */
  keyPrefix: string;
  /** Epoch ms (tests move it forward). Default Date.now. */
  clock?: () => number;
  /** Refresh this long before the token expires. Default 5 minutes (WeChat renews 5 minutes early too). */
  refreshMarginMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  logger?: Logger;
}

interface CachedToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface TemplateMessage {
  touser: string;
  template_id: string;
  url?: string;
  data: Record<string, { value: string }>;
  /** 防重入 id: WeChat sends one message per openid + client_msg_id (10 minutes). */
  client_msg_id?: string;
}

export interface DraftArticle {
  title: string;
  author?: string;
  digest?: string;
  content: string;
  content_source_url?: string;
  thumb_media_id: string;
  need_open_comment?: 0 | 1;
  only_fans_can_comment?: 0 | 1;
}

type WxResponse = { errcode?: number; errmsg?: string } & Record<string, unknown>;

export class MpApiClient {
  private readonly clock: () => number;
  private readonly marginMs: number;
  private readonly timeoutMs: number;
  readonly tokenKey: string;

  constructor(private readonly opts: MpApiClientOptions) {
    this.clock = opts.clock ?? Date.now;
    this.marginMs = opts.refreshMarginMs ?? 5 * 60_000;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.tokenKey = `${opts.keyPrefix}:mp-token:${opts.appId}`;
  }

  /** A valid access token: the shared cached one, or a fresh one when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    const cached = await this.readCached();
    if (cached && this.clock() < cached.expiresAt - this.marginMs) return cached.token;
    return this.fetchToken(false);
  }

  /** Drops a token WeChat refused and gets another (force-refreshing when WeChat hands back the same one). */
  async refreshAfterRejection(rejected: string): Promise<string> {
    const cached = await this.readCached();
    if (cached?.token === rejected) await this.opts.redis.del(this.tokenKey);
    const fresh = await this.fetchToken(false);
    return fresh === rejected ? this.fetchToken(true) : fresh;
  }

  private async readCached(): Promise<CachedToken | null> {
    const raw = await this.opts.redis.get(this.tokenKey).catch(() => null);
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as CachedToken;
      return typeof v.token === 'string' && typeof v.expiresAt === 'number' ? v : null;
    } catch {
      return null;
    }
  }

  private async fetchToken(forceRefresh: boolean): Promise<string> {
    const body = await this.request('/cgi-bin/stable_token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.opts.appId, secret: this.opts.appSecret, force_refresh: forceRefresh }),
    });
    if (body.errcode) throw new PublicApiError(body.errcode, `stable_token: ${body.errcode} ${body.errmsg ?? ''}`.trim(), { permanent: false });
    const token = body.access_token;
    const expiresIn = body.expires_in;
    if (typeof token !== 'string' || !token || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new PublicApiError('bad_response', 'stable_token: no access_token / expires_in in the answer', { permanent: false });
    }
    const ttlMs = expiresIn * 1000;
    const value: CachedToken = { token, expiresAt: this.clock() + ttlMs };
    await this.opts.redis.set(this.tokenKey, JSON.stringify(value), 'PX', ttlMs).catch(() => undefined);
    this.opts.logger?.info({ expiresInS: expiresIn, forceRefresh }, 'public account access token refreshed');
    return token;
  }

  /** POST JSON to `/cgi-bin/<path>?access_token=…`; a token error refreshes the token and tries once more. */
  async postJson<T extends object>(path: string, payload: object, query: Record<string, string> = {}): Promise<T & WxResponse> {
    return this.withToken(path, (token) =>
      this.request(`${path}?${new URLSearchParams({ ...query, access_token: token })}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      }),
    ) as Promise<T & WxResponse>;
  }

  private async withToken(path: string, call: (token: string) => Promise<WxResponse>): Promise<WxResponse> {
    let token = await this.accessToken();
    let body = await call(token);
    if (body.errcode !== undefined && TOKEN_CODES.has(body.errcode)) {
      token = await this.refreshAfterRejection(token);
      body = await call(token);
    }
    if (body.errcode) {
      throw new PublicApiError(body.errcode, `${path}: ${body.errcode} ${body.errmsg ?? ''}`.trim(), { permanent: isPermanentCode(body.errcode) });
    }
    return body;
  }

  private async request(pathAndQuery: string, init: RequestInit): Promise<WxResponse> {
    let res: Response;
    try {
      res = await fetch(`${this.opts.apiRoot}${pathAndQuery}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new PublicApiError('network', `public account API unreachable: ${err instanceof Error ? err.message : String(err)}`, { permanent: false, cause: err });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new PublicApiError(`http_${res.status}`, `public account API answered HTTP ${res.status}`, { permanent: false });
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as WxResponse;
    } catch {
      // falls through: not JSON
    }
    throw new PublicApiError('bad_response', 'public account API answered something that is not a JSON object', { permanent: false });
  }

  /** `message/template/send` → the message id. */
  async sendTemplate(msg: TemplateMessage): Promise<{ msgid: number | string | undefined }> {
    const r = await this.postJson<{ msgid?: number | string }>('/cgi-bin/message/template/send', msg);
    return { msgid: r.msgid };
  }

  /** `message/custom/send` with a text (only inside the 48 hours after the citizen last wrote). */
  async sendCustomText(openId: string, content: string): Promise<void> {
    await this.postJson('/cgi-bin/message/custom/send', { touser: openId, msgtype: 'text', text: { content } });
  }

  /** `material/add_material?type=image` (multipart, field `media`) → a permanent media id for a cover. */
  async addImageMaterial(png: Buffer, filename: string): Promise<{ media_id: string; url?: string }> {
    const body = await this.withToken('/cgi-bin/material/add_material', (token) => {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(png)], { type: 'image/png' }), filename);
      return this.request(`/cgi-bin/material/add_material?${new URLSearchParams({ access_token: token, type: 'image' })}`, { method: 'POST', body: form });
    });
    if (typeof body.media_id !== 'string') throw new PublicApiError('bad_response', 'add_material: no media_id in the answer', { permanent: false });
    return { media_id: body.media_id, url: typeof body.url === 'string' ? body.url : undefined };
  }

  /** `draft/add` → the draft's media id. */
  async addDraft(articles: DraftArticle[]): Promise<{ media_id: string }> {
    const r = await this.postJson<{ media_id?: string }>('/cgi-bin/draft/add', { articles });
    if (typeof r.media_id !== 'string') throw new PublicApiError('bad_response', 'draft/add: no media_id in the answer', { permanent: false });
    return { media_id: r.media_id };
  }

  /** `freepublish/submit` → the publish task id (the article appears when WeChat's checks finish). */
  async submitPublish(mediaId: string): Promise<{ publish_id: string }> {
    const r = await this.postJson<{ publish_id?: string | number }>('/cgi-bin/freepublish/submit', { media_id: mediaId });
    return { publish_id: String(r.publish_id ?? '') };
  }
}
