/**
 * The walking skeleton's flow on real SQLite and Redis with second-long deadlines:
 * intake → card → unclaimed reminder → claim → overdue → contact → done → public file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { say, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(async () => h?.close());

describe('a case from intake to resolution', () => {
  it('is posted, reminded, claimed, alarmed, contacted and resolved; the public file carries no personal data', async () => {
    h = await startHarness({ name: 'flow' });
    const res = await h.app.handleIntake(
      { hotlineNo: 'T-1', content: '张仪村4号院南院路灯不亮，联系人王建国 13911112222', address: '张仪村4号院南院501室', citizen: { name: '王建国', phone: '13911112222' } },
      '12345',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 1, group: 'zhangyi', status: 'new' });

    await h.chat.waitFor((s) => s.some((m) => m.group === 'zhangyi' && m.text.includes('新案件 #1')), 10_000, 'card');
    await h.chat.waitFor((s) => s.some((m) => m.group === 'zhangyi' && m.text.includes('还没人认领')), 10_000, 'unclaimed reminder');

    await say(h, 'zhangyi', '王芳', '认领 1');
    await say(h, 'zhangyi', '张三', '认领 1');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('已由 王芳 认领')), 10_000, 'loser told');
    expect(h.store.findCase(1)).toMatchObject({ status: 'claimed', ownerName: '王芳' });

    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('超过响应时限')), 15_000, 'respond overdue in consult');
    await say(h, 'zhangyi', '王芳', '已联系 1 电话联系');
    await say(h, 'zhangyi', '王芳', '办结 1 已修复路灯，市民王建国 13911112222 满意');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('#1 已办结')), 10_000, 'resolved');

    const file = join(h.dataDir, 'public', 'case-1.md');
    await expect.poll(() => existsSync(file), { timeout: 10_000 }).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('13911112222');
    expect(text).not.toContain('王建国');
    expect(text).not.toContain('501室');
    expect(text).toContain('已修复路灯');
    expect(h.store.findCase(1)).toMatchObject({ status: 'resolved', nextDueKind: 'followup-remind' });
  });
});
