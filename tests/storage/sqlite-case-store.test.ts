/** The SQLite store: conditional update, append-only ledger, outbox order, migrations on a fresh file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noPractice } from '../../core/case/practice-defaults';
import type { Case } from '../../core/types';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { cases } from '../../storage/schema';
import { eq } from 'drizzle-orm';

let dir: string;
let db: ReturnType<typeof openDatabase>;
let store: SqliteCaseStore;

const draft = (hotlineNo: string): Omit<Case, 'id'> => ({
  hotlineNo, status: 'new', group: 'zhangyi', section: null, category: '路灯照明', urgency: 'ordinary', type: null, address: '张仪村', content: '路灯不亮',
  source: '12345', citizenName: null, citizenPhone: null, ownerId: null, ownerName: null, reportedAt: 1000, postedAt: 1000, claimedAt: null,
  contactedAt: null, resolvedAt: null, respondBy: 2000, resolveBy: 3000, result: null, version: 1, nextDueKind: 'unclaimed-remind', nextDueAt: 1500,
  ...noPractice(),
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiesu-store-'));
  db = openDatabase(join(dir, 'x.sqlite'));
  store = new SqliteCaseStore(db.db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteCaseStore', () => {
  it('uses WAL and numbers cases from 1', () => {
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.insertCase(draft('A')).id).toBe(1);
    expect(store.insertCase(draft('B')).id).toBe(2);
  });

  it('refuses a second case with the same hotline number', () => {
    store.insertCase(draft('A'));
    expect(() => store.insertCase(draft('A'))).toThrow(/could not insert case A/);
  });

  it('applies an update only at the expected version, and bumps it', () => {
    const c = store.insertCase(draft('A'));
    expect(store.updateCase(c.id, c.version, { status: 'claimed', ownerId: 'u1', ownerName: '王芳' })).toBe(true);
    expect(store.updateCase(c.id, c.version, { status: 'claimed', ownerId: 'u2', ownerName: '张三' })).toBe(false);
    expect(store.findCase(c.id)).toMatchObject({ ownerName: '王芳', version: 2 });
  });

  it('reads a case as drizzle maps its row: every column under its key, the JSON lists parsed', () => {
    const c = store.insertCase(draft('A'));
    const patch: Partial<Case> = {
      status: 'claimed', ownerId: 'u1', ownerName: '王芳', leaderId: 'l1', leaderName: '汪书记', coHandlers: [{ id: 'u2', name: '张三' }],
      whistle: [{ department: '区水务局', summonedAt: 5, reportedAt: 6, reportedBy: '赵工', remindedAt: null, escalatedAt: null }],
      nodes: [{ no: 1, due: 9, text: '排查', doneAt: null, askedAt: null }],
      extensions: [{ days: 3, reason: '配件', status: 'approved', requestedAt: 7, requestedBy: '王芳', decidedAt: 8, decidedBy: '汪书记', newResolveBy: 4000 }],
      rating: { satisfaction: '满意', solved: '已解决', contacted: true, note: null },
    };
    expect(store.updateCase(c.id, c.version, patch)).toBe(true);
    const drizzleRow = db.db.select().from(cases).where(eq(cases.id, c.id)).get();
    expect(store.findCase(c.id)).toStrictEqual({ ...drizzleRow });
    expect(store.findCaseByHotlineNo('A')).toStrictEqual({ ...drizzleRow });
    expect(store.findCase(c.id)).toMatchObject(patch);
    expect(store.findCase(c.id + 1)).toBeNull();
  });

  it('keeps the ledger append-only', () => {
    const c = store.insertCase(draft('A'));
    store.appendEvents(c.id, [{ kind: 'received', actorId: null, actorName: null, group: 'zhangyi', at: 1, text: null, fromStatus: null, toStatus: 'new' }]);
    expect(() => db.sqlite.prepare('UPDATE case_events SET text = ?').run('x')).toThrow(/append-only/);
    expect(() => db.sqlite.prepare('DELETE FROM case_events').run()).toThrow(/append-only/);
    expect(store.listEvents(c.id)).toHaveLength(1);
  });

  it('rolls a transaction back whole', () => {
    expect(() =>
      store.transaction(() => {
        store.insertCase(draft('A'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.findCaseByHotlineNo('A')).toBeNull();
  });

  it('hands out pending outbox rows of one group in order, up to an id', () => {
    const ids = store.addOutbox([
      { channel: 'chat', group: 'g1', text: 'a', kind: 'card', mentions: [], title: null, caseId: 1, createdAt: 1 },
      { channel: 'chat', group: 'g2', text: 'b', kind: 'reply', mentions: [{ id: 'x', name: 'X' }], title: null, caseId: null, createdAt: 1 },
      { channel: 'chat', group: 'g1', text: 'c', kind: 'update', mentions: [], title: null, caseId: 1, createdAt: 1 },
    ]);
    expect(store.pendingOutbox('g1', ids[2]!).map((r) => r.text)).toEqual(['a', 'c']);
    expect(store.pendingOutbox('g1', ids[0]!).map((r) => r.text)).toEqual(['a']);
    expect(store.pendingOutbox('g2', ids[2]!)[0]!.mentions).toEqual([{ id: 'x', name: 'X' }]);
    expect(store.pendingOutbox('g1', ids[2]!).map((r) => r.kind)).toEqual(['card', 'update']);
    store.markOutboxSent(ids[0]!, '77', 5);
    store.recordSent({ platform: 'wechaty', chatId: 'room-1', messageId: '77', outboxId: ids[0]!, caseId: 1, kind: 'card', at: 5 });
    store.recordSent({ platform: 'wechaty', chatId: 'room-1', messageId: '77', outboxId: ids[0]!, caseId: 1, kind: 'card', at: 6 });
    expect(store.pendingOutbox('g1', ids[2]!).map((r) => r.text)).toEqual(['c']);
    expect(store.caseIdForMessage('wechaty', 'room-1', '77')).toBe(1);
    expect(store.caseIdForMessage('wechaty', 'room-2', '77')).toBeNull();
    expect(store.sentTargets(ids[0]!)).toEqual([{ platform: 'wechaty', chatId: 'room-1' }]);
    expect(store.cardMessages(1)).toEqual([{ platform: 'wechaty', chatId: 'room-1', messageId: '77' }]);
    expect(store.allPendingOutbox(0, 10).map((r) => r.id)).toEqual([ids[1], ids[2]]);
  });

  it('binds chats to groups and spends a binding code once', () => {
    store.bindChat('telegram', '-100', 'zhangyi', 'u1', 1);
    store.bindChat('wechaty', 'room@1', 'zhangyi', 'u2', 2);
    expect(store.groupForChat('telegram', '-100')).toBe('zhangyi');
    expect(store.chatsForGroup('zhangyi')).toEqual([{ platform: 'telegram', chatId: '-100' }, { platform: 'wechaty', chatId: 'room@1' }]);
    store.bindChat('telegram', '-100', 'consult', 'u1', 3);
    expect(store.chatsForGroup('zhangyi')).toEqual([{ platform: 'wechaty', chatId: 'room@1' }]);
    expect(store.unbindChat('telegram', '-100')).toBe(true);
    expect(store.groupForChat('telegram', '-100')).toBeNull();
    store.addBindingCode('K7QF-3M9X', 1);
    expect(store.useBindingCode('K7QF-3M9X', 'a', 2, 1000)).toBe('ok');
    expect(store.useBindingCode('K7QF-3M9X', 'b', 3, 1000)).toBe('bad');
    expect(store.useBindingCode('NOPE-NOPE', 'b', 3, 1000)).toBe('bad');
    // A newer code replaces the older unused one; a code past its age is refused as expired.
    store.addBindingCode('AAAA-BBBB', 10);
    store.addBindingCode('CCCC-DDDD', 11);
    expect(store.useBindingCode('AAAA-BBBB', 'c', 12, 1000)).toBe('bad');
    expect(store.useBindingCode('CCCC-DDDD', 'c', 2000, 1000)).toBe('expired');
    expect(store.useBindingCode('CCCC-DDDD', 'c', 500, 1000)).toBe('ok');
  });

  it('lists open cases by filter', () => {
    const a = store.insertCase(draft('A'));
    store.insertCase({ ...draft('B'), group: 'street' });
    store.updateCase(a.id, a.version, { status: 'claimed', ownerId: 'u1', ownerName: '王芳' });
    expect(store.listOpenCases({ group: 'zhangyi', filter: 'all', now: 0, limit: 10 }).total).toBe(1);
    expect(store.listOpenCases({ group: null, filter: 'unclaimed', now: 0, limit: 10 }).cases.map((c) => c.hotlineNo)).toEqual(['B']);
    expect(store.listOpenCases({ group: null, filter: 'mine', ownerId: 'u1', now: 0, limit: 10 }).total).toBe(1);
    expect(store.listOpenCases({ group: null, filter: 'overdue', now: 5000, limit: 10 }).total).toBe(2);
    expect(store.listOpenCases({ group: null, filter: 'overdue', now: 100, limit: 10 }).total).toBe(0);
  });
});
