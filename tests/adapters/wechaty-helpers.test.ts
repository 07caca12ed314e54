/**
 * The WeChat adapter's pure parts: the quote-reply text, splitting long texts, the send pacer (on a
 * fake clock), the YAML/env settings, and rooms bound by topic.
 */
import { identityAdvice, identityKind } from '../../adapters/chat/wechaty/identity-kind';
import { describe, expect, it } from 'vitest';
import { RoomTopicBindings } from '../../adapters/chat/wechaty/room-topic-bindings';
import { SendPacer } from '../../adapters/chat/wechaty/send-pacer';
import { splitText } from '../../adapters/chat/wechaty/split-text';
import { parseWechatQuote } from '../../adapters/chat/wechaty/wechat-quote';
import { parseWechatyEnv, parseWechatySettings } from '../../adapters/chat/wechaty/wechaty-settings';
import { ConfigError } from '../../bot/load-config';

const SEP = '- - - - - - - - - - - - - - -';

describe('parseWechatQuote', () => {
  it.each([
    ['card quoted, reply 认领', `「街道机器人：新案件 #12 路灯照明｜张仪村4号院\n工单号：A-1\n回复「认领 12」或引用本消息回复「认领」」\n${SEP}\n认领`, { text: '认领', quotedName: '街道机器人', quotedCaseId: 12 }],
    ['urgent card', `「街道机器人：🔴紧急 新案件 #7 燃气｜阅园」\n${SEP}\n接`, { text: '接', quotedCaseId: 7 }],
    ['ASCII colon, CRLF', `「bot:✅ #3 由 王芳 认领。」\r\n${SEP}\r\n状态`, { text: '状态', quotedName: 'bot', quotedCaseId: 3 }],
    ['quoted chat without a case', `「王芳：今天谁值班？」\n${SEP}\n认领`, { text: '认领', quotedName: '王芳', quotedCaseId: null }],
    ['multi-line reply', `「机器人：新案件 #5 井盖」\n${SEP}\n办结\n已更换`, { text: '办结\n已更换', quotedCaseId: 5 }],
  ])('%s', (_name, raw, expected) => {
    expect(parseWechatQuote(raw)).toMatchObject(expected);
  });

  it.each([
    ['plain text', '认领 12'],
    ['no separator', '「王芳：新案件 #12」\n认领'],
    ['brackets inside a sentence', '我说「王芳：#12」\n- - -\n认领'],
  ])('is null for %s', (_name, raw) => {
    expect(parseWechatQuote(raw)).toBeNull();
  });
});

describe('splitText', () => {
  it('keeps a short text whole and splits a long one at line ends', () => {
    expect(splitText('短消息', 100)).toEqual(['短消息']);
    const lines = Array.from({ length: 30 }, (_, i) => `#${i + 1} 案件内容 ${'字'.repeat(40)}`);
    const parts = splitText(lines.join('\n'), 500);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(500);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    for (const p of parts) expect(p.startsWith('#')).toBe(true);
  });

  it('cuts a single overlong line, after a full stop when there is one near the end', () => {
    const line = `${'甲'.repeat(400)}。${'乙'.repeat(300)}`;
    const parts = splitText(line, 500);
    expect(parts).toEqual([`${'甲'.repeat(400)}。`, '乙'.repeat(300)]);
    const hard = splitText('丙'.repeat(1200), 500);
    expect(hard.map((p) => p.length)).toEqual([500, 500, 200]);
  });
});

describe('SendPacer (fake clock)', () => {
  function fakeTime() {
    let now = 1_000_000;
    return { clock: () => now, sleep: async (ms: number) => void (now += ms), advance: (ms: number) => void (now += ms) };
  }

  it('spaces messages to one room by perRoomMs, but not messages to different rooms', async () => {
    const t = fakeTime();
    const pacer = new SendPacer({ perRoomMs: 1000, perMinute: 100, clock: t.clock, sleep: t.sleep });
    const a1 = await pacer.wait('A');
    const b1 = await pacer.wait('B');
    const a2 = await pacer.wait('A');
    expect(b1 - a1).toBe(0);
    expect(a2 - a1).toBe(1000);
  });

  it('holds the account to perMinute in any window and queues the rest, dropping none', async () => {
    const t = fakeTime();
    const pacer = new SendPacer({ perRoomMs: 0, perMinute: 3, windowMs: 60_000, clock: t.clock, sleep: t.sleep });
    const slots: number[] = [];
    for (const room of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) slots.push(await pacer.wait(room));
    const start = slots[0]!;
    expect(slots.map((s) => s - start)).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
  });

  it('counts the gap from the end of a slow send', async () => {
    const t = fakeTime();
    const pacer = new SendPacer({ perRoomMs: 1000, perMinute: 100, clock: t.clock, sleep: t.sleep });
    const first = await pacer.wait('A');
    t.advance(700); // the send itself took 700 ms
    pacer.sent('A');
    expect((await pacer.wait('A')) - first).toBe(1700);
  });
});

describe('settings', () => {
  const groups = ['consult', 'street', 'zhangyi'];

  it('defaults to 1 message per second per room, 20 per minute, 1500 characters', () => {
    expect(parseWechatySettings(undefined, groups)).toEqual({ rooms: {}, rate: { perRoomMs: 1000, perMinute: 20 }, maxChars: 1500 });
    expect(parseWechatySettings({ rooms: { zhangyi: '张仪村社区群' }, rate: { perRoomMs: 300 } }, groups)).toMatchObject({ rooms: { zhangyi: '张仪村社区群' }, rate: { perRoomMs: 300, perMinute: 20 } });
  });

  it('refuses unknown group keys, unknown fields and bad numbers with one clear line', () => {
    expect(() => parseWechatySettings({ rooms: { nowhere: 'x' } }, groups)).toThrow(/platforms\.wechaty\.rooms：没有群「nowhere」/);
    expect(() => parseWechatySettings({ rate: { perMinute: 0 } }, groups)).toThrow(ConfigError);
    expect(() => parseWechatySettings({ room: {} }, groups)).toThrow(ConfigError);
  });

  it('reads the puppet from the environment; the service puppet needs its token', () => {
    expect(parseWechatyEnv({})).toEqual({ puppet: 'wechaty-puppet-wechat4u', token: null });
    expect(parseWechatyEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_workpro_x' })).toEqual({ puppet: 'wechaty-puppet-service', token: 'puppet_workpro_x' });
    expect(() => parseWechatyEnv({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toThrow(/WECHATY_PUPPET_SERVICE_TOKEN/);
    expect(() => parseWechatyEnv({ WECHATY_PUPPET: 'wechat4u' })).toThrow(ConfigError);
  });
});

describe('RoomTopicBindings', () => {
  it('binds a configured topic to its one room, and no room when two share the topic', () => {
    const b = new RoomTopicBindings({ zhangyi: '张仪村社区群' });
    b.observe('r1', '闲聊');
    expect(b.chatIds('zhangyi')).toEqual([]);
    b.observe('r1', '张仪村社区群');
    expect(b.chatIds('zhangyi')).toEqual(['r1']);
    expect(b.groupOf('r1')).toBe('zhangyi');
    b.observe('r2', '张仪村社区群'); // an impostor room with the same name
    expect(b.chatIds('zhangyi')).toEqual([]);
    expect(b.groupOf('r1')).toBeNull();
    b.observe('r2', '改名了');
    expect(b.chatIds('zhangyi')).toEqual(['r1']);
    b.replace('张仪村社区群', ['r9']); // a new login: new ids
    expect(b.chatIds('zhangyi')).toEqual(['r9']);
  });
});

describe('identityKind: what a puppet\'s ids are worth as identity', () => {
  it.each([
    ['wechaty-puppet-wechat4u', 'per-login'],
    ['wechaty-puppet-wechat', 'per-login'],
    ['wechaty-puppet-service', 'stable'],
    ['wechaty-puppet-padlocal', 'stable'],
    ['wechaty-puppet-mock', 'test'],
  ] as const)('%s → %s', (puppet, kind) => {
    expect(identityKind(puppet)).toBe(kind);
    expect(identityAdvice(puppet)).toContain(puppet);
  });
});
