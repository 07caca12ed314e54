import type { ListFilter } from './commands';
import type { Attachment, Case, CaseEvent, MilestoneKind, Role } from './types';

/**
 * Ports: what the application needs from the outside, owned by the domain. Storage is synchronous
 * (better-sqlite3): a transaction is one call, and nothing awaits inside it.
 */

/** What a chat message is, so adapters can treat cards, updates, alarms and replies differently. */
export type MessageKind = 'card' | 'update' | 'alarm' | 'reply';

/** One delivery of an outbox row to one platform chat. */
export interface SentMessageRef {
  platform: string;
  chatId: string;
  messageId: string;
  outboxId: number;
  caseId: number | null;
  kind: MessageKind;
  at: number;
}

/** A message waiting in the transactional outbox. */
export interface OutboxRow {
  id: number;
  /** `chat` (a group or a person), `public` (the citizen's side), `webhook` (the hotline side's DISPATCH_WEBHOOK_URL; `text` is the JSON body). */
  channel: 'chat' | 'public' | 'webhook';
  group: string;
  text: string;
  kind: MessageKind;
  mentions: { id: string; name: string }[];
  title: string | null;
  caseId: number | null;
  /** A private message's group to tell (nothing personal) when the person cannot be reached privately. */
  fallbackGroup?: string | null;
  /** A picture or file sent with the text (chat rows only). */
  attachment?: Attachment | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  createdAt: number;
}

export type NewOutboxRow = Omit<OutboxRow, 'id' | 'status' | 'attempts'>;

/** A person whose role was stored by platform user id. */
export interface StoredMember {
  platform: string;
  userId: string;
  displayName: string;
  role: Role;
  isAdmin: boolean;
  department: string | null;
}

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
  listOpenCases(q: { group: string | null; filter: ListFilter; ownerId?: string; leaderId?: string; now: number; limit: number }): { cases: Case[]; total: number };
  /** Earlier cases at a place with a category, reported in [fromMs, toMs] (重复诉求), newest first. */
  casesAtPlace(placeKey: string, category: string, fromMs: number, toMs: number): { id: number; placeKey: string | null; category: string; reportedAt: number; status: Case['status'] }[];
  /**
   * Intake's 重复诉求 question, same range as casesAtPlace: how many earlier cases (at most 100) and the newest one's
   * id (latest reportedAt, then highest id) — what findRepeat gives from casesAtPlace's rows.
   */
  repeatAtPlace(placeKey: string, category: string, fromMs: number, toMs: number): { count: number; latestId: number | null };
  /**
   * The pending milestone of every open or resolved case, for the reconciler: keyset pagination in
   * (dueAt, caseId) order, the page after `after` (null: the first page).
   */
  pendingMilestones(after: ScheduleItem | null, limit: number): ScheduleItem[];

  addOutbox(rows: NewOutboxRow[]): number[];
  /** Pending rows of one group (or channel) up to and including `uptoId`, in order; the first `limit` when given. */
  pendingOutbox(group: string, uptoId: number, limit?: number): OutboxRow[];
  /** Every pending row's id and group, for the reconciler. */
  allPendingOutbox(afterId: number, limit: number): { id: number; group: string }[];
  markOutboxSent(id: number, platformMessageId: string | null, at: number): void;
  markOutboxFailed(id: number, error: string, permanent: boolean): void;
  /** Records that an outbox row reached one platform chat as `messageId`. */
  recordSent(ref: SentMessageRef): void;
  /** Chats an outbox row already reached (a retried delivery skips them). */
  sentTargets(outboxId: number): { platform: string; chatId: string }[];
  /** The case a bot message (by platform, chat and message id) was about. */
  caseIdForMessage(platform: string, chatId: string, messageId: string): number | null;
  /** Where a case's card was posted (adapters that edit cards in place). */
  cardMessages(caseId: number): { platform: string; chatId: string; messageId: string }[];

  /** Binds a platform chat to a group key (replacing an earlier binding of that chat). */
  bindChat(platform: string, chatId: string, group: string, boundBy: string | null, at: number): void;
  unbindChat(platform: string, chatId: string): boolean;
  groupForChat(platform: string, chatId: string): string | null;
  chatsForGroup(group: string): { platform: string; chatId: string }[];
  /** Stores a new one-time binding code; every older unused code stops working. */
  addBindingCode(code: string, at: number): void;
  /**
   * Spends a code: `ok` once, for the first caller; `bad` when unknown, used or replaced by a newer
   * one; `expired` when older than `maxAgeMs`.
   */
  useBindingCode(code: string, usedBy: string, at: number, maxAgeMs: number): 'ok' | 'bad' | 'expired';
  /** Records a failed 绑定 attempt by a sender. */
  recordBindFailure(platform: string, userId: string, at: number): void;
  /** How many failed 绑定 attempts a sender made since `since`. */
  bindFailuresSince(platform: string, userId: string, since: number): number;

  /** Role of a platform user, if one was ever stored. */
  findMember(platform: string, userId: string): StoredMember | null;
  /** A stored member by the name shown (for platforms that give mentions as names only). */
  findMemberByName(platform: string, displayName: string): StoredMember | null;
  /** Everyone given a role or admin rights in chat. */
  listMembers(): StoredMember[];
  upsertMember(platform: string, userId: string, displayName: string, role: Role, at: number, extra?: { isAdmin?: boolean; department?: string | null }): void;
  /** True when the database answers. */
  ping(): boolean;

  /** Cases resolved in [fromMs, toMs) (resolved or closed since), oldest resolution first — the weekly digest. */
  listResolvedBetween(fromMs: number, toMs: number): Case[];
  /** Cases reported in [fromMs, toMs), every state, oldest first — hotspot counting. */
  listReportedBetween(fromMs: number, toMs: number): Case[];
  /** The case a public-account message (by WeChat's MsgId) already made; undefined when the MsgId is new. */
  mpMessageCase(msgId: string): { caseId: number | null } | undefined;
  /** Remembers a public-account MsgId; false when it was already there (a replay). */
  recordMpMessage(msgId: string, caseId: number | null, at: number): boolean;
  /** What a public-side channel already did with an outbox row, if anything. */
  publicDelivery(channel: string, outboxId: number): { outcome: 'sent' | 'refused'; at: number } | null;
  /** Records that a public-side channel delivered (or was permanently refused) an outbox row. */
  recordPublicDelivery(d: { channel: string; outboxId: number; caseId: number | null; outcome: 'sent' | 'refused'; at: number }): void;
}

/** A chat message as an adapter hands it in. */
export interface IncomingMessage {
  platform: string;
  /** The platform's chat id (console: the group key). */
  chatId: string;
  /**
   * The group key when the adapter knows it without a stored binding (console: always; WeChat: a
   * room bound in the YAML by topic). Otherwise the app looks the chat's binding up.
   */
  group?: string | null;
  sender: { id: string; name: string };
  /** The sender administers this chat on the platform (binds without a code only where the YAML allows it). */
  senderIsChatAdmin?: boolean;
  /** People @-mentioned in the message, with their platform ids (WeChat, Telegram). The console writes `@name`. */
  mentions?: { id: string; name: string }[];
  /** A one-to-one chat with the bot, not a group. */
  isPrivate?: boolean;
  text: string;
  /** Platform id of the bot message this one quotes (replies to), if any. */
  quotedMessageId?: string | null;
  /**
   * The case number read from the quoted text, for platforms whose quotes carry no message id
   * (WeChat delivers a quote as text). Used when the command and the quoted message id give none.
   */
  quotedCaseId?: number | null;
  /** A photo sent with the message (its caption is `text`): kept as evidence when it names a case or quotes its card. */
  media?: { bytes: Uint8Array; mime: string };
}

/**
 * Photos kept as evidence of cases: a file each under DATA_DIR/media/<caseId>/<sha256>.<ext> and a row
 * beside the case. Synchronous like the case store, so a photo's row commits with the case change.
 */
export interface MediaStore {
  /** Writes the file (content-addressed: the same bytes twice are one file); outside any transaction. */
  saveFile(caseId: number, bytes: Uint8Array, mime: string): { sha256: string; path: string };
  /** Whether the case already has a photo with this hash. */
  hasPhoto(caseId: number, sha256: string): boolean;
  /** Records a photo of a case (inside the case change's transaction). */
  addPhoto(p: { caseId: number; sha256: string; path: string; mime: string; addedBy: string | null; addedAt: number }): void;
  /** Marks a case's n-th photo (1-based, in the order added) public; false when there is none. */
  markPublic(caseId: number, no: number): boolean;
  /** A case's photos, in the order added. */
  listPhotos(caseId: number): { no: number; sha256: string; path: string; mime: string; isPublic: boolean }[];
}

/** One message to deliver to a chat group. */
export interface OutgoingMessage {
  outboxId: number;
  /** Group key, `@<platform>:<chatId>` for an answer to a chat that is not bound, `~<platform>:<userId>` for a private message. */
  group: string;
  text: string;
  kind: MessageKind;
  mentions: { id: string; name: string }[];
  caseId: number | null;
  /**
   * A picture or file that goes with the text, delivered after it (or as the picture's caption) in
   * the same delivery. A platform that fails after the text was out must not send the text again on
   * the retry (it keeps what it already sent per outbox row and chat).
   */
  attachment?: Attachment | null;
  /** Further outbox rows this message carries (alarms of one moment merged into one message, `outboxId` first); absent for a single row. */
  mergedOutboxIds?: number[];
}

/**
 * One chat platform's sending side. Throw an error with `permanent: true` for what retrying cannot
 * fix, and also `chatGone: true` when the bot was removed from the chat (the chat is unbound).
 */
export interface PlatformChat {
  readonly platform: string;
  /** Sends to one chat; returns the platform's id for the message. */
  sendTo(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }>;
  /** Chats this platform knows for a group without a stored binding (console: the group itself). */
  staticChatIds?(group: string): string[];
  /**
   * Sends one-to-one to a person. Throw `permanent: true` when the person cannot be reached (never
   * opened a chat with the bot); the bot then tells the group how to open one, with nothing personal.
   */
  sendPrivate?(userId: string, msg: OutgoingMessage): Promise<{ messageId: string }>;
}

/** The sending side the delivery worker uses: one message, to wherever its group lives. */
export interface ChatSender {
  /** Delivers one message; returns the platform's id for it (lets quote-replies find the case). */
  send(msg: OutgoingMessage): Promise<{ messageId: string | null }>;
}

/** The public side (公众号 or files). Texts arrive already masked. */
export interface PublicChannel {
  publish(item: { outboxId: number; caseId: number | null; title: string; text: string }): Promise<void>;
}

/**
 * The hotline side's result webhook (DISPATCH_WEBHOOK_URL): one status change of a case, POSTed as
 * JSON. Throw an error with `permanent: true` for what retrying cannot fix (a 4xx but 408/429).
 */
export interface StatusWebhook {
  /** Sends `body` (the exact JSON text that is signed); `deliveryId` (the outbox row) is the receiver's idempotency key. */
  deliver(item: { deliveryId: number; body: string }): Promise<void>;
}

/** The weekly digest as the publishers get it: already masked, in Markdown and HTML. */
export interface DigestArticle {
  title: string;
  /** Local date of the digest's end, `YYYY-MM-DD`. */
  date: string;
  /** One line: how many cases were solved and how many hotspots. */
  summary: string;
  markdown: string;
  /** The article body for the public account's draft (no <html> wrapper). */
  htmlBody: string;
  /** A whole HTML page, for the file a person posts by hand. */
  htmlPage: string;
  itemCount: number;
  hotspotCount: number;
  /** Solved cases per category, most first (the cover's chart). */
  categoryCounts: { category: string; count: number }[];
}

/** Somewhere the weekly digest goes (files under DATA_DIR/public, the public account's drafts). */
export interface DigestPublisher {
  readonly name: string;
  /** Publishes one digest; returns a few words for the consultation group (`已存草稿并提交发布`), or ''. */
  publishDigest(article: DigestArticle): Promise<{ note: string }>;
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
