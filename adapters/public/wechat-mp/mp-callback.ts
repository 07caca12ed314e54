import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { App } from '../../../bot/app';
import { errorSummary } from '../../../bot/app';
import type { Logger } from '../../../core/ports';
import type { HttpRoute } from '../../intake/http-intake-server';

/**
 * The public account's server callback on the intake HTTP server (SPEC "Public account"):
 * - `GET /mp?signature&timestamp&nonce&echostr` — the handshake: echoes `echostr` when the signature
 *   (SHA-1 of the sorted MP_TOKEN, timestamp and nonce) is right, else 401.
 * - `POST /mp` — plaintext XML. Wrong signature → 401, nothing stored; malformed XML → 400; a text
 *   message becomes a case (source `mp`, hotline number `MP-<MsgId>`, the sender's openid kept for the
 *   reply), routed by the places its text names, and is answered with a passive reply carrying the
 *   case number. A repeated MsgId (WeChat re-sends what it got no answer to) is stored once and gets
 *   the same answer.
 * The openid is personal data: it is never logged.
 */

export interface MpCallbackOptions {
  /** MP_TOKEN. */
  token: string;
  app: Pick<App, 'handleIntake' | 'store'>;
  logger: Logger;
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
}

const parser = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: true, trimValues: true, processEntities: true, htmlEntities: false });

/** SHA-1 of the sorted token, timestamp and nonce, hex — WeChat's callback signature. */
export function mpSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export function createMpCallback(opts: MpCallbackOptions): HttpRoute {
  const path = opts.path ?? '/mp';
  const replyWithinMs = opts.replyWithinMs ?? 4000;
  const maxBody = opts.maxBodyBytes ?? 64 * 1024;

  const signed = (url: URL): boolean => {
    const signature = url.searchParams.get('signature') ?? '';
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const nonce = url.searchParams.get('nonce') ?? '';
    if (!signature || !timestamp || !nonce) return false;
    const want = Buffer.from(mpSignature(opts.token, timestamp, nonce));
    const got = Buffer.from(signature.toLowerCase());
    return want.length === got.length && timingSafeEqual(want, got);
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname !== path) return false;
    if (req.method === 'GET') {
      if (!signed(url)) return plain(res, 401, 'invalid signature'), true;
      return plain(res, 200, url.searchParams.get('echostr') ?? ''), true;
    }
    if (req.method !== 'POST') return plain(res, 405, 'method not allowed'), true;
    if (!signed(url)) {
      req.resume();
      return plain(res, 401, 'invalid signature'), true;
    }
    const body = await readBody(req, maxBody);
    if (body === null) return plain(res, 413, 'body too large'), true;
    const msg = parseMessage(body);
    if (!msg) return plain(res, 400, 'malformed XML'), true;
    try {
      const answer = await within(handle(msg), replyWithinMs, '已收到您的诉求，正在登记，办理结果会通过本公众号告知您。');
      if (answer === null) return plain(res, 200, 'success'), true;
      return xml(res, passiveReply(msg.FromUserName, msg.ToUserName, Math.floor(opts.clock() / 1000), answer)), true;
    } catch (err) {
      opts.logger.error({ err: errorSummary(err), msgType: msg.MsgType }, 'public account message failed');
      return plain(res, 500, 'error'), true;
    }
  };

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
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return null;
  if (XMLValidator.validate(body) !== true) return null;
  let doc: unknown;
  try {
    doc = parser.parse(body);
  } catch {
    return null;
  }
  const m = (doc as { xml?: unknown }).xml;
  if (!m || typeof m !== 'object') return null;
  const r = m as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : typeof r[k] === 'number' ? String(r[k]) : undefined);
  const from = str('FromUserName');
  const to = str('ToUserName');
  const type = str('MsgType');
  if (!from || !to || !type || !/^[A-Za-z0-9_-]{1,128}$/.test(from)) return null;
  const msgId = str('MsgId');
  if (msgId !== undefined && !/^[0-9A-Za-z_-]{1,40}$/.test(msgId)) return null;
  return { ToUserName: to, FromUserName: from, CreateTime: str('CreateTime') ?? '', MsgType: type, Content: str('Content'), MsgId: msgId };
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
