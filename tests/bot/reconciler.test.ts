/**
 * The reconciler rebuilds queue state from the database after Redis lost it (FLUSHALL of this
 * test's prefix), re-enqueues undelivered messages, and schedules nothing for closed cases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deadlineJobId } from '../../bot/bullmq-work-dispatcher';
import { reconcile } from '../../bot/reconciler';
import { deleteKeysWithPrefix, testRedisUrl } from '../helpers/redis';
import { say, silentLogger, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(async () => h?.close());

describe('reconcile', () => {
  it('restores every open case’s deadline job and every undelivered message after the queues are wiped', async () => {
    // No workers: messages stay undelivered, jobs stay put until we look.
    h = await startHarness({ name: 'recon', workers: false });
    for (let i = 1; i <= 5; i++) await h.app.handleIntake({ hotlineNo: `RC-${i}`, content: '张仪村路灯不亮', address: '张仪村' }, '12345');
    await say(h, 'zhangyi', '王芳', '认领 1');
    await say(h, 'zhangyi', '王芳', '已联系 1');
    await say(h, 'zhangyi', '王芳', '办结 1 已修好');
    const open = [2, 3, 4, 5].map((id) => h.store.findCase(id)!);
    expect(await h.dispatcher.deadlines.getJob(deadlineJobId({ caseId: 2, kind: open[0]!.nextDueKind!, version: open[0]!.version }))).toBeTruthy();

    await deleteKeysWithPrefix(testRedisUrl(), h.prefix);
    expect(await h.dispatcher.deadlines.getJobCounts('delayed', 'wait')).toEqual({ delayed: 0, wait: 0 });

    const report = await reconcile({ store: h.store, dispatcher: h.dispatcher, redis: h.redis, logger: silentLogger });
    // Four open cases, and the resolved one waiting for its follow-up call (回访).
    expect(report.openCasesChecked).toBe(5);
    expect(report.deadlinesRestored).toBe(5);
    const pending = h.store.allPendingOutbox(0, 1000).length;
    expect(pending).toBeGreaterThan(0);
    expect(report.outboxRequeued).toBe(pending);
    for (const c of open) {
      expect(await h.dispatcher.deadlines.getJob(deadlineJobId({ caseId: c.id, kind: c.nextDueKind!, version: c.version }))).toBeTruthy();
    }
    const resolved = h.store.findCase(1)!;
    expect(resolved.nextDueKind).toBe('followup-remind');
    expect(await h.dispatcher.deadlines.getJob(deadlineJobId({ caseId: 1, kind: 'followup-remind', version: resolved.version }))).toBeTruthy();

    // A second pass finds nothing missing.
    const again = await reconcile({ store: h.store, dispatcher: h.dispatcher, redis: h.redis, logger: silentLogger });
    expect(again).toMatchObject({ deadlinesRestored: 0, outboxRequeued: 0 });
  });

  it('fires at once what fell due while the queues were gone', async () => {
    h = await startHarness({ name: 'recon2' });
    await h.app.handleIntake({ hotlineNo: 'RC-9', content: '张仪村路灯不亮', address: '张仪村' }, '12345');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('新案件 #1')), 10_000, 'card');
    await deleteKeysWithPrefix(testRedisUrl(), h.prefix);
    // The unclaimed window (1 s) passes with no job in Redis.
    await expect.poll(() => Date.now() > h.store.findCase(1)!.nextDueAt!, { timeout: 5000, interval: 100 }).toBe(true);
    expect(h.chat.sent.some((m) => m.text.includes('还没人认领'))).toBe(false);
    await reconcile({ store: h.store, dispatcher: h.dispatcher, redis: h.redis, logger: silentLogger });
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('还没人认领')), 5000, 'late reminder');
  });
});
