import { describe, expect, it } from 'vitest';
import { leadingBatch, mergeRows, MERGE_WINDOW_MS, type MergeableRow } from '../../core/reminders/merge-alarms';

const row = (id: number, over: Partial<MergeableRow> = {}): MergeableRow => ({
  id, channel: 'chat', kind: 'alarm', text: `⏰ #${id} 还没人认领`, mentions: [], caseId: id, createdAt: 1000, ...over,
});

describe('leadingBatch', () => {
  it.each([
    ['alarms of one moment travel together', [row(1), row(2), row(3)], [1, 2, 3]],
    ['a card first goes alone', [row(1, { kind: 'card' }), row(2), row(3)], [1]],
    ['a card in between ends the batch (order is kept)', [row(1), row(2, { kind: 'update' }), row(3)], [1]],
    ['an alarm written later than the window starts a new batch', [row(1), row(2, { createdAt: 1000 + MERGE_WINDOW_MS + 1 })], [1]],
    ['at the edge of the window it still joins', [row(1), row(2, { createdAt: 1000 + MERGE_WINDOW_MS })], [1, 2]],
    ['a private fallback row never merges', [row(1), row(2, { fallbackGroup: 'zhangyi' })], [1]],
    ['a public row never merges', [row(1, { channel: 'public' }), row(2)], [1]],
  ])('%s', (_, rows, ids) => {
    expect(leadingBatch(rows).map((r) => r.id)).toEqual(ids);
  });

  it('splits a long list', () => {
    const rows = Array.from({ length: 25 }, (_, i) => row(i + 1));
    expect(leadingBatch(rows, MERGE_WINDOW_MS, 20)).toHaveLength(20);
  });
});

describe('mergeRows', () => {
  it('one row is itself', () => {
    expect(mergeRows([row(1, { mentions: [{ id: 'a', name: '王芳' }] })])).toMatchObject({ text: '⏰ #1 还没人认领', caseId: 1, mentions: [{ id: 'a', name: '王芳' }] });
  });

  it('several: a count line, one numbered line each, the mentions once each, no single case', () => {
    const m = mergeRows([
      row(3, { mentions: [{ id: 'w', name: '汪书记' }] }),
      row(4, { mentions: [{ id: 'w', name: '汪书记' }, { id: 'l', name: '李雷' }] }),
    ]);
    expect(m.text).toBe('📋 同时到期 2 条提醒：\n1. ⏰ #3 还没人认领\n2. ⏰ #4 还没人认领');
    expect(m.mentions.map((p) => p.name)).toEqual(['汪书记', '李雷']);
    expect(m.caseId).toBeNull();
  });

  it('two milestones of one case: one message about that case; the same text only once', () => {
    const m = mergeRows([row(5, { text: '❗ #5 超过响应时限' }), row(6, { caseId: 5, text: '❗逾期 #5 已超办结时限' }), row(7, { caseId: 5, text: '❗逾期 #5 已超办结时限' })]);
    expect(m.caseId).toBe(5);
    expect(m.text.split('\n')).toEqual(['📋 同时到期 2 条提醒：', '1. ❗ #5 超过响应时限', '2. ❗逾期 #5 已超办结时限']);
  });
});
