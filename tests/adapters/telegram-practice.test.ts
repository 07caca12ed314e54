/**
 * The street's practice over Telegram: the real grammY client against the fake Bot API server on
 * 127.0.0.1, the real app, SQLite, BullMQ and workers. 包案, 吹哨, 报到, 延期, 批准, 转派 with a
 * `text_mention` (a person without a username), 回访; photos kept with a case; the command menu.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramChat, type TelegramApp } from '../../adapters/chat/telegram/telegram-chat';
import { telegramSettings } from '../../adapters/chat/telegram/telegram-settings';
import type { StreetConfig } from '../../core/street-config';
import { startFakeTelegram, type FakeTelegramServer, type FakeUser } from '../helpers/fake-telegram-server';
import { loadTestStreet, silentLogger, startHarness, type Harness } from '../helpers/harness';

const TOKEN = '123456:TEST-practice_abc';
const ZHANGYI = -1002001;
const CONSULT = -1002002;
const wang: FakeUser = { id: 501, first_name: '王芳' };
const sun: FakeUser = { id: 503, first_name: '孙强' };
const leader: FakeUser = { id: 601, first_name: '汪书记' };
const dispatcher: FakeUser = { id: 602, first_name: '李调度' };
const water: FakeUser = { id: 701, first_name: '赵工' };
const FAST = { global: { reservoir: 100, reservoirRefreshAmount: 100, reservoirRefreshInterval: 1000 }, group: { maxConcurrent: 1, minTime: 10 }, out: { maxConcurrent: 1, minTime: 10 } };
/** Hours, not seconds: no reminder fires while the test walks through the practice. */
const HOURS = { respondMs: 4 * 3_600_000, resolveMs: 24 * 3_600_000 };

let fake: FakeTelegramServer | undefined;
let tg: TelegramChat | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await tg?.stop();
  await h?.close();
  await fake?.close();
  fake = tg = h = undefined;
});

function street(): StreetConfig {
  const base = loadTestStreet();
  return {
    ...base,
    departments: [{ name: '区水务局', people: ['赵工'], group: null }],
    policy: { ...base.policy, windows: { ...base.policy.windows, ordinary: HOURS }, unclaimedMs: { ...base.policy.unclaimedMs, ordinary: 3_600_000 }, checkInMs: 3_600_000 },
  };
}

async function setup(name: string) {
  fake = await startFakeTelegram(TOKEN);
  const config = street();
  const app: TelegramApp = {
    handleMessage: (m, o) => h!.app.handleMessage(m, o),
    get store() {
      return h!.app.store;
    },
    get config() {
      return h!.app.config;
    },
  };
  const settings = telegramSettings({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot }, config.platforms, Object.keys(config.groupNames));
  tg = new TelegramChat({ settings, app, logger: silentLogger, throttle: FAST });
  h = await startHarness({ name, config, platforms: [tg] });
  await tg.start();
  const now = Date.now();
  h.store.bindChat('telegram', String(ZHANGYI), 'zhangyi', null, now);
  h.store.bindChat('telegram', String(CONSULT), 'consult', null, now);
  // Roles stick to the Telegram user id (given in chat by an admin, or pinned in the YAML).
  h.store.upsertMember('telegram', String(leader.id), '汪书记', 'leader', now);
  h.store.upsertMember('telegram', String(dispatcher.id), '李调度', 'dispatcher', now);
  h.store.upsertMember('telegram', String(water.id), '赵工', 'department', now, { department: '区水务局' });
  return { fake, h };
}

const poll = <T>(fn: () => T, what: string) => expect.poll(fn, { timeout: 15_000, interval: 25, message: what });
/** What the bot said in a chat: new messages, and updates edited into the case card (Telegram edits a card in place). */
const texts = (chatId: number) =>
  [...fake!.callsOf('sendMessage', { okOnly: true }), ...fake!.callsOf('editMessageText', { okOnly: true })].filter((c) => Number(c.body.chat_id) === chatId).map((c) => String(c.body.text));
/** Waits until a message to `chatId` contains `part`. */
const heard = (chatId: number, part: string) => poll(() => texts(chatId).some((t) => t.includes(part)), `「${part}」 in ${chatId}`).toBe(true);

async function cardFor(hotlineNo: string): Promise<{ id: number; messageId: number }> {
  const out = await h!.app.handleIntake({ hotlineNo, content: '张仪村路灯不亮', address: '张仪村4号院', urgency: 'ordinary' }, '12345');
  const id = out.case!.id;
  await poll(() => fake!.botMessages(ZHANGYI).some((m) => m.text.includes(`新案件 #${id} `)), `card #${id}`).toBe(true);
  return { id, messageId: fake!.botMessages(ZHANGYI).find((m) => m.text.includes(`新案件 #${id} `))!.messageId };
}

describe('the practice over Telegram', () => {
  it('the command menu lists the practice commands, each with Chinese help', async () => {
    await setup('tg-practice-menu');
    const menu = fake!.callsOf('setMyCommands')[0]!.body.commands as { command: string; description: string }[];
    expect(menu.map((c) => c.command)).toEqual(
      expect.arrayContaining(['extend', 'approve', 'reject', 'return', 'route', 'tohotline', 'assign', 'cohandle', 'own', 'whistle', 'checkin', 'node', 'rate', 'contactinfo', 'fix', 'publicphoto']),
    );
    for (const c of menu) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('包案 → 吹哨 → 报到 → 延期 → 批准 → 转派 (text_mention) → 办结 → 回访, and a refusal with the right form', async () => {
    await setup('tg-practice-walk');
    const { id } = await cardFor('TG-P-1');
    fake!.say(ZHANGYI, wang, `认领 ${id}`);
    await heard(ZHANGYI, `#${id} 由 王芳 认领`);
    fake!.say(ZHANGYI, wang, `/contact ${id} 已电话联系`);
    await poll(() => h!.store.findCase(id)!.status, 'contacted').toBe('contacted');

    fake!.say(CONSULT, leader, `包案 ${id}`);
    await heard(CONSULT, `#${id} 由 汪书记 包案`);
    fake!.say(CONSULT, leader, `/whistle ${id} 区水务局 排查管线`);
    await heard(CONSULT, `#${id} 汪书记 吹哨`);
    fake!.say(ZHANGYI, water, `报到 ${id} 已到场`);
    await heard(CONSULT, '区水务局 已报到（赵工）');

    // The owner may not approve her own extension: one line, who may and the right form.
    fake!.say(ZHANGYI, wang, `延期 ${id} 2天 等配件`);
    await heard(CONSULT, `王芳 申请延期 2 天`);
    fake!.say(ZHANGYI, wang, `批准 ${id}`);
    await heard(ZHANGYI, `只有领导可以「批准」。格式：批准 ${id}`);
    fake!.say(CONSULT, leader, `/approve ${id}`);
    await heard(ZHANGYI, `#${id} 延期 2 天已由 汪书记 批准`);

    // 转派 to someone without a username: Telegram gives the id in a text_mention entity.
    const text = `转派 ${id} 孙强`;
    fake!.say(CONSULT, dispatcher, text, { entities: [{ type: 'text_mention', offset: text.indexOf('孙强'), length: 2, user: { ...sun, is_bot: false } }] });
    await heard(ZHANGYI, `#${id} 负责人由 王芳 改为 孙强`);
    expect(h!.store.findCase(id)).toMatchObject({ ownerId: String(sun.id), ownerName: '孙强' });

    fake!.say(ZHANGYI, sun, `办结 ${id} 管线已修复`);
    await poll(() => h!.store.findCase(id)!.status, 'resolved').toBe('resolved');
    fake!.say(CONSULT, dispatcher, `/rate ${id} 满意 已解决`);
    await poll(() => h!.store.findCase(id)!.status, 'closed').toBe('closed');

    const c = h!.store.findCase(id)!;
    expect(c).toMatchObject({ leaderName: '汪书记', rating: { satisfaction: '满意', solved: '已解决', contacted: true } });
    expect(c.whistle).toMatchObject([{ department: '区水务局', reportedBy: '赵工' }]);
    expect(c.extensions).toMatchObject([{ days: 2, status: 'approved', decidedBy: '汪书记' }]);
    const kinds = h!.store.listEvents(id).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['leader-owned', 'whistled', 'checked-in', 'extension-requested', 'extension-approved', 'assigned', 'resolved', 'rated', 'closed']));
    // Everyone acted by Telegram id.
    expect(h!.store.listEvents(id).find((e) => e.kind === 'checked-in')!.actorId).toBe(String(water.id));
  });

  it('a photo in reply to the card is fetched (getFile + download) and kept; a caption runs its command; a photo in passing is not downloaded', async () => {
    await setup('tg-practice-photo');
    const { id, messageId } = await cardFor('TG-P-2');
    fake!.say(ZHANGYI, wang, `认领 ${id}`);
    await poll(() => h!.store.findCase(id)!.status, 'claimed').toBe('claimed');

    const shot = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('路灯现场'), 0xff, 0xd9]);
    fake!.photo(ZHANGYI, wang, shot, { replyTo: messageId });
    await poll(() => h!.store.findCase(id)!.mediaCount, 'the photo kept').toBe(1);
    const sha = createHash('sha256').update(shot).digest('hex');
    const file = join(h!.dataDir, 'media', String(id), `${sha}.jpg`);
    expect(existsSync(file)).toBe(true);
    expect(new Uint8Array(readFileSync(file))).toEqual(shot);
    expect(fake!.callsOf('getFile').map((c) => c.body.file_id)).toEqual(['photo-1']);
    await heard(ZHANGYI, `#${id} 已存照片（第 1 张`);

    const second = new Uint8Array([0xff, 0xd8, ...Buffer.from('修好后'), 0xff, 0xd9]);
    fake!.photo(ZHANGYI, wang, second, { caption: `进展 ${id} 已换灯头` });
    await poll(() => h!.store.findCase(id)!.mediaCount, 'the captioned photo').toBe(2);
    await poll(() => h!.store.listEvents(id).some((e) => e.kind === 'note' && e.text === '已换灯头'), 'the caption as a note').toBe(true);

    fake!.photo(ZHANGYI, wang, new Uint8Array([1, 2, 3]), { caption: '大家看看' });
    fake!.say(ZHANGYI, wang, `状态 ${id}`);
    await heard(ZHANGYI, '照片：2 张');
    expect(fake!.callsOf('getFile')).toHaveLength(2);
  });
});
