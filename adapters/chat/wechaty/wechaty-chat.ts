import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { FileBox } from 'file-box';
import { ScanStatus, types, type Wechaty } from 'wechaty';
import type { Contact, Message, Room } from 'wechaty';
import { errorSummary } from '../../../bot/app';
import type { IncomingMessage, Logger, OutgoingMessage, PlatformChat } from '../../../core/ports';
import type { Attachment } from '../../../core/types';
import { showLoginQr } from './login-qr';
import { RoomTopicBindings } from './room-topic-bindings';
import { SendPacer } from './send-pacer';
import { splitText } from './split-text';
import { parseWechatQuote } from './wechat-quote';
import { PendingPhotos, photoMime } from './wechat-photo';
import { WechatyChatError } from './wechaty-chat-error';
import type { WechatySettings } from './wechaty-settings';

/**
 * The WeChat chat adapter (SPEC "three groups", issue 3), on any Wechaty puppet.
 *
 * In: a text message in a room becomes an {@link IncomingMessage} with the room id as chat id, the
 * contact id as sender id and the room alias (else the WeChat name) as sender name; a quote-reply's
 * quoted case number becomes `quotedCaseId`; private chats are marked `isPrivate`; the bot's own
 * messages and non-text messages are dropped. Messages of one chat are handled one after another.
 *
 * Out: {@link sendTo} paces itself (per room and per account, see {@link SendPacer}), splits long
 * texts, and @-mentions people for real where they are in the room. It throws a transient
 * {@link WechatyChatError} while logged out, so the message waits in the outbox and the queue
 * retries once Wechaty has reconnected.
 */
export interface WechatyChatOptions {
  /** The Wechaty instance, from {@link buildWechaty}. Not started yet. */
  bot: Wechaty;
  /** `platforms.wechaty`, validated by {@link parseWechatySettings}. */
  settings: WechatySettings;
  /** Hands a message to the app (`app.handleMessage`). */
  onMessage: (msg: IncomingMessage) => Promise<void>;
  logger: Logger;
  /** Where the login QR code PNG is saved (DATA_DIR). */
  dataDir: string;
  /** Where the login QR code is drawn (default: stderr; stdout belongs to the console chat). */
  terminal?: Writable;
  /** Pacing; default built from `settings.rate`. */
  pacer?: SendPacer;
}

/** Consecutive sends that found no such room or contact before the chat counts as gone. */
const MISSING_BEFORE_GONE = 3;
/** How many recent message ids are remembered to drop a message a puppet delivers twice. */
const SEEN_MESSAGES = 1000;
/** The same Wechaty error is logged at most once a minute. */
const ERROR_LOG_EVERY_MS = 60_000;

export class WechatyChat implements PlatformChat {
  readonly platform = 'wechaty';
  private readonly bot: Wechaty;
  private readonly logger: Logger;
  private readonly topics: RoomTopicBindings;
  private readonly pacer: SendPacer;
  /** Contact ids that wrote to the bot privately: answers go to them, not to a room. */
  private readonly privateChats = new Set<string>();
  /** Rooms the bot was removed from (room-leave with the bot among the leavers). */
  private readonly goneRooms = new Set<string>();
  private readonly missing = new Map<string, number>();
  /** Parts of a split message already delivered, by `outboxId:chatId`: a retry sends only the rest. */
  private readonly partsSent = new Map<string, { count: number; firstId: string }>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly seen: string[] = [];
  /** Photos waiting for their sender's words (WeChat sends them as two messages). */
  private readonly photos = new PendingPhotos();
  private readonly seenSet = new Set<string>();
  private messageSeq = 0;
  private readonly errorsLogged = new Map<string, { at: number; repeated: number }>();

  constructor(private readonly opts: WechatyChatOptions) {
    this.bot = opts.bot;
    this.logger = opts.logger;
    this.topics = new RoomTopicBindings(opts.settings.rooms);
    this.pacer = opts.pacer ?? new SendPacer({ perRoomMs: opts.settings.rate.perRoomMs, perMinute: opts.settings.rate.perMinute });
  }

  /** Rooms bound to `group` by their topic in the YAML (stored bindings are the router's business). */
  staticChatIds(group: string): string[] {
    return this.topics.chatIds(group).filter((id) => !this.goneRooms.has(id));
  }

  /** True while the puppet is logged in (sending works). */
  get loggedIn(): boolean {
    return this.bot.isLoggedIn;
  }

  /** Wires the events and starts Wechaty (and its puppet). Login happens later, when someone scans. */
  async start(): Promise<void> {
    const bot = this.bot;
    bot.on('scan', (qrcode, status) => void this.onScan(qrcode, status));
    bot.on('login', (user) => {
      this.logger.info({ account: user.name() }, 'WeChat logged in; sending resumes');
      void this.resolveRooms();
    });
    bot.on('logout', (user, reason) => {
      this.logger.warn({ account: user.name(), reason: reason ?? null }, 'WeChat logged out: sending paused, messages stay queued until it logs in again');
    });
    bot.on('ready', () => void this.resolveRooms());
    bot.on('error', (err) => this.logError(err));
    bot.on('message', (message) => this.enqueue(message));
    bot.on('room-topic', (room, topic) => {
      if (this.topics.observe(room.id, topic)) this.logTopicBinding(topic);
    });
    bot.on('room-leave', (room, leavers) => {
      if (leavers.some((c) => c.id === this.selfId())) {
        this.goneRooms.add(room.id);
        this.logger.warn({ chatId: room.id }, 'the bot was removed from a WeChat room');
      }
    });
    bot.on('room-join', (room, invitees) => {
      if (invitees.some((c) => c.id === this.selfId())) this.goneRooms.delete(room.id);
    });
    await bot.start();
  }

  async stop(): Promise<void> {
    await this.bot.stop();
  }

  /**
   * Looks the YAML's room topics up among the rooms the puppet knows (at login and when the puppet
   * is ready; also callable by hand). Each topic must name exactly one room to bind it.
   */
  async resolveRooms(): Promise<void> {
    if (!this.bot.isLoggedIn) return;
    for (const topic of this.topics.topics()) {
      try {
        const rooms = await this.bot.Room.findAll({ topic });
        this.topics.replace(topic, rooms.map((r) => r.id));
        this.logTopicBinding(topic);
      } catch (err) {
        this.logger.warn({ topic, err: errorSummary(err) }, 'could not look up a WeChat room by topic');
      }
    }
  }

  async sendTo(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.goneRooms.has(chatId)) throw new WechatyChatError('chat_gone', 'the bot is no longer in this WeChat room');
    this.ensureLoggedIn();
    const target = await this.findConversation(chatId);
    // The text (split when long), then the picture or file as one more part: a retry resumes after what was sent.
    const parts: (string | Attachment)[] = splitText(msg.text, this.opts.settings.maxChars);
    if (msg.attachment) parts.push(msg.attachment);
    const key = `${msg.outboxId}:${chatId}`;
    const done = this.partsSent.get(key) ?? { count: 0, firstId: '' };
    for (let i = done.count; i < parts.length; i++) {
      await this.pacer.wait(chatId);
      try {
        this.ensureLoggedIn();
        const part = parts[i]!;
        const id = typeof part === 'string' ? await this.say(target, part, i === 0 ? msg.mentions : []) : await this.sayFile(target, part);
        if (i === 0) done.firstId = id;
        done.count = i + 1;
        this.partsSent.set(key, done);
      } finally {
        this.pacer.sent(chatId);
      }
    }
    this.partsSent.delete(key);
    return { messageId: done.firstId };
  }

  // ------------------------------------------------------------------ sending

  private ensureLoggedIn(): void {
    if (!this.bot.isLoggedIn) throw new WechatyChatError('not_logged_in', 'WeChat is not logged in; the message stays queued');
  }

  private selfId(): string | null {
    return this.bot.isLoggedIn ? this.bot.currentUser.id : null;
  }

  /** The room (or, for a private answer, the contact) behind a chat id. */
  private async findConversation(chatId: string): Promise<{ room: Room } | { contact: Contact }> {
    if (this.privateChats.has(chatId)) {
      const contact = await this.bot.Contact.find({ id: chatId });
      if (contact) return { contact };
    } else {
      const room = await this.bot.Room.find({ id: chatId });
      if (room) {
        this.missing.delete(chatId);
        return { room };
      }
      // Not a room: an answer to a private chat from before a restart.
      const contact = await this.bot.Contact.find({ id: chatId }).catch(() => undefined);
      if (contact) {
        this.privateChats.add(chatId);
        return { contact };
      }
    }
    // A room bound by topic whose id changed (a new login): look again, and let the queue retry.
    if (this.topics.groupOf(chatId) !== null) {
      void this.resolveRooms();
      throw new WechatyChatError('chat_not_found', 'WeChat room not found; looking its topic up again');
    }
    const misses = (this.missing.get(chatId) ?? 0) + 1;
    this.missing.set(chatId, misses);
    if (misses >= MISSING_BEFORE_GONE) {
      this.missing.delete(chatId);
      throw new WechatyChatError('chat_gone', `WeChat room or contact not found ${misses} times in a row`);
    }
    throw new WechatyChatError('chat_not_found', 'WeChat room or contact not found');
  }

  /** Sends one text; returns the platform's message id (a local one when the puppet gives none). */
  private async say(target: { room: Room } | { contact: Contact }, text: string, mentions: { id: string; name: string }[]): Promise<string> {
    let sent: Message | void;
    try {
      if ('room' in target) {
        const { contacts, plain } = mentions.length > 0 ? await this.mentionTargets(target.room, mentions) : { contacts: [], plain: [] };
        const body = plain.length > 0 ? `${plain.join(' ')} ${text}` : text;
        sent = await target.room.say(body, ...contacts);
      } else {
        sent = await target.contact.say(text);
      }
    } catch (err) {
      if (!this.bot.isLoggedIn) throw new WechatyChatError('not_logged_in', 'WeChat logged out while sending; the message stays queued', { cause: err });
      // Refused, and the room's member list (when the puppet knows it) lacks the bot: it was removed
      // while no room-leave event reached us.
      if ('room' in target) {
        const memberIds = await this.memberIds(target.room);
        const self = this.selfId();
        if (memberIds.length > 0 && self && !memberIds.includes(self)) {
          this.goneRooms.add(target.room.id);
          throw new WechatyChatError('chat_gone', 'the bot is no longer in this WeChat room', { cause: err });
        }
      }
      throw new WechatyChatError('send_failed', `WeChat refused or failed the send: ${errorSummary(err).message}`, { cause: err });
    }
    return sent?.id ?? `local-${Date.now().toString(36)}-${++this.messageSeq}`;
  }

  /**
   * Sends a picture or file (FileBox from the saved path, under its display name). A file that no
   * longer exists is logged and skipped: the text already went out, and no retry can bring it back.
   */
  private async sayFile(target: { room: Room } | { contact: Contact }, file: Attachment): Promise<string> {
    if (!existsSync(file.path)) {
      this.logger.warn({ file: file.name }, 'attachment file is missing; the text went without it');
      return '';
    }
    try {
      const box = FileBox.fromFile(file.path, file.name);
      const sent = 'room' in target ? await target.room.say(box) : await target.contact.say(box);
      return sent?.id ?? `local-${Date.now().toString(36)}-${++this.messageSeq}`;
    } catch (err) {
      if (!this.bot.isLoggedIn) throw new WechatyChatError('not_logged_in', 'WeChat logged out while sending a file; it stays queued', { cause: err });
      throw new WechatyChatError('send_failed', `WeChat refused or failed the file: ${errorSummary(err).message}`, { cause: err });
    }
  }

  /**
   * Who of `mentions` can be @-mentioned for real: by contact id among the room's members, else by
   * name or room alias in the room; the rest are written as plain `@name`.
   */
  private async mentionTargets(room: Room, mentions: { id: string; name: string }[]): Promise<{ contacts: Contact[]; plain: string[] }> {
    const memberIds = await this.memberIds(room);
    const contacts: Contact[] = [];
    const plain: string[] = [];
    for (const m of mentions) {
      const found =
        (memberIds.includes(m.id) ? await this.bot.Contact.find({ id: m.id }).catch(() => undefined) : undefined) ??
        (await room.member({ name: m.name }).catch(() => undefined)) ??
        (await room.member({ roomAlias: m.name }).catch(() => undefined));
      if (found) {
        if (!contacts.some((c) => c.id === found.id)) contacts.push(found);
      } else if (!plain.includes(`@${m.name}`)) {
        plain.push(`@${m.name}`);
      }
    }
    return { contacts, plain };
  }

  /** Ids of a room's members (empty when the puppet cannot tell). Ids only: no contact is loaded. */
  private async memberIds(room: Room): Promise<string[]> {
    return this.bot.puppet.roomMemberList(room.id).catch(() => [] as string[]);
  }

  // ------------------------------------------------------------------ receiving

  /** Handles messages of one chat in arrival order; different chats run side by side. */
  private enqueue(message: Message): void {
    if (this.seenBefore(message.id)) return;
    const room = message.room();
    const chatKey = room ? room.id : `contact:${message.talker().id}`;
    const next = (this.chains.get(chatKey) ?? Promise.resolve()).then(() =>
      this.receive(message).catch((err) => this.logger.error({ err: errorSummary(err) }, 'handling a WeChat message failed')),
    );
    this.chains.set(chatKey, next);
    void next.then(() => {
      if (this.chains.get(chatKey) === next) this.chains.delete(chatKey);
    });
  }

  private seenBefore(id: string): boolean {
    if (this.seenSet.has(id)) return true;
    this.seenSet.add(id);
    this.seen.push(id);
    if (this.seen.length > SEEN_MESSAGES) this.seenSet.delete(this.seen.shift()!);
    return false;
  }

  private async receive(message: Message): Promise<void> {
    if (message.self()) return;
    if (message.type() === types.Message.Image) return this.holdPhoto(message);
    if (message.type() !== types.Message.Text) return;
    const talker = message.talker();
    const room = message.room();
    let name = talker.name();
    let group: string | null = null;
    if (room) {
      const topic = await room.topic();
      if (this.topics.observe(room.id, topic)) this.logTopicBinding(topic);
      this.goneRooms.delete(room.id); // a room's messages reach only its members: the bot is back in it
      group = this.topics.groupOf(room.id);
      name = (await room.alias(talker).catch(() => undefined)) || name;
    } else {
      this.privateChats.add(talker.id);
    }
    const raw = message.text();
    const quote = parseWechatQuote(raw);
    const text = await this.withoutSelfMention(quote ? quote.text : raw, room);
    const photo = room ? await this.photos.take(room.id, talker.id, Date.now()).catch((err) => (this.opts.logger.warn({ err: errorSummary(err) }, 'wechat photo not fetched'), null)) : null;
    await this.opts.onMessage({
      platform: this.platform,
      chatId: room ? room.id : talker.id,
      group,
      sender: { id: talker.id, name },
      isPrivate: !room,
      text,
      mentions: room ? await this.mentionsOf(message, room) : [],
      ...(quote ? { quotedCaseId: quote.quotedCaseId } : {}),
      ...(photo ? { media: photo } : {}),
    });
  }

  /** A photo in a room waits for its sender's next words there (WeChat cannot caption an image). */
  private holdPhoto(message: Message): void {
    const room = message.room();
    if (!room) return;
    this.photos.hold(room.id, message.talker().id, Date.now(), async () => {
      const box = await message.toFileBox();
      return { bytes: new Uint8Array(await box.toBuffer()), mime: photoMime(box.mediaType, box.name) };
    });
  }

  /** The people @-mentioned in a room message (not the bot), with their contact ids. */
  private async mentionsOf(message: Message, room: Room): Promise<{ id: string; name: string }[]> {
    const list = await message.mentionList().catch(() => [] as Contact[]);
    const self = this.selfId();
    const out: { id: string; name: string }[] = [];
    for (const c of list) {
      if (c.id === self) continue;
      out.push({ id: c.id, name: (await room.alias(c).catch(() => undefined)) || c.name() });
    }
    return out;
  }

  /** One-to-one to a contact (a friend of the bot's account); a stranger cannot be written to. */
  async sendPrivate(userId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    this.ensureLoggedIn();
    const contact = await this.bot.Contact.find({ id: userId }).catch(() => undefined);
    if (!contact || (typeof contact.friend === 'function' && contact.friend() === false)) {
      throw Object.assign(new WechatyChatError('chat_not_found', 'not a friend of the bot: cannot write privately'), { permanent: true });
    }
    this.privateChats.add(userId);
    return this.sendTo(userId, { ...msg, mentions: [] });
  }

  /** `@机器人 认领 3` → `认领 3`: people address the bot before the command. */
  private async withoutSelfMention(text: string, room: Room | undefined): Promise<string> {
    if (!this.bot.isLoggedIn || !text.startsWith('@')) return text;
    const self = this.bot.currentUser;
    const names = [self.name()];
    if (room) {
      const alias = await room.alias(self).catch(() => undefined);
      if (alias) names.push(alias);
    }
    for (const n of names) {
      const m = new RegExp(`^@${escapeRegExp(n)}(?:[\\u2005\\u0020]+|$)`).exec(text);
      if (m) return text.slice(m[0].length).trim();
    }
    return text;
  }

  // ------------------------------------------------------------------ login

  private async onScan(qrcode: string, status: ScanStatus): Promise<void> {
    if ((status === ScanStatus.Waiting || status === ScanStatus.Timeout) && qrcode) {
      await showLoginQr(qrcode, { dataDir: this.opts.dataDir, terminal: this.opts.terminal ?? process.stderr, logger: this.logger });
    } else {
      this.logger.info({ status: ScanStatus[status] }, 'WeChat login scan status');
    }
  }

  /**
   * Puppets report a network drop as a burst of identical errors while they reconnect: log each
   * distinct message at most once per {@link ERROR_LOG_EVERY_MS}, with how often it came meanwhile.
   */
  private logError(err: unknown): void {
    const summary = errorSummary(err);
    const now = Date.now();
    const last = this.errorsLogged.get(summary.message);
    if (last && now - last.at < ERROR_LOG_EVERY_MS) {
      last.repeated++;
      return;
    }
    if (this.errorsLogged.size > 200) this.errorsLogged.clear();
    this.errorsLogged.set(summary.message, { at: now, repeated: 0 });
    this.logger.warn({ err: summary, repeatedSinceLastLog: last?.repeated ?? 0 }, 'wechaty error');
  }

  private logTopicBinding(topic: string): void {
    const rooms = this.topics.roomsWithTopic(topic);
    if (rooms.length > 1) this.logger.error({ topic, rooms: rooms.length }, 'several WeChat rooms have a topic bound in the YAML: none of them is bound; rename them or bind with a code');
    else if (rooms.length === 1) this.logger.info({ topic, chatId: rooms[0] }, 'WeChat room bound by its topic');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
