import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { ListFilter } from '../core/commands';
import type { CaseStore, MessageKind, NewOutboxRow, OutboxRow, ScheduleItem, SentMessageRef, StoredMember } from '../core/ports';
import { OPEN_STATUSES, type Attachment, type Case, type CaseEvent, type Role } from '../core/types';
import type { Statement } from 'better-sqlite3';
import { CASE_SELECT, caseFromRow, draftRow, insertSql } from './case-row';
import type { Db } from './open-database';
import { bindFailures, bindingCodes, caseEvents, cases, groupBindings, members, mpMessages, outbox, publicDeliveries, sentMessages } from './schema';

/** 重复诉求 counts stop here: a place past it is told 第101次 ever after, and intake reads at most this many index entries. */
export const REPEAT_COUNT_CAP = 100;

const AT_PLACE = 'place_key = @placeKey AND category = @category AND reported_at BETWEEN @fromMs AND @toMs';
/** Intake's 重复诉求 count (capped) and newest earlier case at a place, in one statement. */
export const REPEAT_AT_PLACE_SQL = `SELECT
  (SELECT count(*) FROM (SELECT 1 FROM cases WHERE ${AT_PLACE} LIMIT ${REPEAT_COUNT_CAP})) AS count,
  (SELECT id FROM cases WHERE ${AT_PLACE} ORDER BY reported_at DESC, id DESC LIMIT 1) AS latestId`;

/** Raised when SQLite refuses something the application expected to work. */
export class StorageError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** The CaseStore port on drizzle + better-sqlite3. Every method is synchronous. */
export class SqliteCaseStore implements CaseStore {
  /**
   * The intake and claim hot path's statements, built and prepared once. Building a drizzle query and
   * preparing it on every call cost 100–230 µs a call — the slowest step of intake (npm run bench, P1).
   */
  private readonly hot: ReturnType<typeof prepareHot>;
  /** Case inserts prepared per set of fields given (optional fields make more than one shape). */
  private readonly insertCaseByShape = new Map<string, Statement>();
  /** Case updates prepared per set of fields a decision patches (a few shapes per command). */
  private readonly updateCaseByShape = new Map<string, { run(values: Record<string, unknown>): { changes: number } }>();

  constructor(private readonly db: Db) {
    this.hot = prepareHot(db);
  }

  /** better-sqlite3's own transaction (a savepoint when nested): drizzle's wrapper built a transaction object per call. */
  transaction<T>(fn: () => T): T {
    return this.hot.transaction(fn) as T;
  }

  findCase(id: number): Case | null {
    return caseFromRow(this.hot.findCase.get(id));
  }

  findCaseByHotlineNo(hotlineNo: string): Case | null {
    return caseFromRow(this.hot.findByHotlineNo.get(hotlineNo));
  }

  insertCase(c: Omit<Case, 'id'>): Case {
    try {
      const row = draftRow(c as unknown as Record<string, unknown>);
      const shape = row.fields.join(',');
      let stmt = this.insertCaseByShape.get(shape);
      if (!stmt) {
        stmt = this.db.$client.prepare(insertSql(row.fields));
        this.insertCaseByShape.set(shape, stmt);
      }
      row.stored.id = Number(stmt.run(row.params).lastInsertRowid);
      return row.stored as unknown as Case;
    } catch (err) {
      throw new StorageError('case_insert', `could not insert case ${c.hotlineNo}`, { cause: err });
    }
  }

  updateCase(id: number, expectedVersion: number, patch: Partial<Case>): boolean {
    const { id: _id, version: _v, ...fields } = patch;
    // The follow-up's answers also live in their own columns, for the reports' SQL.
    const rating = 'rating' in patch ? { ratingSatisfaction: patch.rating?.satisfaction ?? null, ratingSolved: patch.rating?.solved ?? null, ratingContacted: patch.rating ? (patch.rating.contacted ? 1 : 0) : null } : {};
    const values: Record<string, unknown> = { ...fields, ...rating };
    const shape = Object.keys(values).filter((k) => values[k] !== undefined).sort().join(',');
    let stmt = this.updateCaseByShape.get(shape);
    if (!stmt) {
      const set = Object.fromEntries(shape ? shape.split(',').map((k) => [k, sql.placeholder(k)]) : []);
      stmt = this.db
        .update(cases)
        .set({ ...set, version: sql`${cases.version} + 1` } as never)
        .where(and(eq(cases.id, sql.placeholder('_id')), eq(cases.version, sql.placeholder('_expectedVersion'))))
        .prepare();
      this.updateCaseByShape.set(shape, stmt);
    }
    return stmt.run({ ...values, _id: id, _expectedVersion: expectedVersion }).changes === 1;
  }

  appendEvents(caseId: number, events: CaseEvent[]): void {
    // Callers write inside a transaction; one prepared row insert per event.
    for (const e of events) this.hot.appendEvent.run(caseId, e.kind, e.actorId ?? null, e.actorName ?? null, e.group ?? null, e.at, e.text ?? null, e.fromStatus ?? null, e.toStatus ?? null);
  }

  listEvents(caseId: number): CaseEvent[] {
    return this.db
      .select({ kind: caseEvents.kind, actorId: caseEvents.actorId, actorName: caseEvents.actorName, group: caseEvents.group, at: caseEvents.at, text: caseEvents.text, fromStatus: caseEvents.fromStatus, toStatus: caseEvents.toStatus })
      .from(caseEvents)
      .where(eq(caseEvents.caseId, caseId))
      .orderBy(asc(caseEvents.id))
      .all();
  }

  listOpenCases(q: { group: string | null; filter: ListFilter; ownerId?: string; leaderId?: string; now: number; limit: number }): { cases: Case[]; total: number } {
    const conds: SQL[] = [inArray(cases.status, [...OPEN_STATUSES])];
    if (q.group) conds.push(eq(cases.group, q.group));
    if (q.leaderId) conds.push(eq(cases.leaderId, q.leaderId));
    if (q.filter === 'mine') conds.push(eq(cases.ownerId, q.ownerId ?? ''));
    if (q.filter === 'unclaimed') conds.push(eq(cases.status, 'new'));
    if (q.filter === 'overdue') conds.push(lte(cases.resolveBy, q.now));
    const where = and(...conds);
    const rows = this.db.select().from(cases).where(where).orderBy(asc(cases.resolveBy), asc(cases.id)).limit(q.limit).all() as Case[];
    const total = this.db.select({ n: count() }).from(cases).where(where).get()?.n ?? 0;
    return { cases: rows, total };
  }

  casesAtPlace(placeKey: string, category: string, fromMs: number, toMs: number): { id: number; placeKey: string | null; category: string; reportedAt: number; status: Case['status'] }[] {
    return this.hot.casesAtPlace.all({ placeKey, category, fromMs, toMs });
  }

  repeatAtPlace(placeKey: string, category: string, fromMs: number, toMs: number): { count: number; latestId: number | null } {
    return this.hot.repeatAtPlace.get({ placeKey, category, fromMs, toMs }) as { count: number; latestId: number | null };
  }

  pendingMilestones(after: ScheduleItem | null, limit: number): ScheduleItem[] {
    return this.hot.pendingMilestones.all({ dueAt: after?.dueAt ?? Number.MIN_SAFE_INTEGER, caseId: after?.caseId ?? 0, limit }) as ScheduleItem[];
  }

  addOutbox(rows: NewOutboxRow[]): number[] {
    if (rows.length === 0) return [];
    return rows.map((r) => {
      const meta = JSON.stringify(r.channel === 'public' ? { title: r.title } : { mentions: r.mentions, kind: r.kind, ...(r.fallbackGroup ? { fallbackGroup: r.fallbackGroup } : {}), ...(r.attachment ? { attachment: r.attachment } : {}) });
      return Number(this.hot.addOutbox.run(r.channel, r.group, r.text, meta, r.caseId ?? null, r.createdAt).lastInsertRowid);
    });
  }

  pendingOutbox(group: string, uptoId: number, limit?: number): OutboxRow[] {
    // SQLite reads LIMIT -1 as no limit.
    return (this.hot.pendingOutbox.all(group, uptoId, limit ?? -1) as (Omit<OutboxRow, 'kind' | 'mentions' | 'title' | 'fallbackGroup' | 'attachment'> & { meta: string })[]).map(({ meta: json, ...r }) => {
      const meta = JSON.parse(json) as { mentions?: { id: string; name: string }[]; title?: string | null; kind?: MessageKind; fallbackGroup?: string; attachment?: Attachment };
      return { ...r, kind: meta.kind ?? 'reply', mentions: meta.mentions ?? [], title: meta.title ?? null, fallbackGroup: meta.fallbackGroup ?? null, attachment: meta.attachment ?? null };
    });
  }

  allPendingOutbox(afterId: number, limit: number): { id: number; group: string }[] {
    return this.db
      .select({ id: outbox.id, group: outbox.group })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), gt(outbox.id, afterId)))
      .orderBy(asc(outbox.id))
      .limit(limit)
      .all();
  }

  markOutboxSent(id: number, platformMessageId: string | null, at: number): void {
    this.hot.markOutboxSent.run(at, platformMessageId, id);
  }

  markOutboxFailed(id: number, error: string, permanent: boolean): void {
    this.db
      .update(outbox)
      .set({ lastError: error.slice(0, 500), attempts: sql`${outbox.attempts} + 1`, ...(permanent ? { status: 'failed' as const } : {}) })
      .where(eq(outbox.id, id))
      .run();
  }

  recordSent(ref: SentMessageRef): void {
    this.db
      .insert(sentMessages)
      .values({ platform: ref.platform, chatId: ref.chatId, messageId: ref.messageId, outboxId: ref.outboxId, caseId: ref.caseId, kind: ref.kind, sentAt: ref.at })
      .onConflictDoNothing()
      .run();
  }

  sentTargets(outboxId: number): { platform: string; chatId: string }[] {
    return this.db.select({ platform: sentMessages.platform, chatId: sentMessages.chatId }).from(sentMessages).where(eq(sentMessages.outboxId, outboxId)).all();
  }

  caseIdForMessage(platform: string, chatId: string, messageId: string): number | null {
    const row = this.db
      .select({ caseId: sentMessages.caseId })
      .from(sentMessages)
      .where(and(eq(sentMessages.platform, platform), eq(sentMessages.chatId, chatId), eq(sentMessages.messageId, messageId)))
      .get();
    return row?.caseId ?? null;
  }

  cardMessages(caseId: number): { platform: string; chatId: string; messageId: string }[] {
    return this.db
      .select({ platform: sentMessages.platform, chatId: sentMessages.chatId, messageId: sentMessages.messageId })
      .from(sentMessages)
      .where(and(eq(sentMessages.caseId, caseId), eq(sentMessages.kind, 'card')))
      .orderBy(asc(sentMessages.sentAt))
      .all();
  }

  bindChat(platform: string, chatId: string, group: string, boundBy: string | null, at: number): void {
    this.db
      .insert(groupBindings)
      .values({ platform, chatId, group, boundBy, boundAt: at })
      .onConflictDoUpdate({ target: [groupBindings.platform, groupBindings.chatId], set: { group, boundBy, boundAt: at } })
      .run();
  }

  unbindChat(platform: string, chatId: string): boolean {
    return this.db.delete(groupBindings).where(and(eq(groupBindings.platform, platform), eq(groupBindings.chatId, chatId))).run().changes > 0;
  }

  groupForChat(platform: string, chatId: string): string | null {
    return this.db.select({ group: groupBindings.group }).from(groupBindings).where(and(eq(groupBindings.platform, platform), eq(groupBindings.chatId, chatId))).get()?.group ?? null;
  }

  chatsForGroup(group: string): { platform: string; chatId: string }[] {
    return this.db.select({ platform: groupBindings.platform, chatId: groupBindings.chatId }).from(groupBindings).where(eq(groupBindings.group, group)).orderBy(asc(groupBindings.boundAt)).all();
  }

  addBindingCode(code: string, at: number): void {
    this.db.transaction(() => {
      this.db.update(bindingCodes).set({ supersededAt: at }).where(and(isNull(bindingCodes.usedAt), isNull(bindingCodes.supersededAt))).run();
      this.db.insert(bindingCodes).values({ code, createdAt: at }).run();
    });
  }

  useBindingCode(code: string, usedBy: string, at: number, maxAgeMs: number): 'ok' | 'bad' | 'expired' {
    const row = this.db.select().from(bindingCodes).where(eq(bindingCodes.code, code)).get();
    if (!row || row.usedAt !== null || row.supersededAt !== null) return 'bad';
    if (at - row.createdAt > maxAgeMs) return 'expired';
    const spent = this.db.update(bindingCodes).set({ usedAt: at, usedBy }).where(and(eq(bindingCodes.code, code), isNull(bindingCodes.usedAt), isNull(bindingCodes.supersededAt))).run().changes === 1;
    return spent ? 'ok' : 'bad';
  }

  recordBindFailure(platform: string, userId: string, at: number): void {
    this.db.insert(bindFailures).values({ platform, userId, at }).run();
  }

  bindFailuresSince(platform: string, userId: string, since: number): number {
    return this.db.select({ n: count() }).from(bindFailures).where(and(eq(bindFailures.platform, platform), eq(bindFailures.userId, userId), gte(bindFailures.at, since))).get()?.n ?? 0;
  }

  findMember(platform: string, userId: string): StoredMember | null {
    return this.hot.findMember.get({ platform, userId }) ?? null;
  }

  findMemberByName(platform: string, displayName: string): StoredMember | null {
    return this.db.select(MEMBER_FIELDS).from(members).where(and(eq(members.platform, platform), eq(members.displayName, displayName))).orderBy(desc(members.updatedAt)).get() ?? null;
  }

  listMembers(): StoredMember[] {
    return this.hot.listMembers.all();
  }

  upsertMember(platform: string, userId: string, displayName: string, role: Role, at: number, extra: { isAdmin?: boolean; department?: string | null } = {}): void {
    const set = { displayName, role, updatedAt: at, ...(extra.isAdmin !== undefined ? { isAdmin: extra.isAdmin } : {}), ...(extra.department !== undefined ? { department: extra.department } : {}) };
    this.db
      .insert(members)
      .values({ platform, userId, isAdmin: extra.isAdmin ?? false, department: extra.department ?? null, ...set })
      .onConflictDoUpdate({ target: [members.platform, members.userId], set })
      .run();
  }

  listResolvedBetween(fromMs: number, toMs: number): Case[] {
    return this.db
      .select()
      .from(cases)
      .where(and(inArray(cases.status, ['resolved', 'closed']), gte(cases.resolvedAt, fromMs), lt(cases.resolvedAt, toMs)))
      .orderBy(asc(cases.resolvedAt), asc(cases.id))
      .all() as Case[];
  }

  listReportedBetween(fromMs: number, toMs: number): Case[] {
    return this.db
      .select()
      .from(cases)
      .where(and(gte(cases.reportedAt, fromMs), lt(cases.reportedAt, toMs)))
      .orderBy(asc(cases.reportedAt), asc(cases.id))
      .all() as Case[];
  }

  mpMessageCase(msgId: string): { caseId: number | null } | undefined {
    return this.db.select({ caseId: mpMessages.caseId }).from(mpMessages).where(eq(mpMessages.msgId, msgId)).get();
  }

  recordMpMessage(msgId: string, caseId: number | null, at: number): boolean {
    return this.db.insert(mpMessages).values({ msgId, caseId, receivedAt: at }).onConflictDoNothing().run().changes === 1;
  }

  publicDelivery(channel: string, outboxId: number): { outcome: 'sent' | 'refused'; at: number } | null {
    return (
      this.db
        .select({ outcome: publicDeliveries.outcome, at: publicDeliveries.at })
        .from(publicDeliveries)
        .where(and(eq(publicDeliveries.channel, channel), eq(publicDeliveries.outboxId, outboxId)))
        .get() ?? null
    );
  }

  recordPublicDelivery(d: { channel: string; outboxId: number; caseId: number | null; outcome: 'sent' | 'refused'; at: number }): void {
    this.db.insert(publicDeliveries).values(d).onConflictDoNothing().run();
  }

  ping(): boolean {
    try {
      return this.db.get<{ one: number }>(sql`select 1 as one`)?.one === 1;
    } catch {
      return false;
    }
  }
}

const MEMBER_FIELDS = { platform: members.platform, userId: members.userId, displayName: members.displayName, role: members.role, isAdmin: members.isAdmin, department: members.department };

/** The hot path's statements (see SqliteCaseStore.hot). */
function prepareHot(db: Db) {
  const atPlace = and(eq(cases.placeKey, sql.placeholder('placeKey')), eq(cases.category, sql.placeholder('category')), gte(cases.reportedAt, sql.placeholder('fromMs')), lte(cases.reportedAt, sql.placeholder('toMs')));
  const client = db.$client;
  return {
    transaction: client.transaction((fn: () => unknown) => fn()),
    findCase: client.prepare(`SELECT ${CASE_SELECT} FROM cases WHERE id = ?`).raw(true),
    findByHotlineNo: client.prepare(`SELECT ${CASE_SELECT} FROM cases WHERE hotline_no = ?`).raw(true),
    // Every intake and every command writes ledger and outbox rows: by hand, as drizzle's prepared statements
    // spent more time mapping parameters than SQLite spent writing.
    appendEvent: client.prepare('INSERT INTO case_events (case_id, kind, actor_id, actor_name, group_key, at, text, from_status, to_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    addOutbox: client.prepare('INSERT INTO outbox (channel, group_key, text, meta, case_id, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    // Every delivery job (and its settle wait) reads its group's pending rows and marks each sent: prepared
    // once (reading them was 8.8 % of the CPU while deadlines fired, bench P3).
    pendingOutbox: client.prepare(
      `SELECT id, channel, group_key AS "group", text, meta, case_id AS caseId, status, attempts, created_at AS createdAt
       FROM outbox WHERE status = 'pending' AND group_key = ? AND id <= ? ORDER BY id LIMIT ?`,
    ),
    markOutboxSent: client.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, platform_message_id = ?, attempts = attempts + 1 WHERE id = ?"),
    // Every command resolves its sender, and every decision's context lists the leaders and dispatchers.
    findMember: db.select(MEMBER_FIELDS).from(members).where(and(eq(members.platform, sql.placeholder('platform')), eq(members.userId, sql.placeholder('userId')))).prepare(),
    listMembers: db.select(MEMBER_FIELDS).from(members).orderBy(asc(members.platform), asc(members.displayName)).prepare(),
    // The reconciler's scan: only the rows with a milestone, in the order of the cases_next_due index
    // (which holds the id too), so a page costs its own rows. Ordered by id it sorted every open case
    // for each page: 14 s for 100,000 open cases, 0.4 s this way. `+status` keeps SQLite off the
    // status index, which would bring that sort back.
    pendingMilestones: db
      .select({ caseId: cases.id, kind: cases.nextDueKind, dueAt: cases.nextDueAt, version: cases.version })
      .from(cases)
      .where(
        and(
          isNotNull(cases.nextDueAt),
          sql`(${cases.nextDueAt}, ${cases.id}) > (${sql.placeholder('dueAt')}, ${sql.placeholder('caseId')})`,
          // Resolved cases too: they wait for the follow-up call (回访) and close themselves after followUp.closeAfter.
          sql`+${cases.status} in ${[...OPEN_STATUSES, 'resolved']}`,
        ),
      )
      .orderBy(asc(cases.nextDueAt), asc(cases.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
    // Every intake looks for earlier cases at its place (重复诉求).
    casesAtPlace: db
      .select({ id: cases.id, placeKey: cases.placeKey, category: cases.category, reportedAt: cases.reportedAt, status: cases.status })
      .from(cases)
      .where(atPlace)
      .orderBy(desc(cases.reportedAt), desc(cases.id))
      .limit(REPEAT_COUNT_CAP)
      .prepare(),
    // Intake's same question in one statement, from the (place_key, category, reported_at) index alone: the
    // index holds the rowid, so no case row is read (selecting `status` above costs a row lookup per earlier
    // case). By hand: drizzle's prepared get cost ~20 µs of mapping a call on top of SQLite's ~10 µs.
    repeatAtPlace: db.$client.prepare(REPEAT_AT_PLACE_SQL),
  };
}
