/** The SQLite store: conditional update, append-only ledger, outbox order, migrations on a fresh file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noPractice } from '../../core/case/practice-defaults';
import type { Case } from '../../core/types';
import { openDatabase } from '../../storage/open-database';
import { REPEAT_AT_PLACE_SQL, REPEAT_COUNT_CAP, SqliteCaseStore } from '../../storage/sqlite-case-store';
import { findRepeat } from '../../core/repeat/place-key';
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
    expect(store.pendingOutbox('g1', ids[2]!, 1).map((r) => r.text)).toEqual(['a']);
    expect(store.pendingOutbox('g2', ids[2]!)[0]!.mentions).toEqual([{ id: 'x', name: 'X' }]);
    expect(store.pendingOutbox('g1', ids[2]!).map((r) => r.kind)).toEqual(['card', 'update']);
    expect(store.pendingOutbox('g2', ids[2]!)).toEqual([
      { id: ids[1], channel: 'chat', group: 'g2', text: 'b', kind: 'reply', mentions: [{ id: 'x', name: 'X' }], title: null, caseId: null, fallbackGroup: null, attachment: null, status: 'pending', attempts: 0, createdAt: 1 },
    ]);
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

  it('pages pending milestones by (dueAt, id), ties across pages, open and resolved cases only', () => {
    const due = [1500, 1200, 1500, 1500, 900, 1200];
    const ids = due.map((d, i) => store.insertCase({ ...draft(`M${i}`), nextDueAt: d }).id);
    store.insertCase({ ...draft('closed'), status: 'closed', nextDueAt: 800 });
    store.insertCase({ ...draft('resolved'), status: 'resolved', nextDueKind: 'followup-remind', nextDueAt: 1300 });
    store.insertCase({ ...draft('none'), nextDueKind: null, nextDueAt: null });
    const seen: { caseId: number; dueAt: number }[] = [];
    for (let after: ReturnType<typeof store.pendingMilestones>[number] | null = null; ; ) {
      const page = store.pendingMilestones(after, 2);
      if (page.length === 0) break;
      seen.push(...page.map((m) => ({ caseId: m.caseId, dueAt: m.dueAt })));
      after = page.at(-1)!;
    }
    expect(seen).toEqual([
      { caseId: ids[4], dueAt: 900 },
      { caseId: ids[1], dueAt: 1200 },
      { caseId: ids[5], dueAt: 1200 },
      { caseId: 8, dueAt: 1300 },
      { caseId: ids[0], dueAt: 1500 },
      { caseId: ids[2], dueAt: 1500 },
      { caseId: ids[3], dueAt: 1500 },
    ]);
    expect(store.pendingMilestones(null, 1)[0]).toEqual({ caseId: ids[4], kind: 'unclaimed-remind', dueAt: 900, version: 1 });
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

describe('SqliteCaseStore.repeatAtPlace (intake’s 重复诉求 lookup)', () => {
  const at = (no: string, placeKey: string | null, category: string, reportedAt: number) => store.insertCase({ ...draft(no), placeKey, category, reportedAt });

  it('gives what findRepeat gives from casesAtPlace: count in the window, newest by time then id', () => {
    // Deterministic mix: two places, two categories, times on and beside the window's edges, equal times.
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 400; i++) at(`R${i}`, ['p:A', 'p:B', null][rand(3)]!, ['路灯照明', '施工扰民'][rand(2)]!, 1_000 * rand(60));
    for (const [placeKey, category] of [['p:A', '路灯照明'], ['p:B', '施工扰民'], ['p:C', '路灯照明']] as const) {
      for (const [from, to] of [[0, 59_000], [10_000, 20_000], [30_000, 30_000], [61_000, 90_000]]) {
        const rows = store.casesAtPlace(placeKey, category, from!, to!);
        const expected = findRepeat({ placeKey, category, reportedAt: to! }, rows, (to! - from!) / 86_400_000);
        const got = store.repeatAtPlace(placeKey, category, from!, to!);
        expect({ repeatOf: got.latestId, repeatCount: got.count + 1 }).toEqual(expected);
      }
    }
  });

  it('counts at most REPEAT_COUNT_CAP earlier cases and still names the newest', () => {
    for (let i = 0; i < REPEAT_COUNT_CAP + 5; i++) at(`C${i}`, 'p:A', '路灯照明', 5_000 + i);
    expect(store.repeatAtPlace('p:A', '路灯照明', 0, 10_000)).toEqual({ count: REPEAT_COUNT_CAP, latestId: REPEAT_COUNT_CAP + 5 });
    expect(store.repeatAtPlace('p:A', '施工扰民', 0, 10_000)).toEqual({ count: 0, latestId: null });
  });

  it('answers from the place index alone, without reading case rows', () => {
    const plan = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${REPEAT_AT_PLACE_SQL}`).all({ placeKey: 'p:A', category: '路灯照明', fromMs: 0, toMs: 1 }) as { detail: string }[];
    const searches = plan.map((p) => p.detail).filter((d) => d.startsWith('SEARCH') || d.startsWith('SCAN cases'));
    expect(searches).toHaveLength(2);
    for (const d of searches) expect(d).toMatch(/^SEARCH cases USING COVERING INDEX cases_place_key/);
  });
});

describe('SqliteCaseStore.insertCase', () => {
  it('returns the case exactly as stored (as findCase reads it back)', () => {
    const inserted = store.insertCase({ ...draft('RT-1'), citizenName: '王女士', coHandlers: [{ id: 'u1', name: '赵工' }], placeKey: 'zhangyi:张仪村' } as Omit<Case, 'id'>);
    expect(inserted).toEqual(store.findCase(inserted.id));
    const bare = { ...draft('RT-2') } as Omit<Case, 'id'> & { citizenOpenId?: string | null };
    delete bare.citizenOpenId;
    const second = store.insertCase(bare);
    expect(second).toEqual(store.findCase(second.id));
  });
});
