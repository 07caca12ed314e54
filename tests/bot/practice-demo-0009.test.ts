/**
 * Seed case DEMO-0009 (假日风景小区: parking chaos, pupils unsafe) carried through the street's practice
 * on the console with real SQLite and Redis: 包案, 吹哨 to two departments (one reports late and is
 * reminded), a time node, an extension asked and approved, 办结, 回访 不满意 → reopened → 办结 → 满意.
 * The transcript is written to tests/.output/demo-0009.txt for the closing note.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { caseJson } from '../../adapters/intake/http-intake-server';
import { parseStreetConfig } from '../../core/street-config';
import { say, startHarness, TEST_STREET_YAML, type Harness } from '../helpers/harness';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

let h: Harness;
afterEach(async () => h?.close());

function street() {
  const yaml = parseYaml(readFileSync(TEST_STREET_YAML, 'utf8')) as Record<string, unknown>;
  const r = parseStreetConfig({
    ...yaml,
    people: [
      { name: '汪书记', role: 'leader' },
      { name: '李调度', role: 'dispatcher' },
      { name: '赵工', role: 'department', department: '区水务局' },
      { name: '钱队', role: 'department', department: '交通支队' },
    ],
    departments: [{ name: '区水务局', people: ['赵工'] }, { name: '交通支队', people: ['钱队'] }],
    // Long windows so only the practice's own reminders fire during the test; check-in within 2 s.
    deadlines: { ordinary: { respond: '1h', resolve: '7d' }, unclaimed: { ordinary: '1h' } },
    whistle: { checkInWithin: '2s' },
  });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

const line = (h: Harness) => h.chat.sent.map((m) => `${m.group} << ${m.mentions.map((p) => `@${p.name} `).join('')}${m.text}`).join('\n');

describe('DEMO-0009 through the practice', () => {
  it('包案, 吹哨 with a late department, a node, an extension, 回访 不满意 → reopened → 满意', async () => {
    h = await startHarness({ name: 'demo9', config: street() });
    const { case: c } = await h.app.handleIntake({ hotlineNo: 'DEMO-0009', category: '交通秩序', address: '假日风景小区周边', content: '小区周边停车混乱，学生上下学不安全。', citizen: { name: '陈女士', phone: '13800007777' } }, '12345');
    const id = c!.id;
    expect(c!.group).toBe('jiari');
    const wait = (pred: (t: string) => boolean, what: string) => h.chat.waitFor((s) => s.some((m) => pred(m.text)), 10_000, what);

    await say(h, 'jiari', '王芳', `认领 ${id}`);
    await wait((t) => t.includes(`#${id} 由 王芳 认领`), 'claimed');
    // The citizen's details went to 王芳 privately, and nowhere else.
    await h.chat.waitFor((s) => s.some((m) => m.group === '~console:王芳' && m.text.includes('13800007777')), 10_000, 'private details');
    expect(h.chat.sent.filter((m) => !m.group.startsWith('~')).some((m) => m.text.includes('13800007777'))).toBe(false);

    // A member may not take the case as 包案; the refusal says who may and the form.
    expect((await say(h, 'jiari', '王芳', `包案 ${id}`))?.message).toMatch(/只有领导可以「包案」。格式：包案 \d+/);
    await say(h, 'consult', '汪书记', `包案 ${id}`);
    await say(h, 'consult', '汪书记', `吹哨 ${id} 区水务局 交通支队 现场会商停车秩序`);
    await wait((t) => t.includes('吹哨：请 区水务局、交通支队'), 'whistle posted');
    await say(h, 'consult', '赵工', `报到 ${id}`);
    await wait((t) => t.includes('区水务局 已报到') && t.includes('未报到：交通支队'), 'first check-in');
    // 交通支队 is late: reminded, then the leaders are told.
    await wait((t) => t.includes('交通支队 还未报到'), 'check-in reminder');
    await wait((t) => t.includes('交通支队 超时未报到'), 'check-in escalation');
    await say(h, 'consult', '钱队', `报到 ${id}`);
    await wait((t) => t.includes('交通支队 已报到（超时）') && t.includes('全部部门已报到'), 'late check-in');

    await say(h, 'consult', '汪书记', `节点 ${id} 12-31 完成停车位施划`);
    await wait((t) => t.includes('时间节点 1'), 'node set');
    await say(h, 'jiari', '王芳', `已联系 ${id} 已与陈女士沟通`);
    await say(h, 'jiari', '王芳', `延期 ${id} 5天 等交通支队施划车位`);
    await wait((t) => t.includes('申请延期 5 天'), 'extension asked');
    expect((await say(h, 'jiari', '王芳', `批准 ${id}`))?.ok).toBe(false);
    await say(h, 'consult', '汪书记', `批准 ${id}`);
    await wait((t) => t.includes('延期 5 天已由 汪书记 批准'), 'extension approved');
    await say(h, 'consult', '汪书记', `节点 ${id} 完成 1`);
    await say(h, 'jiari', '王芳', `办结 ${id} 已施划停车位，学校门口设护学岗`);
    await wait((t) => t.includes(`#${id} 已办结（王芳）`), 'resolved');

    await say(h, 'consult', '李调度', `回访 ${id} 不满意 部分解决 晚高峰仍拥堵`);
    await wait((t) => t.includes(`#${id} 回访不满意`) && t.includes('案件重办'), 'reopened');
    expect(h.store.findCase(id)).toMatchObject({ status: 'reopened', ownerName: '王芳' });
    const status = await say(h, 'jiari', '王芳', `状态 ${id}`);
    expect(status?.ok).toBe(true);
    await wait((t) => t.includes('已重办（回访不满意'), 'card says reopened and why');
    await say(h, 'jiari', '王芳', `办结 ${id} 增设晚高峰交通协管员`);
    await say(h, 'consult', '李调度', `回访 ${id} 满意 已解决`);
    await wait((t) => t.includes('案件关闭'), 'closed');

    const final = h.store.findCase(id)!;
    expect(final).toMatchObject({ status: 'closed', leaderName: '汪书记', rating: { satisfaction: '满意', solved: '已解决', contacted: true, note: null } });
    expect(final.whistle.map((w) => [w.department, w.reportedBy])).toEqual([['区水务局', '赵工'], ['交通支队', '钱队']]);
    expect(final.extensions).toMatchObject([{ days: 5, status: 'approved', decidedBy: '汪书记' }]);
    expect(final.nodes).toMatchObject([{ no: 1, text: '完成停车位施划' }]);
    expect(final.nodes[0]!.doneAt).not.toBeNull();
    const kinds = h.store.listEvents(id).map((e) => e.kind);
    for (const k of ['received', 'claimed', 'leader-owned', 'whistled', 'checked-in', 'escalated', 'node-set', 'contacted', 'extension-requested', 'extension-approved', 'node-done', 'resolved', 'rated', 'reopened', 'closed'] as const) {
      expect(kinds).toContain(k);
    }
    // GET /api/cases/:id carries the practice (SPEC "Case API").
    const api = caseJson(final, h.store.listEvents(id), 'Asia/Shanghai') as Record<string, unknown>;
    expect(api).toMatchObject({
      status: 'closed', leader: '汪书记', coHandlers: [], repeatOf: null, repeatCount: 1, placeKey: 'jiari:假日风景小区周边',
      rating: { satisfaction: '满意', solved: '已解决', contacted: true },
      extensions: [{ days: 5, status: 'approved', reason: '等交通支队施划车位' }],
      nodes: [{ text: '完成停车位施划' }],
      whistle: [{ department: '区水务局', reportedBy: '赵工' }, { department: '交通支队', reportedBy: '钱队' }],
    });
    mkdirSync(join(import.meta.dirname, '..', '.output'), { recursive: true });
    writeFileSync(join(import.meta.dirname, '..', '.output', 'demo-0009.txt'), `${line(h)}\n`);
  });
});
