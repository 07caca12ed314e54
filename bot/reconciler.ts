import type { Redis } from 'ioredis';
import type { CaseStore, Logger } from '../core/ports';
import { deadlineJobId, outboxJobId, type BullmqWorkDispatcher } from './bullmq-work-dispatcher';

/**
 * Rebuilds queue state from the database, which is the truth: every open case's pending milestone
 * gets its deadline job back, every undelivered outbox row its delivery job. Runs at start and
 * every few minutes; after a Redis FLUSHALL or a crash between commit and enqueue nothing is lost,
 * and what fell due meanwhile fires at once (delay 0).
 */

export interface ReconcileReport {
  openCasesChecked: number;
  deadlinesRestored: number;
  outboxChecked: number;
  outboxRequeued: number;
  ms: number;
}

/** Page size for the database scans and Redis pipelines. */
const PAGE = 2000;

export async function reconcile(deps: { store: CaseStore; dispatcher: BullmqWorkDispatcher; redis: Redis; logger: Logger; clock?: () => number }): Promise<ReconcileReport> {
  const started = Date.now();
  const { store, dispatcher, redis } = deps;
  const report: ReconcileReport = { openCasesChecked: 0, deadlinesRestored: 0, outboxChecked: 0, outboxRequeued: 0, ms: 0 };

  for (let after = 0; ; ) {
    const page = store.openCasesWithDue(after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    report.openCasesChecked += page.length;
    const refs = page.map((c) => ({ caseId: c.id, kind: c.nextDueKind!, version: c.version, dueAt: c.nextDueAt! }));
    const exists = await existing(redis, refs.map((r) => dispatcher.deadlines.toKey(deadlineJobId(r))));
    const missing = refs.filter((_, i) => !exists[i]);
    if (missing.length > 0) {
      await dispatcher.schedule(missing);
      report.deadlinesRestored += missing.length;
    }
  }

  for (let after = 0; ; ) {
    const page = store.allPendingOutbox(after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    report.outboxChecked += page.length;
    const exists = await existing(redis, page.map((r) => dispatcher.outbound.toKey(outboxJobId(r.id))));
    const missing = page.filter((_, i) => !exists[i]);
    if (missing.length > 0) {
      await dispatcher.deliver(missing);
      report.outboxRequeued += missing.length;
    }
  }

  report.ms = Date.now() - started;
  if (report.deadlinesRestored > 0 || report.outboxRequeued > 0) deps.logger.info({ ...report }, 'reconciler restored queue state');
  return report;
}

/** EXISTS for many keys in one round trip. */
async function existing(redis: Redis, keys: string[]): Promise<boolean[]> {
  if (keys.length === 0) return [];
  const pipe = redis.pipeline();
  for (const k of keys) pipe.exists(k);
  const results = (await pipe.exec()) ?? [];
  return results.map(([err, n]) => !err && n === 1);
}
