/**
 * The domain's vocabulary: cases, people, events and the effects that `bot/` carries out.
 * Times are epoch milliseconds (UTC instants); formatting to Beijing time happens in texts.
 */

/** Case lifecycle. `reopened` behaves like `claimed` (same owner). */
export type CaseStatus = 'new' | 'claimed' | 'contacted' | 'resolved' | 'closed' | 'returned' | 'reopened';

/** Deadline class (SPEC "Deadlines"). */
export type Urgency = 'urgent' | 'utility' | 'ordinary' | 'complex' | 'consult';
export const URGENCIES: readonly Urgency[] = ['urgent', 'utility', 'ordinary', 'complex', 'consult'];

/** The regulation's five kinds of request. */
export type RequestType = '咨询' | '求助' | '投诉' | '举报' | '建议';
export const REQUEST_TYPES: readonly RequestType[] = ['咨询', '求助', '投诉', '举报', '建议'];

/** Where a case came from. */
export type CaseSource = '12345' | 'mp' | 'chat' | 'import';

export type Role = 'admin' | 'leader' | 'dispatcher' | 'member' | 'department';

/** Someone who typed something: platform user id plus the name shown in the group. */
export interface Actor {
  /** Stable platform id (console: the display name itself). */
  id: string;
  name: string;
  role: Role;
}

/** A case as the domain sees it. */
export interface Case {
  /** Short number people type (`#12`). */
  id: number;
  hotlineNo: string;
  status: CaseStatus;
  /** Group key the case lives in (`consult`, `street` or a community key). */
  group: string;
  /** Street section responsible, when routed by category. */
  section: string | null;
  category: string;
  urgency: Urgency;
  type: RequestType | null;
  address: string | null;
  content: string;
  source: CaseSource;
  citizenName: string | null;
  citizenPhone: string | null;
  /**
   * The citizen's openid on the public account (cases that came in through it), for telling them the
   * result. Personal data: never logged, never public. Absent or null for every other source.
   */
  citizenOpenId?: string | null;
  ownerId: string | null;
  ownerName: string | null;
  reportedAt: number;
  /** When the card was first posted (start of the unclaimed window). */
  postedAt: number;
  claimedAt: number | null;
  contactedAt: number | null;
  resolvedAt: number | null;
  /** Response deadline: first contact with the citizen. */
  respondBy: number;
  /** Resolution deadline (办理时限). */
  resolveBy: number;
  result: string | null;
  /** Optimistic-concurrency version; bumped by every change of the row. */
  version: number;
  /** The one pending deadline milestone of this case, null when none (closed cases). */
  nextDueKind: MilestoneKind | null;
  nextDueAt: number | null;
}

/** Kinds of ledger event. */
export type EventKind =
  | 'received'
  | 'claimed'
  | 'contacted'
  | 'note'
  | 'resolved'
  | 'reminder'
  | 'overdue'
  | 'escalated'
  /** The public account refused to deliver the result to the citizen (unsubscribed, window closed…). */
  | 'public-failed';

/** One row of the append-only ledger (台账). */
export interface CaseEvent {
  kind: EventKind;
  actorId: string | null;
  actorName: string | null;
  /** Group the event happened in (null for system events with no group). */
  group: string | null;
  at: number;
  text: string | null;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
}

/** A chat message the bot decided to send. */
export interface SendEffect {
  type: 'send';
  group: string;
  text: string;
  /** card: a new case's card; update: a state change of a case; alarm: reminder or overdue; reply: an answer. */
  kind: 'card' | 'update' | 'alarm' | 'reply';
  /** People to @-mention (platform ids and names); adapters render them. */
  mentions: { id: string; name: string }[];
  /** The case this message is about (lets a quote-reply find its case). */
  caseId: number | null;
}

/** A text for the public side (公众号 / files), already masked. */
export interface PublishEffect {
  type: 'publish';
  caseId: number;
  title: string;
  text: string;
}

export type Effect = SendEffect | PublishEffect;

/** Deadline milestones; one is pending per open case. */
export type MilestoneKind =
  | 'unclaimed-remind'
  | 'unclaimed-escalate'
  | 'respond-50'
  | 'respond-90'
  | 'respond-overdue'
  | 'resolve-50'
  | 'resolve-90'
  | 'resolve-overdue';

export interface Milestone {
  kind: MilestoneKind;
  dueAt: number;
}

/** An expected failure: a user-facing Chinese line, nothing changed. */
export interface Refusal {
  ok: false;
  message: string;
}

export const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'claimed', 'contacted', 'reopened'];
export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
