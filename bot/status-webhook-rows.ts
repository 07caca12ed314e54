import type { NewOutboxRow } from '../core/ports';
import { formatIsoInZone } from '../core/time-zone';
import type { Case, CaseEvent, EventKind } from '../core/types';

/**
 * The hotline side hears every change of a case's status (DISPATCH_WEBHOOK_URL): one outbox row on
 * channel `webhook` per change, written in the same transaction as the change itself, so a change
 * is sent exactly once (the receiver dedupes retries by the row id, `X-Jiesu-Delivery`).
 */

/** The outbox group of webhook rows: one ordered queue, the order in which the changes happened. */
export const WEBHOOK_GROUP = 'webhook';

/** The JSON body POSTed for one change (SPEC "Result to the hotline side"). */
export interface StatusChangeBody {
  hotlineNo: string;
  /** The case's short number. */
  id: number;
  /** The case's status after the change. */
  status: Case['status'];
  /** What happened: the ledger's event kind (`claimed`, `contacted`, `resolved`, `returned`, `closed`, `reopened`, …), `extended` for an approved extension. */
  event: string;
  /** When, ISO-8601 with the street's offset. */
  at: string;
  /** The ledger row's text (the result of 办结, a return's reason, the follow-up's answers), or null. */
  text: string | null;
}

/** Events that are not a change the hotline side acts on, though they set a status (the intake itself). */
const NOT_SENT: ReadonlySet<EventKind> = new Set(['received']);

/** The name the webhook gives an event (an approved extension is `extended`). */
function webhookEvent(kind: EventKind): string {
  return kind === 'extension-approved' ? 'extended' : kind;
}

/** Whether a ledger row is a change of status the hotline side is told about. */
export function isStatusChange(e: CaseEvent): boolean {
  if (NOT_SENT.has(e.kind)) return false;
  if (e.kind === 'extension-approved') return true;
  return e.toStatus !== null && e.toStatus !== e.fromStatus;
}

/** The webhook rows for a decision's events on case `after` (the case as the change leaves it). */
export function statusChangeRows(after: Case, events: CaseEvent[], timeZone: string, now: number): NewOutboxRow[] {
  return events.filter(isStatusChange).map((e) => {
    const body: StatusChangeBody = { hotlineNo: after.hotlineNo, id: after.id, status: e.toStatus ?? after.status, event: webhookEvent(e.kind), at: formatIsoInZone(e.at, timeZone), text: e.text };
    return { channel: 'webhook', group: WEBHOOK_GROUP, text: JSON.stringify(body), kind: 'update', mentions: [], title: null, caseId: after.id, createdAt: now };
  });
}
