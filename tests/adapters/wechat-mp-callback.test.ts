/**
 * The public account's `/mp` callback on the real HTTP server and app (SQLite + Redis): the signature
 * handshake, citizens' text messages becoming cases with a passive reply carrying the number, replays
 * stored once, malformed input refused, and the openid kept out of what the groups and the API show;
 * the ±300 s timestamp window (on an injected clock) and each (timestamp, nonce) used once; 兼容模式
 * and 安全模式 with vectors sealed by the test's own reference crypto; and no log line carrying the
 * query's signature, nonce or openid, aborted uploads included.
 */
import { Redis } from 'ioredis';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { createLogger } from '../../adapters/log/pino-logger';
import { createMpCallback, mpSignature } from '../../adapters/public/wechat-mp/mp-callback';
import { parseEncodingAesKey } from '../../adapters/public/wechat-mp/mp-crypto';
import { MpReplayGuard } from '../../adapters/public/wechat-mp/mp-replay-guard';
import { createWechatMp } from '../../adapters/public/wechat-mp/wechat-mp';
import type { Logger } from '../../core/ports';
import { silentLogger, startHarness, type Harness } from '../helpers/harness';
import { referenceDecrypt, referenceEncrypt, referenceSignature } from '../helpers/mp-reference-crypto';

const TOKEN = 'mptesttoken';
const APP_ID = 'wx5a7b9c1d3e5f7a9b';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
let h: Harness;
let server: ReturnType<typeof createIntakeServer>;
let base: string;
/** The callback's clock, ms; whole seconds so the window's edges are exact. */
let now: number;
let nonceSeq = 0;

interface StartOptions {
  encrypted?: boolean;
  logger?: Logger;
}

async function start(opts: StartOptions = {}): Promise<void> {
  const logger = opts.logger ?? silentLogger;
  const replayGuard = new MpReplayGuard({ redis: h.redis, keyPrefix: h.prefix, logger, clock: () => now });
  const encryption = opts.encrypted ? { aesKey: parseEncodingAesKey(AES_KEY)!, appId: APP_ID } : null;
  const route = createMpCallback({ token: TOKEN, encryption, replayGuard, app: h.app, logger, clock: () => now });
  server = createIntakeServer({ app: h.app, redisHealthy: async () => true, logger, extraRoutes: [route] });
  base = `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
}

beforeEach(async () => {
  now = Math.floor(Date.now() / 1000) * 1000;
  h = await startHarness({ name: 'mp-callback' });
});
afterEach(async () => {
  await server?.close();
  await h.close();
});

function signedQuery(opts: { token?: string; timestampS?: number; nonce?: string; extra?: Record<string, string> } = {}): URLSearchParams {
  const timestamp = String(opts.timestampS ?? now / 1000);
  const nonce = opts.nonce ?? `n${++nonceSeq}x${Math.floor(Math.random() * 1e9)}`;
  return new URLSearchParams({ signature: mpSignature(opts.token ?? TOKEN, timestamp, nonce), timestamp, nonce, openid: 'oCitizen_123-abc', ...opts.extra });
}

function textMessage(msgId: string, content: string, openId = 'oCitizen_123-abc'): string {
  return `<xml><ToUserName><![CDATA[gh_street01]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>${now / 1000}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
}

const post = (body: string, query: URLSearchParams | string = signedQuery()) => fetch(`${base}/mp?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
const allCases = () => h.store.listReportedBetween(0, Number.MAX_SAFE_INTEGER);
const xmlOf = (text: string) => new XMLParser({ parseTagValue: false }).parse(text).xml as Record<string, string>;

describe('GET /mp (server handshake)', () => {
  beforeEach(() => start());

  it('echoes echostr when the signature is right', async () => {
    const res = await fetch(`${base}/mp?${signedQuery({ extra: { echostr: 'echo-4711' } })}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('echo-4711');
  });

  it('answers 401 to a wrong or missing signature, without the echo', async () => {
    const wrong = await fetch(`${base}/mp?${signedQuery({ token: 'another-token', extra: { echostr: 'echo-4711' } })}`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('echo-4711');
    expect((await fetch(`${base}/mp?echostr=x`)).status).toBe(401);
  });

  it('the signature is SHA-1 of the sorted token, timestamp and nonce', () => {
    // sha1('1409304348' + 'mptesttoken' + 'xxxxxx'), whatever order they come in.
    expect(mpSignature('mptesttoken', '1409304348', 'xxxxxx')).toBe('6e5075420aa34f011bb390387c31402bb3527fcc');
    expect(mpSignature('mptesttoken', 'xxxxxx', '1409304348')).toBe('6e5075420aa34f011bb390387c31402bb3527fcc');
  });

  it('a handshake signed more than 300 s away from now is refused', async () => {
    const late = await fetch(`${base}/mp?${signedQuery({ timestampS: now / 1000 - 301, extra: { echostr: 'echo-4711' } })}`);
    expect(late.status).toBe(401);
    expect(await late.text()).not.toContain('echo-4711');
    expect((await fetch(`${base}/mp?${signedQuery({ timestampS: now / 1000 - 300, extra: { echostr: 'e' } })}`)).status).toBe(200);
  });
});

describe('POST /mp (citizens write in, 明文模式)', () => {
  beforeEach(() => start());

  it('a text message becomes a case (source mp, routed by the place it names) and the passive reply carries its number', async () => {
    const res = await post(textMessage('24000000000000001', '张仪村4号院南院路灯不亮了，晚上很黑，我的电话13911112222'));
    expect(res.status).toBe(200);
    const reply = xmlOf(await res.text());
    expect(reply).toMatchObject({ ToUserName: 'oCitizen_123-abc', FromUserName: 'gh_street01', MsgType: 'text', CreateTime: String(now / 1000) });
    expect(reply.Content).toContain('已收到您的诉求，编号 #1');

    const c = h.store.findCase(1)!;
    expect(c).toMatchObject({ source: 'mp', hotlineNo: 'MP-24000000000000001', group: 'zhangyi', category: '路灯照明', citizenOpenId: 'oCitizen_123-abc' });
    await h.chat.waitFor((s) => s.some((m) => m.group === 'zhangyi' && m.text.includes('新案件 #1')), 10_000, 'card');
    // The openid is personal data: not on the card, not in the case API.
    expect(h.chat.sent.map((m) => m.text).join('\n')).not.toContain('oCitizen_123-abc');
    const api = await (await fetch(`${base}/api/cases/1`)).text();
    expect(api).not.toContain('oCitizen_123-abc');
    expect(JSON.parse(api)).toMatchObject({ id: 1, source: 'mp', group: 'zhangyi' });
  });

  it('a replayed MsgId is stored once and gets the same number', async () => {
    const body = textMessage('24000000000000002', '阅园四区门口垃圾堆了三天');
    const first = await (await post(body)).text();
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('编号 #1');
    expect(first).toContain('编号 #1');
    expect(allCases()).toHaveLength(1);
    expect(h.store.mpMessageCase('24000000000000002')).toEqual({ caseId: 1 });
    // A different message from the same citizen is a new case.
    expect(await (await post(textMessage('24000000000000003', '阅园四区楼道灯坏了'))).text()).toContain('编号 #2');
    expect(allCases()).toHaveLength(2);
  });

  it('a wrong signature → 401 and nothing stored', async () => {
    const res = await post(textMessage('24000000000000004', '张仪村路灯不亮'), signedQuery({ token: 'not-the-token' }));
    expect(res.status).toBe(401);
    const unsigned = await post(textMessage('24000000000000005', '张仪村路灯不亮'), '');
    expect(unsigned.status).toBe(401);
    expect(allCases()).toHaveLength(0);
    expect(h.store.mpMessageCase('24000000000000004')).toBeUndefined();
  });

  it('malformed XML → 400 and nothing stored', async () => {
    for (const bad of ['<xml><MsgType>text</MsgType><Content>张仪村', 'not xml at all', '<xml><MsgType><![CDATA[text]]></MsgType></xml>', '<!DOCTYPE x [<!ENTITY a "b">]><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType><Content>&a;</Content></xml>']) {
      const res = await post(bad);
      expect(res.status, bad).toBe(400);
    }
    expect(allCases()).toHaveLength(0);
  });

  it('a picture gets a reply asking for text, and no case', async () => {
    const body = `<xml><ToUserName><![CDATA[gh_street01]]></ToUserName><FromUserName><![CDATA[oCitizen_9]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId><MsgId>24000000000000006</MsgId></xml>`;
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('文字');
    expect(allCases()).toHaveLength(0);
  });
});

describe('a request counts only within ±300 s of its timestamp', () => {
  beforeEach(() => start());

  it.each([
    [-301, 401],
    [-300, 200],
    [0, 200],
    [300, 200],
    [301, 401],
    [-86_400, 401],
  ])('timestamp %i s from now → %i', async (offsetS, status) => {
    const res = await post(textMessage(`2410000000000${String(offsetS + 100_000).padStart(6, '0')}`, '张仪村路灯不亮'), signedQuery({ timestampS: now / 1000 + offsetS }));
    expect(res.status).toBe(status);
    expect(allCases()).toHaveLength(status === 200 ? 1 : 0);
  });

  it('the same request becomes stale when the clock moves past the window', async () => {
    const q = signedQuery();
    now += 301_000;
    expect((await post(textMessage('24100000000000099', '张仪村路灯不亮'), q)).status).toBe(401);
    expect(allCases()).toHaveLength(0);
  });
});

describe('each (timestamp, nonce) is used once', () => {
  beforeEach(() => start());

  it('the same signed query with another body is a replay → 401, nothing stored', async () => {
    const q = signedQuery({ nonce: '1320562132' });
    expect((await post(textMessage('24200000000000001', '张仪村路灯不亮'), q)).status).toBe(200);
    const forged = await post(textMessage('24200000000000002', '张仪村3号院有人私搭乱建', 'oSomeoneElse'), q);
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain('编号');
    expect(allCases()).toHaveLength(1);
    expect(h.store.mpMessageCase('24200000000000002')).toBeUndefined();
    // Remembered in the bot's Redis, under its key prefix, for about ten minutes.
    const key = `${h.prefix}:mp-nonce:${q.get('timestamp')}:1320562132`;
    const ttlMs = await h.redis.pttl(key);
    expect(ttlMs).toBeGreaterThan(600_000);
    expect(ttlMs).toBeLessThanOrEqual(660_000);
  });

  it('WeChat\'s retry (same query, same body) is answered with the same number and stored once', async () => {
    const q = signedQuery();
    const body = textMessage('24200000000000003', '阅园四区门口垃圾堆了三天');
    expect(await (await post(body, q)).text()).toContain('编号 #1');
    const retry = await post(body, q);
    expect(retry.status).toBe(200);
    expect(await retry.text()).toContain('编号 #1');
    expect(allCases()).toHaveLength(1);
  });

  it('the same nonce in another second is another request', async () => {
    expect((await post(textMessage('24200000000000004', '张仪村路灯不亮'), signedQuery({ nonce: '777', timestampS: now / 1000 - 1 }))).status).toBe(200);
    expect((await post(textMessage('24200000000000005', '阅园楼道灯坏了'), signedQuery({ nonce: '777' }))).status).toBe(200);
    expect(allCases()).toHaveLength(2);
  });

  it('the record is shared through Redis: another process sees the pair too', async () => {
    const a = new MpReplayGuard({ redis: h.redis, keyPrefix: h.prefix, logger: silentLogger, clock: () => now });
    const b = new MpReplayGuard({ redis: h.redis, keyPrefix: h.prefix, logger: silentLogger, clock: () => now });
    expect(await a.use('1800000000', '99', '<xml>a</xml>')).toBe('first');
    expect(await b.use('1800000000', '99', '<xml>a</xml>')).toBe('retry');
    expect(await b.use('1800000000', '99', '<xml>forged</xml>')).toBe('replay');
  });

  it('with Redis not answering, the process\'s own record still refuses the replay', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => 50 });
    dead.on('error', () => undefined);
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_o, msg) => void warnings.push(msg ?? '') };
    const guard = new MpReplayGuard({ redis: dead, keyPrefix: h.prefix, logger, clock: () => now, redisTimeoutMs: 100 });
    try {
      expect(await guard.use('1800000000', '42', '<xml>a</xml>')).toBe('first');
      expect(await guard.use('1800000000', '42', '<xml>a</xml>')).toBe('retry');
      expect(await guard.use('1800000000', '42', '<xml>b</xml>')).toBe('replay');
      expect(await guard.use('1800000001', '42', '<xml>b</xml>')).toBe('first');
      expect(warnings).toHaveLength(1);
    } finally {
      dead.disconnect();
    }
  });
});

/** A 安全模式 body: only ToUserName and Encrypt; `plain` adds the plaintext fields (兼容模式). */
function encryptedPost(inner: string, opts: { appId?: string; msgSignatureToken?: string; plain?: string; nonce?: string; skewS?: number } = {}) {
  const encrypt = referenceEncrypt(AES_KEY, inner, opts.appId ?? APP_ID, Buffer.from('ab12cd34ef56gh78'));
  const q = signedQuery({ nonce: opts.nonce, timestampS: now / 1000 + (opts.skewS ?? 0) });
  q.set('encrypt_type', 'aes');
  q.set('msg_signature', referenceSignature(opts.msgSignatureToken ?? TOKEN, q.get('timestamp')!, q.get('nonce')!, encrypt));
  const body = opts.plain
    ? opts.plain.replace('</xml>', `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`)
    : `<xml><ToUserName><![CDATA[gh_street01]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return { q, body, send: () => post(body, q) };
}

/** Checks the encrypted reply's signature and opens it with the reference. */
function openReply(text: string): Record<string, string> {
  const outer = xmlOf(text);
  expect(Object.keys(outer).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
  expect(outer.MsgSignature).toBe(referenceSignature(TOKEN, outer.TimeStamp!, outer.Nonce!, outer.Encrypt!));
  expect(outer.TimeStamp).toBe(String(now / 1000));
  const opened = referenceDecrypt(AES_KEY, outer.Encrypt!);
  expect(opened.appId).toBe(APP_ID);
  return xmlOf(opened.xml);
}

describe('安全模式 and 兼容模式 (encrypt_type=aes)', () => {
  describe('with MP_ENCODING_AES_KEY', () => {
    beforeEach(() => start({ encrypted: true }));

    it('安全模式: the encrypted text becomes a case and the reply comes back encrypted with its number', async () => {
      const res = await encryptedPost(textMessage('24300000000000001', '张仪村4号院南院路灯不亮了')).send();
      expect(res.status).toBe(200);
      const reply = openReply(await res.text());
      expect(reply).toMatchObject({ ToUserName: 'oCitizen_123-abc', FromUserName: 'gh_street01', MsgType: 'text' });
      expect(reply.Content).toContain('编号 #1');
      expect(h.store.findCase(1)).toMatchObject({ source: 'mp', hotlineNo: 'MP-24300000000000001', group: 'zhangyi', citizenOpenId: 'oCitizen_123-abc' });
    });

    it('兼容模式: the decrypted message is the one taken, not the plaintext beside it', async () => {
      const plain = textMessage('24300000000000002', '阅园四区垃圾没人收');
      const res = await encryptedPost(textMessage('24300000000000002', '张仪村路灯不亮'), { plain }).send();
      expect(res.status).toBe(200);
      expect(openReply(await res.text()).Content).toContain('编号 #1');
      expect(h.store.findCase(1)).toMatchObject({ content: '张仪村路灯不亮', group: 'zhangyi' });
    });

    it('an encrypted event gets "success" and no case', async () => {
      const event = `<xml><ToUserName><![CDATA[gh_street01]]></ToUserName><FromUserName><![CDATA[oCitizen_1]]></FromUserName><CreateTime>${now / 1000}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`;
      const res = await encryptedPost(event).send();
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('success');
      expect(allCases()).toHaveLength(0);
    });

    it.each<[string, Parameters<typeof encryptedPost>[1], number]>([
      ['a msg_signature made with another token', { msgSignatureToken: 'not-the-token' }, 401],
      ['a message sealed for another AppID', { appId: 'wx0000000000000000' }, 401],
      ['a timestamp 301 s old', { skewS: -301 }, 401],
      ['a timestamp 301 s ahead', { skewS: 301 }, 401],
    ])('%s → %i, nothing stored', async (_what, opts, status) => {
      const res = await encryptedPost(textMessage('24300000000000003', '张仪村路灯不亮'), opts).send();
      expect(res.status).toBe(status);
      expect(allCases()).toHaveLength(0);
      expect(h.store.mpMessageCase('24300000000000003')).toBeUndefined();
    });

    it('without msg_signature, or with a tampered Encrypt → 401, nothing stored', async () => {
      const p = encryptedPost(textMessage('24300000000000004', '张仪村路灯不亮'));
      const noSig = new URLSearchParams(p.q);
      noSig.delete('msg_signature');
      expect((await post(p.body, noSig)).status).toBe(401);
      const tampered = p.body.replace(/<Encrypt><!\[CDATA\[(.)/, (_m, c: string) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`);
      expect((await post(tampered, p.q)).status).toBe(401);
      expect(allCases()).toHaveLength(0);
    });

    it('an encrypted body without <Encrypt> → 400', async () => {
      const p = encryptedPost(textMessage('24300000000000005', '张仪村路灯不亮'));
      expect((await post('<xml><ToUserName>gh</ToUserName></xml>', p.q)).status).toBe(400);
      expect(allCases()).toHaveLength(0);
    });

    it('a replayed encrypted request with another Encrypt under the same nonce → 401', async () => {
      const first = encryptedPost(textMessage('24300000000000006', '张仪村路灯不亮'), { nonce: 'same-nonce' });
      expect((await first.send()).status).toBe(200);
      const second = encryptedPost(textMessage('24300000000000007', '阅园垃圾'), { nonce: 'same-nonce' });
      expect((await second.send()).status).toBe(401);
      expect(allCases()).toHaveLength(1);
    });

    it('a plaintext (明文) request still works beside the key, answered in plaintext', async () => {
      const res = await post(textMessage('24300000000000008', '张仪村路灯不亮'));
      expect(res.status).toBe(200);
      expect(xmlOf(await res.text()).Content).toContain('编号 #1');
    });
  });

  describe('without MP_ENCODING_AES_KEY', () => {
    beforeEach(() => start({ encrypted: false }));

    it('兼容模式 is read from its plaintext fields and answered in plaintext', async () => {
      const plain = textMessage('24300000000000010', '张仪村路灯不亮');
      const res = await encryptedPost(plain, { plain }).send();
      expect(res.status).toBe(200);
      expect(xmlOf(await res.text()).Content).toContain('编号 #1');
    });

    it('安全模式 cannot be read → 400, nothing stored', async () => {
      const res = await encryptedPost(textMessage('24300000000000011', '张仪村路灯不亮')).send();
      expect(res.status).toBe(400);
      expect(allCases()).toHaveLength(0);
    });
  });
});

describe('MP_ENCODING_AES_KEY through createWechatMp (what main.ts wires)', () => {
  const env = (extra: Record<string, string>) => ({ MP_APP_ID: APP_ID, MP_APP_SECRET: 'secret', MP_TOKEN: TOKEN, MP_API_ROOT: 'http://127.0.0.1:9', ...extra });

  it('with the key set, the /mp route opens 安全模式 messages and answers encrypted', async () => {
    const mp = createWechatMp({ env: env({ MP_ENCODING_AES_KEY: AES_KEY }), street: h.config, store: h.store, app: h.app, redis: h.redis, redisPrefix: h.prefix, logger: silentLogger, clock: () => now });
    server = createIntakeServer({ app: h.app, redisHealthy: async () => true, logger: silentLogger, extraRoutes: mp.routes });
    base = `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
    const res = await encryptedPost(textMessage('24500000000000001', '张仪村路灯不亮')).send();
    expect(res.status).toBe(200);
    expect(openReply(await res.text()).Content).toContain('编号 #1');
    expect(await h.redis.keys(`${h.prefix}:mp-nonce:*`)).toHaveLength(1);
  });

  it.each(['too-short', `${AES_KEY}=`, `${AES_KEY.slice(0, 42)}!`])('a malformed key (%s) stops the start, naming the variable and not its value', (bad) => {
    let message = '';
    try {
      createWechatMp({ env: env({ MP_ENCODING_AES_KEY: bad }), street: h.config, store: h.store, app: h.app, redis: h.redis, redisPrefix: h.prefix, logger: silentLogger });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/MP_ENCODING_AES_KEY.*43 位/);
    expect(message).not.toContain(bad);
  });
});

describe('logs never carry the query (signature, nonce, openid)', () => {
  const OPENID = 'oSECRETopenid_8c1f';
  const NONCE = 'nonceSECRET7731';
  let lines: string[];
  let waiters: (() => void)[];

  beforeEach(async () => {
    lines = [];
    waiters = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        for (const w of waiters.splice(0)) w();
        done();
      },
    });
    await start({ encrypted: true, logger: createLogger({ level: 'debug', destination: sink }) });
  });

  const logged = (pred: (all: string) => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (pred(lines.join('')) ? resolve() : waiters.push(check));
      check();
    });

  it('through successes, refusals of every kind and an aborted upload', async () => {
    const secrets: string[] = [OPENID];
    const q = (extra: { nonce?: string; token?: string; timestampS?: number } = {}) => {
      const query = signedQuery({ ...extra, extra: { openid: OPENID } });
      secrets.push(query.get('signature')!, query.get('nonce')!);
      return query;
    };
    // A success (logs the new case), a wrong signature, a stale timestamp, a replay, bad XML.
    const first = q({ nonce: NONCE });
    expect((await post(textMessage('24400000000000001', '张仪村路灯不亮', OPENID), first)).status).toBe(200);
    expect((await post(textMessage('24400000000000002', '张仪村路灯不亮', OPENID), first)).status).toBe(401);
    expect((await post(textMessage('24400000000000003', '张仪村路灯不亮', OPENID), q({ token: 'wrong' }))).status).toBe(401);
    expect((await post(textMessage('24400000000000004', '张仪村路灯不亮', OPENID), q({ timestampS: now / 1000 - 1000 }))).status).toBe(401);
    expect((await post('<xml>', q())).status).toBe(400);
    // An encrypted request sealed for another account.
    const foreign = encryptedPost(textMessage('24400000000000005', '张仪村', OPENID), { appId: 'wx0000000000000000' });
    foreign.q.set('openid', OPENID);
    secrets.push(foreign.q.get('signature')!, foreign.q.get('nonce')!, foreign.q.get('msg_signature')!);
    expect((await foreign.send()).status).toBe(401);

    // An upload the client gives up on halfway.
    const aborted = q();
    const received = new Promise<void>((resolve) => server.server.once('request', () => resolve()));
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(`POST /mp?${aborted} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n<xml><ToUserName>`);
    await received;
    const before = lines.length;
    socket.destroy();
    await logged(() => lines.length > before);

    const all = lines.join('');
    for (const reason of ['bad-signature', 'stale-timestamp', 'replayed-nonce', 'malformed', 'undecryptable']) expect(all).toContain(`"reason":"${reason}"`);
    expect(all).toContain('case written in on the public account');
    expect(lines.slice(before).join('')).toContain('"path":"/mp"');
    for (const secret of secrets) expect(all, secret).not.toContain(secret);
    expect(all).not.toContain('signature=');
    expect(all).not.toContain('openid');
  });
});
