import { createHmac } from 'node:crypto';
import type { StatusWebhook } from '../../core/ports';

/**
 * The hotline side's result webhook (DISPATCH_WEBHOOK_URL). Each status change of a case is POSTed
 * as JSON, signed with HMAC-SHA256 of the raw body under DISPATCH_WEBHOOK_SECRET:
 *   X-Jiesu-Signature: sha256=<hex>
 *   X-Jiesu-Delivery:  <outbox row id>   (the same on every retry of one change: the receiver dedupes)
 * A 2xx is delivered; a 4xx except 408/429 is permanent (a retry sends the same bytes and would be
 * refused again); anything else (network, timeout, 408, 429, 5xx) is retried by the outbound queue.
 */

export interface DispatchWebhookSettings {
  url: string;
  secret: string;
  /** Longest one POST may take, ms (default 10,000); a timeout is retried. */
  timeoutMs?: number;
}

/** The webhook refused or could not be reached. `code` is `http_<status>` or `network`. */
export class DispatchWebhookError extends Error {
  readonly permanent: boolean;
  readonly code: string;
  readonly status: number | null;
  constructor(message: string, opts: { code: string; status: number | null; permanent: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'DispatchWebhookError';
    this.code = opts.code;
    this.status = opts.status;
    this.permanent = opts.permanent;
  }
}

/** `sha256=<hex>` of the raw body: what X-Jiesu-Signature carries (a receiver computes the same). */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Statuses a retry may fix: timeouts and rate limits. Every other 4xx is final. */
const RETRYABLE_4XX = new Set([408, 429]);

export class DispatchWebhook implements StatusWebhook {
  constructor(private readonly settings: DispatchWebhookSettings) {}

  async deliver(item: { deliveryId: number; body: string }): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'jiesu-dispatch-webhook',
          'x-jiesu-signature': signBody(this.settings.secret, item.body),
          'x-jiesu-delivery': String(item.deliveryId),
        },
        body: item.body,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new DispatchWebhookError(`webhook unreachable: ${err instanceof Error ? err.message : String(err)}`, { code: 'network', status: null, permanent: false, cause: err });
    }
    // The body is not needed; read it so the connection can be reused.
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    const permanent = res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status);
    throw new DispatchWebhookError(`webhook answered ${res.status}`, { code: `http_${res.status}`, status: res.status, permanent });
  }
}
