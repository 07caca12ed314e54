import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { App } from '../../bot/app';
import { errorSummary } from '../../bot/app';
import type { Logger } from '../../core/ports';
import { formatIsoInZone } from '../../core/time-zone';
import type { Case, CaseEvent } from '../../core/types';

/**
 * The intake HTTP API (SPEC "Intake HTTP"): `POST /api/cases`, `GET /api/cases/:id`, `GET /healthz`.
 * Only translates HTTP to `app.handleIntake`; every rule lives in core.
 */

export interface IntakeServerOptions {
  app: Pick<App, 'handleIntake' | 'handleIntakeBatch' | 'store' | 'config'>;
  /** Bearer token for the API; without one the server listens on loopback only. */
  token?: string | null;
  /** Whether Redis answers (for /healthz). */
  redisHealthy: () => Promise<boolean>;
  logger: Logger;
  /** Largest accepted body, bytes. Default 64 KiB (SPEC); a batch (JSON array) may be up to `maxBatchBytes`. */
  maxBodyBytes?: number;
  /** Largest accepted batch body, bytes. Default 8 MiB. */
  maxBatchBytes?: number;
  /**
   * More routes on the same server (the public account's `/mp` callback, a Telegram webhook).
   * Each answers and returns true when the request is its own; tried before the intake routes.
   */
  extraRoutes?: HttpRoute[];
  /** Timeouts and the connection cap; each has a default (see {@link HttpServerLimits}). */
  limits?: HttpServerLimits;
}

/**
 * What one client may hold of the server. Node's own defaults let a request take 5 minutes and a
 * refused body be read to its end; these are explicit and short.
 */
export interface HttpServerLimits {
  /** The whole request, headers and body, ms. Default 60,000 (an 8 MiB batch on a slow line). */
  requestTimeoutMs?: number;
  /** Until the request's headers are complete, ms. Default 10,000. */
  headersTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this, ms. Default 5,000. */
  keepAliveTimeoutMs?: number;
  /** A connection with no traffic at all (e.g. a stalled body) is closed after this, ms. Default 30,000. */
  idleTimeoutMs?: number;
  /** Open connections at most; more are closed as they arrive. Default 256. */
  maxConnections?: number;
  /** `/healthz` waits this long for `redisHealthy` before counting Redis as down, ms. Default 1,000. */
  healthCheckTimeoutMs?: number;
}

/** Defaults of {@link HttpServerLimits}. */
export const HTTP_LIMITS: Required<HttpServerLimits> = {
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  maxConnections: 256,
  healthCheckTimeoutMs: 1_000,
};

/** A route mounted beside the intake API. Returns true when it handled (answered) the request. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Most items in one batched POST (a JSON array). */
export const MAX_BATCH_ITEMS = 5000;

class HttpFailure extends Error {
  constructor(readonly status: number, readonly body: object) {
    super(`HTTP ${status}`);
  }
}

export function createIntakeServer(opts: IntakeServerOptions): { server: Server; listen(port: number, host?: string): Promise<{ port: number; host: string }>; close(): Promise<void> } {
  const maxBody = opts.maxBodyBytes ?? 64 * 1024;
  const maxBatch = opts.maxBatchBytes ?? 8 * 1024 * 1024;
  const tz = opts.app.config.timeZone;

  const limits = { ...HTTP_LIMITS, ...opts.limits };

  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would let them run late).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      route(req, res).catch((err) => {
        if (err instanceof HttpFailure) return json(res, err.status, err.body);
        // Never log the query string: callbacks carry signatures and ids in it.
        opts.logger.error({ err: errorSummary(err), path: pathOnly(req.url) }, 'intake request failed');
        json(res, 500, { error: '服务器内部错误' });
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  server.timeout = limits.idleTimeoutMs;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return json(res, 400, { error: '无法解析的请求地址' });
    }
    for (const extra of opts.extraRoutes ?? []) if (await extra(req, res, url)) return;
    if (url.pathname === '/healthz' && req.method === 'GET') {
      let dbOk: boolean;
      try {
        dbOk = opts.app.store.ping();
      } catch {
        dbOk = false;
      }
      const redisOk = await withTimeout(opts.redisHealthy(), limits.healthCheckTimeoutMs, false);
      const down = [...(dbOk ? [] : ['database']), ...(redisOk ? [] : ['redis'])];
      return json(res, down.length === 0 ? 200 : 503, { ok: down.length === 0, database: dbOk, redis: redisOk, down });
    }
    if (url.pathname === '/api/cases' && req.method === 'POST') {
      authorize(req);
      requireJson(req);
      const body = await readJson(req);
      if (Array.isArray(body)) {
        if (body.length > MAX_BATCH_ITEMS) throw new HttpFailure(413, { error: `一次最多 ${MAX_BATCH_ITEMS} 件`, field: '(body)' });
        const outcomes = await opts.app.handleIntakeBatch(body, '12345');
        // `status` is the item's HTTP status; the case's own status (in the single-case body) is `caseStatus`.
        return json(res, 200, {
          results: outcomes.map((o) => ('status' in o.body ? { ...o.body, status: o.status, caseStatus: o.body.status } : { ...o.body, status: o.status })),
        });
      }
      const outcome = await opts.app.handleIntake(body, '12345');
      return json(res, outcome.status, outcome.body);
    }
    const m = /^\/api\/cases\/([^/]+)$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      authorize(req);
      let key: string;
      try {
        key = decodeURIComponent(m[1]!);
      } catch {
        return json(res, 400, { error: '案件号编码有误', field: 'id' });
      }
      const store = opts.app.store;
      const c = /^\d+$/.test(key) ? (store.findCase(Number(key)) ?? store.findCaseByHotlineNo(key)) : store.findCaseByHotlineNo(key);
      if (!c) return json(res, 404, { error: `没有案件 ${key}` });
      return json(res, 200, caseJson(c, store.listEvents(c.id), tz));
    }
    if (url.pathname === '/api/cases' || m) return json(res, 405, { error: '不支持的方法' });
    json(res, 404, { error: '没有这个地址' });
  }

  function authorize(req: IncomingMessage): void {
    if (!opts.token) return;
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(opts.token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpFailure(401, { error: '缺少或错误的令牌（Authorization: Bearer <INTAKE_TOKEN>）' });
  }

  /** 415 unless the body is declared `application/json` (a UTF-8 charset parameter is allowed). */
  function requireJson(req: IncomingMessage): void {
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new HttpFailure(415, { error: '只接受 JSON：请用 Content-Type: application/json', field: '(content-type)' });
    }
  }

  /**
   * Reads the body with its limit: a single case (JSON object) may be `maxBody` bytes; a batch (a body
   * that starts with `[`) up to `maxBatch`. Over the limit → 413 without reading further.
   */
  async function readJson(req: IncomingMessage): Promise<unknown> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBatch) throw tooLarge(maxBatch);
    const body = await readBody(req);
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpFailure(400, { error: '请求体不是合法的 JSON', field: '(body)' });
    }
  }

  /**
   * The body's bytes; rejects with 413 as soon as it passes its limit, leaving the rest unread (the
   * stream is paused, not destroyed, so the 413 can still be written before json() closes it).
   */
  function readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let isBatch: boolean | null = null;
      const done = (fn: () => void) => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onFail);
        req.off('close', onFail);
        fn();
      };
      const onData = (buf: Buffer) => {
        if (isBatch === null) {
          const first = buf.toString('utf8').trimStart()[0];
          if (first !== undefined) isBatch = first === '[';
        }
        size += buf.length;
        const limit = isBatch ? maxBatch : maxBody;
        if (size > limit) {
          req.pause();
          return done(() => reject(tooLarge(limit)));
        }
        chunks.push(buf);
      };
      const onEnd = () => done(() => resolve(Buffer.concat(chunks)));
      // The client went away mid-body: nobody is left to answer.
      const onFail = () => done(() => reject(new HttpFailure(400, { error: '请求体不完整', field: '(body)' })));
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onFail);
      req.on('close', onFail);
    });
  }

  function tooLarge(limit: number): HttpFailure {
    // Not drained: the answer closes the connection (see json()).
    return new HttpFailure(413, { error: `请求体超过 ${limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MiB` : `${limit / 1024} KiB`}`, field: '(body)' });
  }

  return {
    server,
    listen(port: number, host?: string) {
      const bindHost = host ?? (opts.token ? '0.0.0.0' : '127.0.0.1');
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, bindHost, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          resolve({ port: addr.port, host: bindHost });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Answers with a JSON body. When the request's body has not been read to its end (a 401, 413 or 415
 * refuses it unread), the answer says `Connection: close` and the socket is destroyed once the answer
 * is flushed: the rest of a refused body — possibly 100 MB on a slow line — is never read.
 */
function json(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  const req = res.req;
  const unread = !req.complete;
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
  if (unread) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text, () => {
    if (unread) req.socket.destroy();
  });
}

/** `application/json`, with at most a UTF-8 charset among its parameters. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => {
    const [name, value] = p.split('=').map((x) => x.trim());
    return name !== 'charset' || ['utf-8', 'utf8', '"utf-8"', '"utf8"'].includes(value ?? '');
  });
}

/** The promise's value, or `fallback` when it rejects or takes longer than `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise.catch(() => fallback), new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The request target without its query string (for logs). */
function pathOnly(target: string | undefined): string {
  return (target ?? '').split('?')[0] ?? '';
}

/** The case as the API shows it (it carries personal data: token-protected). */
export function caseJson(c: Case, events: CaseEvent[], tz: string): object {
  const iso = (t: number | null) => (t === null ? null : formatIsoInZone(t, tz));
  return {
    id: c.id,
    hotlineNo: c.hotlineNo,
    status: c.status,
    group: c.group,
    section: c.section,
    owner: c.ownerName,
    category: c.category,
    urgency: c.urgency,
    type: c.type,
    source: c.source,
    address: c.address,
    content: c.content,
    citizen: { name: c.citizenName, phone: c.citizenPhone },
    reportedAt: iso(c.reportedAt),
    respondBy: iso(c.respondBy),
    resolveBy: iso(c.resolveBy),
    claimedAt: iso(c.claimedAt),
    contactedAt: iso(c.contactedAt),
    resolvedAt: iso(c.resolvedAt),
    result: c.result,
    // SPEC "Case API": the case's participants and practice.
    leader: c.leaderName,
    coHandlers: c.coHandlers.map((p) => p.name),
    whistle: c.whistle.map((w) => ({ department: w.department, reportedAt: iso(w.reportedAt), reportedBy: w.reportedBy })),
    nodes: c.nodes.map((n) => ({ due: iso(n.due), text: n.text, doneAt: iso(n.doneAt) })),
    extensions: c.extensions.map((x) => ({ days: x.days, status: x.status, reason: x.reason })),
    rating: c.rating ? { satisfaction: c.rating.satisfaction, solved: c.rating.solved, contacted: c.rating.contacted } : null,
    repeatOf: c.repeatOf,
    repeatCount: c.repeatCount,
    placeKey: c.placeKey,
    events: events.map((e) => ({ kind: e.kind, actor: e.actorName, at: iso(e.at), text: e.text, group: e.group, from: e.fromStatus, to: e.toStatus })),
  };
}
