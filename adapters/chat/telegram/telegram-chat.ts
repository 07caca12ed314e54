import { existsSync } from 'node:fs';
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import { Bot, GrammyError, InputFile, webhookCallback, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { App } from '../../../bot/app';
import { errorSummary } from '../../../bot/app';
import { parseCommand } from '../../../core/commands';
import type { Logger, OutgoingMessage, PlatformChat } from '../../../core/ports';
import type { Attachment } from '../../../core/types';
import { truncate } from '../../../core/texts';
import { cardKeyboard, parseCardAction, updatedCardText } from './case-card-markup';
import { toChatApiError } from './chat-api-error';
import { commandMenu } from './command-menu';
import { displayName, incomingFromMessage, TELEGRAM } from './incoming-message';
import { incomingPhoto } from './incoming-photo';
import { MAX_CAPTION_CHARS, messageHtml, visibleLength } from './telegram-html';
import type { TelegramSettings } from './telegram-settings';

/** What the adapter uses of the application. */
export type TelegramApp = Pick<App, 'handleMessage' | 'store' | 'config'>;

/** A route on our HTTP server (same shape as the intake server's extra routes). */
export type TelegramHttpRoute = (req: HttpRequest, res: ServerResponse, url: URL) => Promise<boolean>;

export interface TelegramChatOptions {
  settings: TelegramSettings;
  app: TelegramApp;
  logger: Logger;
  /** Epoch ms, for the card's "overdue" mark. Default `Date.now`. */
  clock?: () => number;
  /**
   * Outgoing rate limits (bottleneck options per chat and global). Default: the throttler's own,
   * which follow Telegram's limits (30 messages/s overall; per group 1/s and 20/min).
   */
  throttle?: APIThrottlerOptions;
  /** Longest `retry_after` waited in place, seconds (default 120); a longer one fails the send and the outbound queue retries. */
  maxRetryAfterSeconds?: number;
}

/** Updates the bot asks Telegram for. */
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
/** A button's toast: Telegram shows at most 200 characters. */
const MAX_TOAST_CHARS = 200;

/**
 * Telegram groups through grammY: receives by long polling (grammY runner, updates of one chat in
 * order) or by a webhook route with the secret-token check; sends cards with 认领/状态 buttons and
 * edits a case's card in place on each state change. Every rule stays in the app: a button press
 * is the same `/claim 12` a person could type.
 */
export class TelegramChat implements PlatformChat {
  readonly platform = TELEGRAM;
  readonly bot: Bot;
  /** The webhook route when TELEGRAM_WEBHOOK_URL is set; mount it on the HTTP server. */
  readonly routes: TelegramHttpRoute[];
  private runner: RunnerHandle | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private lastUpdateId = -1;
  private readonly clock: () => number;
  /**
   * The text of a message with a file that is already out, by `outboxId:chatId` → its message id: a
   * retry after the upload failed sends only the file (kept in memory, like WeChat's split parts).
   */
  private readonly textSent = new Map<string, string>();

  constructor(private readonly opts: TelegramChatOptions) {
    const { settings, logger } = opts;
    this.clock = opts.clock ?? Date.now;
    this.bot = new Bot(settings.token, { client: { apiRoot: settings.apiRoot } });
    // Installed last = outermost: a 429 is waited out and the retry queues again behind the throttle.
    this.bot.api.config.use(apiThrottler(opts.throttle));
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: opts.maxRetryAfterSeconds ?? 120, rethrowHttpErrors: true, rethrowInternalServerErrors: true }));

    this.bot.use(async (ctx, next) => {
      const task = next();
      this.inFlight.add(task);
      try {
        await task;
      } finally {
        this.inFlight.delete(task);
        this.lastUpdateId = Math.max(this.lastUpdateId, ctx.update.update_id);
      }
    });
    // One chat's updates in order (a claim typed before a contact is handled first); chats run in parallel.
    this.bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
    this.bot.on('message:text', (ctx) => this.onText(ctx.message));
    this.bot.on('message:photo', (ctx) => this.onPhoto(ctx.message));
    this.bot.on('message:migrate_to_chat_id', (ctx) => void this.rebind(String(ctx.chat.id), String(ctx.message.migrate_to_chat_id)));
    this.bot.on('callback_query:data', (ctx) => this.onButton(ctx));
    this.bot.catch((err) => logger.error({ err: errorSummary(err.error), updateId: err.ctx.update.update_id }, 'telegram update failed'));
    this.routes = settings.webhookPath ? [this.webhookRoute(settings.webhookPath)] : [];
  }

  /** Registers the menu, then long-polls or points Telegram at the webhook. */
  async start(): Promise<void> {
    const { settings, logger } = this.opts;
    try {
      await this.bot.init();
      await this.bot.api.setMyCommands(commandMenu());
      if (settings.webhookUrl) {
        await this.bot.api.setWebhook(settings.webhookUrl, { secret_token: settings.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
      } else {
        await this.bot.api.deleteWebhook();
        this.runner = run(this.bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 } } });
      }
    } catch (err) {
      throw toChatApiError(err);
    }
    logger.info({ username: this.bot.botInfo.username, mode: settings.webhookUrl ? 'webhook' : 'polling' }, 'telegram bot started');
  }

  /** Stops polling, lets running handlers finish, and confirms the last update so a restart does not see it again. */
  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (runner?.isRunning()) await runner.stop();
    await Promise.allSettled([...this.inFlight]);
    if (runner && this.lastUpdateId >= 0) {
      await this.bot.api.getUpdates({ offset: this.lastUpdateId + 1, limit: 1, timeout: 0 }).catch(() => undefined);
    }
  }

  /** The bot's username (after start), for `/claim@Bot`. */
  get username(): string {
    return this.bot.isInited() ? this.bot.botInfo.username : '';
  }

  async sendTo(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      if (msg.kind === 'update' && msg.caseId !== null && !msg.attachment) {
        const edited = await this.editCards(chatId, msg.caseId, msg.text);
        if (edited) return { messageId: edited };
      }
      if (msg.attachment) return await this.postWithFile(chatId, msg, msg.attachment);
      return await this.post(chatId, msg);
    } catch (err) {
      const e = toChatApiError(err);
      if (e.migrateToChatId) this.rebind(chatId, e.migrateToChatId);
      throw e;
    }
  }

  /** One-to-one: Telegram's private chat id is the user id; 403 (never started the bot) is permanent. */
  async sendPrivate(userId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      if (msg.attachment) return await this.postWithFile(userId, { ...msg, mentions: [] }, msg.attachment);
      const sent = await this.bot.api.sendMessage(userId, messageHtml(msg.text), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      return { messageId: String(sent.message_id) };
    } catch (err) {
      const e = toChatApiError(err);
      if (err instanceof GrammyError && (err.error_code === 403 || err.error_code === 400)) throw Object.assign(e, { permanent: true });
      throw e;
    }
  }

  private async post(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    const c = msg.kind === 'card' && msg.caseId !== null ? this.opts.app.store.findCase(msg.caseId) : null;
    const thread = this.opts.settings.threads[msg.group];
    const other = {
      parse_mode: 'HTML' as const,
      reply_markup: c ? cardKeyboard(c) : undefined,
      link_preview_options: { is_disabled: true },
    };
    const html = messageHtml(msg.text, msg.mentions);
    try {
      const sent = await this.bot.api.sendMessage(chatId, html, { ...other, message_thread_id: thread });
      return { messageId: String(sent.message_id) };
    } catch (err) {
      // A topic id configured for a chat that has no such topic: post in the chat itself rather than lose the message.
      if (thread === undefined || !(err instanceof GrammyError && /thread not found/i.test(err.description))) throw err;
      this.opts.logger.warn({ chatId, group: msg.group, thread }, 'configured telegram topic not found; posting without it');
      const sent = await this.bot.api.sendMessage(chatId, html, other);
      return { messageId: String(sent.message_id) };
    }
  }

  /**
   * A message with a picture (sendPhoto) or a file (sendDocument): the text is the caption when it
   * fits Telegram's 1024 characters (one message); otherwise the text goes first and the file after
   * it. Returns the text's message id. A file that no longer exists is left out (logged): the text
   * still arrives rather than the whole message failing for good.
   */
  private async postWithFile(chatId: string, msg: OutgoingMessage, file: Attachment): Promise<{ messageId: string }> {
    if (!existsSync(file.path)) {
      this.opts.logger.warn({ chatId, group: msg.group, file: file.name }, 'attachment file is missing; sending the text alone');
      return this.post(chatId, msg);
    }
    const key = `${msg.outboxId}:${chatId}`;
    const thread = this.opts.settings.threads[msg.group];
    const asCaption = !this.textSent.has(key) && visibleLength(msg.text, msg.mentions) <= MAX_CAPTION_CHARS;
    let textId = this.textSent.get(key) ?? null;
    if (!asCaption && textId === null) {
      textId = (await this.post(chatId, msg)).messageId;
      this.textSent.set(key, textId);
    }
    const other = { message_thread_id: thread, ...(asCaption ? { caption: messageHtml(msg.text, msg.mentions), parse_mode: 'HTML' as const } : {}) };
    const input = new InputFile(file.path, file.name);
    let sent: Message;
    try {
      sent = file.kind === 'image' ? await this.bot.api.sendPhoto(chatId, input, other) : await this.bot.api.sendDocument(chatId, input, other);
    } catch (err) {
      // Refused for good (too large, chat gone): no retry will come for this row and chat.
      if (toChatApiError(err).permanent) this.textSent.delete(key);
      throw err;
    }
    this.textSent.delete(key);
    return { messageId: textId ?? String(sent.message_id) };
  }

  /**
   * Edits the case's card(s) in this chat to the current state; returns the last edited message id,
   * or null when the chat has no card of the case (the update is posted as a new message then).
   */
  private async editCards(chatId: string, caseId: number, latest: string): Promise<string | null> {
    const { store, config } = this.opts.app;
    const cards = store.cardMessages(caseId).filter((r) => r.platform === TELEGRAM && r.chatId === chatId);
    const c = cards.length > 0 ? store.findCase(caseId) : null;
    if (!c) return null;
    const html = messageHtml(updatedCardText(c, store.listEvents(caseId), config, this.clock(), latest));
    let edited: string | null = null;
    for (const card of cards) {
      try {
        // Without reply_markup Telegram removes the keyboard: that is how a closed case loses its buttons.
        await this.bot.api.editMessageText(chatId, Number(card.messageId), html, { parse_mode: 'HTML', reply_markup: cardKeyboard(c), link_preview_options: { is_disabled: true } });
        edited = card.messageId;
      } catch (err) {
        if (err instanceof GrammyError && /message is not modified/i.test(err.description)) edited = card.messageId;
        else if (err instanceof GrammyError && err.error_code === 400 && /message to edit not found|message can't be edited/i.test(err.description)) continue;
        else throw err;
      }
    }
    return edited;
  }

  private async onText(m: Message): Promise<void> {
    const msg = incomingFromMessage(m, this.username);
    if (!msg) return;
    if (!msg.isPrivate) {
      const parsed = parseCommand(msg.text);
      if (parsed.kind === 'command' && parsed.command.name === 'bind') msg.senderIsChatAdmin = await this.isChatAdmin(m.chat.id, m.from!.id);
    }
    await this.opts.app.handleMessage(msg);
  }

  /** A photo: kept with the case its caption or quote names (fetched only then), its caption handled as typed. */
  private async onPhoto(m: Message): Promise<void> {
    const { settings } = this.opts;
    const msg = await incomingPhoto(m, this.username, { api: this.bot.api, apiRoot: settings.apiRoot, token: settings.token });
    if (msg) await this.opts.app.handleMessage(msg);
  }

  /** A press on 认领 / 状态: the same command as typed, answered with a toast. */
  private async onButton(ctx: Context): Promise<void> {
    const q = ctx.callbackQuery!;
    const action = parseCardAction(q.data ?? '');
    const chat = q.message?.chat;
    let toast = '';
    if (action && chat) {
      try {
        const result = await this.opts.app.handleMessage(
          {
            platform: TELEGRAM,
            chatId: String(chat.id),
            sender: { id: String(q.from.id), name: displayName(q.from) || String(q.from.id) },
            isPrivate: chat.type === 'private',
            text: `/${action.action} ${action.caseId}`,
          },
          { quietRefusals: true },
        );
        toast = result ? result.message : '本群还没有绑定，按钮暂不可用。';
      } catch (err) {
        this.opts.logger.error({ err: errorSummary(err), caseId: action.caseId }, 'telegram button failed');
        toast = '操作失败，请稍后再试。';
      }
    }
    await ctx.answerCallbackQuery(toast ? { text: truncate(toast, MAX_TOAST_CHARS - 1) } : undefined).catch((err) => this.opts.logger.warn({ err: errorSummary(err) }, 'answerCallbackQuery failed'));
  }

  /** Telegram chat creators and administrators may bind their chat without a code. */
  private async isChatAdmin(chatId: number, userId: number): Promise<boolean> {
    try {
      const member = await this.bot.api.getChatMember(chatId, userId);
      return member.status === 'creator' || member.status === 'administrator';
    } catch (err) {
      this.opts.logger.warn({ err: errorSummary(err), chatId }, 'getChatMember failed; treating the sender as a member');
      return false;
    }
  }

  /** A group became a supergroup (new chat id): its binding moves along. */
  private rebind(oldChatId: string, newChatId: string): void {
    const { store } = this.opts.app;
    const group = store.groupForChat(TELEGRAM, oldChatId);
    if (!group) return;
    store.transaction(() => {
      store.bindChat(TELEGRAM, newChatId, group, null, this.clock());
      store.unbindChat(TELEGRAM, oldChatId);
    });
    this.opts.logger.info({ oldChatId, newChatId, group }, 'telegram group migrated to a supergroup; binding moved');
  }

  private webhookRoute(path: string): TelegramHttpRoute {
    const handle = webhookCallback(this.bot, 'http', { secretToken: this.opts.settings.webhookSecret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
    return async (req, res, url) => {
      if (url.pathname !== path) return false;
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end();
        return true;
      }
      await handle(req, res);
      return true;
    };
  }
}
