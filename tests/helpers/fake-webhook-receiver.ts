/**
 * A 12345 integration's receiving end on 127.0.0.1: checks X-Jiesu-Signature (HMAC-SHA256 of the raw
 * body), stores each change once by X-Jiesu-Delivery (a repeat is answered 200 and not stored again),
 * and records every attempt. `answer` decides what an attempt gets: a status, or `hold` (no answer
 * until `release()`; the crash test kills the bot meanwhile).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookAttempt {
  delivery: string;
  signatureOk: boolean;
  body: string;
  /** What the receiver answered (null: held, or the connection died first). */
  status: number | null;
}

export interface StoredChange {
  delivery: string;
  body: { hotlineNo: string; id: number; status: string; event: string; at: string; text: string | null };
}

export type Answer = number | 'hold';

export class FakeWebhookReceiver {
  readonly attempts: WebhookAttempt[] = [];
  readonly stored: StoredChange[] = [];
  /** What to answer an attempt (default: 200 when the signature is right, 401 when not). */
  answer: (attempt: WebhookAttempt, n: number) => Answer = (a) => (a.signatureOk ? 200 : 401);
  private server: Server | null = null;
  private held: ServerResponse[] = [];
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/jiesu/status`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-jiesu-signature'] ?? ''));
    const attempt: WebhookAttempt = {
      delivery: String(req.headers['x-jiesu-delivery'] ?? ''),
      signatureOk: req.method === 'POST' && given.length === expected.length && timingSafeEqual(given, expected),
      body: raw.toString('utf8'),
      status: null,
    };
    this.attempts.push(attempt);
    const answer = this.answer(attempt, this.attempts.length);
    if (answer === 'hold') {
      this.held.push(res);
    } else {
      if (answer >= 200 && answer < 300 && attempt.signatureOk && !this.stored.some((s) => s.delivery === attempt.delivery)) {
        this.stored.push({ delivery: attempt.delivery, body: JSON.parse(attempt.body) as StoredChange['body'] });
      }
      attempt.status = answer;
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    }
    this.waiters = this.waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
  }

  /** Drops the held requests' connections (their sender is gone). */
  release(): void {
    for (const res of this.held.splice(0)) res.destroy();
  }

  /** Resolves once `pred` holds (checked after every attempt); rejects after `timeoutMs`. */
  waitFor(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; attempts:\n${this.attempts.map((a) => `${a.delivery} ${a.status} ${a.body}`).join('\n')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  events(): string[] {
    return this.stored.map((s) => s.body.event);
  }

  async close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
