import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';

/** Where the queue board is mounted. */
export const QUEUES_PATH = '/admin/queues';

/**
 * The BullMQ queues through @bull-board, as an express app the web console hands `/admin/queues…` to
 * once it has checked the session is an admin's. Its own Queue handles (read and retry/clean only).
 */
export function createQueueBoard(opts: { connection: Redis; prefix: string; queueNames: readonly string[] }): { handle(req: IncomingMessage, res: ServerResponse): void; close(): Promise<void> } {
  const queues = opts.queueNames.map((name) => new Queue(name, { connection: opts.connection, prefix: opts.prefix }));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: '接诉即办 队列' } } });
  const app = express();
  app.disable('x-powered-by');
  app.use(QUEUES_PATH, serverAdapter.getRouter());
  return {
    handle: (req, res) => void app(req as Parameters<typeof app>[0], res as Parameters<typeof app>[1]),
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
