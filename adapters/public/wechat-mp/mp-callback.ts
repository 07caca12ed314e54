import { createHash, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { App } from '../../../bot/app';
import { errorSummary } from '../../../bot/app';
import type { Logger } from '../../../core/ports';
import type { HttpRoute } from '../../intake/http-intake-server';
import { decryptMpMessage, encryptedReplyXml, mpMsgSignature, signatureMatches } from './mp-crypto';
import type { MpRequestUse } from './mp-replay-guard';

/**
 * The public account's server callback on the intake HTTP server (SPEC "Public account"):
 * - `GET /mp?signature&timestamp&nonce&echostr` — the handshake: echoes `echostr` when the signature
 *   (SHA-1 of the sorted MP_TOKEN, timestamp and nonce) is right, else 401.
 * - `POST /mp` — a message, in any of WeChat's three modes:
 *   明文 (plaintext XML, `signature` checked); 兼容 and 安全 (`encrypt_type=aes`: `msg_signature` over
 *   the body's `<Encrypt>` checked, the message decrypted with MP_ENCODING_AES_KEY and its AppID
 *   checked, the reply encrypted). Wrong signature, stale timestamp, replayed nonce, foreign AppID →
 *   401, nothing stored; malformed XML → 400; a text message becomes a case (source `mp`, hotline
 *   number `MP-<MsgId>`, the sender's openid kept for the reply), routed by the places its text
 *   names, and is answered with a passive reply carrying the case number. A repeated MsgId (WeChat
 *   re-sends what it got no answer to) is stored once and gets the same answer.
 * Every request is accepted only within `maxClockSkewS` of its `timestamp`, and a POST's
 * (timestamp, nonce) only once (see MpReplayGuard).
 * The query string carries signature, nonce and openid, and the body the openid: neither is ever
 * logged — log lines name the path and the reason only.
 */

export interface MpCallbackOptions {
  /** MP_TOKEN. */
  token: string;
  /**
   * 兼容/安全模式: the key from MP_ENCODING_AES_KEY and the AppID (MP_APP_ID) an encrypted message
   * must carry. Without it, an `encrypt_type=aes` request is read from its plaintext fields
   * (兼容模式 carries both) under the plain `signature`, and 安全模式 messages are refused as malformed.
   */
  encryption?: { aesKey: Buffer; appId: string } | null;
  /** Records each POST's (timestamp, nonce, body) — MpReplayGuard. */
  replayGuard: { use(timestamp: string, nonce: string, body: string): Promise<MpRequestUse> };
  app: Pick<App, 'handleIntake' | 'store'>;
  logger: Logger;
  /** Now, ms since the epoch: the timestamp window and the reply's CreateTime. */
  clock: () => number;
  /** Path of the callback. Default `/mp`. */
  path?: string;
  /**
   * WeChat waits 5 s for the passive reply; when the case takes longer than this (Redis slow), the
   * reply says the request was received without its number. Default 4000 ms.
   */
  replyWithinMs?: number;
  /** Largest accepted body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Largest accepted difference between the request's `timestamp` and now, seconds. Default 300. */
  maxClockSkewS?: number;
}

const parser = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: true, trimValues: true, processEntities: true, htmlEntities: false });

/** SHA-1 of the sorted token, timestamp and nonce, hex — WeChat's callback signature. */
export function mpSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

/** Why a request was turned away; logged (throttled) instead of anything from the request. */
type Refusal = 'bad-signature' | 'stale-timestamp' | 'replayed-nonce' | 'undecryptable' | 'malformed' | 'encrypted-without-key' | 'too-large';

/** A refusal reason is logged at most once per this many ms (with the count of those not logged). */
const REFUSAL_LOG_EVERY_MS = 60_000;

/**
 * The `/mp` route. Wire it with `createWechatMp` (which builds the replay guard on the bot's Redis
 * and reads MP_ENCODING_AES_KEY); tests may build it directly.
 */
export function createMpCallback(opts: MpCallbackOptions): HttpRoute {
  const path = opts.path ?? '/mp';
  const replyWithinMs = opts.replyWithinMs ?? 4000;
  const maxBody = opts.maxBodyBytes ?? 64 * 1024;
  const maxSkewMs = (opts.maxClockSkewS ?? 300) * 1000;
  const encryption = opts.encryption ?? null;
  const refusalsLogged = new Map<Refusal, { at: number; suppressed: number }>();

  const noteRefusal = (reason: Refusal, extra: object = {}) => {
    const now = opts.clock();
    const last = refusalsLogged.get(reason);
    if (last && now - last.at < REFUSAL_LOG_EVERY_MS) {
      last.suppressed += 1;
      return;
    }
    refusalsLogged.set(reason, { at: now, suppressed: 0 });
    opts.logger.warn({ path, reason, notLoggedBefore: last?.suppressed ?? 0, ...extra }, 'public account request refused');
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname !== path) return false;
    try {
      await serve(req, res, url.searchParams);
    } catch (err) {
      // Never req.url or the query here: it carries signature, nonce and openid.
      if (req.destroyed || (err as { code?: string }).code === 'ECONNRESET') opts.logger.info({ path, method: req.method }, 'public account request aborted by the client');
      else opts.logger.error({ path, method: req.method, err: errorSummary(err) }, 'public account request failed');
      plain(res, 500, 'error');
    }
    return true;
  };

  async function serve(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const timestamp = q.get('timestamp') ?? '';
    const nonce = q.get('nonce') ?? '';
    if (!/^\d{1,12}$/.test(timestamp) || !/^[\w-]{1,64}$/.test(nonce)) return refuse(req, res, 401, 'invalid signature', 'bad-signature');
    const skewMs = opts.clock() - Number(timestamp) * 1000;
    if (Math.abs(skewMs) > maxSkewMs) return refuse(req, res, 401, 'stale timestamp', 'stale-timestamp', { skewS: Math.round(skewMs / 1000) });
    const signed = signatureMatches(mpSignature(opts.token, timestamp, nonce), q.get('signature') ?? '');

    if (req.method === 'GET') {
      if (!signed) return refuse(req, res, 401, 'invalid signature', 'bad-signature');
      return plain(res, 200, q.get('echostr') ?? '');
    }
    if (req.method !== 'POST') return refuse(req, res, 405, 'method not allowed');

    const askedEncrypted = q.get('encrypt_type') === 'aes';
    const encrypted = askedEncrypted && encryption !== null;
    const msgSignature = q.get('msg_signature') ?? '';
    if (!encrypted && !signed) return refuse(req, res, 401, 'invalid signature', 'bad-signature');
    if (encrypted && !msgSignature) return refuse(req, res, 401, 'invalid signature', 'bad-signature');

    const body = await readBody(req, maxBody);
    if (body === null) return refuse(req, res, 413, 'body too large', 'too-large');

    let inner = body;
    if (encrypted) {
      const encrypt = encryptField(body);
      if (encrypt === null) return refuse(req, res, 400, 'malformed XML', 'malformed');
      if (!signatureMatches(mpMsgSignature(opts.token, timestamp, nonce, encrypt), msgSignature)) return refuse(req, res, 401, 'invalid signature', 'bad-signature');
      if ((await opts.replayGuard.use(timestamp, nonce, body)) === 'replay') return refuse(req, res, 401, 'replayed nonce', 'replayed-nonce');
      const opened = decryptMpMessage(encryption.aesKey, encrypt, encryption.appId);
      if (!opened.ok) return refuse(req, res, 401, 'cannot decrypt', 'undecryptable', { why: opened.reason });
      inner = opened.xml;
    } else if ((await opts.replayGuard.use(timestamp, nonce, body)) === 'replay') {
      return refuse(req, res, 401, 'replayed nonce', 'replayed-nonce');
    }

    const msg = parseMessage(inner);
    if (!msg) return refuse(req, res, 400, 'malformed XML', askedEncrypted && !encrypted ? 'encrypted-without-key' : 'malformed');
    try {
      const answer = await within(handle(msg), replyWithinMs, '已收到您的诉求，正在登记，办理结果会通过本公众号告知您。');
      if (answer === null) return plain(res, 200, 'success');
      const nowS = Math.floor(opts.clock() / 1000);
      const reply = passiveReply(msg.FromUserName, msg.ToUserName, nowS, answer);
      if (!encrypted) return xml(res, reply);
      return xml(res, encryptedReplyXml({ key: encryption.aesKey, token: opts.token, appId: encryption.appId, xml: reply, timestampS: nowS, nonce: String(randomInt(1e9, 1e10)) }));
    } catch (err) {
      opts.logger.error({ path, err: errorSummary(err), msgType: msg.MsgType }, 'public account message failed');
      return plain(res, 500, 'error');
    }
  }

  /**
   * Answers a refused request and closes the connection afterwards, so an unread body is not
   * drained for minutes.
   */
  function refuse(req: IncomingMessage, res: ServerResponse, status: number, text: string, reason?: Refusal, extra?: object): void {
    if (reason) noteRefusal(reason, extra);
    if (!req.complete) req.resume();
    if (!res.headersSent) res.setHeader('connection', 'close');
    plain(res, status, text);
  }

  /** The reply text for one message, or null for messages that get none (events). */
  async function handle(msg: MpMessage): Promise<string | null> {
    if (msg.MsgType === 'event') return null;
    if (msg.MsgType !== 'text') return '目前只能受理文字留言，请用文字写明地点和问题，我们会尽快办理。';
    const content = (msg.Content ?? '').trim();
    if (!content) return '请用文字写明地点和问题，我们会尽快办理。';
    // Text messages carry a MsgId; without one, a digest of sender and time (never the openid itself: the number shows on cards).
    const msgId = msg.MsgId ?? `H${createHash('sha1').update(`${msg.FromUserName}|${msg.CreateTime}|${content}`).digest('hex').slice(0, 20)}`;
    const { store } = opts.app;
    const known = store.mpMessageCase(msgId);
    if (known?.caseId) return receivedText(known.caseId);
    const outcome = await opts.app.handleIntake(
      { hotlineNo: `MP-${msgId}`.slice(0, 64), content, citizen: { openId: msg.FromUserName } },
      'mp',
    );
    if (outcome.status === 400) return '留言内容过长或有误，请精简后重新发送（5000 字以内）。';
    const caseId = outcome.case!.id;
    store.recordMpMessage(msgId, caseId, opts.clock());
    if (outcome.status === 201) opts.logger.info({ caseId, group: outcome.case!.group }, 'case written in on the public account');
    return receivedText(caseId);
  }
}

function receivedText(caseId: number): string {
  return `已收到您的诉求，编号 #${caseId}。我们会尽快办理，办理结果将通过本公众号告知您。`;
}

interface MpMessage {
  ToUserName: string;
  FromUserName: string;
  CreateTime: string;
  MsgType: string;
  Content?: string;
  MsgId?: string;
}

/** The message, or null when the body is not well-formed XML with the fields every message has. */
function parseMessage(body: string): MpMessage | null {
  const r = xmlRoot(body);
  if (!r) return null;
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : typeof r[k] === 'number' ? String(r[k]) : undefined);
  const from = str('FromUserName');
  const to = str('ToUserName');
  const type = str('MsgType');
  if (!from || !to || !type || !/^[A-Za-z0-9_-]{1,128}$/.test(from)) return null;
  const msgId = str('MsgId');
  if (msgId !== undefined && !/^[0-9A-Za-z_-]{1,40}$/.test(msgId)) return null;
  return { ToUserName: to, FromUserName: from, CreateTime: str('CreateTime') ?? '', MsgType: type, Content: str('Content'), MsgId: msgId };
}

/** The `<Encrypt>` of an encrypted message's body, or null when the body is not such XML. */
function encryptField(body: string): string | null {
  const encrypt = xmlRoot(body)?.Encrypt;
  return typeof encrypt === 'string' && encrypt.length > 0 ? encrypt : null;
}

/** The fields of a body's `<xml>` root; null for a DOCTYPE/ENTITY, malformed XML, or no `<xml>` element. */
function xmlRoot(body: string): Record<string, unknown> | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return null;
  if (XMLValidator.validate(body) !== true) return null;
  let doc: unknown;
  try {
    doc = parser.parse(body);
  } catch {
    return null;
  }
  const m = (doc as { xml?: unknown }).xml;
  return m && typeof m === 'object' ? (m as Record<string, unknown>) : null;
}

/** WeChat's passive reply: a text message back to the sender. */
export function passiveReply(toUser: string, fromUser: string, createTimeS: number, content: string): string {
  return `<xml><ToUserName>${cdata(toUser)}</ToUserName><FromUserName>${cdata(fromUser)}</FromUserName><CreateTime>${createTimeS}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(content)}</Content></xml>`;
}

function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  // A late failure after the fallback answered is the handler's to log; keep it from going unhandled.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) {
      req.resume();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function xml(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
