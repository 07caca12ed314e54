/**
 * The WeChat adapter on the real Wechaty SDK, with wechaty-puppet-mock standing in for WeChat:
 * mock contacts type into mock rooms, Wechaty delivers them to the adapter, the real app (SQLite,
 * BullMQ on the test Redis, workers) decides, and what the bot says goes back through Wechaty's
 * room.say() into the puppet, where it is recorded with its time and its mention list.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FileBox, type FileBoxInterface } from 'file-box';
import { ScanStatus, types, type Wechaty } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { parse as parseYaml } from 'yaml';
import { buildWechaty } from '../../adapters/chat/wechaty/build-wechaty';
import { createWechatyChat } from '../../adapters/chat/wechaty/create-wechaty-chat';
import { LOGIN_QR_FILE } from '../../adapters/chat/wechaty/login-qr';
import { WechatyChat } from '../../adapters/chat/wechaty/wechaty-chat';
import { parseWechatySettings } from '../../adapters/chat/wechaty/wechaty-settings';
import { splitText } from '../../adapters/chat/wechaty/split-text';
import { issueBindingCode } from '../../bot/binding-codes';
import { ConfigError } from '../../bot/load-config';
import type { IncomingMessage, Logger } from '../../core/ports';
import { loadTestStreet, startHarness, type Harness } from '../helpers/harness';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

/** What the bot handed to the puppet: when, where, what, and whom it @-mentioned. */
interface PuppetSend {
  at: number;
  conversationId: string;
  text: string;
  mentionIds: string[];
  messageId: string;
  /** A picture or file (room.say(FileBox)): its name and bytes; `text` is then `📎 <name>`. */
  file?: { name: string; bytes: Buffer };
}

/**
 * wechaty-puppet-mock, plus what a real puppet does and the mock leaves out: it keeps the mention
 * list of a sent text (so the bot's own message comes back with `mentionList()`), returns the new
 * message's id, and knows room aliases. Every send is recorded with its timestamp.
 */
class RecordingPuppet extends PuppetMock {
  readonly sends: PuppetSend[] = [];
  readonly roomAliases = new Map<string, string>();
  private seq = 0;

  constructor(options: ConstructorParameters<typeof PuppetMock>[0]) {
    super(options);
    // PuppetMock narrows messageSendText to Promise<void>; the puppet interface (and Wechaty's room.say)
    // take Promise<void | string>, and a string is the new message's id.
    (this as unknown as { messageSendText: RecordingPuppet['sendText'] }).messageSendText = this.sendText.bind(this);
    (this as unknown as { messageSendFile: RecordingPuppet['sendFile'] }).messageSendFile = this.sendFile.bind(this);
  }

  /** How many of the next file sends fail (a dropped upload). */
  failFiles = 0;

  private async sendFile(conversationId: string, file: FileBoxInterface): Promise<string> {
    if (!this.isLoggedIn) throw new Error('not logged in');
    if (this.failFiles > 0) {
      this.failFiles--;
      throw new Error('upload failed');
    }
    const messageId = `bot-file-${++this.seq}`;
    this.sends.push({ at: Date.now(), conversationId, text: `📎 ${file.name}`, mentionIds: [], messageId, file: { name: file.name, bytes: await file.toBuffer() } });
    return messageId;
  }

  private async sendText(conversationId: string, text: string, mentionIdList: string[] = []): Promise<string> {
    if (!this.isLoggedIn) throw new Error('not logged in');
    const messageId = `bot-msg-${++this.seq}`;
    const at = Date.now();
    const base = { id: messageId, talkerId: this.currentUserId, timestamp: at, type: types.Message.Text, text };
    const isRoom = this.mocker.cacheRoomPayload.has(conversationId);
    if (isRoom && !this.mocker.roomPayload(conversationId).memberIdList.includes(this.currentUserId)) throw new Error('not a member of this room');
    this.mocker.MessageMock.create(isRoom ? { ...base, roomId: conversationId, mentionIdList } : { ...base, listenerId: conversationId });
    this.sends.push({ at, conversationId, text, mentionIds: [...mentionIdList], messageId });
    this.emit('message', { messageId });
    return messageId;
  }

  override async roomMemberRawPayload(roomId: string, contactId: string) {
    const payload = await super.roomMemberRawPayload(roomId, contactId);
    const roomAlias = this.roomAliases.get(`${roomId}/${contactId}`);
    return roomAlias ? { ...payload, roomAlias } : payload;
  }

  to(room: { id: string }): PuppetSend[] {
    return this.sends.filter((s) => s.conversationId === room.id);
  }
}

function recordingLogger(): Logger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

interface World {
  h: Harness;
  chat: WechatyChat;
  bot: Wechaty;
  puppet: RecordingPuppet;
  mocker: mock.Mocker;
  logger: ReturnType<typeof recordingLogger>;
  /** What the adapter handed to the app. */
  incoming: IncomingMessage[];
  /** The bot's own messages as Wechaty delivered them back, with their mention lists. */
  echoes: { roomId: string | null; text: string; mentionIds: string[] }[];
  terminal: PassThrough;
  me: ContactMock;
  people: Record<'wang' | 'li' | 'zhao' | 'leader' | 'dispatcher', ContactMock>;
  rooms: Record<'consult' | 'street' | 'zhangyi' | 'jiari' | 'chitchat', RoomMock>;
  login(): Promise<void>;
}

const TOPICS = { consult: '接诉即办会商群', street: '街道接诉即办工作群', zhangyi: '张仪村社区接诉即办群', jiari: '假日风景社区接诉即办群', chitchat: '闲聊群' } as const;

let world: World | null = null;
afterEach(async () => {
  const w = world;
  world = null;
  if (!w) return;
  await w.h.close();
  await w.chat.stop();
});

/**
 * Mock WeChat with the bot account, five people and five rooms; the adapter on Wechaty; the app.
 * `yaml` is the street's `platforms.wechaty` section.
 */
async function setup(name: string, yaml: string, opts: { login?: boolean } = {}): Promise<World> {
  const mocker = new mock.Mocker();
  const puppet = new RecordingPuppet({ mocker });
  const bot = buildWechaty({ puppet });
  const logger = recordingLogger();
  const incoming: IncomingMessage[] = [];
  const terminal = new PassThrough();
  const street = loadTestStreet();
  const config = { ...street, platforms: { ...street.platforms, wechaty: parseYaml(yaml) } };
  const settings = parseWechatySettings(config.platforms.wechaty, Object.keys(config.groupNames));
  const dataDir = mkdtempSync(join(tmpdir(), `jiesu-${name}-`));
  let harness: Harness | null = null;
  const chat = new WechatyChat({
    bot,
    settings,
    logger,
    terminal,
    dataDir,
    onMessage: async (msg) => {
      incoming.push(msg);
      await harness!.app.handleMessage(msg);
    },
  });
  const h = await startHarness({ name, config, dataDir, platforms: [chat] });
  harness = h;

  const me = mocker.createContact({ name: '街道机器人' });
  const people = {
    wang: mocker.createContact({ name: '王芳' }),
    li: mocker.createContact({ name: '李四' }),
    zhao: mocker.createContact({ name: '赵六' }),
    leader: mocker.createContact({ name: '汪书记' }),
    dispatcher: mocker.createContact({ name: '李调度' }),
  };
  const room = (topic: string, members: ContactMock[]) => mocker.createRoom({ topic, memberIdList: [me.id, ...members.map((m) => m.id)] });
  const rooms = {
    consult: room(TOPICS.consult, [people.leader, people.dispatcher]),
    street: room(TOPICS.street, [people.zhao]),
    zhangyi: room(TOPICS.zhangyi, [people.wang, people.li]),
    jiari: room(TOPICS.jiari, [people.zhao]),
    chitchat: room(TOPICS.chitchat, [people.wang]),
  };
  puppet.roomAliases.set(`${rooms.zhangyi.id}/${people.li.id}`, '李四(网格员)');

  const echoes: World['echoes'] = [];
  bot.on('message', async (m) => {
    if (m.self()) echoes.push({ roomId: m.room()?.id ?? null, text: m.text(), mentionIds: (await m.mentionList()).map((c) => c.id) });
  });
  await chat.start();
  const login = async () => {
    mocker.login(me);
    puppet.emit('ready', { data: 'ready' });
    await bot.ready();
    await chat.resolveRooms();
  };
  if (opts.login !== false) await login();
  world = { h, chat, bot, puppet, mocker, logger, incoming, echoes, terminal, me, people, rooms, login };
  return world;
}

const ALL_ROOMS_YAML = `
rooms:
  consult: ${TOPICS.consult}
  street: ${TOPICS.street}
  zhangyi: ${TOPICS.zhangyi}
  jiari: ${TOPICS.jiari}
rate: { perRoomMs: 50, perMinute: 1000 }
`;

async function until(pred: () => boolean, what: string, timeout = 15_000): Promise<void> {
  await expect.poll(pred, { timeout, interval: 25, message: what }).toBe(true);
}

/** Waits until the bot said something matching `re` in `room`; returns that send. */
async function botSaid(w: World, room: { id: string }, re: RegExp, what = String(re)): Promise<PuppetSend> {
  await until(() => w.puppet.to(room).some((s) => re.test(s.text)), `${what}; room got:\n${w.puppet.to(room).map((s) => s.text.split('\n')[0]).join('\n')}`);
  return w.puppet.to(room).find((s) => re.test(s.text))!;
}

const intake = (w: World, no: string, address: string, content = `${address}路灯不亮`) => w.h.app.handleIntake({ hotlineNo: no, content, address }, '12345');

describe('WeChat adapter on Wechaty + puppet-mock', () => {
  it('binds a room with a one-time code (the binder becomes admin by contact id); private chats get only 帮助', async () => {
    const w = await setup('wx-bind', `rooms: { consult: ${TOPICS.consult} }\nrate: { perRoomMs: 50, perMinute: 1000 }`);
    const { wang, li } = w.people;
    const code = issueBindingCode(w.h.store, Date.now());

    wang.say('认领 1').to(w.rooms.zhangyi); // not bound yet: ignored
    wang.say(`绑定 社区 张仪村社区 ${code}`).to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /已绑定为「张仪村社区」/);
    expect(w.puppet.to(w.rooms.zhangyi)).toHaveLength(1);
    expect(w.h.store.groupForChat('wechaty', w.rooms.zhangyi.id)).toBe('zhangyi');
    expect(w.h.store.findMember('wechaty', wang.id)).toMatchObject({ isAdmin: true });

    // The code is spent; someone else cannot reuse it in another room.
    li.say(`绑定 街道 ${code}`).to(w.rooms.street);
    await botSaid(w, w.rooms.street, /已用过/);
    expect(w.h.store.groupForChat('wechaty', w.rooms.street.id)).toBeNull();

    // Private chat: 帮助 answered to the person, other commands ignored, binding refused.
    li.say('认领 1').to(w.me);
    li.say('绑定 街道').to(w.me);
    li.say('帮助').to(w.me);
    await until(() => w.puppet.sends.some((s) => s.conversationId === li.id && s.text.includes('可用命令')), 'help answered privately');
    const toLi = w.puppet.sends.filter((s) => s.conversationId === li.id).map((s) => s.text.split('\n')[0]);
    expect(toLi).toEqual([expect.stringContaining('请在要绑定的群里'), expect.stringContaining('可用命令')]);
    expect(w.incoming.filter((m) => m.sender.id === li.id && m.isPrivate)).toHaveLength(3);
  });

  it('unbinds a room the bot was removed from, and tells consult', async () => {
    const w = await setup('wx-gone', `rooms: { consult: ${TOPICS.consult} }\nrate: { perRoomMs: 50, perMinute: 1000 }`);
    const code = issueBindingCode(w.h.store, Date.now());
    w.people.zhao.say(`绑定 社区 假日风景 ${code}`).to(w.rooms.jiari);
    await botSaid(w, w.rooms.jiari, /已绑定为「假日风景社区」/);
    w.rooms.jiari.remove(w.me).by(w.people.zhao);
    await intake(w, 'WX-G', '假日风景7号楼');
    await botSaid(w, w.rooms.consult, /已解除绑定/);
    expect(w.h.store.groupForChat('wechaty', w.rooms.jiari.id)).toBeNull();
    expect(w.puppet.to(w.rooms.jiari).some((s) => s.text.includes('新案件'))).toBe(false);

    // Removed without a room-leave event reaching the bot: the refused send and the member list tell.
    w.people.zhao.say('绑定 街道').to(w.rooms.street); // zhao is an admin now: no code needed
    await botSaid(w, w.rooms.street, /已绑定为「街道接诉即办工作群」/);
    const members = w.mocker.roomPayload(w.rooms.street.id).memberIdList;
    members.splice(members.indexOf(w.me.id), 1);
    await w.h.app.handleIntake({ hotlineNo: 'WX-G2', content: '路口有游商', community: 'street' }, '12345');
    await until(() => w.h.store.groupForChat('wechaty', w.rooms.street.id) === null, 'street room unbound after a refused send');
    await until(() => w.puppet.to(w.rooms.consult).filter((s) => s.text.includes('已解除绑定')).length === 2, 'consult told twice');
  });

  it('posts a case card to its community room only; claims by text and by quoting the card (WeChat quote text)', async () => {
    const w = await setup('wx-claim', ALL_ROOMS_YAML);
    const { wang, li } = w.people;
    await intake(w, 'WX-1', '张仪村4号院');
    const card = await botSaid(w, w.rooms.zhangyi, /^新案件 #1 /);
    expect(w.puppet.to(w.rooms.jiari)).toHaveLength(0);
    expect(w.puppet.to(w.rooms.consult)).toHaveLength(0);

    wang.say('认领 1').to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /✅ #1 由 王芳 认领/);
    expect(w.h.store.findCase(1)).toMatchObject({ status: 'claimed', ownerId: wang.id, ownerName: '王芳' });

    await intake(w, 'WX-2', '张仪村5号院', '张仪村5号院楼道堆物');
    const card2 = await botSaid(w, w.rooms.zhangyi, /^新案件 #2 /);
    // WeChat's quote: the quoted message (author：text), a dashed line, the reply. Li has a room alias.
    li.say(`「街道机器人：${card2.text}」\n- - - - - - - - - - - - - - -\n认领`).to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /✅ #2 由 李四\(网格员\) 认领/);
    expect(w.h.store.findCase(2)).toMatchObject({ ownerId: li.id, ownerName: '李四(网格员)' });
    expect(w.incoming.find((m) => m.sender.id === li.id)).toMatchObject({ text: '认领', quotedCaseId: 2, group: 'zhangyi', chatId: w.rooms.zhangyi.id });

    // Quoting something that is not about a case: a helpful refusal, nothing claimed.
    li.say(`「王芳：今天谁值班？」\n- - - - - - - - - - - - - - -\n认领`).to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /引用的消息不是案件卡片/);
    // "@bot 认领 1" works too: the leading mention of the bot is dropped.
    w.people.wang.say('@街道机器人\u2005状态 1', [w.me]).to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /#1 .*【已认领】/);
    expect(card.text).toContain('回复「认领 1」');
  });

  it('keeps a photo with the case its sender names right after it (WeChat sends photo and words apart); a plain word after a photo keeps nothing', async () => {
    const w = await setup('wx-photo', ALL_ROOMS_YAML);
    const { wang, li } = w.people;
    await intake(w, 'WX-P1', '张仪村4号院');
    await botSaid(w, w.rooms.zhangyi, /^新案件 #1 /);
    wang.say('认领 1').to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /✅ #1 由 王芳 认领/);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('楼道现场'), 0xff, 0xd9]);
    // The mock puppet keeps a sent file as JSON: base64 boxes serialise, buffer boxes do not.
    wang.say(FileBox.fromBase64(jpeg.toString('base64'), '现场.jpg')).to(w.rooms.zhangyi);
    // Li's photo waits for Li's words only: Wang's next text does not take it.
    li.say(FileBox.fromBase64(Buffer.from([0xff, 0xd8, 1, 2]).toString('base64'), 'li.jpg')).to(w.rooms.zhangyi);
    wang.say('进展 1 已到现场').to(w.rooms.zhangyi);
    // The photo is kept first, then its words are handled: wait for the note.
    await until(() => w.h.store.listEvents(1).some((e) => e.kind === 'note' && e.text === '已到现场'), 'the note after the photo');
    expect(w.h.store.findCase(1)!.mediaCount).toBe(1);
    const sha = createHash('sha256').update(jpeg).digest('hex');
    expect(readFileSync(join(w.h.dataDir, 'media', '1', `${sha}.jpg`))).toEqual(jpeg);
    expect(w.incoming.find((m) => m.text === '进展 1 已到现场')!.media!.mime).toBe('image/jpeg');
    expect(w.h.store.listEvents(1).map((e) => e.kind).slice(-2)).toEqual(['media', 'note']);
    // A plain word after a photo is chat: nothing kept, no case named.
    wang.say(FileBox.fromBase64(Buffer.from([0xff, 0xd8, 9]).toString('base64'), 'x.jpg')).to(w.rooms.zhangyi);
    wang.say('好的').to(w.rooms.zhangyi);
    wang.say('状态 1').to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /照片：1 张/);
  });

  it('lets exactly one of two simultaneous claimers (in two rooms) own the case', async () => {
    const w = await setup('wx-race', ALL_ROOMS_YAML);
    await intake(w, 'WX-R', '张仪村8号院');
    await botSaid(w, w.rooms.zhangyi, /^新案件 #1 /);
    w.people.wang.say('认领 1').to(w.rooms.zhangyi);
    w.people.dispatcher.say('认领 #1').to(w.rooms.consult);
    await until(() => w.puppet.sends.some((s) => /已由 .* 认领/.test(s.text)), 'the loser is told who owns it');
    const c = w.h.store.findCase(1)!;
    const winner = c.ownerId === w.people.wang.id ? '王芳' : '李调度';
    expect([w.people.wang.id, w.people.dispatcher.id]).toContain(c.ownerId);
    expect(c.ownerName).toBe(winner);
    const claimedAnnouncements = w.puppet.sends.filter((s) => s.text.startsWith('✅ #1'));
    expect(new Set(claimedAnnouncements.map((s) => s.text))).toEqual(new Set([expect.stringContaining(`由 ${winner} 认领`)]));
    const loserRoom = winner === '王芳' ? w.rooms.consult : w.rooms.zhangyi;
    expect(w.puppet.to(loserRoom).some((s) => s.text.includes(`#1 已由 ${winner} 认领`))).toBe(true);
    expect(w.h.store.listEvents(1).filter((e) => e.kind === 'claimed')).toHaveLength(1);
  });

  it('@-mentions the owner in reminders by contact id, the leader in consult by name, and writes @name for who is not in the room', async () => {
    const w = await setup('wx-mention', ALL_ROOMS_YAML);
    const { wang, leader } = w.people;
    await intake(w, 'WX-M', '张仪村9号院');
    await botSaid(w, w.rooms.zhangyi, /^新案件 #1 /);
    wang.say('认领 1').to(w.rooms.zhangyi);
    await botSaid(w, w.rooms.zhangyi, /✅ #1 由 王芳/);

    // respond-50 (2 s into the test YAML's 4 s response window): a reminder for the owner.
    const reminder = await botSaid(w, w.rooms.zhangyi, /⏰ #1 请在 .* 前联系市民/);
    expect(reminder.mentionIds).toEqual([wang.id]);
    expect(reminder.text.startsWith('@王芳')).toBe(true);
    await until(() => w.echoes.some((e) => e.roomId === w.rooms.zhangyi.id && e.text.includes('⏰ #1') && e.mentionIds.includes(wang.id)), 'Wechaty delivers the reminder with the owner in mentionList()');

    // respond-overdue (4 s): in consult the owner is not a member (plain @王芳), the leader is (a real mention).
    const alarm = await botSaid(w, w.rooms.consult, /❗ #1 .*超过响应时限/);
    expect(alarm.mentionIds).toEqual([leader.id]);
    expect(alarm.text).toContain('@王芳 ');
    expect(alarm.text).toContain('@汪书记');
    const inGroup = await botSaid(w, w.rooms.zhangyi, /❗ #1 .*超过响应时限/);
    expect(inGroup.mentionIds).toEqual([wang.id]);
  });

  it('ignores unbound rooms and the bot’s own messages', async () => {
    const w = await setup('wx-ignore', ALL_ROOMS_YAML);
    await intake(w, 'WX-I', '张仪村1号院');
    await botSaid(w, w.rooms.zhangyi, /^新案件 #1 /);

    w.people.wang.say('认领 1').to(w.rooms.chitchat); // unbound room
    w.people.wang.say('列表').to(w.rooms.chitchat);
    w.people.wang.say('帮助').to(w.rooms.chitchat); // the one thing answered there
    await botSaid(w, w.rooms.chitchat, /可用命令/);
    expect(w.puppet.to(w.rooms.chitchat)).toHaveLength(1);

    w.me.say('认领 1').to(w.rooms.zhangyi); // typed on the bot's own phone: not a command
    w.people.wang.say('状态 1').to(w.rooms.zhangyi); // handled after it, same room
    await botSaid(w, w.rooms.zhangyi, /#1 .*【待认领】/);
    expect(w.h.store.findCase(1)).toMatchObject({ status: 'new', ownerId: null });
    expect(w.incoming.some((m) => m.sender.id === w.me.id)).toBe(false);
    // The bot's own sends came back through Wechaty and were dropped too.
    expect(w.echoes.length).toBeGreaterThan(0);
  });

  it('paces one room: 5 messages take at least 4 × perRoomMs, by the puppet’s timestamps; long texts go in parts', async () => {
    const perRoomMs = 300;
    const w = await setup('wx-rate', `rooms: { jiari: ${TOPICS.jiari} }\nrate: { perRoomMs: ${perRoomMs}, perMinute: 1000 }\nmaxChars: 500`);
    for (let i = 1; i <= 5; i++) await w.h.app.notify('jiari', `通知 ${i}`);
    await until(() => w.puppet.to(w.rooms.jiari).length >= 5, '5 messages delivered');
    const sends = w.puppet.to(w.rooms.jiari);
    expect(sends.map((s) => s.text)).toEqual(['通知 1', '通知 2', '通知 3', '通知 4', '通知 5']);
    for (let i = 1; i < sends.length; i++) expect(sends[i]!.at - sends[i - 1]!.at).toBeGreaterThanOrEqual(perRoomMs);
    expect(sends[4]!.at - sends[0]!.at).toBeGreaterThanOrEqual(4 * perRoomMs);

    const long = Array.from({ length: 24 }, (_, i) => `第${i + 1}行 ${'内容'.repeat(25)}`).join('\n');
    await w.h.app.notify('jiari', long);
    const expectedParts = splitText(long, 500).length;
    expect(expectedParts).toBeGreaterThan(1);
    await until(() => w.puppet.to(w.rooms.jiari).length >= 5 + expectedParts, 'the long text delivered in parts');
    const parts = w.puppet.to(w.rooms.jiari).slice(5);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(500);
    expect(parts.map((p) => p.text).join('\n')).toBe(long);
    expect(w.h.store.pendingOutbox('jiari', Number.MAX_SAFE_INTEGER)).toHaveLength(0);
  });

  it('pauses while logged out and, after login, delivers every queued message once, in order', async () => {
    const w = await setup('wx-logout', `rooms: { jiari: ${TOPICS.jiari} }\nrate: { perRoomMs: 150, perMinute: 1000 }`);
    const texts = Array.from({ length: 8 }, (_, i) => `消息 ${i + 1}`);
    for (const t of texts) await w.h.app.notify('jiari', t);
    await until(() => w.puppet.to(w.rooms.jiari).length >= 2, 'sending started');
    await w.puppet.logout();
    expect(w.chat.loggedIn).toBe(false);
    // A delivery attempt fails while logged out: the rows stay pending in the outbox.
    await until(() => w.h.store.pendingOutbox('jiari', Number.MAX_SAFE_INTEGER).some((r) => r.attempts > 0), 'a send refused while logged out');
    const beforeLogin = w.puppet.to(w.rooms.jiari).length;
    expect(beforeLogin).toBeLessThan(texts.length);
    await expect(w.chat.sendTo(w.rooms.jiari.id, { outboxId: 0, group: 'jiari', text: 'x', kind: 'reply', mentions: [], caseId: null })).rejects.toMatchObject({ code: 'not_logged_in', permanent: false });

    await w.login();
    await until(() => w.puppet.to(w.rooms.jiari).length >= texts.length, 'every queued message delivered after login', 30_000);
    expect(w.puppet.to(w.rooms.jiari).map((s) => s.text)).toEqual(texts);
    expect(w.h.store.pendingOutbox('jiari', Number.MAX_SAFE_INTEGER)).toHaveLength(0);
    expect(w.logger.lines.some((l) => l.level === 'warn' && /logged out/.test(l.msg ?? ''))).toBe(true);
    expect(w.logger.lines.filter((l) => l.level === 'info' && /logged in/.test(l.msg ?? '')).map((l) => l.obj)).toEqual([{ account: '街道机器人' }, { account: '街道机器人' }]);
  });

  it('sends a picture or file with FileBox after its text, once; a failed upload is retried without the text', async () => {
    const w = await setup('wx-file', ALL_ROOMS_YAML);
    const dir = join(w.h.dataDir, 'reports');
    mkdirSync(dir, { recursive: true });
    const chart = join(dir, 'chart-1.png');
    const ledger = join(dir, 'ledger-1.xlsx');
    writeFileSync(chart, Buffer.from('PNG bytes'));
    writeFileSync(ledger, Buffer.from('XLSX bytes'));
    w.puppet.failFiles = 1;
    await w.h.app.post([
      { type: 'send', group: 'zhangyi', text: '📊 11月月报', kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'image', path: chart, name: '月报-2026-11.png' } },
      { type: 'send', group: 'zhangyi', text: '已导出 3 件', kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'file', path: ledger, name: '台账-2026-11.xlsx' } },
      { type: 'send', group: 'zhangyi', text: '之后的消息', kind: 'reply', mentions: [], caseId: null },
    ]);
    await until(() => w.puppet.to(w.rooms.zhangyi).length === 5, 'five sends to the room');
    const sends = w.puppet.to(w.rooms.zhangyi);
    expect(sends.map((s) => s.text)).toEqual(['📊 11月月报', '📎 月报-2026-11.png', '已导出 3 件', '📎 台账-2026-11.xlsx', '之后的消息']);
    expect(sends[1]!.file!.bytes.toString()).toBe('PNG bytes');
    expect(sends[3]!.file!.bytes.toString()).toBe('XLSX bytes');
    expect(w.puppet.failFiles).toBe(0);
    await until(() => w.h.store.pendingOutbox('zhangyi', Number.MAX_SAFE_INTEGER).length === 0, 'outbox drained');
  });

  it('shows the login QR code on the terminal, as a PNG under DATA_DIR and as a URL in the log', async () => {
    const w = await setup('wx-qr', ALL_ROOMS_YAML, { login: false });
    let drawn = '';
    w.terminal.on('data', (b: Buffer) => void (drawn += b.toString()));
    const url = 'https://login.weixin.qq.com/l/mock-ticket';
    w.mocker.scan(url, ScanStatus.Waiting);
    const file = join(w.h.dataDir, LOGIN_QR_FILE);
    await until(() => w.logger.lines.some((l) => (l.obj as { url?: string }).url === url), 'QR URL logged');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect(drawn).toContain('扫码登录');
    expect(drawn.length).toBeGreaterThan(200);
    await expect(w.chat.sendTo(w.rooms.consult.id, { outboxId: 1, group: 'consult', text: 'x', kind: 'reply', mentions: [], caseId: null })).rejects.toMatchObject({ code: 'not_logged_in', permanent: false });
  });

  it('refuses a bad platforms.wechaty section or a service puppet without its token at start', () => {
    const street = loadTestStreet();
    const base = { env: {}, dataDir: '/tmp', logger: recordingLogger(), onMessage: async () => {} };
    expect(() => createWechatyChat({ ...base, street: { ...street, platforms: { wechaty: { rooms: { nowhere: 'x' } } } } })).toThrow(ConfigError);
    expect(() => createWechatyChat({ ...base, env: { WECHATY_PUPPET: 'wechaty-puppet-service' }, street })).toThrow(/WECHATY_PUPPET_SERVICE_TOKEN/);
  });
});
