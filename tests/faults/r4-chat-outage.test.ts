/**
 * R4: the chat adapter fails every send for a while (RecordingChat.fail), then recovers. Everything
 * decided meanwhile is delivered after, in order per group, none twice.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bot-process';
import { loadTestStreet, say, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterAll(async () => h?.close());

describe('R4: chat outage', () => {
  it('holds every message while sends fail and delivers all after, in order per group, once', async () => {
    h = await startHarness({ name: 'r4', config: loadTestStreet(join(ROOT, 'config', 'street.yaml')) });
    const groups = ['zhangyi', 'jiari', 'yueyuan', 'xifeng'];
    const places = ['张仪村3号院', '假日风景小区', '阅园四区', '西丰路45号院'];
    // Some delivered before the outage.
    await h.app.handleIntakeBatch(Array.from({ length: 20 }, (_, i) => ({ hotlineNo: `R4-${i + 1}`, content: `路灯不亮 ${i + 1}`, address: places[i % 4] })), '12345');
    await h.chat.waitFor((s) => s.length >= 20, 20_000, 'cards before the outage');

    h.chat.fail = true;
    const before = h.chat.sent.length;
    // During the outage: 200 more cases (some urgent: a second card in consult), claims, notes, refusals.
    for (let b = 0; b < 4; b++) {
      await h.app.handleIntakeBatch(
        Array.from({ length: 50 }, (_, i) => {
          const n = 21 + b * 50 + i;
          return { hotlineNo: `R4-${n}`, content: n % 7 === 0 ? '燃气泄漏，有明显气味' : `路灯不亮 ${n}`, address: places[n % 4], ...(n % 7 === 0 ? { urgency: 'urgent' } : {}) };
        }),
        '12345',
      );
    }
    for (let id = 21; id <= 80; id++) {
      const group = groups[(id - 1) % 4]!;
      await say(h, group, `社工${id}`, `认领 ${id}`);
      await say(h, group, `社工${id}`, `进展 ${id} 已到现场`);
      await say(h, group, `别人${id}`, `认领 ${id}`); // refused: told who owns it
    }
    // The outage lasts until delivery has failed again and again.
    await expect.poll(() => (h.store.pendingOutbox('zhangyi', 1e9)[0]?.attempts ?? 0) >= 3, { timeout: 30_000, interval: 200 }).toBe(true);
    expect(h.chat.sent.length).toBe(before);

    h.chat.fail = false;
    const pendingCount = () => h.store.allPendingOutbox(0, 100_000).length;
    await expect.poll(pendingCount, { timeout: 60_000, interval: 250 }).toBe(0);

    const db = new Database(join(h.dataDir, 'jiesu.sqlite'), { readonly: true });
    const all = db.prepare('SELECT id, group_key AS grp, status FROM outbox ORDER BY id').all() as { id: number; grp: string; status: string }[];
    db.close();
    expect(all.every((r) => r.status === 'sent')).toBe(true);
    // Alarms of one moment travel as one message (issue 11): each row counts once, in the message that carried it.
    const rowsOf = (m: { outboxId: number; mergedOutboxIds?: number[] }) => [m.outboxId, ...(m.mergedOutboxIds ?? [])];
    const sentIds = h.chat.sent.flatMap(rowsOf);
    const duplicated = sentIds.length - new Set(sentIds).size;
    const lost = all.filter((r) => !sentIds.includes(r.id)).length;
    expect(duplicated).toBe(0);
    expect(lost).toBe(0);
    for (const g of ['consult', ...groups]) {
      const inGroup = h.chat.inGroup(g).flatMap(rowsOf);
      expect(inGroup).toEqual(all.filter((r) => r.grp === g).map((r) => r.id));
    }
    console.log(`R4 chat outage: messages checked ${all.length} (${all.length - 20} decided during the outage), lost ${lost}, duplicated ${duplicated}, out of order 0`);
  }, 120_000);
});
