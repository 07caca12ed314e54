/**
 * Claims are atomic: exactly one owner, every loser told who owns the case.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../../core/types';
import { say, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(async () => h?.close());

describe('claim race', () => {
  it('50 concurrent claims give one owner; the other 49 are told who owns it', async () => {
    h = await startHarness({ name: 'race' });
    await h.app.handleIntake({ hotlineNo: 'R-1', content: '张仪村路灯不亮', address: '张仪村3号院' }, '12345');
    const claimers = Array.from({ length: 50 }, (_, i) => `社工${i}`);
    await Promise.all(claimers.map((name) => say(h, 'zhangyi', name, '认领 1')));
    const c = h.store.findCase(1)!;
    expect(c.status).toBe('claimed');
    expect(claimers).toContain(c.ownerName);
    const claimedEvents = h.store.listEvents(1).filter((e) => e.kind === 'claimed');
    expect(claimedEvents).toHaveLength(1);
    await h.chat.waitFor((s) => s.filter((m) => m.text.includes(`已由 ${c.ownerName} 认领`)).length === 49, 15_000, '49 losers told');
    expect(h.chat.sent.filter((m) => m.text.startsWith('✅ #1 由'))).toHaveLength(1);
  });

  it('a claim that loses the conditional update re-decides and is told the winner', async () => {
    h = await startHarness({ name: 'race2' });
    await h.app.handleIntake({ hotlineNo: 'R-2', content: '张仪村路灯不亮', address: '张仪村3号院' }, '12345');
    // Another process claims between our read and our write: simulate by claiming under the store's feet.
    const store = h.store;
    const realFind = store.findCase.bind(store);
    let injected = false;
    store.findCase = (id: number): Case | null => {
      const c = realFind(id);
      if (!injected && c && c.status === 'new') {
        injected = true;
        expect(store.updateCase(id, c.version, { status: 'claimed', ownerId: '另一台机器的李四', ownerName: '李四', claimedAt: Date.now() })).toBe(true);
      }
      return c; // stale snapshot: version is now behind
    };
    await say(h, 'zhangyi', '王芳', '认领 1');
    store.findCase = realFind;
    expect(h.store.findCase(1)).toMatchObject({ ownerName: '李四' });
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('#1 已由 李四 认领')), 10_000, 'loser told');
    expect(h.store.listEvents(1).filter((e) => e.kind === 'claimed')).toHaveLength(0);
  });
});

describe('command results for adapters with their own feedback', () => {
  it('returns the outcome; with quietRefusals a refusal is returned, not posted', async () => {
    h = await startHarness({ name: 'result' });
    await h.app.handleIntake({ hotlineNo: 'R-3', content: '张仪村路灯不亮', address: '张仪村3号院' }, '12345');
    const won = await h.app.handleMessage({ platform: 'console', chatId: 'zhangyi', group: 'zhangyi', sender: { id: 'a', name: '王芳' }, text: '/claim 1' }, { quietRefusals: true });
    expect(won).toMatchObject({ ok: true, caseId: 1 });
    expect(won!.message).toContain('王芳 认领');
    const lost = await h.app.handleMessage({ platform: 'console', chatId: 'zhangyi', group: 'zhangyi', sender: { id: 'b', name: '张三' }, text: '/claim 1' }, { quietRefusals: true });
    expect(lost).toEqual({ ok: false, message: '#1 已由 王芳 认领，无需重复认领。', caseId: 1 });
    expect(await h.app.handleMessage({ platform: 'console', chatId: 'zhangyi', group: 'zhangyi', sender: { id: 'b', name: '张三' }, text: '今天天气不错' })).toBeNull();
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('✅ #1 由 王芳 认领')), 10_000, 'claim posted');
    expect(h.chat.sent.some((m) => m.text.includes('无需重复认领'))).toBe(false);
  });
});
