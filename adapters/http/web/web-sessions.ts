import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { WebLoginService } from '../../../bot/web-login';

/**
 * Web console sign-in state in Redis, under the bot's key prefix:
 *   <prefix>:web:link:<sha256(token)>    a single-use sign-in link (TTL 10 min), consumed with GETDEL
 *   <prefix>:web:session:<sha256(sid)>   a session (TTL 12 h): the person and the session's CSRF token
 *   <prefix>:web:groups:<platform>:<id>  the groups a person has written in (who sees which cases)
 * Only hashes of the secrets are keys: a Redis dump holds no usable link or session.
 */

/** Who a session belongs to; the role is resolved from the platform id at every request. */
export interface WebPerson {
  platform: string;
  id: string;
  name: string;
}

export interface WebSession extends WebPerson {
  /** Sent by the page in `x-csrf-token` with every state-changing request. */
  csrf: string;
  /** Epoch ms the session was opened. */
  since: number;
}

export interface WebSessionsOptions {
  redis: Redis;
  /** The bot's key prefix (REDIS_PREFIX, default `jiesu`). */
  prefix: string;
  /** Public base of the links, e.g. `http://127.0.0.1:8080` (WEB_BASE_URL). */
  baseUrl: string;
  /** A link works this long, ms. Default 10 minutes. */
  linkTtlMs?: number;
  /** A session lasts this long, ms. Default 12 hours. */
  sessionTtlMs?: number;
}

/** Default of {@link WebSessionsOptions.linkTtlMs}: 10 minutes. */
export const LINK_TTL_MS = 10 * 60_000;
/** Default of {@link WebSessionsOptions.sessionTtlMs}: 12 hours. */
export const SESSION_TTL_MS = 12 * 3_600_000;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export class WebSessions implements WebLoginService {
  readonly linkTtlMs: number;
  readonly sessionTtlMs: number;
  private readonly seen = new Set<string>();

  constructor(private readonly opts: WebSessionsOptions) {
    this.linkTtlMs = opts.linkTtlMs ?? LINK_TTL_MS;
    this.sessionTtlMs = opts.sessionTtlMs ?? SESSION_TTL_MS;
  }

  private key(kind: string, rest: string): string {
    return `${this.opts.prefix}:web:${kind}:${rest}`;
  }

  /** A fresh single-use link (random 32 bytes) for this person. */
  async linkFor(person: WebPerson): Promise<string> {
    const token = secret();
    await this.opts.redis.set(this.key('link', hash(token)), JSON.stringify({ platform: person.platform, id: person.id, name: person.name }), 'PX', this.linkTtlMs);
    // The token rides in the query string: the server never logs queries.
    return `${this.opts.baseUrl.replace(/\/+$/, '')}/login?t=${token}`;
  }

  /** Uses a link up: the person it was made for, or null when unknown, used or expired. */
  async consumeLink(token: string): Promise<WebPerson | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const raw = await this.opts.redis.getdel(this.key('link', hash(token)));
    if (!raw) return null;
    const p = JSON.parse(raw) as WebPerson;
    return { platform: p.platform, id: p.id, name: p.name };
  }

  /** Opens a session; returns its id (the cookie's value). */
  async open(person: WebPerson, now: number): Promise<{ sid: string; session: WebSession }> {
    const sid = secret();
    const session: WebSession = { ...person, csrf: secret(), since: now };
    await this.opts.redis.set(this.key('session', hash(sid)), JSON.stringify(session), 'PX', this.sessionTtlMs);
    return { sid, session };
  }

  async get(sid: string | null): Promise<WebSession | null> {
    if (!sid || !/^[A-Za-z0-9_-]{20,100}$/.test(sid)) return null;
    const raw = await this.opts.redis.get(this.key('session', hash(sid)));
    return raw ? (JSON.parse(raw) as WebSession) : null;
  }

  async close(sid: string | null): Promise<void> {
    if (sid) await this.opts.redis.del(this.key('session', hash(sid)));
  }

  /** Records that a person wrote in a group (once per process per person and group). */
  async recordGroup(platform: string, userId: string, group: string): Promise<void> {
    const k = this.key('groups', `${platform}:${userId}`);
    if (this.seen.has(`${k}\n${group}`)) return;
    await this.opts.redis.sadd(k, group);
    this.seen.add(`${k}\n${group}`);
  }

  /** The groups a person has written in. */
  async groupsOf(platform: string, userId: string): Promise<string[]> {
    return this.opts.redis.smembers(this.key('groups', `${platform}:${userId}`));
  }
}

/** Constant-time comparison of two tokens. */
export function sameToken(given: string | undefined, want: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * AppDeps.onMessageSeen for the console: remembers the bound group each person writes in (who sees
 * which cases). Private chats and unbound chats are not groups.
 */
export function groupRecorder(sessions: WebSessions, groupForChat: (platform: string, chatId: string) => string | null, onError: (err: unknown) => void): (msg: { platform: string; chatId: string; group?: string | null; isPrivate?: boolean; sender: { id: string } }) => void {
  return (msg) => {
    if (msg.isPrivate) return;
    const group = msg.group ?? groupForChat(msg.platform, msg.chatId);
    if (group) sessions.recordGroup(msg.platform, msg.sender.id, group).catch(onError);
  };
}
