/**
 * 重复诉求 at intake, end to end: the third complaint at one place and category is linked to the second,
 * the card says so, and a complaint of another category at the same place is not a repeat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(async () => h?.close());

describe('repeated complaints at one place', () => {
  it('links each to the newest earlier case of its place and category, in one batch and across batches', async () => {
    h = await startHarness({ name: 'repeat-intake', workers: false });
    const lamp = (no: string) => ({ hotlineNo: no, content: '楼前路灯不亮', address: '张仪村4号院3号楼2单元401', category: '路灯照明' });
    const [first] = await h.app.handleIntakeBatch([lamp('RP-1')], '12345');
    const [second, other, third] = await h.app.handleIntakeBatch(
      [lamp('RP-2'), { hotlineNo: 'RP-X', content: '楼下夜间施工噪音', address: '张仪村4号院3号楼', category: '施工扰民' }, lamp('RP-3')],
      '12345',
    );
    const [c1, c2, cx, c3] = [first, second, other, third].map((o) => h.store.findCase(o!.case!.id)!);
    expect([c1!.repeatOf, c1!.repeatCount]).toEqual([null, 1]);
    expect([c2!.repeatOf, c2!.repeatCount]).toEqual([c1!.id, 2]);
    expect([cx!.repeatOf, cx!.repeatCount]).toEqual([null, 1]);
    expect([c3!.repeatOf, c3!.repeatCount]).toEqual([c2!.id, 3]);
    const card = (await h.store.pendingOutbox('zhangyi', Number.MAX_SAFE_INTEGER)).find((r) => r.caseId === c3!.id)!;
    expect(card.text).toContain(`重复诉求：本点位第3次，前次 #${c2!.id}`);
  });
});
