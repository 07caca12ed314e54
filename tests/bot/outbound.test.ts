/**
 * Delivery through the outbox: a chat that fails for a while loses nothing, keeps each group's
 * order, and sends nothing twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { say, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(async () => h?.close());

describe('outbound delivery', () => {
  it('holds messages while the chat fails and delivers them after, in order, once', async () => {
    h = await startHarness({ name: 'outbound' });
    h.chat.fail = true;
    for (let i = 1; i <= 4; i++) await h.app.handleIntake({ hotlineNo: `OB-${i}`, content: `张仪村路灯不亮 ${i}`, address: '张仪村' }, '12345');
    await say(h, 'zhangyi', '王芳', '认领 2');
    await expect.poll(() => h.store.pendingOutbox('zhangyi', 1e9).some((r) => r.attempts > 0), { timeout: 10_000 }).toBe(true);
    expect(h.chat.sent).toHaveLength(0);

    h.chat.fail = false;
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('✅ #2 由 王芳 认领')), 20_000, 'claim confirmation after recovery');
    const zhangyi = h.chat.inGroup('zhangyi');
    const ids = zhangyi.map((m) => m.outboxId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const cards = zhangyi.filter((m) => m.text.includes('新案件'));
    expect(cards.map((m) => m.caseId)).toEqual([1, 2, 3, 4]);
  });

  it('lets a dispatcher type a case in (新建) and refuses a member', async () => {
    h = await startHarness({ name: 'newcase' });
    await say(h, 'consult', '李调度', '新建 张仪村5号院｜楼道堆放杂物，存在安全隐患');
    await h.chat.waitFor((s) => s.some((m) => m.group === 'zhangyi' && m.text.includes('新案件 #1')), 10_000, 'card of typed case');
    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('已新建 #1')), 10_000, 'dispatcher told');
    expect(h.store.findCase(1)).toMatchObject({ source: 'chat', address: '张仪村5号院', group: 'zhangyi' });
    await say(h, 'zhangyi', '王芳', '新建 张仪村｜噪音');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('只有调度员或领导可以新建案件')), 10_000, 'member refused');
    expect(h.store.findCase(2)).toBeNull();
  });
});
