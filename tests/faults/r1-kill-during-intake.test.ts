/**
 * R1: kill -9 of the bot process in the middle of a 10,000-case intake burst over HTTP, then a
 * restart. Every case whose intake got a 2xx exists exactly once; once the client re-sends what was
 * not acknowledged, all 10,000 exist exactly once; every open case has its deadline job in Redis;
 * every card is delivered and marked sent, recorded once per chat, printed twice at most for the one
 * message in flight at the kill.
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startPrivateRedis, type PrivateRedis } from '../../adapters/redis/private-redis-server';
import { BotProcess, ROOT } from '../helpers/bot-process';
import { jobsPresent, openCasesWithJobs } from './fault-wiring';

const TOKEN = 'r1-secret';
const TOTAL = 10_000;
const BATCH = 50;
const SENDERS = 4;
/** The kill comes once this many cases are acknowledged. */
const KILL_AFTER = 3_000;
const PREFIX = 'r1';

let redis: PrivateRedis;
let redisDir: string;
let dataDir: string;
let port: number;
let env: Record<string, string>;
const bots: BotProcess[] = [];

beforeAll(async () => {
  redisDir = mkdtempSync(join(tmpdir(), 'jiesu-r1-redis-'));
  redis = await startPrivateRedis({ dir: redisDir, appendOnly: false });
  dataDir = mkdtempSync(join(tmpdir(), 'jiesu-r1-'));
  port = await findFreePort();
  // The demo street: minutes-long windows, so no deadline fires while the test looks at the jobs.
  env = { JIESU_CONFIG: join(ROOT, 'config', 'street.yaml'), DATA_DIR: dataDir, REDIS_URL: redis.url, REDIS_PREFIX: PREFIX, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', INTAKE_TOKEN: TOKEN, RECONCILE_EVERY: '10m' };
});

afterAll(async () => {
  for (const b of bots) if (b.proc.exitCode === null && b.proc.signalCode === null) await b.kill('SIGKILL');
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(redisDir, { recursive: true, force: true });
});

const body = (i: number) => ({
  hotlineNo: `R1-${String(i).padStart(5, '0')}`,
  content: i % 10 === 3 ? '自来水管爆裂，楼道大量积水' : `小区路灯不亮（${i}）`,
  address: ['张仪村4号院', '假日风景小区', '阅园四区', '西丰路45号院', '万丰路'][i % 5],
  ...(i % 10 === 3 ? { urgency: 'urgent' } : {}),
  citizen: { name: '王建国', phone: '13911112222' },
});

async function postBatch(items: object[]): Promise<{ hotlineNo: string; status: number }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(items),
  });
  if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { results: { hotlineNo: string; status: number }[] }).results;
}

describe('R1: kill -9 during an intake burst', () => {
  it('loses no acknowledged case, duplicates none, and rebuilds jobs and deliveries after the restart', async () => {
    const a = new BotProcess(env);
    bots.push(a);
    await a.ready(port);

    // The burst: 4 senders, 50 cases a request; kill -9 once 3,000 are acknowledged.
    const acked = new Set<string>();
    let next = 0;
    const kill: { exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null } = { exited: null };
    const failedRequests = { n: 0 };
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < TOTAL && !kill.exited) {
          const from = next;
          next += BATCH;
          try {
            const results = await postBatch(Array.from({ length: BATCH }, (_, k) => body(from + k)));
            for (const r of results) if (r.status === 201 || r.status === 200) acked.add(r.hotlineNo);
          } catch {
            failedRequests.n++; // the bot died under this request: not acknowledged
          }
          if (acked.size >= KILL_AFTER && !kill.exited) kill.exited = a.kill('SIGKILL');
        }
      }),
    );
    expect(kill.exited).not.toBeNull();
    expect(await kill.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acked.size).toBeLessThan(TOTAL);

    // What is on disk right after the crash: every acknowledged case, once.
    const dbFile = join(dataDir, 'jiesu.sqlite');
    {
      const db = new Database(dbFile, { readonly: true });
      const stored = new Set((db.prepare('SELECT hotline_no AS h FROM cases').all() as { h: string }[]).map((r) => r.h));
      db.close();
      expect([...acked].filter((h) => !stored.has(h))).toEqual([]);
    }

    // Restart; the client re-sends everything (12345 retries what it did not get an answer for).
    const b = new BotProcess(env);
    bots.push(b);
    await b.ready(port);
    const statuses = new Map<string, number>();
    for (let i = 0; i < TOTAL; i += 500) for (const r of await postBatch(Array.from({ length: 500 }, (_, k) => body(i + k)))) statuses.set(r.hotlineNo, r.status);
    expect([...acked].filter((h) => statuses.get(h) !== 200)).toEqual([]);
    expect([...statuses.values()].every((s) => s === 200 || s === 201)).toBe(true);

    const db = new Database(dbFile, { readonly: true });
    try {
      const counts = db.prepare('SELECT count(*) AS n, count(DISTINCT hotline_no) AS d FROM cases').get() as { n: number; d: number };
      expect(counts).toEqual({ n: TOTAL, d: TOTAL });
      const lostCases = [...acked].filter((h) => !statuses.has(h)).length + (TOTAL - counts.d);
      const duplicatedCases = counts.n - counts.d;

      // Every open case has its deadline job (the reconciler at start, or the re-sent intake).
      await expect.poll(() => b.stderr.includes('"msg":"jiesu is running"'), { timeout: 30_000 }).toBe(true);
      const open = openCasesWithJobs(db);
      expect(open).toHaveLength(TOTAL);
      const r = new Redis(redis.url);
      const present = await jobsPresent(r, PREFIX, 'deadlines', open.map((o) => o.jobId));
      r.disconnect();
      const missingJobs = open.filter((o) => !present.has(o.jobId)).map((o) => o.id);
      expect(missingJobs).toEqual([]);

      // Every decided message is delivered and marked sent; recorded once per chat.
      await expect.poll(() => (db.prepare("SELECT count(*) AS n FROM outbox WHERE status <> 'sent'").get() as { n: number }).n, { timeout: 90_000, interval: 500 }).toBe(0);
      const outboxRows = (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
      const cardRows = db.prepare("SELECT id, case_id AS caseId, group_key AS grp FROM outbox WHERE meta LIKE '%\"kind\":\"card\"%'").all() as { id: number; caseId: number; grp: string }[];
      // Intake decides cards, and a notice in consult for the repeated complaints worth telling (重复诉求).
      const repeatRows = (db.prepare("SELECT count(*) AS n FROM outbox WHERE text LIKE '🔁 重复诉求%'").get() as { n: number }).n;
      expect(cardRows.length + repeatRows).toBe(outboxRows);
      const dupSent = db.prepare('SELECT outbox_id FROM sent_messages GROUP BY outbox_id, platform, chat_id HAVING count(*) > 1').all();
      expect(dupSent).toEqual([]);
      const sentOnce = (db.prepare('SELECT count(DISTINCT outbox_id) AS n FROM sent_messages').get() as { n: number }).n;
      // Alarms written together ride in one message (no floods): only the first row of such a message is recorded per chat.
      const merged = db.prepare('SELECT o.meta FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM sent_messages s WHERE s.outbox_id = o.id)').all() as { meta: string }[];
      expect(merged.every((r) => r.meta.includes('"kind":"alarm"'))).toBe(true);
      expect(sentOnce + merged.length).toBe(outboxRows);

      // On the console: every card printed, none twice but the one in flight at the kill.
      await expect.poll(() => a.messages.length + b.messages.length >= outboxRows - merged.length, { timeout: 30_000 }).toBe(true);
      const printed = new Map<string, number>();
      for (const m of [...a.messages, ...b.messages]) {
        const id = /新案件 #(\d+) /.exec(m.text)?.[1];
        if (id) printed.set(`${m.group}#${id}`, (printed.get(`${m.group}#${id}`) ?? 0) + 1);
      }
      const lost = cardRows.filter((c) => !printed.has(`${c.grp}#${c.caseId}`)).length;
      const duplicated = [...printed.values()].reduce((s, n) => s + (n - 1), 0);
      expect(lost).toBe(0);
      expect(duplicated).toBeLessThanOrEqual(1);
      console.log(`R1 kill -9 mid-burst: ${acked.size} acknowledged before the kill (${failedRequests.n} requests cut off); cases checked ${counts.n}, lost ${lostCases}, duplicated ${duplicatedCases}; deadline jobs ${present.size}/${open.length}; cards ${outboxRows} sent, lost ${lost}, printed twice ${duplicated}`);
    } finally {
      db.close();
    }
  }, 240_000);
});
