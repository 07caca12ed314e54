/**
 * No floods (issue 11): alarms that fall due together in one group go out as one message listing the
 * cases — on real SQLite and Redis with the test street's second-long deadlines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { say, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(async () => h?.close());

describe('alarms of one moment', () => {
  it('six unclaimed cases escalating together → one consult message naming all six, the leader @ once', async () => {
    h = await startHarness({ name: 'no-flood-escalate' });
    const items = Array.from({ length: 6 }, (_, i) => ({ hotlineNo: `NF-${i + 1}`, content: `张仪村${i + 1}号院楼道堆物`, address: `张仪村${i + 1}号院` }));
    const outcomes = await h.app.handleIntakeBatch(items, '12345');
    expect(outcomes.map((o) => o.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const ids = outcomes.map((o) => o.case!.id);

    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('无人认领')), 20_000, 'escalation');
    const escalations = h.chat.inGroup('consult').filter((m) => m.text.includes('无人认领'));
    expect(escalations).toHaveLength(1);
    for (const id of ids) expect(escalations[0]!.text).toContain(`#${id} `);
    // One line per case (alarms of the group still waiting then — e.g. the response deadline — join the same message).
    expect(escalations[0]!.text.split('\n').filter((l) => l.includes('请调度或领导指派'))).toHaveLength(6);
    expect(escalations[0]!.mentions.map((p) => p.name)).toEqual(['汪书记']);
    // The group's unclaimed reminders before it went out as one message too.
    expect(h.chat.inGroup('zhangyi').filter((m) => m.text.includes('还没人认领'))).toHaveLength(1);
    // Every escalation row is recorded as sent with that message.
    await expect.poll(() => h.store.pendingOutbox('consult', Number.MAX_SAFE_INTEGER).filter((r) => r.text.includes('请调度或领导指派')).length).toBe(0);
  });

  it('an owner with two coinciding deadlines → their reminders come in one message naming both cases', async () => {
    h = await startHarness({ name: 'no-flood-owner' });
    const reportedAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const [a, b] = await h.app.handleIntakeBatch(
      [
        { hotlineNo: 'NF-A', content: '张仪村2号院路灯不亮', address: '张仪村2号院', reportedAt },
        { hotlineNo: 'NF-B', content: '张仪村3号院井盖松动', address: '张仪村3号院', reportedAt },
      ],
      '12345',
    );
    const [idA, idB] = [a!.case!.id, b!.case!.id];
    await say(h, 'zhangyi', '王芳', `认领 ${idA}`);
    await say(h, 'zhangyi', '王芳', `认领 ${idB}`);

    // respond-50 and respond-90 fall due for both at the same instants; then the response deadline passes.
    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('超过响应时限')), 20_000, 'respond overdue');
    // Four reminder rows (50 % and 90 % of two cases) reach the owner in at most two messages, each naming both cases.
    const isReminder = (line: string) => line.includes('⏰') && line.includes('前联系市民（剩');
    const reminders = h.chat.inGroup('zhangyi').filter((m) => m.text.split('\n').some(isReminder));
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    expect(reminders.length).toBeLessThanOrEqual(2);
    expect(reminders.flatMap((m) => m.text.split('\n')).filter(isReminder)).toHaveLength(4);
    for (const r of reminders) {
      expect(r.text).toContain(`#${idA} `);
      expect(r.text).toContain(`#${idB} `);
      expect(r.mentions.map((p) => p.name)).toEqual(['王芳']);
    }
  });
});
