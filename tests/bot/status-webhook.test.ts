/**
 * Result to the hotline side: every change of status reaches DISPATCH_WEBHOOK_URL through the outbox,
 * signed, once per change — in process (harness), and across a kill -9 between the POST and marking
 * it sent (the real bot as a child process).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DispatchWebhook } from '../../adapters/webhook/dispatch-webhook';
import { findFreePort } from '../../adapters/redis/private-redis-server';
import { BotProcess, ROOT } from '../helpers/bot-process';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver';
import { say, startHarness, type Harness } from '../helpers/harness';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '../helpers/redis';

const SECRET = 'status-webhook-secret-0123456789';

let h: Harness | null = null;
let receiver: FakeWebhookReceiver | null = null;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = null;
  receiver = null;
});

async function setUp(name: string): Promise<{ h: Harness; receiver: FakeWebhookReceiver }> {
  receiver = await new FakeWebhookReceiver(SECRET).start();
  h = await startHarness({ name, webhook: new DispatchWebhook({ url: receiver.url, secret: SECRET }) });
  return { h, receiver };
}

/** Reads the harness's database directly (the outbox's channel column is not in the store's port). */
function query(hh: Harness, sql: string): unknown[] {
  const db = new Database(join(hh.dataDir, 'jiesu.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

async function intake(hh: Harness, hotlineNo: string): Promise<number> {
  const out = await hh.app.handleIntake({ hotlineNo, content: '南院路灯不亮', address: '张仪村4号院', category: '路灯照明', urgency: 'ordinary' }, '12345');
  return out.case!.id;
}

describe('status changes to the hotline side (harness)', () => {
  it('claimed → contacted → extended → resolved → reopened → resolved → closed: each once, signed, in order, with the case and the ledger text', async () => {
    const { h, receiver } = await setUp('webhook-flow');
    const id = await intake(h, 'WH-0001');
    for (const [group, who, text] of [
      ['zhangyi', '王芳', `认领 ${id}`],
      ['zhangyi', '王芳', `进展 ${id} 已到现场`],
      ['zhangyi', '王芳', `已联系 ${id}`],
      ['zhangyi', '王芳', `延期 ${id} 2天 等配件`],
      ['consult', '汪书记', `批准 ${id}`],
      ['zhangyi', '王芳', `办结 ${id} 灯泡已更换`],
      ['consult', '李调度', `回访 ${id} 不满意 未解决 还有两盏不亮`],
      ['zhangyi', '王芳', `办结 ${id} 全部更换`],
      ['consult', '李调度', `回访 ${id} 满意 已解决`],
    ] as const) {
      const r = await say(h, group, who, text);
      expect(r?.ok, `${text}: ${r?.message}`).toBe(true);
    }
    const expected = ['claimed', 'contacted', 'extended', 'resolved', 'reopened', 'resolved', 'closed'];
    await receiver.waitFor(() => receiver.stored.length === expected.length, 'seven changes');
    expect(receiver.events()).toEqual(expected);
    expect(receiver.stored.map((s) => s.body.status)).toEqual(['claimed', 'contacted', 'contacted', 'resolved', 'reopened', 'resolved', 'closed']);
    expect(receiver.attempts.every((a) => a.signatureOk)).toBe(true);
    expect(receiver.attempts).toHaveLength(expected.length);
    const resolved = receiver.stored[3]!.body;
    expect(resolved).toMatchObject({ hotlineNo: 'WH-0001', id, status: 'resolved', event: 'resolved', text: '灯泡已更换' });
    expect(resolved.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    // A note is no change of status: nothing was sent for it.
    expect(receiver.stored.some((s) => s.body.text === '已到现场')).toBe(false);
    // The idempotency key is the outbox row: distinct per change.
    expect(new Set(receiver.stored.map((s) => s.delivery)).size).toBe(expected.length);
  });

  it('returned → rerouted → returned-to-hotline; a refused command sends nothing', async () => {
    const { h, receiver } = await setUp('webhook-return');
    const id = await intake(h, 'WH-0002');
    expect((await say(h, 'zhangyi', '赵磊', `回访 ${id} 满意`))?.ok).toBe(false);
    expect((await say(h, 'zhangyi', '赵磊', `退单 ${id} 不属于本社区`))?.ok).toBe(true);
    expect((await say(h, 'consult', '李调度', `改派 ${id} 假日风景`))?.ok).toBe(true);
    expect((await say(h, 'jiari', '孙强', `退单 ${id} 也不是我们的`))?.ok).toBe(true);
    expect((await say(h, 'consult', '李调度', `退回12345 ${id} 非本街道辖区`))?.ok).toBe(true);
    await receiver.waitFor(() => receiver.stored.length === 4, 'four changes');
    expect(receiver.stored.map((s) => [s.body.event, s.body.status])).toEqual([
      ['returned', 'returned'], ['rerouted', 'new'], ['returned', 'returned'], ['returned-to-hotline', 'closed'],
    ]);
    expect(receiver.stored[3]!.body.text).toBe('非本街道辖区');
  });

  it('a 503 is retried with backoff and stored once; a 4xx is final (the row failed, later changes still go)', async () => {
    const { h, receiver } = await setUp('webhook-retry');
    const id = await intake(h, 'WH-0003');
    let firstClaim = true;
    receiver.answer = (a) => {
      const body = JSON.parse(a.body) as { event: string };
      if (body.event === 'claimed' && firstClaim) return (firstClaim = false), 503;
      if (body.event === 'contacted') return 422;
      return 200;
    };
    await say(h, 'zhangyi', '王芳', `认领 ${id}`);
    await say(h, 'zhangyi', '王芳', `已联系 ${id}`);
    await say(h, 'zhangyi', '王芳', `办结 ${id} 已修好`);
    await receiver.waitFor(() => receiver.events().includes('resolved'), 'resolved after the retry');
    expect(receiver.events()).toEqual(['claimed', 'resolved']);
    const tries = (event: string) => receiver.attempts.filter((a) => (JSON.parse(a.body) as { event: string }).event === event).map((a) => a.status);
    expect(tries('claimed')).toEqual([503, 200]);
    expect(tries('contacted')).toEqual([422]);
    // The group is delivered in order, so both earlier rows were settled before 'resolved' was sent.
    const rows = query(h, "select status, last_error as lastError from outbox where channel = 'webhook' order by id limit 2");
    expect(rows).toEqual([{ status: 'sent', lastError: 'webhook answered 503' }, { status: 'failed', lastError: 'webhook answered 422' }]);
  });

  it('without a webhook nothing is written for it', async () => {
    h = await startHarness({ name: 'webhook-none' });
    const id = await intake(h, 'WH-0004');
    await say(h, 'zhangyi', '王芳', `认领 ${id}`);
    expect(query(h, "select count(*) as n from outbox where channel = 'webhook'")).toEqual([{ n: 0 }]);
  });
});

describe('status changes across a crash (the real bot, kill -9 between the POST and marking it sent)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jiesu-webhook-crash-'));
  const prefix = uniquePrefix('webhook-crash');
  const bots: BotProcess[] = [];
  afterAll(async () => {
    for (const b of bots) if (b.proc.exitCode === null && b.proc.signalCode === null) await b.kill('SIGKILL');
    await deleteKeysWithPrefix(testRedisUrl(), prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('after the restart the receiver sees the same X-Jiesu-Delivery again, dedupes it, and stores each change once', async () => {
    const crashReceiver = await new FakeWebhookReceiver(SECRET).start();
    try {
      const port = await findFreePort();
      const env = {
        JIESU_CONFIG: join(ROOT, 'config', 'street.yaml'), DATA_DIR: dataDir, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix,
        HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', RECONCILE_EVERY: '10m', DISPATCH_WEBHOOK_URL: crashReceiver.url, DISPATCH_WEBHOOK_SECRET: SECRET,
      };
      const a = new BotProcess(env);
      bots.push(a);
      await a.ready(port);
      const res = await fetch(`http://127.0.0.1:${port}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hotlineNo: 'WH-CRASH-1', content: '南院路灯不亮', address: '张仪村4号院' }) });
      const id = ((await res.json()) as { id: number }).id;
      // The first POST of the claim is held: the bot has sent it and waits for the answer — then dies.
      crashReceiver.answer = (attempt, n) => (n === 1 ? 'hold' : attempt.signatureOk ? 200 : 401);
      a.type(`zhangyi 王芳: 认领 ${id}`);
      await crashReceiver.waitFor(() => crashReceiver.attempts.length === 1, 'the claim POST');
      await a.kill('SIGKILL');
      crashReceiver.release();
      expect(crashReceiver.stored).toEqual([]);

      // Restart: the claim's row is still pending. The killed job is BullMQ's until its lock expires
      // (a stalled job comes back after ~30 s); the next change of the same ordered group delivers every
      // pending row before it, so the claim goes again first, with the same delivery id.
      const b = new BotProcess(env);
      bots.push(b);
      await b.ready(port);
      b.type(`zhangyi 王芳: 已联系 ${id}`);
      b.type(`zhangyi 王芳: 办结 ${id} 灯已修好`);
      await crashReceiver.waitFor(() => crashReceiver.events().includes('resolved'), 'contacted and resolved');

      const claimAttempts = crashReceiver.attempts.filter((x) => (JSON.parse(x.body) as { event: string }).event === 'claimed');
      expect(claimAttempts).toHaveLength(2);
      expect(claimAttempts[0]!.delivery).toBe(claimAttempts[1]!.delivery);
      expect(claimAttempts[0]!.body).toBe(claimAttempts[1]!.body);
      expect(crashReceiver.events()).toEqual(['claimed', 'contacted', 'resolved']);
      expect(crashReceiver.attempts.every((x) => x.signatureOk)).toBe(true);
      await b.kill('SIGTERM');
    } finally {
      await crashReceiver.close();
    }
  }, 90_000);
});
