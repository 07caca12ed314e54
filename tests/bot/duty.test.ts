/**
 * The duty roster in chat (值班, 设置, 换班), quiet-hour routing through the app, and the handover
 * notice — on real SQLite and Redis with an injected clock.
 */
import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../adapters/chat/console-chat';
import { loadHolidayData } from '../../adapters/calendar/chinese-days-holidays';
import { startDutySchedule } from '../../bot/duty-schedule';
import { createRosterService } from '../../bot/roster-service';
import { parseStreetConfig, type StreetConfig } from '../../core/street-config';
import type { OutgoingMessage } from '../../core/ports';
import { SqliteDutyStore } from '../../storage/sqlite-duty-store';
import { say, silentLogger, startHarness, TEST_STREET_YAML, type Harness } from '../helpers/harness';

const at = (local: string) => Date.parse(`${local}+08:00`);

/** The test street plus SPEC's roster: 张伟 on weekdays, nights in turn 李雷 / 王芳 (from Monday 2026-09-28), 汪书记 on National Day. */
function dutyStreet(): StreetConfig {
  const raw = parseYaml(readFileSync(TEST_STREET_YAML, 'utf8')) as Record<string, unknown>;
  raw.duty = {
    shifts: [
      { days: 'mon-fri', from: '08:30', to: '17:30', people: ['张伟'] },
      { days: 'all', from: '17:30', to: '08:30', rotate: ['李雷', '王芳'], rotateFrom: '2026-09-28' },
    ],
    overrides: [{ date: '2026-10-01', people: ['汪书记'] }],
  };
  const r = parseStreetConfig(raw);
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

let h: Harness;
let now = 0;
afterEach(async () => h?.close());

async function start(name: string, startAt: string): Promise<{ duty: SqliteDutyStore }> {
  now = at(startAt);
  let duty!: SqliteDutyStore;
  const config = dutyStreet();
  h = await startHarness({
    name,
    config,
    clock: () => now,
    services: ({ sqlite }) => {
      duty = new SqliteDutyStore(sqlite);
      return { roster: createRosterService({ duty: config.duty, timeZone: config.timeZone, quietHours: config.quietHours, store: duty, holidays: loadHolidayData().periods }) };
    },
  });
  return { duty };
}

/** The message as the console adapter prints it. */
async function consoleLines(msg: OutgoingMessage): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString('utf8')));
  await new ConsoleChat({ input: new PassThrough(), output: out, groups: new Set([msg.group]), onMessage: async () => undefined, onBadLine: () => undefined }).sendTo(msg.group, msg);
  return text.trimEnd();
}

const lastIn = (group: string, includes: string) => h.chat.inGroup(group).filter((m) => m.text.includes(includes)).at(-1);

describe('值班', () => {
  it('shows who is on duty now and next and the coming National Day duty, in a group and privately', async () => {
    await start('duty-show', '2026-09-30T10:00:00');
    await say(h, 'consult', '张三', '值班');
    await h.chat.waitFor((s) => s.some((m) => m.text.startsWith('【值班】')), 10_000, '值班');
    const msg = lastIn('consult', '【值班】')!;
    const printed = (await consoleLines(msg)).split('\n');
    expect(printed.slice(0, 2)).toEqual([`consult << [${msg.outboxId}] 【值班】`, 'consult << 现在：张伟（至 09-30 17:30）']);
    expect(msg.text.split('\n').slice(0, 3)).toEqual(['【值班】', '现在：张伟（至 09-30 17:30）', '下一班：李雷（09-30 17:30 起）']);
    expect(msg.text).toContain('国庆节');
    expect(msg.text).toContain('国庆节 10-01～10-07 放假；09-20、10-10 上班');
    expect(msg.text).toContain('10-01 周四：08:30-17:30 汪书记；17:30-次日08:30 汪书记');

    await h.app.handleMessage({ platform: 'console', chatId: '张三', isPrivate: true, sender: { id: '张三', name: '张三' }, text: '值班' });
    await h.chat.waitFor((s) => s.filter((m) => m.text.startsWith('【值班】')).length === 2, 10_000, 'private 值班');
    expect(h.chat.sent.filter((m) => m.text.startsWith('【值班】')).map((m) => m.group)).toEqual(['consult', '~console:张三']);
  });

  it('设置 and 换班: only a leader or the dispatcher; stored; both told on a swap', async () => {
    const { duty } = await start('duty-change', '2026-09-30T10:00:00');
    await say(h, 'consult', '张三', '值班 设置 10-08 李雷');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('只有领导或调度员可以改值班表')), 10_000, 'refusal');
    expect(duty.listDutyChanges()).toEqual([]);

    await say(h, 'consult', '李调度', '值班 设置 10-08 李雷');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('值班调整：10-08')), 10_000, 'set');
    expect(duty.listDutyChanges().map((c) => c.change)).toEqual([{ kind: 'set', date: '2026-10-08', people: ['李雷'] }]);
    expect(h.config && createRosterService({ duty: h.config.duty, timeZone: h.config.timeZone, store: duty }).current().peopleOnDate('2026-10-08')).toEqual(['李雷']);

    // Tomorrow is National Day: 汪书记 (the override) hands the day to 王芳.
    await say(h, 'zhangyi', '汪书记', '值班 换班 @王芳 明天');
    await h.chat.waitFor((s) => s.filter((m) => m.text.includes('换班：10-01')).length === 2, 10_000, 'swap told here and in consult');
    const swap = lastIn('consult', '换班：10-01')!;
    expect(swap.text).toBe('🔄 换班：10-01（周四）汪书记 与 王芳 对调（汪书记 安排）。请两位知悉。');
    expect(swap.mentions.map((p) => p.name)).toEqual(['汪书记', '王芳']);
    expect(duty.listDutyChanges().at(-1)!.change).toEqual({ kind: 'swap', a: '汪书记', b: '王芳', date: '2026-10-01' });

    now = at('2026-10-01T12:00:00');
    await say(h, 'consult', '张三', '值班');
    await h.chat.waitFor((s) => s.some((m) => m.text.startsWith('【值班】\n现在：王芳')), 10_000, '王芳 on duty after the swap');

    await say(h, 'consult', '李调度', '值班 换班 @赵磊 @钱七 10-02');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('都不值班')), 10_000, 'nobody to swap');
  });
});

describe('quiet hours through the app', () => {
  it('an unclaimed notice at 23:00 goes to consult @ the on-duty person; by day it stays in the group', async () => {
    await start('duty-quiet', '2026-09-30T23:00:00');
    await h.app.handleIntake({ hotlineNo: 'Q-1', content: '张仪村5号院楼道堆物', address: '张仪村5号院' }, '12345');
    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('还没人认领')), 15_000, 'night reminder');
    const night = lastIn('consult', '还没人认领')!;
    // (The case's escalation a second later may travel in the same message: both go to the on-duty person.)
    expect(night.text).toContain('🌙 值班代收：⏰ #1 ');
    expect(night.mentions.map((p) => p.name)).toEqual(['李雷']);
    expect(h.chat.inGroup('zhangyi').some((m) => m.text.includes('还没人认领'))).toBe(false);

    now = at('2026-10-08T10:00:00');
    await h.app.handleIntake({ hotlineNo: 'Q-2', content: '张仪村6号院楼道堆物', address: '张仪村6号院' }, '12345');
    await h.chat.waitFor((s) => s.some((m) => m.group === 'zhangyi' && m.text.includes('还没人认领')), 15_000, 'day reminder');
    expect(lastIn('zhangyi', '还没人认领')!.mentions).toEqual([]);
  });

  it('an urgent intake @ the on-duty person in consult', async () => {
    await start('duty-urgent', '2026-09-30T15:00:00');
    await h.app.handleIntake({ hotlineNo: 'U-1', content: '张仪村7号院水管爆裂，楼道进水', address: '张仪村7号院', urgency: 'urgent' }, '12345');
    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('新案件')), 10_000, 'urgent card');
    expect(lastIn('consult', '新案件')!.mentions.map((p) => p.name)).toEqual(['张伟', '汪书记']);
  });
});

describe('handover notice', () => {
  it('at 17:30 consult hears who takes over and the open urgent and overdue cases — once, across a restart', async () => {
    const { duty } = await start('duty-handover', '2026-09-30T16:00:00');
    await h.app.handleIntakeBatch(
      [
        { hotlineNo: 'H-1', content: '张仪村7号院水管爆裂', address: '张仪村7号院', urgency: 'urgent', category: '供水' },
        { hotlineNo: 'H-2', content: '张仪村8号院路灯不亮', address: '张仪村8号院', category: '路灯照明', reportedAt: '2026-09-20T10:00:00+08:00', resolveBy: '2026-09-27T10:00:00+08:00' },
        { hotlineNo: 'H-3', content: '张仪村9号院垃圾未清', address: '张仪村9号院', category: '环境卫生', reportedAt: '2026-09-30T15:00:00+08:00', resolveBy: '2026-10-09T15:00:00+08:00' },
      ],
      '12345',
    );
    const roster = createRosterService({ duty: h.config.duty, timeZone: h.config.timeZone, store: duty });
    const schedule = () => startDutySchedule({ roster, notices: duty, store: h.store, timeZone: h.config.timeZone, groupNames: h.config.groupNames, postOnce: h.app.postOnce, clock: () => now, logger: silentLogger }, { everyMs: 0 });

    const first = schedule();
    now = at('2026-09-30T17:29:00');
    expect(await first.tick()).toEqual([]);
    now = at('2026-09-30T17:30:20');
    expect(await first.tick()).toEqual(['handover-2026-09-30T09:30:00.000Z']);
    await h.chat.waitFor((s) => s.some((m) => m.text.startsWith('🔄 交班')), 10_000, 'handover notice');
    const notice = lastIn('consult', '🔄 交班')!;
    expect((await consoleLines(notice)).split('\n')[0]).toBe(`consult << [${notice.outboxId}] 🔄 交班 09-30 17:30：李雷 接班（张伟 交班）`);
    expect(notice.text.split('\n')).toEqual([
      '🔄 交班 09-30 17:30：李雷 接班（张伟 交班）',
      '未办结紧急 1 件：',
      '#1 供水（紧急·逾期）无人认领 限09-30 16:00',
      '逾期未办结 1 件：',
      '#2 路灯照明（一般·逾期）无人认领 限09-27 10:00',
    ]);

    // A restart a few minutes later: the handover is within the look-back, its key already sent.
    first.stop();
    const second = schedule();
    now = at('2026-09-30T17:34:00');
    expect(await second.tick()).toEqual([]);
    expect(duty.isNoticeSent('handover-2026-09-30T09:30:00.000Z')).toBe(true);
    // The next handover: National Day's override puts 汪书记 on both shifts of 10-01, from 08:30.
    now = at('2026-10-01T08:30:30');
    expect(await second.tick()).toEqual(['handover-2026-10-01T00:30:00.000Z']);
    await h.chat.waitFor((s) => s.filter((m) => m.text.startsWith('🔄 交班')).length === 2, 10_000, 'second handover');
    expect(lastIn('consult', '🔄 交班')!.text.split('\n')[0]).toBe('🔄 交班 10-01 08:30：汪书记 接班（李雷 交班）');
  });
});
