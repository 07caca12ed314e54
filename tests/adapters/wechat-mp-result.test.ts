/**
 * Results to the citizen on the public account, end to end: a case written in through POST /mp is
 * claimed and 办结 in the group (real app, SQLite, BullMQ workers), and the fake Official Account API
 * receives the template message — or the customer-service text without a template. A permanent
 * refusal lands in the case's events and is not retried; a transient one is retried and the result
 * still arrives exactly once. A case from 12345 sends nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { FilePublicChannel } from '../../adapters/public/file-public-channel';
import { mpSignature } from '../../adapters/public/wechat-mp/mp-callback';
import type { MpApiClient } from '../../adapters/public/wechat-mp/mp-api-client';
import { MP_CHANNEL, WechatMpResultChannel } from '../../adapters/public/wechat-mp/mp-result-channel';
import { createWechatMp } from '../../adapters/public/wechat-mp/wechat-mp';
import type { CaseStore } from '../../core/ports';
import { publicResultText } from '../../core/public-text';
import type { StreetConfig } from '../../core/street-config';
import { judge, loadPrivacyCorpus } from '../fixtures/privacy-corpus';
import { makeCase } from '../core/make-case';
import { FakeMpServer } from '../helpers/fake-mp-server';
import { loadTestStreet, say, silentLogger, startHarness, type Harness } from '../helpers/harness';

const TOKEN = 'mptesttoken';
const OPENID = 'oCitizen_result_1';
let h: Harness;
let fake: FakeMpServer;
let server: ReturnType<typeof createIntakeServer>;
let base: string;
let mpChannel: WechatMpResultChannel;

afterEach(async () => {
  await server?.close();
  await h?.close();
  await fake?.close();
});

async function start(opts: { templateId?: string; config?: StreetConfig } = {}): Promise<void> {
  fake = await new FakeMpServer().start();
  const env = { MP_APP_ID: fake.creds.appId, MP_APP_SECRET: fake.creds.secret, MP_TOKEN: TOKEN, MP_API_ROOT: fake.url, ...(opts.templateId ? { MP_TEMPLATE_ID: opts.templateId } : {}) };
  let routes: ReturnType<typeof createWechatMp>['routes'] = [];
  h = await startHarness({
    name: 'mp-result',
    config: opts.config,
    publicChannels: ({ store, app, redis, prefix, dataDir, config, clock }) => {
      const mp = createWechatMp({ env, street: config, store, app, redis, redisPrefix: prefix, logger: silentLogger, clock });
      routes = mp.routes;
      mpChannel = mp.channel;
      return [new FilePublicChannel(dataDir), mp.channel];
    },
  });
  server = createIntakeServer({ app: h.app, redisHealthy: async () => true, logger: silentLogger, extraRoutes: routes });
  base = `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
}

/** A citizen writes in; returns the new case's number from the passive reply. */
async function writeIn(msgId: string, content: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '4711';
  const q = new URLSearchParams({ signature: mpSignature(TOKEN, timestamp, nonce), timestamp, nonce, openid: OPENID });
  const xml = `<xml><ToUserName><![CDATA[gh_street01]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const res = await fetch(`${base}/mp?${q}`, { method: 'POST', body: xml });
  expect(res.status).toBe(200);
  const m = /编号 #(\d+)/.exec(await res.text());
  expect(m).not.toBeNull();
  return Number(m![1]);
}

async function resolve(id: number, group: string, result: string): Promise<void> {
  await say(h, group, '王芳', `认领 ${id}`);
  await say(h, group, '王芳', `已联系 ${id}`);
  await say(h, group, '王芳', `办结 ${id} ${result}`);
}

const publicDone = () => h.store.pendingOutbox('public', Number.MAX_SAFE_INTEGER).length === 0;

describe('result to the citizen', () => {
  it('goes as a template message with the YAML field mapping when MP_TEMPLATE_ID is set', async () => {
    const config = loadTestStreet();
    config.publicAccount = { template: { url: 'https://street.example/result', fields: { thing1: 'title', character_string2: 'caseNo', thing3: 'result', time4: 'resolvedAt', thing5: 'text:卢沟桥街道接诉即办' } } };
    await start({ templateId: 'TPL-RESULT-1', config });
    const id = await writeIn('25000000000000001', '张仪村4号院南院路灯不亮，联系我13911112222');
    await resolve(id, 'zhangyi', '已更换路灯，市民13911112222表示满意');
    await fake.waitFor(() => fake.delivered.length === 1, 15_000, 'template message');
    const body = fake.delivered[0]!.body;
    expect(fake.delivered[0]!.kind).toBe('template');
    expect(body).toMatchObject({ touser: OPENID, template_id: 'TPL-RESULT-1', url: 'https://street.example/result', client_msg_id: expect.stringMatching(/^jiesu-outbox-\d+$/) });
    const data = body.data as Record<string, { value: string }>;
    expect(Object.keys(data)).toEqual(['thing1', 'character_string2', 'thing3', 'time4', 'thing5']);
    expect(data.character_string2!.value).toBe(`#${id}`);
    expect(data.thing1!.value).toContain('路灯照明');
    expect(data.thing3!.value).toContain('已更换路灯');
    expect([...data.thing3!.value].length).toBeLessThanOrEqual(20);
    expect(data.time4!.value).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    expect(data.thing5!.value).toBe('卢沟桥街道接诉即办');
    expect(JSON.stringify(body)).not.toContain('13911112222');
    await expect.poll(publicDone, { timeout: 10_000 }).toBe(true);
    expect(h.store.publicDelivery(MP_CHANNEL, Number(String(body.client_msg_id).split('-').pop()))).toMatchObject({ outcome: 'sent' });
  });

  it('goes as a customer-service text without a template', async () => {
    await start();
    const id = await writeIn('25000000000000002', '阅园四区门口堆了很多垃圾');
    await resolve(id, 'yueyuan', '已清运垃圾，并要求物业加强保洁');
    await fake.waitFor(() => fake.delivered.length === 1, 15_000, 'customer message');
    expect(fake.delivered[0]).toMatchObject({ kind: 'custom', body: { touser: OPENID, msgtype: 'text' } });
    const content = (fake.delivered[0]!.body.text as { content: string }).content;
    expect(content).toContain(`#${id}`);
    expect(content).toContain('已清运垃圾，并要求物业加强保洁');
    expect(fake.callsTo('/cgi-bin/message/template/send')).toHaveLength(0);
  });

  it('a case from 12345 has no openid: nothing is sent to the public account', async () => {
    await start({ templateId: 'TPL-RESULT-1' });
    const res = await h.app.handleIntake({ hotlineNo: 'T-12345-1', content: '张仪村路灯不亮', citizen: { name: '王建国', phone: '13911112222', openId: 'oSomeoneElse' } }, '12345');
    expect(res.case!.citizenOpenId ?? null).toBeNull();
    await resolve(res.case!.id, 'zhangyi', '已修复');
    await expect.poll(() => existsSync(join(h.dataDir, 'public', `case-${res.case!.id}.md`)), { timeout: 10_000 }).toBe(true);
    await expect.poll(publicDone, { timeout: 10_000 }).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });

  it('a permanent refusal (43004 unsubscribed) is written to the case events and not retried', async () => {
    await start();
    fake.script('/cgi-bin/message/custom/send', [43004]);
    const id = await writeIn('25000000000000003', '张仪村5号院路灯不亮');
    await resolve(id, 'zhangyi', '已修复');
    await expect.poll(() => h.store.listEvents(id).some((e) => e.kind === 'public-failed'), { timeout: 15_000 }).toBe(true);
    const ev = h.store.listEvents(id).find((e) => e.kind === 'public-failed')!;
    expect(ev.text).toContain('43004');
    expect(ev.text).toContain('取消关注');
    expect(ev.text).not.toContain(OPENID);
    await expect.poll(publicDone, { timeout: 10_000 }).toBe(true);
    expect(fake.callsTo('/cgi-bin/message/custom/send').map((c) => c.answer.errcode)).toEqual([43004]);
    expect(fake.delivered).toHaveLength(0);
    // The case's API view shows the note (kind public-failed).
    const api = (await (await fetch(`${base}/api/cases/${id}`)).json()) as { events: { kind: string }[] };
    expect(api.events.map((e) => e.kind)).toContain('public-failed');
  });

  it('a transient error (-1) is retried by the queue and the result arrives exactly once', async () => {
    await start({ templateId: 'TPL-RESULT-1' });
    fake.script('/cgi-bin/message/template/send', [-1]);
    const id = await writeIn('25000000000000004', '张仪村6号院路灯不亮');
    await resolve(id, 'zhangyi', '已修复');
    await fake.waitFor(() => fake.delivered.length === 1, 20_000, 'delivery after the retry');
    await expect.poll(publicDone, { timeout: 10_000 }).toBe(true);
    expect(fake.callsTo('/cgi-bin/message/template/send').map((c) => c.answer.errcode)).toEqual([-1, 0]);
    expect(h.store.listEvents(id).some((e) => e.kind === 'public-failed')).toBe(false);
    // A repeated delivery of the same outbox row (a retry after success) sends nothing more.
    const outboxId = Number(String(fake.delivered[0]!.body.client_msg_id).split('-').pop());
    await mpChannel.publish({ outboxId, caseId: id, title: 't', text: '办理结果：x' });
    expect(fake.callsTo('/cgi-bin/message/template/send')).toHaveLength(2);
    expect(fake.delivered).toHaveLength(1);
  });
});

describe('public masking over the privacy corpus (tests/fixtures/privacy-corpus.tsv)', () => {
  const corpus = loadPrivacyCorpus();
  // Texts as they might reach a channel unmasked (another path, an older outbox row): the channel masks them itself.
  const rows = corpus.map((c, i) => ({ c, kase: makeCase({ id: i + 1, citizenName: c.citizen, citizenPhone: null, category: '环境卫生' }), item: { outboxId: i + 1, caseId: i + 1, title: `环境卫生｜${c.text}`, text: `诉求：${c.text}\n办理结果：${c.text}` } }));
  const channel = (fields: Record<string, 'title' | 'result' | 'hotlineNo' | 'notice'>) =>
    new WechatMpResultChannel({ client: {} as MpApiClient, store: {} as CaseStore, logger: silentLogger, clock: () => 0, templateId: 'TPL', template: { url: null, fields }, street: '卢沟桥街道', timeZone: 'Asia/Shanghai', maskRoomNumbers: true });

  it('template fields: masked first, then cut to their length; the work-order number stays whole', () => {
    const mp = channel({ first: 'notice', thing1: 'title', thing2: 'result', keyword3: 'result', character_string4: 'hotlineNo' });
    for (const { c, kase, item } of rows) {
      const data = mp.templateData(kase, item);
      for (const key of ['thing1', 'thing2']) expect(judge(data[key]!.value, c, { checkKeep: false }), `line ${c.line} ${key}: ${data[key]!.value}`).toEqual([]);
      expect(judge(data.keyword3!.value, c), `line ${c.line} keyword3: ${data.keyword3!.value}`).toEqual([]);
      expect(data.character_string4!.value).toBe('DEMO-0005');
    }
  });

  it('customer-service text: nothing personal, every look-alike kept', () => {
    const mp = channel({});
    for (const { c, kase, item } of rows) {
      const text = mp.customText(kase, item);
      expect(judge(text, c), `line ${c.line}: ${text}`).toEqual([]);
      expect(text).toContain(`#${kase.id}`);
    }
  });

  it('the public file: what core publishes (publicResultText) leaks nothing and keeps every look-alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiesu-public-corpus-'));
    try {
      const files = new FilePublicChannel(dir, { maskRoomNumbers: true });
      for (const { c, kase, item } of rows) {
        const pub = publicResultText({ ...kase, address: c.text, content: c.text, result: c.text }, { maskRoomNumbers: true });
        await files.publish({ ...item, ...pub });
        const text = readFileSync(join(files.dir, `case-${item.caseId}.md`), 'utf8');
        const [title = '', ...body] = text.split('\n');
        expect(judge(title, c, { checkKeep: false }), `line ${c.line}: ${title}`).toEqual([]);
        expect(judge(body.join('\n'), c), `line ${c.line}: ${text}`).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the public file masks on its own too: an unmasked text names no one and shows no number', async () => {
    // Without the case the channel cannot know the citizen's name, so lines that only the work order names are core's job (above).
    const dir = mkdtempSync(join(tmpdir(), 'jiesu-public-corpus-'));
    try {
      const files = new FilePublicChannel(dir, { maskRoomNumbers: true });
      const anonymous = rows.filter((r) => r.c.citizen === null);
      expect(anonymous.length).toBeGreaterThan(300);
      for (const { c, item } of anonymous) {
        await files.publish(item);
        const text = readFileSync(join(files.dir, `case-${item.caseId}.md`), 'utf8');
        expect(judge(text, c), `line ${c.line}: ${text}`).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
