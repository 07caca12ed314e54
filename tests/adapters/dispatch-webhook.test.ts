import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatchWebhook, DispatchWebhookError, signBody } from '../../adapters/webhook/dispatch-webhook';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver';

const SECRET = 'test-secret-0123456789abcdef';
const BODY = JSON.stringify({ hotlineNo: 'DEMO-0005', id: 12, status: 'claimed', event: 'claimed', at: '2026-11-29T09:05:00+08:00', text: null });

let receiver: FakeWebhookReceiver;
beforeAll(async () => {
  receiver = await new FakeWebhookReceiver(SECRET).start();
});
afterAll(async () => receiver.close());

async function outcome(webhook: DispatchWebhook, deliveryId = 7): Promise<'ok' | DispatchWebhookError> {
  try {
    await webhook.deliver({ deliveryId, body: BODY });
    return 'ok';
  } catch (err) {
    if (err instanceof DispatchWebhookError) return err;
    throw err;
  }
}

describe('DispatchWebhook', () => {
  it('POSTs the exact body with its HMAC-SHA256 signature and the delivery id', async () => {
    receiver.answer = (a) => (a.signatureOk ? 200 : 401);
    expect(await outcome(new DispatchWebhook({ url: receiver.url, secret: SECRET }), 41)).toBe('ok');
    const last = receiver.attempts.at(-1)!;
    expect(last).toMatchObject({ delivery: '41', signatureOk: true, body: BODY, status: 200 });
    expect(signBody(SECRET, BODY)).toBe(`sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`);
  });

  it('a wrong secret is refused by the receiver (401): permanent, not retried', async () => {
    receiver.answer = (a) => (a.signatureOk ? 200 : 401);
    const err = await outcome(new DispatchWebhook({ url: receiver.url, secret: 'another-secret-0123456789' }));
    expect(err).toBeInstanceOf(DispatchWebhookError);
    expect(err).toMatchObject({ permanent: true, code: 'http_401', status: 401 });
  });

  it.each([400, 403, 404, 410, 413, 422])('%i is permanent', async (status) => {
    receiver.answer = () => status;
    expect(await outcome(new DispatchWebhook({ url: receiver.url, secret: SECRET }))).toMatchObject({ permanent: true, status });
  });

  it.each([408, 429, 500, 502, 503])('%i is retried (transient)', async (status) => {
    receiver.answer = () => status;
    expect(await outcome(new DispatchWebhook({ url: receiver.url, secret: SECRET }))).toMatchObject({ permanent: false, status });
  });

  it('a receiver that is not listening is retried (network)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    expect(await outcome(new DispatchWebhook({ url: `http://127.0.0.1:${closed}/x`, secret: SECRET }))).toMatchObject({ permanent: false, code: 'network' });
  });

  it('a receiver that never answers times out and is retried', async () => {
    receiver.answer = () => 'hold';
    const err = await outcome(new DispatchWebhook({ url: receiver.url, secret: SECRET, timeoutMs: 200 }));
    receiver.release();
    expect(err).toMatchObject({ permanent: false, code: 'network' });
  });
});
