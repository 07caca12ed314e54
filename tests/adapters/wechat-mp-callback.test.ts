/**
 * The public account's `/mp` callback on the real HTTP server and app (SQLite + Redis): the signature
 * handshake, citizens' text messages becoming cases with a passive reply carrying the number, replays
 * stored once, malformed input refused, and the openid kept out of what the groups and the API show.
 */
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { createMpCallback, mpSignature } from '../../adapters/public/wechat-mp/mp-callback';
import { silentLogger, startHarness, type Harness } from '../helpers/harness';

const TOKEN = 'mptesttoken';
let h: Harness;
let server: ReturnType<typeof createIntakeServer>;
let base: string;

beforeEach(async () => {
  h = await startHarness({ name: 'mp-callback' });
  server = createIntakeServer({ app: h.app, redisHealthy: async () => true, logger: silentLogger, extraRoutes: [createMpCallback({ token: TOKEN, app: h.app, logger: silentLogger, clock: Date.now })] });
  const addr = await server.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${addr.port}`;
});
afterEach(async () => {
  await server.close();
  await h.close();
});

function signedQuery(token = TOKEN, extra: Record<string, string> = {}): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({ signature: mpSignature(token, timestamp, nonce), timestamp, nonce, ...extra }).toString();
}

function textMessage(msgId: string, content: string, openId = 'oCitizen_123-abc'): string {
  return `<xml><ToUserName><![CDATA[gh_street01]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
}

const post = (body: string, query = signedQuery()) => fetch(`${base}/mp?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
const allCases = () => h.store.listReportedBetween(0, Number.MAX_SAFE_INTEGER);

describe('GET /mp (server handshake)', () => {
  it('echoes echostr when the signature is right', async () => {
    const res = await fetch(`${base}/mp?${signedQuery(TOKEN, { echostr: 'echo-4711' })}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('echo-4711');
  });

  it('answers 401 to a wrong or missing signature, without the echo', async () => {
    const wrong = await fetch(`${base}/mp?${signedQuery('another-token', { echostr: 'echo-4711' })}`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('echo-4711');
    expect((await fetch(`${base}/mp?echostr=x`)).status).toBe(401);
  });

  it('the signature is SHA-1 of the sorted token, timestamp and nonce', () => {
    // sha1('1409304348' + 'mptesttoken' + 'xxxxxx'), whatever order they come in.
    expect(mpSignature('mptesttoken', '1409304348', 'xxxxxx')).toBe('6e5075420aa34f011bb390387c31402bb3527fcc');
    expect(mpSignature('mptesttoken', 'xxxxxx', '1409304348')).toBe('6e5075420aa34f011bb390387c31402bb3527fcc');
  });
});

describe('POST /mp (citizens write in)', () => {
  it('a text message becomes a case (source mp, routed by the place it names) and the passive reply carries its number', async () => {
    const started = Date.now();
    const res = await post(textMessage('24000000000000001', '张仪村4号院南院路灯不亮了，晚上很黑，我的电话13911112222'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(200);
    const reply = new XMLParser({ parseTagValue: false }).parse(await res.text()).xml as Record<string, string>;
    expect(reply).toMatchObject({ ToUserName: 'oCitizen_123-abc', FromUserName: 'gh_street01', MsgType: 'text' });
    expect(reply.Content).toContain('已收到您的诉求，编号 #1');
    expect(Number(reply.CreateTime)).toBeGreaterThan(1_700_000_000);

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
    const res = await post(textMessage('24000000000000004', '张仪村路灯不亮'), signedQuery('not-the-token'));
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
