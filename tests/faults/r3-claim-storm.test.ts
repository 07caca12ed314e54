/**
 * R3: 1,000 concurrent claims over 100 cases (ten claimers each, all in flight at once): exactly one
 * owner per case, one `claimed` ledger event, and every loser told who owns it — in the command's
 * answer and in the group.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bot-process';
import { loadTestStreet, say, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterAll(async () => h?.close());

const CASES = 100;
const PER_CASE = 10;

describe('R3: a claim storm', () => {
  it('1,000 concurrent claims over 100 cases give exactly one owner each; every loser is told who', async () => {
    // The demo street's minutes-long windows: no reminder joins the storm.
    h = await startHarness({ name: 'r3', config: loadTestStreet(join(ROOT, 'config', 'street.yaml')) });
    const groups = ['zhangyi', 'jiari', 'yueyuan', 'xifeng'];
    const places = ['张仪村3号院', '假日风景小区', '阅园四区', '西丰路45号院'];
    await h.app.handleIntakeBatch(Array.from({ length: CASES }, (_, i) => ({ hotlineNo: `R3-${i + 1}`, content: `路灯不亮 ${i + 1}`, address: places[i % 4] })), '12345');

    const claims = Array.from({ length: CASES * PER_CASE }, (_, k) => {
      const caseId = (k % CASES) + 1;
      return { caseId, group: groups[(caseId - 1) % 4]!, who: `社工${caseId}-${Math.floor(k / CASES)}` };
    });
    const results = await Promise.all(claims.map(async (c) => ({ ...c, r: await say(h, c.group, c.who, `认领 ${c.caseId}`) })));

    let oneOwner = 0;
    let losersTold = 0;
    let losers = 0;
    for (let id = 1; id <= CASES; id++) {
      const stored = h.store.findCase(id)!;
      const mine = results.filter((x) => x.caseId === id);
      const winners = mine.filter((x) => x.r?.ok);
      expect(winners.map((w) => w.who)).toEqual([stored.ownerName]);
      expect(h.store.listEvents(id).filter((e) => e.kind === 'claimed')).toHaveLength(1);
      expect(stored.status).toBe('claimed');
      oneOwner++;
      for (const l of mine.filter((x) => !x.r?.ok)) {
        losers++;
        expect(l.r?.message).toBe(`#${id} 已由 ${stored.ownerName} 认领，无需重复认领。`);
        losersTold++;
      }
    }
    expect(losers).toBe(CASES * (PER_CASE - 1));
    // The answers reach the groups: one confirmation per case, one "owned by" line per loser.
    await h.chat.waitFor((s) => s.filter((m) => m.text.includes('已由') && m.text.includes('认领，无需重复认领')).length === losers, 30_000, 'every loser told in the group');
    await h.chat.waitFor((s) => s.filter((m) => /^✅ #\d+ 由 /.test(m.text)).length === CASES, 30_000, 'one confirmation per case');
    const confirmations = h.chat.sent.filter((m) => /^✅ #\d+ 由 /.test(m.text)).map((m) => m.caseId);
    expect(new Set(confirmations).size).toBe(CASES);
    console.log(`R3 claim storm: ${claims.length} claims over ${CASES} cases; cases with exactly one owner ${oneOwner}/${CASES}, lost 0, duplicated owners 0; losers told the owner ${losersTold}/${losers}`);
  }, 120_000);
});
