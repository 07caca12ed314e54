/**
 * The intake HTTP API against the SPEC's fixed contract ("Intake HTTP"), on a real app
 * (temp SQLite, real Redis, workers, recording chat) and a real listening server.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeServer, isJsonContentType, type HttpServerLimits } from '../../adapters/intake/http-intake-server';
import type { OutgoingMessage } from '../../core/ports';
import { say, silentLogger, startHarness, type Harness } from '../helpers/harness';

const TOKEN = 'test-intake-token-Z9';
const ISO_BEIJING = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

type Srv = ReturnType<typeof createIntakeServer>;

let h: Harness;
let base: string;
let main: Srv;
/** Extra servers a test starts; closed after it. */
const extra: Srv[] = [];

beforeAll(async () => {
  h = await startHarness({ name: 'http-intake' });
  main = createIntakeServer({ app: h.app, token: TOKEN, redisHealthy: async () => true, logger: silentLogger });
  const { port } = await main.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterEach(async () => {
  await Promise.all(extra.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await main?.close();
  await h?.close();
});

async function startExtra(opts: { token?: string | null; redisHealthy?: () => Promise<boolean>; limits?: HttpServerLimits }): Promise<string> {
  const s = createIntakeServer({ app: h.app, token: opts.token ?? null, redisHealthy: opts.redisHealthy ?? (async () => true), logger: silentLogger, limits: opts.limits });
  extra.push(s);
  const { port } = await s.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

async function post(body: unknown, opts: { raw?: boolean; headers?: Record<string, string>; url?: string } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${opts.url ?? base}/api/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.headers ?? auth()) },
    body: opts.raw ? (body as string) : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function get(path: string, headers: Record<string, string> = auth(), url = base): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** How many cases exist (ids are dense from 1). */
function caseCount(): number {
  let n = 0;
  while (h.store.findCase(n + 1)) n++;
  return n;
}

const isCardFor = (hotlineNo: string) => (m: OutgoingMessage) => m.text.includes('新案件 #') && m.text.includes(`工单号：${hotlineNo}`);

describe('POST /api/cases (one object)', () => {
  it('creates a case: 201 with exactly the contract body, routed by address', async () => {
    const res = await post({ hotlineNo: 'H-NEW-1', content: '路灯不亮，晚上很黑', address: '张仪村4号院南院' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['group', 'hotlineNo', 'id', 'resolveBy', 'respondBy', 'status']);
    expect(res.body).toMatchObject({ hotlineNo: 'H-NEW-1', status: 'new', group: 'zhangyi' });
    expect(typeof res.body.id).toBe('number');
    expect(res.body.respondBy).toMatch(ISO_BEIJING);
    expect(res.body.resolveBy).toMatch(ISO_BEIJING);
    expect(Date.parse(res.body.respondBy)).toBeLessThanOrEqual(Date.parse(res.body.resolveBy));
    expect(h.store.findCaseByHotlineNo('H-NEW-1')).toMatchObject({ id: res.body.id, group: 'zhangyi', source: '12345', status: 'new' });
  });

  it("takes the work order's resolveBy as the resolution deadline, shown in +08:00", async () => {
    const res = await post({ hotlineNo: 'H-RB-1', content: '咨询社区活动', address: '阅园四区', resolveBy: '2099-01-01T00:00:00Z' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ group: 'yueyuan', resolveBy: '2099-01-01T08:00:00+08:00' });
  });

  it('accepts a work-order number sent as a JSON number (12345 exports do this) and keeps it as text', async () => {
    const res = await post(JSON.stringify({ hotlineNo: 2026112900017, content: '数字工单号' }), { raw: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ hotlineNo: '2026112900017' });
  });

  it('is idempotent on the hotline number: 200 with the same body, the card posted once', async () => {
    const body = { hotlineNo: 'H-DUP-1', content: '楼道堆物，影响通行', address: '张仪村2号院' };
    const first = await post(body);
    expect(first.status).toBe(201);
    await h.chat.waitFor((s) => s.some(isCardFor('H-DUP-1')), 10_000, 'card of H-DUP-1');

    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // Different content under the same number changes nothing either.
    const changed = await post({ ...body, content: '别的内容', address: '阅园四区' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual(first.body);

    // A later case in the same group: once its card is out, anything the repeats caused would be too.
    const later = await post({ hotlineNo: 'H-DUP-2', content: '楼道灯坏了', address: '张仪村3号院' });
    expect(later.status).toBe(201);
    await h.chat.waitFor((s) => s.some(isCardFor('H-DUP-2')), 10_000, 'card of H-DUP-2');
    expect(h.chat.sent.filter(isCardFor('H-DUP-1'))).toHaveLength(1);
    expect(h.store.findCaseByHotlineNo('H-DUP-1')).toMatchObject({ content: '楼道堆物，影响通行', group: 'zhangyi' });
  });

  it('concurrent posts of one number create one case and one card', async () => {
    const body = { hotlineNo: 'H-RACE-1', content: '电梯困人', address: '假日风景小区3号楼' };
    const all = await Promise.all(Array.from({ length: 8 }, () => post(body)));
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    await h.chat.waitFor((s) => s.some(isCardFor('H-RACE-1')), 10_000, 'card of H-RACE-1');
    const later = await post({ hotlineNo: 'H-RACE-2', content: '楼道灯坏了', address: '假日风景小区5号楼' });
    expect(later.status).toBe(201);
    await h.chat.waitFor((s) => s.some(isCardFor('H-RACE-2')), 10_000, 'card of H-RACE-2');
    expect(h.chat.sent.filter(isCardFor('H-RACE-1')).filter((m) => m.group === 'jiari')).toHaveLength(1);
  });

  it.each([
    ['hotlineNo', { content: '没有工单号' }],
    ['content', { hotlineNo: 'H-400-content' }],
    ['urgency', { hotlineNo: 'H-400-urgency', content: '内容', urgency: 'very-urgent' }],
    ['resolveBy', { hotlineNo: 'H-400-resolveBy', content: '内容', resolveBy: '明天下午' }],
    ['resolveBy', { hotlineNo: 'H-400-resolveBy-2', content: '内容', resolveBy: '2030-01-01' }],
    ['reportedAt', { hotlineNo: 'H-400-reportedAt', content: '内容', reportedAt: '2030-13-45T00:00:00+08:00' }],
    ['type', { hotlineNo: 'H-400-type', content: '内容', type: '表扬' }],
    ['community', { hotlineNo: 'H-400-community', content: '内容', community: 'nowhere' }],
  ])('400 naming the field %s, and nothing stored', async (field, body) => {
    const before = caseCount();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.any(String), field });
    expect(res.body.error.length).toBeGreaterThan(0);
    if ('hotlineNo' in body) expect(h.store.findCaseByHotlineNo(body.hotlineNo as string)).toBeNull();
    expect(caseCount()).toBe(before);
  });

  it("400 with field '(body)' for malformed JSON", async () => {
    const before = caseCount();
    const res = await post('{"hotlineNo": "H-400-json", "content": ', { raw: true });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.any(String), field: '(body)' });
    expect(h.store.findCaseByHotlineNo('H-400-json')).toBeNull();
    expect(caseCount()).toBe(before);
  });

  it('413 for a single object over 64 KiB (nothing stored); just under is accepted', async () => {
    const before = caseCount();
    const big = await post({ hotlineNo: 'H-413-1', content: '内容', address: '张仪村', padding: 'x'.repeat(65 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body).toHaveProperty('error');
    expect(h.store.findCaseByHotlineNo('H-413-1')).toBeNull();
    expect(caseCount()).toBe(before);

    const ok = await post({ hotlineNo: 'H-413-2', content: '内容', address: '张仪村', padding: 'x'.repeat(60 * 1024) });
    expect(ok.status).toBe(201);
  });

  it('413 for a body over the batch limit, even when it is not JSON', async () => {
    const before = caseCount();
    const res = await post('x'.repeat(9 * 1024 * 1024), { raw: true });
    expect(res.status).toBe(413);
    expect(caseCount()).toBe(before);
  });

  it('never answers 500 to weird bodies: each is a 400 naming a field, nothing stored', async () => {
    const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const bodies: string[] = [
      '',
      '   ',
      '1',
      '-0.5e999',
      '"just a string"',
      'null',
      'true',
      '{}',
      'NaN',
      '{"hotlineNo":null,"content":null}',
      '{"hotlineNo":-12345,"content":"负数工单号"}',
      '{"hotlineNo":1.5,"content":"小数工单号"}',
      '{"hotlineNo":1e999,"content":"x"}',
      '{"hotlineNo":{"$gt":""},"content":"x"}',
      '{"hotlineNo":["W-1"],"content":"x"}',
      '{"hotlineNo":"W-2","content":{"a":{"b":[1,2,{"c":null}]}}}',
      '{"hotlineNo":"W-3","content":"   "}',
      '{"hotlineNo":"","content":"x"}',
      '{"hotlineNo":"W 4","content":"x"}',
      '{"hotlineNo":"W-5\\u0000","content":"x"}',
      '{"hotlineNo":"\\ud800","content":"x"}',
      JSON.stringify({ hotlineNo: '𠀀'.repeat(65), content: 'x' }),
      JSON.stringify({ hotlineNo: 'W-6', content: '😀'.repeat(5001) }),
      JSON.stringify({ hotlineNo: 'W-7', content: 'x', address: '张'.repeat(201) }),
      JSON.stringify({ hotlineNo: 'W-8', content: 'x', citizen: '王先生 13911112222' }),
      JSON.stringify({ hotlineNo: 'W-9', content: 'x', citizen: { name: 123 } }),
      JSON.stringify({ hotlineNo: 'W-10', content: 'x', category: ['a'] }),
      JSON.stringify({ hotlineNo: 'W-11', content: 'x', reportedAt: '2030-01-02T00:00:00+08:00', resolveBy: '2030-01-01T00:00:00+08:00' }),
      JSON.stringify({ hotlineNo: 'W-12', content: 'x', resolveBy: 1893456000000 }),
      JSON.stringify({ hotlineNo: 'W-13', content: 'x', urgency: 'URGENT' }),
      JSON.stringify({ hotlineNo: 'W-14', content: 'x', community: '__proto__' }),
      JSON.stringify({ hotlineNo: 'W-15', content: 'x', community: 'toString' }),
      '{"__proto__":{"hotlineNo":"W-16","content":"x"}}',
      '{"constructor":{"prototype":{"hotlineNo":"W-17"}},"content":"x"}',
      deepObject,
      '\u0000\u0001\u0002',
      '{"hotlineNo":"W-18","content":"x"',
      '{"hotlineNo":"W-19","content":"x"}}',
      "{'hotlineNo':'W-20','content':'x'}",
    ];
    const before = caseCount();
    for (const raw of bodies) {
      const res = await post(raw, { raw: true });
      expect.soft(res.status, `body ${raw.slice(0, 80)}`).toBe(400);
      expect.soft(res.body, `body ${raw.slice(0, 80)}`).toEqual({ error: expect.any(String), field: expect.any(String) });
    }
    expect(caseCount()).toBe(before);
    for (let i = 1; i <= 20; i++) expect(h.store.findCaseByHotlineNo(`W-${i}`)).toBeNull();
  });

  it('never answers 500 to non-UTF-8 bytes or deeply nested arrays', async () => {
    const bytes = await fetch(`${base}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: new Uint8Array([0xff, 0xfe, 0x7b, 0x80, 0xc3]) });
    expect(bytes.status).toBe(400);
    await bytes.text();
    const deep = await post('['.repeat(100_000) + ']'.repeat(100_000), { raw: true });
    expect(deep.status).toBeLessThan(500);
  });
});

describe('POST /api/cases (a JSON array: the batch form)', () => {
  it('answers 200 {results:[…]}, one outcome per item in order; a bad item gets 400 with its field', async () => {
    const before = caseCount();
    const res = await post([
      { hotlineNo: 'B-1', content: '井盖丢失', address: '张仪村北口', category: '城乡建设->市政设施->井盖' },
      { hotlineNo: 'B-2', content: '小区门口有游商', address: '阅园四区' },
      { hotlineNo: 'B-BAD', content: '内容', urgency: 'sometime' },
      { hotlineNo: 'B-3', content: '西丰路45号院停水了', address: '西丰路45号院' },
      'not an object',
    ]);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['results']);
    const results = res.body.results as any[];
    expect(results).toHaveLength(5);
    expect(results.map((r) => r.status)).toEqual([201, 201, 400, 201, 400]);
    expect(results[0]).toEqual({ status: 201, caseStatus: 'new', id: expect.any(Number), hotlineNo: 'B-1', group: 'zhangyi', respondBy: expect.stringMatching(ISO_BEIJING), resolveBy: expect.stringMatching(ISO_BEIJING) });
    expect(results[2]).toEqual({ status: 400, error: expect.any(String), field: 'urgency' });
    expect(results[4]).toEqual({ status: 400, error: expect.any(String), field: '(body)' });
    expect(h.store.findCaseByHotlineNo('B-BAD')).toBeNull();
    expect(h.store.findCaseByHotlineNo('B-1')).toMatchObject({ category: '井盖', group: 'zhangyi' });
    expect(caseCount()).toBe(before + 3);

    // Again: the known ones are 200 with their case, the bad one is still 400.
    const again = await post([{ hotlineNo: 'B-1', content: '井盖丢失' }, { hotlineNo: 'B-BAD', content: '内容', urgency: 'sometime' }]);
    expect(again.status).toBe(200);
    expect(again.body.results.map((r: any) => r.status)).toEqual([200, 400]);
    expect(again.body.results[0].id).toBe(results[0].id);
    expect(caseCount()).toBe(before + 3);
  });

  it('accepts an empty array and a batch larger than 64 KiB', async () => {
    expect(await post([])).toEqual({ status: 200, body: { results: [] } });
    const items = Array.from({ length: 40 }, (_, i) => ({ hotlineNo: `BB-${i}`, content: `第${i}件：${'楼道堆物'.repeat(500)}`, address: '假日风景小区' }));
    expect(JSON.stringify(items).length).toBeGreaterThan(64 * 1024);
    const res = await post(items);
    expect(res.status).toBe(200);
    expect(res.body.results.every((r: any) => r.status === 201 && r.group === 'jiari')).toBe(true);
  });
});

describe('the token', () => {
  it('401 without it or with a wrong one, nothing stored; 201 with the right one', async () => {
    const body = { hotlineNo: 'T-AUTH-1', content: '内容', address: '张仪村' };
    for (const headers of [{}, auth('wrong'), auth(`${TOKEN}x`), { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
      const res = await post(body, { headers });
      expect(res.status).toBe(401);
      expect(res.body).toHaveProperty('error');
    }
    // An unauthorised malformed or oversized body is still a 401: the token is checked first.
    expect((await post('{oops', { raw: true, headers: {} })).status).toBe(401);
    expect(h.store.findCaseByHotlineNo('T-AUTH-1')).toBeNull();
    expect((await post(body)).status).toBe(201);
  });

  it('GET /api/cases/:id needs it too', async () => {
    const created = await post({ hotlineNo: 'T-AUTH-2', content: '内容', address: '张仪村' });
    expect(created.status).toBe(201);
    expect((await get(`/api/cases/${created.body.id}`, {})).status).toBe(401);
    expect((await get('/api/cases/T-AUTH-2', auth('nope'))).status).toBe(401);
    // Unknown cases are not revealed to a caller without the token either.
    expect((await get('/api/cases/NO-SUCH', {})).status).toBe(401);
    expect((await get(`/api/cases/${created.body.id}`)).status).toBe(200);
  });

  it('with no token configured, no Authorization is needed', async () => {
    const url = await startExtra({ token: null });
    const res = await post({ hotlineNo: 'T-OPEN-1', content: '内容', address: '阅园' }, { headers: {}, url });
    expect(res.status).toBe(201);
    expect((await get('/api/cases/T-OPEN-1', {}, url)).status).toBe(200);
  });
});

describe('GET /api/cases/:id', () => {
  it('finds the case by short number and by hotline number, with its events; owner follows the claim', async () => {
    const created = await post({ hotlineNo: 'G-1', content: '张仪村4号院南院路灯不亮', address: '张仪村4号院南院', citizen: { name: '王建国', phone: '13911112222' } });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    const byId = await get(`/api/cases/${id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      id,
      hotlineNo: 'G-1',
      status: 'new',
      group: 'zhangyi',
      owner: null,
      category: expect.any(String),
      urgency: expect.stringMatching(/^(urgent|utility|ordinary|complex|consult)$/),
      source: '12345',
      respondBy: created.body.respondBy,
      resolveBy: created.body.resolveBy,
    });
    expect(byId.body.events).toEqual([{ kind: 'received', actor: null, at: expect.stringMatching(ISO_BEIJING), text: expect.any(String), group: 'zhangyi', from: null, to: 'new' }]);

    const byHotline = await get('/api/cases/G-1');
    expect(byHotline).toEqual(byId);

    await say(h, 'zhangyi', '王芳', `认领 ${id}`);
    const claimed = await get(`/api/cases/${id}`);
    expect(claimed.body).toMatchObject({ status: 'claimed', owner: '王芳' });
    const kinds = (claimed.body.events as any[]).map((e) => e.kind);
    expect(kinds.slice(0, 1)).toEqual(['received']);
    expect(kinds).toContain('claimed');
    const claim = (claimed.body.events as any[]).find((e) => e.kind === 'claimed');
    expect(claim).toMatchObject({ actor: '王芳', at: expect.stringMatching(ISO_BEIJING) });
    for (const e of claimed.body.events as any[]) expect(Object.keys(e)).toEqual(expect.arrayContaining(['kind', 'actor', 'at', 'text']));
  });

  it('finds a hotline number with characters that need URL encoding', async () => {
    const created = await post({ hotlineNo: 'G-2/2026#7', content: '内容', address: '西四环83号院' });
    expect(created.status).toBe(201);
    const res = await get(`/api/cases/${encodeURIComponent('G-2/2026#7')}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, hotlineNo: 'G-2/2026#7', group: 'xifeng' });
  });

  it('404 for an unknown case, by number and by hotline number', async () => {
    expect((await get('/api/cases/999999')).status).toBe(404);
    const res = await get('/api/cases/NO-SUCH-CASE');
    expect(res.status).toBe(404);
    expect(res.body).toHaveProperty('error');
  });

  it('never answers 500 to a malformed percent-encoding in the path', async () => {
    const res = await get('/api/cases/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('GET /healthz', () => {
  it('200 {ok:true, down:[]} without a token', async () => {
    const res = await get('/healthz', {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, down: [] });
  });

  it('503 naming redis when Redis does not answer, the check throws, or it never settles', async () => {
    const down = await startExtra({ token: TOKEN, redisHealthy: async () => false });
    const res = await get('/healthz', {}, down);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, down: ['redis'], database: true, redis: false });

    const throws = await startExtra({ token: TOKEN, redisHealthy: async () => { throw new Error('redis gone'); } });
    expect((await get('/healthz', {}, throws)).body).toMatchObject({ ok: false, down: ['redis'] });

    // A PING that waits for a Redis that is away (ioredis queues it) must not hold /healthz.
    const hangs = await startExtra({ token: TOKEN, redisHealthy: () => new Promise<boolean>(() => {}), limits: { healthCheckTimeoutMs: 200 } });
    const hung = await get('/healthz', {}, hangs);
    expect(hung.status).toBe(503);
    expect(hung.body).toMatchObject({ ok: false, down: ['redis'] });
  });
});

describe('Content-Type of POST /api/cases', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON;charset=UTF-8', true],
    ['application/json; charset="utf-8"', true],
    [undefined, false],
    ['', false],
    ['text/plain', false],
    ['text/plain; charset=utf-8', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/jsonp', false],
    ['application/json-patch+json', false],
    ['application/json; charset=gbk', false],
  ])('%s → accepted %s', (header, ok) => {
    expect(isJsonContentType(header)).toBe(ok);
  });

  it("415 naming '(content-type)' for anything but JSON; nothing stored", async () => {
    const before = caseCount();
    const body = JSON.stringify({ hotlineNo: 'CT-1', content: '路灯不亮', address: '张仪村' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=gbk']) {
      const res = await fetch(`${base}/api/cases`, { method: 'POST', headers: { 'content-type': type, ...auth() }, body });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toEqual({ error: expect.any(String), field: '(content-type)' });
    }
    // No Content-Type at all (a raw request: fetch would add text/plain).
    const raw = await rawRequest(base, `POST /api/cases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    expect(raw.statusLine).toContain(' 415 ');
    expect(h.store.findCaseByHotlineNo('CT-1')).toBeNull();
    expect(caseCount()).toBe(before);
    // With its charset, JSON goes through.
    const ok = await fetch(`${base}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...auth() }, body });
    expect(ok.status).toBe(201);
    await ok.text();
  });
});

/** What a raw client got back on a connection the server closed. */
interface RawExchange {
  statusLine: string;
  headers: string;
  /** Body bytes the client managed to write before the server closed the connection. */
  bodyBytesSent: number;
}

/**
 * Writes `head` on a fresh connection, then `bodyBytes` of body (never the rest it announced), and
 * resolves once the server closes the connection — the test's own timeout catches a server that
 * would wait for the body instead.
 */
function rawRequest(url: string, head: string, bodyBytes = 0): Promise<RawExchange> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    let data = '';
    let sent = 0;
    const sock: Socket = connect(Number(port), hostname, () => {
      sock.write(head);
      if (bodyBytes > 0) sock.write(Buffer.alloc(bodyBytes, 0x61), () => (sent = bodyBytes));
    });
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('error', () => {}); // a reset after the answer is a close too
    sock.on('close', () => {
      const [head = '', ] = data.split('\r\n\r\n');
      resolve({ statusLine: head.split('\r\n')[0] ?? '', headers: head.toLowerCase(), bodyBytesSent: sent });
    });
  });
}

describe('refused bodies and slow clients', () => {
  const HUNDRED_MB = 100 * 1024 * 1024;

  it('a 100 MB body with a wrong token: 401, Connection: close, and the server closes the socket without reading it', async () => {
    const res = await rawRequest(
      base,
      `POST /api/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer wrong\r\nContent-Length: ${HUNDRED_MB}\r\n\r\n`,
      64 * 1024,
    );
    expect(res.statusLine).toBe('HTTP/1.1 401 Unauthorized');
    expect(res.headers).toContain('connection: close');
  }, 15_000);

  it('the same for 413 (declared over the batch limit), 415, and a single object over 64 KiB', async () => {
    const big = await rawRequest(base, `POST /api/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${HUNDRED_MB}\r\n\r\n`, 64 * 1024);
    expect(big.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(big.headers).toContain('connection: close');

    const type = await rawRequest(base, `POST /api/cases HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${HUNDRED_MB}\r\n\r\n`, 64 * 1024);
    expect(type.statusLine).toBe('HTTP/1.1 415 Unsupported Media Type');
    expect(type.headers).toContain('connection: close');

    // Announced under the batch limit, but an object (not an array) past 64 KiB: refused mid-body.
    const object = await rawRequest(base, `POST /api/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${4 * 1024 * 1024}\r\n\r\n{"hotlineNo":"SLOW-1","content":"`, 200 * 1024);
    expect(object.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(object.headers).toContain('connection: close');
    expect(h.store.findCaseByHotlineNo('SLOW-1')).toBeNull();
  }, 15_000);

  it('a client that never finishes its headers is cut off by the headers timeout', async () => {
    const url = await startExtra({ token: TOKEN, limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    const res = await rawRequest(url, 'POST /api/cases HTTP/1.1\r\nHost: x\r\nContent-Type: appl');
    // Node answers 408 (or just closes) — either way the connection is gone.
    expect(['', 'HTTP/1.1 408 Request Timeout']).toContain(res.statusLine);
  }, 15_000);

  it('a body that stops halfway is cut off by the request timeout, nothing stored', async () => {
    const url = await startExtra({ token: TOKEN, limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    const res = await rawRequest(url, `POST /api/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1000\r\n\r\n{"hotlineNo":"SLOW-2",`);
    expect(['', 'HTTP/1.1 408 Request Timeout']).toContain(res.statusLine);
    expect(h.store.findCaseByHotlineNo('SLOW-2')).toBeNull();
  }, 15_000);

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const url = await startExtra({ token: TOKEN, limits: { keepAliveTimeoutMs: 1000 } });
    const res = await rawRequest(url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(res.statusLine).toBe('HTTP/1.1 200 OK');
    expect(res.headers).toMatch(/keep-alive: timeout=1(\r\n|$)/);
  }, 15_000);

  it('connections beyond the cap are closed as they arrive; the server answers again once they drop', async () => {
    const url = await startExtra({ token: TOKEN, limits: { maxConnections: 2 } });
    const { port } = new URL(url);
    const held = await Promise.all([0, 1].map(() => new Promise<Socket>((resolve) => {
      const s = connect(Number(port), '127.0.0.1', () => resolve(s));
      s.on('error', () => {});
    })));
    // Held connections count once the server has accepted them: a request on each proves it.
    for (const s of held) {
      const answered = new Promise<void>((resolve) => s.once('data', () => resolve()));
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await answered;
    }
    const third = await rawRequest(url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(third.statusLine).toBe('');
    for (const s of held) s.destroy();
    await expect.poll(async () => (await fetch(`${url}/healthz`).then((r) => r.status, () => 0)), { timeout: 5_000 }).toBe(200);
  }, 15_000);
});

describe('other requests', () => {
  it('unknown paths are 404 and wrong methods 405, never 500', async () => {
    expect((await get('/nope')).status).toBe(404);
    const del = await fetch(`${base}/api/cases`, { method: 'DELETE', headers: auth() });
    expect(del.status).toBe(405);
    await del.text();
  });

  it('survives a raw request with an odd request target', async () => {
    const url = new URL(base);
    const status = await new Promise<string>((resolve, reject) => {
      const sock = connect(Number(url.port), url.hostname, () => {
        sock.write('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let data = '';
      sock.on('data', (d) => (data += d.toString()));
      sock.on('end', () => resolve(data.split('\r\n')[0] ?? ''));
      sock.on('error', reject);
    });
    expect(status).not.toContain(' 500 ');
    // The server still answers afterwards.
    expect((await get('/healthz', {})).status).toBe(200);
  });
});
