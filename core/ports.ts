import type { ListFilter } from './commands';
import type { Case, CaseEvent, MilestoneKind, Role } from './types';

/**
 * Ports: what the application needs from the outside, owned by the domain. Storage is synchronous
 * (better-sqlite3): a transaction is one call, and nothing awaits inside it.
 */

/** A message waiting in the transactional outbox. */
export interface OutboxRow {
  id: number;
  channel: 'chat' | 'public';
  group: string;
  text: string;
  mentions: { id: string; name: string }[];
  title: string | null;
  caseId: number | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  createdAt: number;
}

export type NewOutboxRow = Omit<OutboxRow, 'id' | 'status' | 'attempts'>;

export interface CaseStore {
  /** Runs `fn` in one SQLite transaction; a throw rolls everything back. */
  transaction<T>(fn: () => T): T;
  findCase(id: number): Case | null;
  findCaseByHotlineNo(hotlineNo: string): Case | null;
  /** Inserts a new case and returns it with its short number. */
  insertCase(c: Omit<Case, 'id'>): Case;
  /** Conditional update: applies only when the stored version is `expectedVersion`; bumps the version. */
  updateCase(id: number, expectedVersion: number, patch: Partial<Case>): boolean;
  appendEvents(caseId: number, events: CaseEvent[]): void;
  listEvents(caseId: number): CaseEvent[];
  /** Open cases (new/claimed/contacted/reopened), oldest first; `group` null = every group. */
  listOpenCases(q: { group: string | null; filter: ListFilter; ownerId?: string; now: number; limit: number }): { cases: Case[]; total: number };
  /** Open cases with a pending milestone, by id, for the reconciler (keyset pagination). */
  openCasesWithDue(afterId: number, limit: number): Case[];

  addOutbox(rows: NewOutboxRow[]): number[];
  /** Pending rows of one group (or channel) up to and including `uptoId`, in order. */
  pendingOutbox(group: string, uptoId: number): OutboxRow[];
  /** Every pending row's id and group, for the reconciler. */
  allPendingOutbox(afterId: number, limit: number): { id: number; group: string }[];
  markOutboxSent(id: number, platformMessageId: string | null, at: number): void;
  markOutboxFailed(id: number, error: string, permanent: boolean): void;
  /** The case a bot message (by its platform message id in a group) was about. */
  caseIdForMessage(group: string, platformMessageId: string): number | null;

  /** Role of a platform user, if one was ever stored. */
  findMember(platform: string, userId: string): { role: Role; displayName: string } | null;
  upsertMember(platform: string, userId: string, displayName: string, role: Role, at: number): void;
  /** True when the database answers. */
  ping(): boolean;
}

/** A chat message as the adapters hand it in: the group is already resolved to a group key. */
export interface IncomingMessage {
  platform: string;
  group: string;
  sender: { id: string; name: string };
  text: string;
  /** Platform id of the bot message this one quotes (replies to), if any. */
  quotedMessageId?: string | null;
}

/** One message to deliver to a chat group. */
export interface OutgoingMessage {
  outboxId: number;
  group: string;
  text: string;
  mentions: { id: string; name: string }[];
  caseId: number | null;
}

/** A chat platform's sending side. Throw a `ChatApiError` with `permanent: true` for what retrying cannot fix. */
export interface ChatSender {
  /** Delivers one message; returns the platform's id for it (lets quote-replies find the case). */
  send(msg: OutgoingMessage): Promise<{ messageId: string | null }>;
}

/** The public side (公众号 or files). Texts arrive already masked. */
export interface PublicChannel {
  publish(item: { outboxId: number; caseId: number | null; title: string; text: string }): Promise<void>;
}

/** Structured logging; implementations must never print personal data. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** A case's pending deadline job: which milestone, for which version of the case row. */
export interface JobRef {
  caseId: number;
  kind: MilestoneKind;
  version: number;
}

export interface ScheduleItem extends JobRef {
  dueAt: number;
}

/** Hands decided work to the queues after the transaction commits. */
export interface WorkDispatcher {
  /** Enqueue delivery of outbox rows (by id and group). */
  deliver(rows: { id: number; group: string }[]): Promise<void>;
  /** Make sure the job for each case's pending milestone exists (idempotent: the job id is deterministic). */
  schedule(items: ScheduleItem[]): Promise<void>;
  /** Drop jobs that a newer milestone replaced (best effort: a leftover job finds the case stale). */
  cancel(items: JobRef[]): Promise<void>;
}
