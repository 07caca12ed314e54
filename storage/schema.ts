import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { CaseSource, CaseStatus, EventKind, Extension, MilestoneKind, Person, Rating, RequestType, Role, TimeNode, Urgency, WhistleEntry } from '../core/types';

/**
 * The SQLite schema. Times are epoch milliseconds. `case_events` is append-only (a trigger in the
 * migrations refuses UPDATE and DELETE): it is the ledger (台账).
 */
export const cases = sqliteTable(
  'cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hotlineNo: text('hotline_no').notNull(),
    status: text('status').$type<CaseStatus>().notNull(),
    group: text('group_key').notNull(),
    section: text('section'),
    category: text('category').notNull(),
    urgency: text('urgency').$type<Urgency>().notNull(),
    type: text('type').$type<RequestType>(),
    address: text('address'),
    content: text('content').notNull(),
    source: text('source').$type<CaseSource>().notNull(),
    citizenName: text('citizen_name'),
    citizenPhone: text('citizen_phone'),
    /** Public-account openid (source `mp`): personal data, never logged or published. */
    citizenOpenId: text('citizen_open_id'),
    ownerId: text('owner_id'),
    ownerName: text('owner_name'),
    reportedAt: integer('reported_at').notNull(),
    postedAt: integer('posted_at').notNull(),
    claimedAt: integer('claimed_at'),
    contactedAt: integer('contacted_at'),
    resolvedAt: integer('resolved_at'),
    respondBy: integer('respond_by').notNull(),
    resolveBy: integer('resolve_by').notNull(),
    result: text('result'),
    version: integer('version').notNull().default(1),
    nextDueKind: text('next_due_kind').$type<MilestoneKind>(),
    nextDueAt: integer('next_due_at'),
    leaderId: text('leader_id'),
    leaderName: text('leader_name'),
    /** JSON lists; written with the row's version check like every other field. */
    coHandlers: text('co_handlers', { mode: 'json' }).$type<Person[]>().notNull().default([]),
    whistle: text('whistle', { mode: 'json' }).$type<WhistleEntry[]>().notNull().default([]),
    nodes: text('nodes', { mode: 'json' }).$type<TimeNode[]>().notNull().default([]),
    extensions: text('extensions', { mode: 'json' }).$type<Extension[]>().notNull().default([]),
    rating: text('rating', { mode: 'json' }).$type<Rating | null>(),
    /** Follow-up answers as columns too, for the reports' SQL. */
    ratingSatisfaction: text('rating_satisfaction'),
    ratingSolved: text('rating_solved'),
    ratingContacted: integer('rating_contacted'),
    ratedAt: integer('rated_at'),
    followUpAt: integer('follow_up_at'),
    closedAt: integer('closed_at'),
    repeatOf: integer('repeat_of'),
    repeatCount: integer('repeat_count').notNull().default(1),
    placeKey: text('place_key'),
    returnCount: integer('return_count').notNull().default(0),
    urgencyReason: text('urgency_reason'),
    mediaCount: integer('media_count').notNull().default(0),
  },
  (t) => [
    index('cases_place_key').on(t.placeKey, t.category, t.reportedAt),
    // Covering for the reports' follow-up counts (read from the index alone).
    index('cases_rated_at').on(t.ratedAt, t.group, t.section, t.ratingSatisfaction, t.ratingSolved, t.ratingContacted),
    index('cases_leader').on(t.leaderId),
    uniqueIndex('cases_hotline_no').on(t.hotlineNo),
    // resolve_by: the reports' "open past the deadline now" is a range in this index.
    index('cases_status_group').on(t.status, t.group, t.resolveBy),
    index('cases_next_due').on(t.nextDueAt),
    index('cases_resolved_at').on(t.resolvedAt),
    // Covering for the reports' period counts, categories and hotspots: a month is read from the index
    // alone, in order, never from the wide rows (bench P4).
    index('cases_reported_at').on(t.reportedAt, t.group, t.section, t.status, t.claimedAt, t.contactedAt, t.respondBy, t.resolvedAt, t.resolveBy, t.returnCount, t.category, t.placeKey),
    /** Reports: one group's slice over a period of reception. */
    index('cases_group_reported').on(t.group, t.reportedAt),
  ],
);

export const caseEvents = sqliteTable(
  'case_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull().references(() => cases.id),
    kind: text('kind').$type<EventKind>().notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    group: text('group_key'),
    at: integer('at').notNull(),
    text: text('text'),
    fromStatus: text('from_status').$type<CaseStatus>(),
    toStatus: text('to_status').$type<CaseStatus>(),
  },
  // kind_case: the reports read the cases that ever had a reopened / whistled … event as a range per kind.
  (t) => [index('case_events_case').on(t.caseId, t.id), index('case_events_kind_case').on(t.kind, t.caseId)],
);

/** Messages decided and not yet confirmed sent (transactional outbox). `channel` is `chat`, `public` or `webhook`. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').$type<'chat' | 'public' | 'webhook'>().notNull(),
    group: text('group_key').notNull(),
    text: text('text').notNull(),
    /** JSON: [{ id, name }] for chat; { title } for public. */
    meta: text('meta').notNull().default('{}'),
    caseId: integer('case_id'),
    status: text('status').$type<'pending' | 'sent' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    platformMessageId: text('platform_message_id'),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_status_group').on(t.status, t.group, t.id), index('outbox_platform_message').on(t.group, t.platformMessageId)],
);

/** Which platform chat is which group key. */
export const groupBindings = sqliteTable(
  'group_bindings',
  {
    platform: text('platform').notNull(),
    chatId: text('chat_id').notNull(),
    group: text('group_key').notNull(),
    boundBy: text('bound_by'),
    boundAt: integer('bound_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.chatId] }), index('group_bindings_group').on(t.group)],
);

/** Roles stick to the platform user id once given. */
export const members = sqliteTable(
  'members',
  {
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role').$type<Role>().notNull(),
    /** Manages bindings and roles; independent of the case role. */
    isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
    /** For role `department`: which department this person reports for. */
    department: text('department'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId] })],
);

/** One-time binding codes: printed in the log, spent by the first `/bind` that uses them. */
export const bindingCodes = sqliteTable('binding_codes', {
  code: text('code').primaryKey(),
  createdAt: integer('created_at').notNull(),
  usedAt: integer('used_at'),
  usedBy: text('used_by'),
  /** Set when a newer code replaced this one (only the newest code works). */
  supersededAt: integer('superseded_at'),
});

/** Failed 绑定 attempts, per sender: a few an hour, then refused (and logged). */
export const bindFailures = sqliteTable(
  'bind_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('bind_failures_sender').on(t.platform, t.userId, t.at)],
);

/** Photos kept as evidence of a case (files under DATA_DIR/media/, the hash also in the ledger). */
export const caseMedia = sqliteTable(
  'case_media',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull(),
    sha256: text('sha256').notNull(),
    path: text('path').notNull(),
    mime: text('mime').notNull(),
    addedBy: text('added_by'),
    addedAt: integer('added_at').notNull(),
    /** A leader may mark a photo public; none is by default. */
    isPublic: integer('is_public', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('case_media_case').on(t.caseId)],
);

/** Chat-made changes to the duty roster (值班 设置 / 换班), applied over the YAML's pattern. */
export const dutyChanges = sqliteTable('duty_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** JSON: { kind: 'set', date, people } | { kind: 'swap', a, b, date } */
  change: text('change').notNull(),
  by: text('by'),
  at: integer('at').notNull(),
});

/** Periodic reports and notices already sent (日报/周报/月报/研判/交班): one per key, whatever restarts. */
export const sentReports = sqliteTable('sent_reports', {
  key: text('key').primaryKey(),
  sentAt: integer('sent_at').notNull(),
});

/**
 * Where each outbox row was delivered: one row per platform chat. Lets a quote-reply find its case,
 * lets an adapter edit a case card in place, and keeps a retried delivery from sending twice to a
 * chat that already got it.
 */
export const sentMessages = sqliteTable(
  'sent_messages',
  {
    platform: text('platform').notNull(),
    chatId: text('chat_id').notNull(),
    messageId: text('message_id').notNull(),
    outboxId: integer('outbox_id').notNull(),
    caseId: integer('case_id'),
    kind: text('kind').notNull(),
    sentAt: integer('sent_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.chatId, t.messageId] }),
    index('sent_messages_outbox').on(t.outboxId),
    index('sent_messages_case').on(t.caseId, t.kind),
  ],
);

/**
 * Public-account messages already taken in, by WeChat's MsgId: WeChat repeats a message it got no
 * answer to, and a repeat must not make a second case. `caseId` is null for messages that made none.
 */
export const mpMessages = sqliteTable('mp_messages', {
  msgId: text('msg_id').primaryKey(),
  caseId: integer('case_id'),
  receivedAt: integer('received_at').notNull(),
});

/**
 * What each public-side channel did with an outbox row (`sent`, or `refused` for a permanent refusal):
 * a retried delivery finds the row here and does nothing, so each result reaches the citizen once.
 */
export const publicDeliveries = sqliteTable(
  'public_deliveries',
  {
    channel: text('channel').notNull(),
    outboxId: integer('outbox_id').notNull(),
    caseId: integer('case_id'),
    outcome: text('outcome').$type<'sent' | 'refused'>().notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.outboxId] })],
);
