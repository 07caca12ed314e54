/**
 * A fake Telegram Bot API server on 127.0.0.1 for the real grammY client (`client.apiRoot`).
 * It answers what the adapter calls (getMe, getUpdates with a short long-poll, deleteWebhook,
 * setWebhook, setMyCommands, getFile (and the file download path), sendMessage, sendPhoto and sendDocument (multipart uploads, as grammY
 * sends an `InputFile`), editMessageText, editMessageReplyMarkup, answerCallbackQuery,
 * getChatMember, getChatAdministrators), keeps the chats' messages as Telegram
 * would (an edit without `reply_markup` drops the keyboard; an identical edit is "not modified"),
 * records every call, and can answer a 429 with `retry_after` or a 403 "bot was kicked".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded Bot API call. */
export interface RecordedCall {
  method: string;
  body: Record<string, any>;
  /** Epoch ms when it arrived. */
  at: number;
  /** Whether it was answered with ok: true. */
  ok: boolean;
}

/** A message as the fake keeps it per chat. */
export interface FakeMessage {
  chatId: number;
  messageId: number;
  text: string;
  replyMarkup: any;
  threadId: number | undefined;
  fromBot: boolean;
  /** A photo or document the bot uploaded; `text` is then its caption. */
  file?: UploadedFile & { kind: 'photo' | 'document' };
}

/** A file part of a multipart upload. */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
}

type Failure = { error_code: number; description: string; parameters?: Record<string, unknown> };

/** How long an empty getUpdates waits for an update before answering `[]` (a short long poll). */
const LONG_POLL_MS = 300;

export class FakeTelegramServer {
  readonly calls: RecordedCall[] = [];
  readonly bot: FakeUser & { is_bot: true };
  private server: Server | null = null;
  private port = 0;
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private nextCallbackId = 1;
  private readonly updates: any[] = [];
  private pollers: (() => void)[] = [];
  private readonly messages = new Map<string, FakeMessage>();
  private readonly failures: { method: string; chatId?: number; failure: Failure }[] = [];
  private readonly kicked = new Set<number>();
  private readonly admins = new Map<number, Set<number>>();
  private readonly rateLimits = new Map<number, { gapMs: number; last: number }>();
  /** Files users sent (photos), by file_id: where getFile says they are, and their bytes. */
  private readonly files = new Map<string, { path: string; bytes: Uint8Array }>();

  constructor(readonly token: string, username = 'jiesu_test_bot') {
    this.bot = { id: 424242, is_bot: true, first_name: '接诉即办', username };
  }

  /** The apiRoot to give grammY. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const wake of this.pollers) wake();
    this.pollers = [];
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ------------------------------------------------------------ test controls

  /** Calls of one method (in arrival order), optionally only those that succeeded. */
  callsOf(method: string, opts: { okOnly?: boolean } = {}): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (!opts.okOnly || c.ok));
  }

  /** Messages the bot has in a chat now (after edits), oldest first. */
  botMessages(chatId: number): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.chatId === chatId && m.fromBot).sort((a, b) => a.messageId - b.messageId);
  }

  message(chatId: number, messageId: number): FakeMessage | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  /** The next `method` call (to `chatId`, if given) is refused with `failure`. */
  failNext(method: string, failure: Failure, chatId?: number): void {
    this.failures.push({ method, chatId, failure });
  }

  /** From now on every call to this chat answers 403 "bot was kicked". */
  kick(chatId: number): void {
    this.kicked.add(chatId);
  }

  /** Like Telegram's flood control: a sendMessage to this chat within `gapMs` of the last accepted one gets 429 retry_after 1. */
  limitRate(chatId: number, gapMs: number): void {
    this.rateLimits.set(chatId, { gapMs, last: 0 });
  }

  makeAdmin(chatId: number, userId: number): void {
    if (!this.admins.has(chatId)) this.admins.set(chatId, new Set());
    this.admins.get(chatId)!.add(userId);
  }

  /**
   * Queues a photo from `from` (its bytes served at getFile's file_path), with an optional caption
   * and quote. Telegram lists a photo's sizes smallest first; the fake gives a thumbnail and the photo.
   */
  photo(chatId: number, from: FakeUser, bytes: Uint8Array, extra: { caption?: string; captionEntities?: any[]; replyTo?: number } = {}): any {
    const fileId = `photo-${this.files.size + 1}`;
    this.files.set(fileId, { path: `photos/file_${this.files.size}.jpg`, bytes });
    this.files.set(`${fileId}-thumb`, { path: `photos/file_${this.files.size}_thumb.jpg`, bytes: bytes.slice(0, 4) });
    const update = this.say(chatId, from, '', { replyTo: extra.replyTo, queue: false });
    const { text: _t, entities: _e, ...message } = update.message;
    update.message = {
      ...message,
      photo: [
        { file_id: `${fileId}-thumb`, file_unique_id: `u-${fileId}-thumb`, width: 90, height: 90, file_size: 4 },
        { file_id: fileId, file_unique_id: `u-${fileId}`, width: 1280, height: 960, file_size: bytes.length },
      ],
      ...(extra.caption !== undefined ? { caption: extra.caption } : {}),
      ...(extra.captionEntities ? { caption_entities: extra.captionEntities } : {}),
    };
    this.push(update);
    return update;
  }

  /** Builds (and by default queues for getUpdates) a text message from `from` in a supergroup; `entities` adds e.g. a `text_mention`. */
  say(chatId: number, from: FakeUser, text: string, extra: { replyTo?: number; threadId?: number; queue?: boolean; entities?: any[] } = {}): any {
    const messageId = ++this.nextMessageId;
    const command = /^\/\S+/.exec(text);
    const replied = extra.replyTo !== undefined ? this.messages.get(`${chatId}:${extra.replyTo}`) : undefined;
    const message: any = {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'supergroup', title: `群 ${chatId}` },
      from: { ...from, is_bot: false },
      text,
      ...(command || extra.entities ? { entities: [...(command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : []), ...(extra.entities ?? [])] } : {}),
      ...(extra.threadId !== undefined ? { message_thread_id: extra.threadId, is_topic_message: true } : {}),
      ...(extra.replyTo !== undefined
        ? { reply_to_message: { message_id: extra.replyTo, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'supergroup', title: `群 ${chatId}` }, from: replied?.fromBot === false ? undefined : this.bot, text: replied?.text ?? '' } }
        : {}),
    };
    this.messages.set(`${chatId}:${messageId}`, { chatId, messageId, text, replyMarkup: undefined, threadId: extra.threadId, fromBot: false });
    const update = { update_id: this.nextUpdateId++, message };
    if (extra.queue !== false) this.push(update);
    return update;
  }

  /** Builds (and by default queues) a press on an inline button of a bot message. Returns the update. */
  press(chatId: number, from: FakeUser, messageId: number, data: string, opts: { queue?: boolean } = {}): any {
    const m = this.messages.get(`${chatId}:${messageId}`);
    const update = {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: `cb-${this.nextCallbackId++}`,
        from: { ...from, is_bot: false },
        chat_instance: `ci-${chatId}`,
        data,
        message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'supergroup', title: `群 ${chatId}` }, from: this.bot, text: m?.text ?? '' },
      },
    };
    if (opts.queue !== false) this.push(update);
    return update;
  }

  /** Queues a service message in a chat (e.g. `{ migrate_to_chat_id }` when a group becomes a supergroup). */
  service(chatId: number, from: FakeUser, fields: Record<string, unknown>): void {
    const message = { message_id: ++this.nextMessageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'group', title: `群 ${chatId}` }, from: { ...from, is_bot: false }, ...fields };
    this.push({ update_id: this.nextUpdateId++, message });
  }

  /** Queues several updates so one getUpdates returns them together. */
  pushAll(updates: any[]): void {
    for (const u of updates) this.updates.push(u);
    this.wake();
  }

  private push(update: any): void {
    this.updates.push(update);
    this.wake();
  }

  private wake(): void {
    const pollers = this.pollers;
    this.pollers = [];
    for (const wake of pollers) wake();
  }

  // ------------------------------------------------------------ the API

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    // Files a bot downloads after getFile: /file/bot<token>/<file_path>.
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
    if (download) return this.serveFile(res, download[1]!, decodeURIComponent(download[2]!));
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== this.token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    let body: Record<string, any> = {};
    const boundary = /^multipart\/form-data;\s*boundary=(.+)$/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (boundary) {
      body = parseMultipart(rawBytes, boundary);
    } else if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: fake server reads JSON bodies only' });
      }
    }
    const call: RecordedCall = { method, body, at: Date.now(), ok: false };
    this.calls.push(call);
    const answer = (result: unknown) => {
      call.ok = true;
      send(res, 200, { ok: true, result });
    };
    const fail = (f: Failure) => send(res, f.error_code, { ok: false, ...f });

    const chatId = body.chat_id !== undefined ? Number(body.chat_id) : undefined;
    const injected = this.failures.findIndex((f) => f.method === method && (f.chatId === undefined || f.chatId === chatId));
    if (injected >= 0) return fail(this.failures.splice(injected, 1)[0]!.failure);
    if (chatId !== undefined && this.kicked.has(chatId)) return fail({ error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });

    switch (method) {
      case 'getMe':
        return answer({ ...this.bot, can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false });
      case 'getUpdates':
        return answer(await this.getUpdates(body, res));
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'answerCallbackQuery':
        return answer(true);
      case 'sendMessage': {
        const limit = this.rateLimits.get(chatId!);
        if (limit && call.at - limit.last < limit.gapMs) return fail({ error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
        if (limit) limit.last = call.at;
        const messageId = ++this.nextMessageId;
        const stored: FakeMessage = { chatId: chatId!, messageId, text: String(body.text), replyMarkup: body.reply_markup, threadId: body.message_thread_id, fromBot: true };
        this.messages.set(`${chatId}:${messageId}`, stored);
        return answer(this.asMessage(stored));
      }
      case 'sendPhoto':
      case 'sendDocument': {
        const kind = method === 'sendPhoto' ? 'photo' : 'document';
        const file = body[kind];
        if (!file || typeof file !== 'object') return fail({ error_code: 400, description: `Bad Request: there is no ${kind} in the request` });
        const messageId = ++this.nextMessageId;
        const stored: FakeMessage = { chatId: chatId!, messageId, text: body.caption === undefined ? '' : String(body.caption), replyMarkup: undefined, threadId: body.message_thread_id === undefined ? undefined : Number(body.message_thread_id), fromBot: true, file: { kind, ...(file as UploadedFile) } };
        this.messages.set(`${chatId}:${messageId}`, stored);
        return answer(this.asMessage(stored));
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const stored = this.messages.get(`${chatId}:${body.message_id}`);
        if (!stored || !stored.fromBot) return fail({ error_code: 400, description: 'Bad Request: message to edit not found' });
        const text = method === 'editMessageText' ? String(body.text) : stored.text;
        if (text === stored.text && JSON.stringify(body.reply_markup ?? null) === JSON.stringify(stored.replyMarkup ?? null)) {
          return fail({ error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' });
        }
        stored.text = text;
        stored.replyMarkup = body.reply_markup;
        return answer(this.asMessage(stored));
      }
      case 'getChatMember': {
        const isAdmin = this.admins.get(chatId!)?.has(Number(body.user_id)) ?? false;
        return answer({ status: isAdmin ? 'administrator' : 'member', user: { id: Number(body.user_id), is_bot: false, first_name: 'u' }, ...(isAdmin ? { can_be_edited: false, is_anonymous: false } : {}) });
      }
      case 'getFile': {
        const file = this.files.get(String(body.file_id));
        if (!file) return fail({ error_code: 400, description: 'Bad Request: invalid file_id' });
        return answer({ file_id: body.file_id, file_unique_id: `u-${body.file_id}`, file_size: file.bytes.length, file_path: file.path });
      }
      case 'getChatAdministrators':
        return answer([...(this.admins.get(chatId!) ?? [])].map((id) => ({ status: 'administrator', user: { id, is_bot: false, first_name: 'u' }, can_be_edited: false, is_anonymous: false })));
      default:
        return fail({ error_code: 404, description: `Not Found: method ${method} is not in the fake` });
    }
  }

  /** Drops updates below `offset` (confirmed), returns what is left, or waits a short while for more. */
  private async getUpdates(body: Record<string, any>, res: ServerResponse): Promise<any[]> {
    const offset = Number(body.offset ?? 0);
    const limit = Math.max(1, Math.min(100, Number(body.limit ?? 100)));
    const take = () => {
      while (this.updates.length > 0 && this.updates[0].update_id < offset) this.updates.shift();
      return this.updates.slice(0, limit);
    };
    let batch = take();
    if (batch.length === 0 && Number(body.timeout ?? 0) > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, LONG_POLL_MS);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.pollers.push(done);
        // The client gave up (grammY runner stopping): answer nothing more.
        res.once('close', done);
      });
      batch = take();
    }
    return batch;
  }

  /** GET /file/bot<token>/<file_path>: the bytes of a file a user sent. */
  private serveFile(res: ServerResponse, token: string, path: string): void {
    const file = token === this.token ? [...this.files.values()].find((f) => f.path === path) : undefined;
    this.calls.push({ method: 'file', body: { path }, at: Date.now(), ok: file !== undefined });
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(file.bytes.length) }).end(Buffer.from(file.bytes));
  }

  private asMessage(m: FakeMessage): any {
    return {
      message_id: m.messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: m.chatId, type: 'supergroup', title: `群 ${m.chatId}` },
      from: this.bot,
      ...(m.file
        ? m.file.kind === 'photo'
          ? { photo: [{ file_id: `photo-${m.messageId}`, file_unique_id: `p${m.messageId}`, width: 800, height: 600, file_size: m.file.bytes.length }], caption: m.text }
          : { document: { file_id: `doc-${m.messageId}`, file_unique_id: `d${m.messageId}`, file_name: m.file.filename, file_size: m.file.bytes.length }, caption: m.text }
        : { text: m.text }),
      ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
      ...(m.threadId !== undefined ? { message_thread_id: m.threadId } : {}),
    };
  }
}

/**
 * multipart/form-data as grammY writes it: plain fields become strings; a file field holds
 * `attach://<id>` and the part named `<id>` carries the bytes, so the field becomes `{ filename, bytes }`.
 */
function parseMultipart(raw: Buffer, boundary: string): Record<string, any> {
  const fields: Record<string, any> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    // Between the delimiter's CRLF and the CRLF before the next delimiter.
    const part = raw.subarray(start + 2, next - 2);
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString('utf8');
    const content = part.subarray(headEnd + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="?([^"\r\n]*)"?/i.exec(head)?.[1];
    if (filename !== undefined) files.set(name, { filename, bytes: Buffer.from(content) });
    else fields[name] = content.toString('utf8');
    at = next;
  }
  for (const [key, value] of Object.entries(fields)) {
    const attach = typeof value === 'string' ? /^attach:\/\/(.+)$/.exec(value) : null;
    if (attach && files.has(attach[1]!)) fields[key] = files.get(attach[1]!);
  }
  return fields;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Starts a fake Bot API server for `token`. */
export function startFakeTelegram(token: string, username?: string): Promise<FakeTelegramServer> {
  return new FakeTelegramServer(token, username).start();
}
