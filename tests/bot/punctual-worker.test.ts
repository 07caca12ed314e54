/**
 * The deadline worker pokes Redis when a delayed job falls due, so its blocked fetch returns then and
 * not at Redis's next 100 ms tick; it never fetches a job early and handles each once.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, expect, inject, it } from 'vitest';
import { PunctualWorker } from '../../bot/punctual-worker';

const prefix = `test-punctual-${process.pid}`;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

it('pokes Redis at the due time of the job it waits for, and fetches each job once, not early', async () => {
  const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  closers.push(async () => connection.disconnect());
  const queue = new Queue('due', { connection, prefix });
  closers.push(() => queue.obliterate({ force: true }).then(() => queue.close()));
  const pings: number[] = [];
  const ping = connection.ping.bind(connection);
  connection.ping = ((...args: Parameters<typeof ping>) => (pings.push(Date.now()), ping(...args))) as typeof connection.ping;
  const handled: { id: string; at: number; dueAt: number }[] = [];
  const worker = new PunctualWorker<{ dueAt: number }>('due', async (job) => void handled.push({ id: job.id!, at: job.processedOn!, dueAt: job.data.dueAt }), { connection, prefix, concurrency: 4 });
  closers.push(() => worker.close());
  await worker.waitUntilReady();

  const dueAt = Date.now() + 400;
  await queue.addBulk(Array.from({ length: 10 }, (_, i) => ({ name: 'due', data: { dueAt }, opts: { jobId: `j${i}`, delay: dueAt - Date.now() } })));
  await expect.poll(() => handled.length, { timeout: 5_000 }).toBe(10);

  expect(new Set(handled.map((h) => h.id)).size).toBe(10);
  for (const h of handled) expect(h.at).toBeGreaterThanOrEqual(h.dueAt);
  expect(pings.some((at) => at >= dueAt)).toBe(true);
});
