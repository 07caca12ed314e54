import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CaseStore, ChatSender, Logger, PublicChannel, StatusWebhook } from '../core/ports';
import type { App } from './app';
import { errorSummary } from './app';
import { leadingBatch, mergeRows } from '../core/reminders/merge-alarms';
import { DEADLINES_QUEUE, OUTBOUND_QUEUE, type DeadlineJobData, type OutboundJobData } from './bullmq-work-dispatcher';
import { PunctualWorker } from './punctual-worker';

/**
 * The BullMQ workers: delivery of the outbox, and deadline milestones.
 */

/** An error a retry cannot fix (bot removed from the chat, user unsubscribed…). */
export function isPermanent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}

export interface DeliveryDeps {
  store: CaseStore;
  chat: ChatSender;
  publicChannel: PublicChannel;
  /** The hotline side's result webhook (DISPATCH_WEBHOOK_URL); rows on channel `webhook` fail permanently without it. */
  webhook?: StatusWebhook;
  logger: Logger;
  clock: () => number;
  /** Hands rows written by the delivery itself (the unreachable notice) to the queue. */
  onQueued?: (rows: { id: number; group: string }[]) => Promise<void>;
}

/**
 * Delivers one group's pending outbox rows up to `uptoId`, oldest first, marking each sent as it
 * goes. A transient failure stops the group there (later rows wait: order per group), and throws
 * so the queue retries; a permanent one marks the row failed and moves on.
 *
 * No floods: consecutive alarms of the group created within a few seconds of each other (core's
 * `leadingBatch`) go out as one message listing them — also alarms written just after `uptoId`,
 * whose own jobs then find nothing left. Each row is marked sent (or failed) with the message.
 */
export async function deliverGroup(deps: DeliveryDeps, group: string, uptoId: number): Promise<number> {
  let delivered = 0;
  const rows = deps.store.pendingOutbox(group, uptoId);
  const last = rows.at(-1);
  if (last && last.kind === 'alarm') rows.push(...deps.store.pendingOutbox(group, Number.MAX_SAFE_INTEGER).filter((r) => r.id > uptoId));
  for (let i = 0; i < rows.length && rows[i]!.id <= uptoId; ) {
    const batch = leadingBatch(rows.slice(i));
    i += batch.length;
    const row = batch[0]!;
    const merged = mergeRows(batch);
    try {
      let messageId: string | null = null;
      if (row.channel === 'public') {
        await deps.publicChannel.publish({ outboxId: row.id, caseId: row.caseId, title: row.title ?? '', text: row.text });
      } else if (row.channel === 'webhook') {
        if (!deps.webhook) throw Object.assign(new Error('DISPATCH_WEBHOOK_URL is not set'), { permanent: true });
        await deps.webhook.deliver({ deliveryId: row.id, body: row.text });
      } else {
        ({ messageId } = await deps.chat.send({ outboxId: row.id, group: row.group, text: merged.text, kind: row.kind, mentions: merged.mentions, caseId: merged.caseId, ...(row.attachment ? { attachment: row.attachment } : {}), ...(batch.length > 1 ? { mergedOutboxIds: batch.slice(1).map((r) => r.id) } : {}) }));
      }
      for (const r of batch) deps.store.markOutboxSent(r.id, r === row ? messageId : null, deps.clock());
      delivered += batch.length;
    } catch (err) {
      const permanent = isPermanent(err);
      for (const r of batch) deps.store.markOutboxFailed(r.id, errorSummary(err).message, permanent);
      deps.logger.warn({ outboxId: row.id, merged: batch.length, group: row.group.startsWith('~') ? 'private' : group, permanent, err: errorSummary(err) }, 'delivery failed');
      if (permanent && row.fallbackGroup) await tellUnreachable(deps, row);
      if (!permanent) throw err;
    }
  }
  return delivered;
}

/**
 * How long an outbound job should wait before delivering so that alarms falling due together can
 * travel as one message: while the group's first pending row is an alarm younger than `settleMs`, the
 * rest of that moment's alarms may still be being written. 0 when nothing waits.
 */
export function settleWaitMs(store: Pick<CaseStore, 'pendingOutbox'>, group: string, uptoId: number, now: number, settleMs: number): number {
  const first = store.pendingOutbox(group, uptoId, 1)[0];
  if (!first || first.kind !== 'alarm' || first.channel !== 'chat') return 0;
  return Math.max(0, Math.min(settleMs, first.createdAt + settleMs - now));
}

/**
 * A private message (the citizen's contact details) could not reach the person: the group is told
 * how to open a private chat — with nothing personal in it.
 */
async function tellUnreachable(deps: DeliveryDeps, row: { id: number; mentions: { id: string; name: string }[]; caseId: number | null; fallbackGroup?: string | null }): Promise<void> {
  const who = row.mentions[0];
  // A case's details (a claim, 联系方式) are asked again with 联系方式; anything else (登录) by repeating the command.
  const again = row.caseId ? `再发「联系方式 ${row.caseId}」` : '再发一次刚才的命令';
  const text = `${who ? `@${who.name} ` : ''}私信发不出去：请先私聊机器人一次（Telegram 打开机器人点「开始」；微信先加机器人为好友），${again}。`;
  const [id] = deps.store.addOutbox([{ channel: 'chat', group: row.fallbackGroup!, text, kind: 'reply', mentions: [], title: null, caseId: row.caseId, createdAt: deps.clock() }]);
  await deps.onQueued?.([{ id: id!, group: row.fallbackGroup! }]);
}

export interface WorkerSettings {
  connection: Redis;
  prefix?: string;
  /** Parallel deadline jobs (default {@link DEADLINE_CONCURRENCY}). Delivery runs one job at a time to keep each group's order. */
  deadlineConcurrency?: number;
  /** How long close() waits for running jobs before forcing (ms, default 10,000). */
  closeTimeoutMs?: number;
  /**
   * How long a fresh alarm waits for the other alarms of the same moment before it is sent, so they go
   * out as one message (ms, default {@link ALARM_SETTLE_MS}; 0 sends at once). Only alarms wait, once each.
   */
  alarmSettleMs?: number;
}

/**
 * Default of {@link WorkerSettings.deadlineConcurrency}. Milestones of cases taken in together fall due
 * in the same instant (P3: 100 at once); the jobs in flight share one SQLite transaction and one
 * hand-off per turn of the event loop, so a burst is cleared in fewer round trips than 4 at a time.
 */
export const DEADLINE_CONCURRENCY = 16;

/** Default of {@link WorkerSettings.alarmSettleMs}: 2 s. */
export const ALARM_SETTLE_MS = 2_000;

/** Starts both workers; `close()` waits for running jobs to finish. */
export function startWorkers(app: App, delivery: DeliveryDeps, settings: WorkerSettings): { close(): Promise<void>; outbound: Worker; deadlines: Worker } {
  const base = { connection: settings.connection, prefix: settings.prefix ?? 'jiesu' };
  const outbound = new Worker<OutboundJobData>(
    OUTBOUND_QUEUE,
    async (job: Job<OutboundJobData & { settled?: boolean }>, token?: string) => {
      const wait = job.data.settled || !token ? 0 : settleWaitMs(delivery.store, job.data.group, job.data.uptoId, delivery.clock(), settings.alarmSettleMs ?? ALARM_SETTLE_MS);
      if (wait > 0) {
        // Waits once: the flag keeps a frozen test clock (or a clock step) from delaying it again.
        await job.updateData({ ...job.data, settled: true });
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      return deliverGroup(delivery, job.data.group, job.data.uptoId);
    },
    {
      ...base,
      concurrency: 1,
      settings: { backoffStrategy: (attemptsMade: number) => Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), 60_000) },
    },
  );
  const deadlines = new PunctualWorker<DeadlineJobData>(DEADLINES_QUEUE, async (job: Job<DeadlineJobData>) => app.handleDue(job.data), {
    ...base,
    concurrency: settings.deadlineConcurrency ?? DEADLINE_CONCURRENCY,
  });
  for (const w of [outbound, deadlines]) {
    w.on('error', (err) => delivery.logger.error({ err: errorSummary(err), queue: w.name }, 'worker error'));
    w.on('failed', (job, err) => delivery.logger.warn({ jobId: job?.id, queue: w.name, err: errorSummary(err) }, 'job failed'));
  }
  return {
    outbound,
    deadlines,
    /**
     * Waits for running jobs, at most `closeTimeoutMs` (default 10 s): BullMQ 6.7 can hang in a
     * graceful close right after a Redis restart, so a shutdown then forces the close. A job cut off
     * that way is harmless: its outbox row or deadline is still in the database and is picked up again.
     */
    async close() {
      const graceful = Promise.all([outbound.close(), deadlines.close()]).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), settings.closeTimeoutMs ?? 10_000)));
      const closed = await Promise.race([graceful, timedOut]);
      clearTimeout(timer);
      if (!closed) {
        delivery.logger.warn({}, 'workers did not close in time; forcing');
        await Promise.all([outbound.close(true), deadlines.close(true)]).catch(() => undefined);
      }
    },
  };
}
