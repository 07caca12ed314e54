/**
 * The Telegram adapter end to end: the real grammY client (runner, auto-retry, throttler) against a
 * fake Bot API server on 127.0.0.1, wired to the real app, SQLite, BullMQ and workers. Assertions are
 * on the calls the fake recorded and on the chat's messages as the fake keeps them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramChat, type TelegramApp } from '../../adapters/chat/telegram/telegram-chat';
import { telegramSettings } from '../../adapters/chat/telegram/telegram-settings';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { issueBindingCode } from '../../bot/binding-codes';
import { ConfigError } from '../../bot/load-config';
import type { StreetConfig } from '../../core/street-config';
import { startFakeTelegram, type FakeTelegramServer, type FakeUser, type RecordedCall } from '../helpers/fake-telegram-server';
import { loadTestStreet, silentLogger, startHarness, type Harness } from '../helpers/harness';

const TOKEN = '123456:TEST-token_abc';
const ZHANGYI = -1001001;
const CONSULT = -1001002;
const wang: FakeUser = { id: 501, first_name: '王芳' };
const li: FakeUser = { id: 502, first_name: '李四' };
/** Fast limits so the tests do not wait a second between two messages to a group. */
const FAST = { global: { reservoir: 100, reservoirRefreshAmount: 100, reservoirRefreshInterval: 1000 }, group: { maxConcurrent: 1, minTime: 10 }, out: { maxConcurrent: 1, minTime: 10 } };

let fake: FakeTelegramServer | undefined;
let tg: TelegramChat | undefined;
let h: Harness | undefined;
let closeHttp: (() => Promise<void>) | undefined;

afterEach(async () => {
  await tg?.stop();
  await closeHttp?.();
  await h?.close();
  await fake?.close();
  fake = tg = h = closeHttp = undefined;
});

async function setup(name: string, opts: { env?: Record<string, string>; config?: StreetConfig; throttle?: typeof FAST } = {}) {
  fake = await startFakeTelegram(TOKEN);
  const config = opts.config ?? loadTestStreet();
  // The adapter is built before the harness creates the app; it reaches the app only when used.
  const app: TelegramApp = {
    handleMessage: (m, o) => h!.app.handleMessage(m, o),
    get store() {
      return h!.app.store;
    },
    get config() {
      return h!.app.config;
    },
  };
  const settings = telegramSettings({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, ...opts.env }, config.platforms, Object.keys(config.groupNames));
  tg = new TelegramChat({ settings, app, logger: silentLogger, throttle: opts.throttle ?? FAST });
  h = await startHarness({ name, config, platforms: [tg] });
  await tg.start();
  return { fake, tg, h };
}

const bindTo = (chatId: number, group: string) => h!.store.bindChat('telegram', String(chatId), group, null, Date.now());
const poll = <T>(fn: () => T, what: string) => expect.poll(fn, { timeout: 15_000, interval: 25, message: what });
const sentTo = (chatId: number, okOnly = true): RecordedCall[] => fake!.callsOf('sendMessage', { okOnly }).filter((c) => Number(c.body.chat_id) === chatId);
const sentTexts = (chatId: number) => sentTo(chatId).map((c) => String(c.body.text));
/** The first bytes of a PNG (the fake keeps bytes, it does not decode them). */
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
/** Saves a file under the data dir's reports/, as the report and export services do. */
function reportFile(harness: Harness, name: string, bytes: Buffer): string {
  const dir = join(harness.dataDir, 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}
const toasts = () => fake!.callsOf('answerCallbackQuery').map((c) => String(c.body.text ?? ''));

/** Posts case `hotlineNo` to zhangyi and waits for its card in the bound chat. */
async function cardFor(hotlineNo: string, caseId: number, content = '张仪村路灯不亮') {
  await h!.app.handleIntake({ hotlineNo, content, address: `张仪村${caseId}号院` }, '12345');
  await poll(() => fake!.botMessages(ZHANGYI).some((m) => m.text.includes(`新案件 #${caseId} `)), `card #${caseId}`).toBe(true);
  return fake!.botMessages(ZHANGYI).find((m) => m.text.includes(`新案件 #${caseId} `))!;
}

describe('Telegram groups through grammY', () => {
  it('registers the Chinese command menu, binds by code or as a chat admin, and ignores unbound chats', async () => {
    await setup('tg-bind');
    expect(fake!.callsOf('getMe')).toHaveLength(1);
    expect(fake!.callsOf('deleteWebhook')).toHaveLength(1);
    const menu = fake!.callsOf('setMyCommands')[0]!.body.commands as { command: string; description: string }[];
    expect(menu.map((c) => c.command)).toEqual(expect.arrayContaining(['claim', 'contact', 'note', 'done', 'status', 'list', 'help', 'bind']));
    for (const c of menu) expect(c.description).toMatch(/[\u4e00-\u9fff]/);

    const code = issueBindingCode(h!.store, Date.now());
    fake!.say(ZHANGYI, wang, '认领 1'); // not bound yet: ignored
    fake!.say(ZHANGYI, wang, `/bind community 张仪村社区 ${code}`);
    await poll(() => sentTexts(ZHANGYI).some((t) => t.includes('已绑定为「张仪村社区」')), 'bound reply').toBe(true);
    expect(h!.store.groupForChat('telegram', String(ZHANGYI))).toBe('zhangyi');
    expect(sentTo(ZHANGYI)).toHaveLength(1); // nothing for the 认领 typed before binding

    fake!.say(CONSULT, li, '/bind consult');
    await poll(() => sentTexts(CONSULT).some((t) => t.includes('请带上绑定码')), 'non-admin asked for a code').toBe(true);
    expect(h!.store.groupForChat('telegram', String(CONSULT))).toBeNull();
    // A Telegram chat admin is nobody to the street: without a code, no binding (unless the YAML allows it).
    fake!.makeAdmin(CONSULT, li.id);
    fake!.say(CONSULT, li, '/bind@jiesu_test_bot consult');
    await poll(() => sentTexts(CONSULT).filter((t) => t.includes('请带上绑定码')).length, 'chat admin asked for a code too').toBe(2);
    expect(h!.store.groupForChat('telegram', String(CONSULT))).toBeNull();
  });

  it('posts a card with 认领/状态 buttons; a press claims, toasts, and every later change edits the same card', async () => {
    await setup('tg-card');
    bindTo(ZHANGYI, 'zhangyi');
    const card = await cardFor('TG-C1', 1, '井盖<缺失> & 有危险');
    expect(card.replyMarkup).toEqual({ inline_keyboard: [[{ text: '认领', callback_data: 'claim:1' }, { text: '状态', callback_data: 'status:1' }]] });
    expect(card.text).toContain('井盖&lt;缺失&gt; &amp; 有危险');
    expect(sentTo(ZHANGYI)[0]!.body.parse_mode).toBe('HTML');

    fake!.press(ZHANGYI, wang, card.messageId, 'claim:1');
    await poll(() => toasts().some((t) => t.includes('由 王芳 认领')), 'claim toast').toBe(true);
    await poll(() => fake!.message(ZHANGYI, card.messageId)!.text, 'card edited to show the owner').toContain('负责人：王芳');
    expect(h!.store.findCase(1)).toMatchObject({ status: 'claimed', ownerId: String(wang.id), ownerName: '王芳' });
    expect(fake!.message(ZHANGYI, card.messageId)!.replyMarkup).toEqual({ inline_keyboard: [[{ text: '状态', callback_data: 'status:1' }]] });

    fake!.say(ZHANGYI, wang, '已联系 1 电话联系了');
    await poll(() => fake!.message(ZHANGYI, card.messageId)!.text, 'card shows contacted').toContain('【已联系');
    fake!.say(ZHANGYI, wang, '/done 1 已补装井盖');
    await poll(() => fake!.message(ZHANGYI, card.messageId)!.text, 'card shows resolved').toContain('【已办结');
    expect(fake!.message(ZHANGYI, card.messageId)!.replyMarkup).toBeUndefined();

    const edits = fake!.callsOf('editMessageText', { okOnly: true });
    expect(edits.length).toBeGreaterThanOrEqual(3);
    expect(new Set(edits.map((c) => c.body.message_id))).toEqual(new Set([card.messageId]));
    // The state changes were edits, not new posts (reminders may be new messages).
    expect(sentTexts(ZHANGYI).filter((t) => /由 王芳 认领|已联系市民|已办结/.test(t))).toEqual([]);
  });

  it('two presses on 认领 at once: one owner, and the other toast names that owner', async () => {
    await setup('tg-race');
    bindTo(ZHANGYI, 'zhangyi');
    const card = await cardFor('TG-R1', 1);
    fake!.pushAll([fake!.press(ZHANGYI, wang, card.messageId, 'claim:1', { queue: false }), fake!.press(ZHANGYI, li, card.messageId, 'claim:1', { queue: false })]);
    await poll(() => fake!.callsOf('answerCallbackQuery').length, 'both presses answered').toBe(2);
    const owner = h!.store.findCase(1)!.ownerName!;
    expect(['王芳', '李四']).toContain(owner);
    expect(h!.store.listEvents(1).filter((e) => e.kind === 'claimed')).toHaveLength(1);
    const [a, b] = toasts();
    expect([a, b].filter((t) => t!.includes(`✅ #1 由 ${owner} 认领`))).toHaveLength(1);
    expect([a, b].filter((t) => t!.includes(`#1 已由 ${owner} 认领`))).toHaveLength(1);
  });

  it('claims by text, by replying to the card, and by /claim@ThisBot; /claim@OtherBot is not ours', async () => {
    await setup('tg-text');
    bindTo(ZHANGYI, 'zhangyi');
    const card1 = await cardFor('TG-T1', 1);
    await cardFor('TG-T2', 2);
    await cardFor('TG-T3', 3);
    await cardFor('TG-T4', 4);
    fake!.say(ZHANGYI, wang, '认领', { replyTo: card1.messageId });
    fake!.say(ZHANGYI, li, '/claim@jiesu_test_bot 2');
    fake!.say(ZHANGYI, li, '/claim@OtherBot 3');
    fake!.say(ZHANGYI, wang, '认领 4');
    await poll(() => h!.store.findCase(4)?.ownerName, 'Chinese claim').toBe('王芳');
    expect(h!.store.findCase(1)?.ownerName).toBe('王芳');
    expect(h!.store.findCase(2)?.ownerName).toBe('李四');
    expect(h!.store.findCase(3)?.status).toBe('new');
    await poll(() => fake!.message(ZHANGYI, card1.messageId)!.text, 'quoted card edited').toContain('负责人：王芳');
    // Updates of a chat are handled in order, so the other bot's command was seen (and ignored) before 认领 4.
    expect(sentTexts(ZHANGYI).filter((t) => t.includes('#3') && !t.includes('新案件') && !t.includes('还没人认领'))).toEqual([]);
  });

  it('waits out a 429 retry_after and delivers the card exactly once', async () => {
    await setup('tg-429');
    bindTo(ZHANGYI, 'zhangyi');
    fake!.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } }, ZHANGYI);
    await h!.app.handleIntake({ hotlineNo: 'TG-F1', content: '张仪村路灯不亮', address: '张仪村' }, '12345');
    await poll(() => sentTexts(ZHANGYI).filter((t) => t.includes('新案件 #1 ')).length, 'card after the wait').toBe(1);
    const attempts = sentTo(ZHANGYI, false).filter((c) => String(c.body.text).includes('新案件 #1 '));
    expect(attempts.map((c) => c.ok)).toEqual([false, true]);
    // 2 s is longer than the outbound queue's first backoff (1 s): only honouring retry_after waits this long.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1950);
    await poll(() => h!.store.pendingOutbox('zhangyi', Number.MAX_SAFE_INTEGER).length, 'outbox drained').toBe(0);
    expect(fake!.botMessages(ZHANGYI).filter((m) => m.text.includes('新案件 #1 '))).toHaveLength(1);
  });

  it('a burst of cards to one group is spaced by the throttler: no 429, each card once, in order', async () => {
    await setup('tg-burst', { throttle: { ...FAST, group: { maxConcurrent: 1, minTime: 100 } } });
    bindTo(ZHANGYI, 'zhangyi');
    // Telegram would refuse a second message within 30 ms; the throttler keeps 100 ms between them (margin for a busy event loop).
    fake!.limitRate(ZHANGYI, 30);
    const n = 20;
    await h!.app.handleIntakeBatch(Array.from({ length: n }, (_, i) => ({ hotlineNo: `TG-B${i + 1}`, content: '张仪村路灯不亮', address: `张仪村${i + 1}号院` })), '12345');
    await poll(() => sentTexts(ZHANGYI).filter((t) => t.includes('新案件')).length, 'every card').toBe(n);
    const cards = fake!.botMessages(ZHANGYI).filter((m) => m.text.includes('新案件'));
    expect(cards.map((m) => Number(/新案件 #(\d+) /.exec(m.text)![1]))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(sentTo(ZHANGYI, false).filter((c) => !c.ok)).toEqual([]);
  });

  it('a kicked bot: the chat is unbound, consult is told, and the send is not retried', async () => {
    await setup('tg-kick');
    bindTo(ZHANGYI, 'zhangyi');
    fake!.kick(ZHANGYI);
    await h!.app.handleIntake({ hotlineNo: 'TG-K1', content: '张仪村路灯不亮', address: '张仪村' }, '12345');
    await poll(() => h!.store.groupForChat('telegram', String(ZHANGYI)), 'unbound').toBeNull();
    await h!.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('已解除绑定')), 10_000, 'consult told');
    expect(sentTo(ZHANGYI, false)).toHaveLength(1);
  });

  it('a group upgraded to a supergroup keeps its binding under the new chat id', async () => {
    await setup('tg-migrate');
    bindTo(-4001, 'zhangyi');
    fake!.service(-4001, wang, { migrate_to_chat_id: ZHANGYI });
    await poll(() => h!.store.groupForChat('telegram', String(ZHANGYI)), 'binding moved').toBe('zhangyi');
    expect(h!.store.groupForChat('telegram', '-4001')).toBeNull();
    await cardFor('TG-G1', 1);
  });

  it('webhook mode: updates POSTed to our HTTP route with the right secret are handled; a wrong secret gets 401', async () => {
    await setup('tg-hook', { env: { TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/hook', TELEGRAM_WEBHOOK_SECRET: 's3cret-token' } });
    expect(fake!.callsOf('setWebhook')[0]!.body).toMatchObject({ url: 'https://bot.example.org/telegram/hook', secret_token: 's3cret-token' });
    expect(fake!.callsOf('getUpdates')).toHaveLength(0);
    bindTo(ZHANGYI, 'zhangyi');
    const http = createIntakeServer({ app: h!.app, redisHealthy: async () => true, logger: silentLogger, extraRoutes: tg!.routes });
    const { port } = await http.listen(0, '127.0.0.1');
    closeHttp = () => http.close();
    const post = (update: unknown, secret: string) =>
      fetch(`http://127.0.0.1:${port}/telegram/hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });

    const wrong = await post(fake!.say(ZHANGYI, wang, '/list', { queue: false }), 'not-the-secret');
    expect(wrong.status).toBe(401);
    const right = await post(fake!.say(ZHANGYI, wang, '/help', { queue: false }), 's3cret-token');
    expect(right.status).toBe(200);
    await poll(() => sentTexts(ZHANGYI).some((t) => t.includes('可用命令')), 'help answered').toBe(true);
    expect(sentTexts(ZHANGYI).filter((t) => /^未办结案件[：（]/.test(t))).toEqual([]); // the /list with the wrong secret was not answered
    expect((await fetch(`http://127.0.0.1:${port}/telegram/hook`)).status).toBe(405);
  });

  it('posts in the configured forum topic and mentions the owner with a tg://user link', async () => {
    const config: StreetConfig = { ...loadTestStreet(), platforms: { telegram: { threads: { zhangyi: 77 } } } };
    await setup('tg-topic', { config });
    bindTo(ZHANGYI, 'zhangyi');
    const card = await cardFor('TG-M1', 1);
    expect(card.threadId).toBe(77);
    fake!.press(ZHANGYI, wang, card.messageId, 'claim:1');
    // The test street's respond window is 4 s: the owner's 50 % reminder comes ~2 s after the claim.
    await poll(() => sentTo(ZHANGYI).find((c) => String(c.body.text).includes('请在') && String(c.body.text).includes('tg://user?id=501')), 'reminder mentions the owner').toBeTruthy();
    const reminder = sentTo(ZHANGYI).find((c) => String(c.body.text).includes('tg://user?id=501'))!;
    expect(reminder.body.text).toContain('<a href="tg://user?id=501">@王芳</a>');
    expect(reminder.body.message_thread_id).toBe(77);
  });

  it('sends pictures with sendPhoto and files with sendDocument, in order with the texts, each once', async () => {
    await setup('tg-files');
    bindTo(ZHANGYI, 'zhangyi');
    const chart = reportFile(h!, '月报-2026-11.png', PNG_BYTES);
    const ledger = reportFile(h!, '台账-2026-11.xlsx', Buffer.from('PK fake workbook'));
    const long = `台账说明\n${'说明文字'.repeat(300)}`; // 1 205 characters: over the 1 024 of a caption
    await h!.app.post([
      { type: 'send', group: 'zhangyi', text: '先说一句', kind: 'reply', mentions: [], caseId: null },
      { type: 'send', group: 'zhangyi', text: '📊 11月月报 <本街道>', kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'image', path: chart, name: '月报-2026-11.png' } },
      { type: 'send', group: 'zhangyi', text: long, kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'file', path: ledger, name: '台账-2026-11.xlsx' } },
      { type: 'send', group: 'zhangyi', text: '最后一句', kind: 'reply', mentions: [], caseId: null },
    ]);
    await poll(() => fake!.botMessages(ZHANGYI).length, 'every message').toBe(5);
    const msgs = fake!.botMessages(ZHANGYI);
    expect(msgs.map((m) => m.file?.kind ?? 'text')).toEqual(['text', 'photo', 'text', 'document', 'text']);
    expect(msgs[0]!.text).toBe('先说一句');
    // A short text is the picture's caption (HTML-escaped like every message).
    expect(msgs[1]!.text).toBe('📊 11月月报 &lt;本街道&gt;');
    expect(msgs[1]!.file!.bytes.equals(PNG_BYTES)).toBe(true);
    expect(msgs[1]!.file!.filename).toBe('月报-2026-11.png');
    expect(fake!.callsOf('sendPhoto')[0]!.body.parse_mode).toBe('HTML');
    // A long text goes first, then the file without a caption.
    expect(msgs[2]!.text).toBe(long);
    expect(msgs[3]!.text).toBe('');
    expect(msgs[3]!.file!.filename).toBe('台账-2026-11.xlsx');
    expect(msgs[3]!.file!.bytes.toString()).toBe('PK fake workbook');
    expect(msgs[4]!.text).toBe('最后一句');
    expect(fake!.callsOf('sendPhoto')).toHaveLength(1);
    expect(fake!.callsOf('sendDocument')).toHaveLength(1);
    await poll(() => h!.store.pendingOutbox('zhangyi', Number.MAX_SAFE_INTEGER).length, 'outbox drained').toBe(0);
    // The console got the same four messages, the files by path.
    expect(h!.chat.inGroup('zhangyi').map((m) => m.attachment?.path ?? null)).toEqual([null, chart, ledger, null]);
  });

  it('a file that is gone from disk: the text still arrives, once, and nothing is uploaded', async () => {
    await setup('tg-files-gone');
    bindTo(ZHANGYI, 'zhangyi');
    const gone = join(h!.dataDir, 'reports', '台账-2026-09.xlsx');
    await h!.app.post([{ type: 'send', group: 'zhangyi', text: '📄 台账 2026年9月：共 5 件（XLSX）', kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'file', path: gone, name: '台账-2026-09.xlsx' } }]);
    await poll(() => sentTexts(ZHANGYI), 'the text').toEqual(['📄 台账 2026年9月：共 5 件（XLSX）']);
    await poll(() => h!.store.pendingOutbox('zhangyi', Number.MAX_SAFE_INTEGER).length, 'outbox drained').toBe(0);
    expect(fake!.callsOf('sendDocument')).toEqual([]);
  });

  it('an upload that fails for a moment is retried alone: the text before it is not sent twice, the next message waits its turn', async () => {
    await setup('tg-files-retry');
    bindTo(ZHANGYI, 'zhangyi');
    const ledger = reportFile(h!, '台账-2026-10.xlsx', Buffer.from('PK ledger'));
    const chart = reportFile(h!, '周报-2026-W48.png', PNG_BYTES);
    fake!.failNext('sendDocument', { error_code: 502, description: 'Bad Gateway' }, ZHANGYI);
    fake!.failNext('sendPhoto', { error_code: 500, description: 'Internal Server Error' }, ZHANGYI);
    const long = `导出完成\n${'明细'.repeat(600)}`;
    await h!.app.post([
      { type: 'send', group: 'zhangyi', text: long, kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'file', path: ledger, name: '台账-2026-10.xlsx' } },
      { type: 'send', group: 'zhangyi', text: '📊 周报', kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'image', path: chart, name: '周报-2026-W48.png' } },
      { type: 'send', group: 'zhangyi', text: '之后的消息', kind: 'reply', mentions: [], caseId: null },
    ]);
    await poll(() => fake!.botMessages(ZHANGYI).length, 'every message').toBe(4);
    expect(fake!.botMessages(ZHANGYI).map((m) => m.file?.kind ?? m.text.slice(0, 5))).toEqual(['导出完成\n', 'document', 'photo', '之后的消息']);
    expect(fake!.callsOf('sendDocument').map((c) => c.ok)).toEqual([false, true]);
    expect(fake!.callsOf('sendPhoto').map((c) => c.ok)).toEqual([false, true]);
    expect(sentTo(ZHANGYI, false).map((c) => String(c.body.text).slice(0, 5))).toEqual(['导出完成\n', '之后的消息']);
    await poll(() => h!.store.pendingOutbox('zhangyi', Number.MAX_SAFE_INTEGER).length, 'outbox drained').toBe(0);
    // The console got each message once although the Telegram side was retried.
    expect(h!.chat.inGroup('zhangyi').map((m) => m.text.slice(0, 5))).toEqual(['导出完成\n', '📊 周报', '之后的消息']);
  });
});

describe('Telegram settings', () => {
  const groups = ['consult', 'street', 'zhangyi'];
  it.each([
    ['no token', {}, {}, /TELEGRAM_BOT_TOKEN/],
    ['a malformed token', { TELEGRAM_BOT_TOKEN: 'abc' }, {}, /TELEGRAM_BOT_TOKEN/],
    ['a bad webhook URL', { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'not a url' }, {}, /TELEGRAM_WEBHOOK_URL/],
    ['a topic for an unknown group', { TELEGRAM_BOT_TOKEN: TOKEN }, { telegram: { threads: { nowhere: 3 } } }, /nowhere/],
    ['a topic id that is not a number', { TELEGRAM_BOT_TOKEN: TOKEN }, { telegram: { threads: { zhangyi: 'x' } } }, /threads/],
  ])('refuses %s with a ConfigError', (_what, env, platforms, message) => {
    expect(() => telegramSettings(env, platforms, groups)).toThrow(ConfigError);
    expect(() => telegramSettings(env, platforms, groups)).toThrow(message);
  });

  it('reads polling by default and the webhook path from the URL', () => {
    expect(telegramSettings({ TELEGRAM_BOT_TOKEN: TOKEN }, {}, groups)).toMatchObject({ apiRoot: 'https://api.telegram.org', webhookUrl: null, webhookPath: null, threads: {} });
    const s = telegramSettings({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://x.org/tg/hook' }, { telegram: { threads: { zhangyi: 5 } } }, groups);
    expect(s).toMatchObject({ webhookPath: '/tg/hook', threads: { zhangyi: 5 } });
    expect(s.webhookSecret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });
});
