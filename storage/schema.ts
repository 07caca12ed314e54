import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { CaseSource, CaseStatus, EventKind, MilestoneKind, RequestType, Role, Urgency } from '../core/types';

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
  },
  (t) => [
    uniqueIndex('cases_hotline_no').on(t.hotlineNo),
    index('cases_status_group').on(t.status, t.group),
    index('cases_next_due').on(t.nextDueAt),
    index('cases_resolved_at').on(t.resolvedAt),
    index('cases_reported_at').on(t.reportedAt),
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
  (t) => [index('case_events_case').on(t.caseId, t.id)],
);

/** Messages decided and not yet confirmed sent (transactional outbox). `channel` is `chat` or `public`. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').$type<'chat' | 'public'>().notNull(),
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
