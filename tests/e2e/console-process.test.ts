/**
 * The whole product from outside, as SPEC's contracts say: the real process (`main.ts`) with a test
 * YAML of second-long deadlines, console lines on stdin, HTTP intake — then kill -9 and Redis
 * FLUSHALL, and a restart that keeps everything and still announces what falls due.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REDIS_URL, findFreePort, pingRedis, startPrivateRedis, type PrivateRedis } from '../../adapters/redis/private-redis-server';
import { BotProcess } from '../helpers/bot-process';
import { TEST_STREET_YAML } from '../helpers/harness';

const TOKEN = 'e2e-secret';
/** A Redis on the default URL (e.g. the machine's own) would be used instead of a private one. */
const defaultRedisAnswers = await pingRedis(DEFAULT_REDIS_URL);
let redis: PrivateRedis;
let dataDir: string;
let port: number;
let env: Record<string, string>;
const bots: BotProcess[] = [];

beforeAll(async () => {
  // Its own Redis: this test flushes it.
  redis = await startPrivateRedis({ dir: mkdtempSync(join(tmpdir(), 'jiesu-e2e-redis-')), appendOnly: false });
  dataDir = mkdtempSync(join(tmpdir(), 'jiesu-e2e-'));
  port = await findFreePort();
  env = { JIESU_CONFIG: TEST_STREET_YAML, DATA_DIR: dataDir, REDIS_URL: redis.url, REDIS_PREFIX: 'e2e', HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', INTAKE_TOKEN: TOKEN, RECONCILE_EVERY: '1m' };
});

afterAll(async () => {
  for (const b of bots) if (b.proc.exitCode === null && b.proc.signalCode === null) await b.kill('SIGKILL');
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const lamp = { hotlineNo: 'E2E-1', content: '张仪村4号院南院路灯不亮，联系人王建国', address: '张仪村4号院南院501室', citizen: { name: '王建国', phone: '13911112222' } };

describe('the bot as a process', () => {
  it('runs the whole flow, survives kill -9 and FLUSHALL, and shuts down cleanly', async () => {
    const a = new BotProcess(env);
    bots.push(a);
    await a.ready(port);

    // Intake → card in the right community group; the same work order again changes nothing.
    const first = await post(lamp);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ id: 1, hotlineNo: 'E2E-1', status: 'new', group: 'zhangyi' });
    expect(String(first.json.respondBy)).toMatch(/\+08:00$/);
    const again = await post(lamp);
    expect(again).toEqual({ status: 200, json: first.json });
    const card = await a.waitFor((m) => m.group === 'zhangyi' && m.text.includes('新案件 #1'), 'the card');
    expect(card.text).toContain('工单号：E2E-1');
    expect(card.text).toContain('回复「认领 1」');

    // Unclaimed reminder, then a quote-claim and a losing claim told the owner.
    await a.waitFor((m) => m.group === 'zhangyi' && m.text.includes('#1') && m.text.includes('还没人认领'), 'unclaimed reminder');
    a.type(`zhangyi 王芳 > ${card.n}: 认领`);
    await a.waitFor((m) => m.group === 'zhangyi' && m.text.includes('✅ #1 由 王芳 认领'), 'claim confirmed');
    a.type('zhangyi 张三: 认领 1');
    await a.waitFor((m) => m.group === 'zhangyi' && m.text.includes('#1 已由 王芳 认领'), 'loser told the owner');

    // Missed response deadline → announced in consult with the leader mentioned.
    const alarm = await a.waitFor((m) => m.group === 'consult' && m.text.includes('#1') && m.text.includes('超过响应时限'), 'respond overdue in consult');
    expect(alarm.text).toContain('@汪书记');

    a.type('zhangyi 王芳: 已联系 1 电话联系了');
    await a.waitFor((m) => m.text.includes('#1 王芳 已联系市民'), 'contacted');
    a.type('zhangyi 王芳: 办结 1 已修复路灯，王建国 13911112222 表示满意');
    await a.waitFor((m) => m.text.includes('#1 已办结'), 'resolved');
    const publicFile = join(dataDir, 'public', 'case-1.md');
    await expect.poll(() => existsSync(publicFile), { timeout: 10_000 }).toBe(true);
    const published = readFileSync(publicFile, 'utf8');
    expect(published).toContain('已修复路灯');
    for (const secret of ['13911112222', '王建国', '501室']) expect(published).not.toContain(secret);

    a.type('zhangyi 王芳: 状态 1');
    await a.waitFor((m) => m.text.includes('#1 路灯照明') && m.text.includes('【已办结】'), 'status card');
    a.type('consult 汪书记: 列表');
    await a.waitFor((m) => m.group === 'consult' && m.text.startsWith('未办结案件'), 'list');
    a.type('street 某人: 帮助');
    await a.waitFor((m) => m.group === 'street' && m.text.includes('可用命令'), 'help');
    a.type('street 某人: 认领 abc');
    await a.waitFor((m) => m.group === 'street' && m.text.includes('格式：认领 12'), 'a wrong command gets the right form');

    // An open case, then the crash: kill -9 and a Redis FLUSHALL.
    const open = await post({ hotlineNo: 'E2E-2', content: '假日风景小区周边停车混乱', address: '假日风景小区' });
    expect(open.status).toBe(201);
    await a.waitFor((m) => m.group === 'jiari' && m.text.includes('新案件 #2'), 'second card');
    await a.kill('SIGKILL');
    const r = new Redis(redis.url);
    await r.flushall();
    r.disconnect();

    const b = new BotProcess(env);
    bots.push(b);
    await b.ready(port);
    // Nothing lost: both cases are there, the hotline number is still known, deadlines are rebuilt.
    const res = await fetch(`http://127.0.0.1:${port}/api/cases/E2E-2`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 2, status: 'new', group: 'jiari', source: '12345' });
    expect((await post(lamp)).status).toBe(200);
    await b.waitFor((m) => m.group === 'consult' && m.text.includes('逾期 #2'), 'overdue alarm after restart', 30_000);
    // The resolved case gets no reminder after the restart.
    expect(b.messages.filter((m) => /[⏰❗⚠️]/u.test(m.text) && m.text.includes('#1 '))).toEqual([]);

    const exit = await b.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(b.stderr).toContain('"msg":"stopped"');

    // stdout carries only chat lines; the logs (stderr) carry no phone number or citizen name.
    for (const bot of [a, b]) {
      expect(bot.stdoutLines.filter((l) => !/^\S+ << /.test(l))).toEqual([]);
      expect(bot.stderr).not.toContain('13911112222');
      expect(bot.stderr).not.toContain('王建国');
    }
  }, 120_000);

  // With REDIS_URL unset (an explicit one must answer: tests/bot/intake-token-rule.test.ts); needs nothing on the default port.
  it.skipIf(defaultRedisAnswers)('starts its own redis-server under DATA_DIR/redis when nothing answers at the default REDIS_URL, and stops it on exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiesu-e2e-private-'));
    const httpPort = await findFreePort();
    const bot = new BotProcess({ JIESU_CONFIG: TEST_STREET_YAML, DATA_DIR: dir, REDIS_URL: '', HTTP_PORT: String(httpPort) });
    bots.push(bot);
    try {
      await bot.ready(httpPort);
      const portFile = join(dir, 'redis', 'redis.port');
      expect(existsSync(portFile)).toBe(true);
      const privateUrl = `redis://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
      expect(await pingRedis(privateUrl)).toBe(true);
      expect(bot.stderr).toContain('started a private redis-server');
      expect((await bot.kill('SIGTERM')).code).toBe(0);
      expect(await pingRedis(privateUrl)).toBe(false);
      expect(existsSync(portFile)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
