/**
 * A fake WeChat Official Account API on 127.0.0.1 for the MP adapter's tests. It checks what WeChat
 * checks: the app credentials on `stable_token`, a valid `access_token` on every other call (40001
 * otherwise), the JSON shapes of each call (47001 when wrong), the multipart upload of a cover (field
 * `media`, an image), draft and publish media ids (40007 when unknown). Tests can script error codes
 * per path and revoke the tokens it gave out.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMpCall {
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (null for multipart). */
  body: Record<string, unknown> | null;
  /** The part named `media` of a multipart upload. */
  upload?: { filename: string; contentType: string; data: Buffer };
  /** What the fake answered. */
  answer: Record<string, unknown>;
}

export interface Delivered {
  kind: 'template' | 'custom';
  body: Record<string, unknown>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40003: 'invalid openid',
  40007: 'invalid media_id',
  40013: 'invalid appid',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  43004: 'require subscribe',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit or subscription is canceled',
  47001: 'data format error',
};

export class FakeMpServer {
  readonly calls: FakeMpCall[] = [];
  readonly tokenRequests: { forceRefresh: boolean }[] = [];
  /** Messages that reached a citizen (answered errcode 0). */
  readonly delivered: Delivered[] = [];
  readonly drafts = new Map<string, Record<string, unknown>[]>();
  readonly published: string[] = [];
  /** expires_in the fake hands out, seconds. */
  expiresIn = 7200;
  private server: Server | null = null;
  private current: string | null = null;
  private readonly valid = new Set<string>();
  private readonly media = new Set<string>();
  private readonly scripts = new Map<string, number[]>();
  private seq = 0;
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(readonly creds: { appId: string; secret: string } = { appId: 'wx-test-app', secret: 'test-secret' }) {}

  get url(): string {
    const addr = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => {
      this.server!.close(() => resolve());
      this.server!.closeAllConnections();
    });
  }

  /** The next calls to `path` (after the token check) answer these errcodes, one each, in order. */
  script(path: string, codes: number[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...codes]);
  }

  /** Every token given out so far stops working (WeChat answers 40001 to it). */
  revokeTokens(): void {
    this.valid.clear();
    this.current = null;
  }

  callsTo(path: string): FakeMpCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  /** Resolves once `pred` holds (checked after every call); rejects after `timeoutMs`. */
  waitFor(pred: () => boolean, timeoutMs = 15_000, what = 'fake MP calls'): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => `${c.path}→${String(c.answer.errcode ?? 0)}`).join(', ')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readAll(req);
    const call: FakeMpCall = { path: url.pathname, query: url.searchParams, body: null, answer: {} };
    try {
      if (req.method !== 'POST') return this.answer(res, call, { errcode: 43002, errmsg: 'require POST method' });
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.startsWith('multipart/form-data')) {
        const upload = parseMultipart(raw, contentType);
        if (upload) call.upload = upload;
      } else {
        try {
          const parsed = JSON.parse(raw.toString('utf8')) as unknown;
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return this.answer(res, call, err(47001));
          call.body = parsed as Record<string, unknown>;
        } catch {
          return this.answer(res, call, err(47001));
        }
      }
      if (url.pathname === '/cgi-bin/stable_token') return this.answer(res, call, this.stableToken(call.body));
      const token = url.searchParams.get('access_token');
      if (!token || !this.valid.has(token)) return this.answer(res, call, err(40001));
      const scripted = this.scripts.get(url.pathname);
      if (scripted && scripted.length > 0) return this.answer(res, call, err(scripted.shift()!));
      return this.answer(res, call, this.api(url, call));
    } catch (e) {
      return this.answer(res, call, { errcode: -1, errmsg: `fake failed: ${String(e)}` });
    }
  }

  private stableToken(body: Record<string, unknown> | null): Record<string, unknown> {
    if (!body || body.grant_type !== 'client_credential' || typeof body.appid !== 'string' || typeof body.secret !== 'string') return err(47001);
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') return err(47001);
    if (body.appid !== this.creds.appId) return err(40013);
    if (body.secret !== this.creds.secret) return err(40125);
    const force = body.force_refresh === true;
    this.tokenRequests.push({ forceRefresh: force });
    if (force || !this.current) {
      if (force && this.current) this.valid.delete(this.current);
      this.current = `TOKEN-${++this.seq}`;
      this.valid.add(this.current);
    }
    return { access_token: this.current, expires_in: this.expiresIn };
  }

  private api(url: URL, call: FakeMpCall): Record<string, unknown> {
    const b = call.body;
    switch (url.pathname) {
      case '/cgi-bin/message/template/send': {
        if (!b || typeof b.touser !== 'string' || typeof b.template_id !== 'string' || !isTemplateData(b.data)) return err(47001);
        if (b.url !== undefined && typeof b.url !== 'string') return err(47001);
        this.delivered.push({ kind: 'template', body: b });
        return { errcode: 0, errmsg: 'ok', msgid: ++this.seq };
      }
      case '/cgi-bin/message/custom/send': {
        const text = b?.text as { content?: unknown } | undefined;
        if (!b || typeof b.touser !== 'string' || b.msgtype !== 'text' || typeof text?.content !== 'string' || !text.content) return err(47001);
        this.delivered.push({ kind: 'custom', body: b });
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/cgi-bin/material/add_material': {
        if (url.searchParams.get('type') !== 'image') return err(40004, 'invalid media type');
        const up = call.upload;
        if (!up || up.data.length === 0) return err(41005, 'media data missing');
        if (!up.contentType.startsWith('image/') || !isImage(up.data)) return err(40005, 'invalid file type');
        const id = `MEDIA-${++this.seq}`;
        this.media.add(id);
        return { media_id: id, url: `http://mmbiz.example/${id}` };
      }
      case '/cgi-bin/draft/add': {
        const articles = b?.articles;
        if (!Array.isArray(articles) || articles.length === 0 || articles.length > 8) return err(47001);
        for (const a of articles as Record<string, unknown>[]) {
          if (typeof a.title !== 'string' || !a.title || [...a.title].length > 32) return err(47001);
          if (typeof a.content !== 'string' || !a.content || a.content.length >= 20_000) return err(47001);
          if (a.author !== undefined && (typeof a.author !== 'string' || [...a.author].length > 16)) return err(47001);
          if (a.digest !== undefined && (typeof a.digest !== 'string' || [...a.digest].length > 128)) return err(47001);
          if (typeof a.thumb_media_id !== 'string' || !this.media.has(a.thumb_media_id)) return err(40007);
        }
        const id = `DRAFT-${++this.seq}`;
        this.drafts.set(id, articles as Record<string, unknown>[]);
        return { media_id: id };
      }
      case '/cgi-bin/freepublish/submit': {
        if (!b || typeof b.media_id !== 'string') return err(47001);
        if (!this.drafts.has(b.media_id)) return err(40007);
        this.published.push(b.media_id);
        return { errcode: 0, errmsg: 'ok', publish_id: String(100000 + ++this.seq), msg_data_id: String(this.seq) };
      }
      default:
        return { errcode: 404, errmsg: `no such API ${url.pathname}` };
    }
  }

  private answer(res: ServerResponse, call: FakeMpCall, body: Record<string, unknown>): void {
    call.answer = body;
    this.calls.push(call);
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    this.waiters = this.waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
  }
}

function err(code: number, msg?: string): Record<string, unknown> {
  return { errcode: code, errmsg: msg ?? ERRMSG[code] ?? 'error' };
}

function isTemplateData(data: unknown): boolean {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  return Object.values(data).every((v) => v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string');
}

function isImage(data: Buffer): boolean {
  const png = data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpg = data[0] === 0xff && data[1] === 0xd8;
  return png || jpg;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The `media` part of a multipart/form-data body. */
function parseMultipart(raw: Buffer, contentType: string): FakeMpCall['upload'] | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return null;
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let pos = raw.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length + 2;
    const next = raw.indexOf(delim, start);
    if (next === -1) break;
    const part = raw.subarray(start, next - 2);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd !== -1) {
      const head = part.subarray(0, headEnd).toString('utf8');
      if (/name="media"/.test(head)) {
        return {
          filename: /filename="([^"]*)"/.exec(head)?.[1] ?? '',
          contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? '',
          data: Buffer.from(part.subarray(headEnd + 4)),
        };
      }
    }
    pos = next;
  }
  return null;
}
