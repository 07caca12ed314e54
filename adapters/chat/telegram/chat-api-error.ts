import { GrammyError, HttpError } from 'grammy';

/**
 * Errors by origin: a chat platform's API refused or could not be reached. `code` is stable (logs,
 * tests), `cause` keeps the original. The router reads `permanent` (do not retry) and `chatGone`
 * (the bot is no longer in the chat: unbind it and tell consult).
 */
export class ChatApiError extends Error {
  constructor(
    /** Stable reason: `chat_gone`, `chat_migrated`, `rate_limited`, `bad_request`, `unauthorized`, `server`, `network`. */
    readonly code: ChatApiErrorCode,
    message: string,
    opts: { cause: unknown; permanent: boolean; chatGone?: boolean; method?: string; migrateToChatId?: string },
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ChatApiError';
    this.permanent = opts.permanent;
    this.chatGone = opts.chatGone ?? false;
    this.method = opts.method ?? null;
    this.migrateToChatId = opts.migrateToChatId ?? null;
  }
  /** A retry cannot help (the queue marks the message failed instead of retrying). */
  readonly permanent: boolean;
  /** The bot was removed from the chat, or the chat no longer exists. */
  readonly chatGone: boolean;
  /** The Bot API method that failed. */
  readonly method: string | null;
  /** A group upgraded to a supergroup: its new chat id (Telegram's `migrate_to_chat_id`). */
  readonly migrateToChatId: string | null;
}

export type ChatApiErrorCode = 'chat_gone' | 'chat_migrated' | 'rate_limited' | 'bad_request' | 'unauthorized' | 'server' | 'network';

/** Bot API descriptions that mean the chat is gone for this bot, whatever the status code. */
const GONE = /bot was kicked|bot is not a member|chat not found|group chat was deleted|bot was blocked|user is deactivated|have no rights to send a message|not enough rights to send/i;

/**
 * Maps what grammY throws to a {@link ChatApiError}. 403 and "chat not found" are the chat being
 * gone (permanent); other 400s are permanent; 429 (after the auto-retry gave up), 401, 5xx and
 * network failures are transient, so the outbound queue retries them in order.
 */
export function toChatApiError(err: unknown, method?: string): ChatApiError {
  if (err instanceof ChatApiError) return err;
  if (err instanceof GrammyError) {
    const text = `${err.method}: ${err.error_code} ${err.description}`;
    const base = { cause: err, method: err.method };
    const migrate = err.parameters.migrate_to_chat_id;
    if (migrate !== undefined) return new ChatApiError('chat_migrated', text, { ...base, permanent: false, migrateToChatId: String(migrate) });
    if (err.error_code === 403 || GONE.test(err.description)) return new ChatApiError('chat_gone', text, { ...base, permanent: true, chatGone: true });
    if (err.error_code === 429) return new ChatApiError('rate_limited', text, { ...base, permanent: false });
    if (err.error_code === 401 || err.error_code === 404) return new ChatApiError('unauthorized', text, { ...base, permanent: false });
    if (err.error_code >= 500) return new ChatApiError('server', text, { ...base, permanent: false });
    return new ChatApiError('bad_request', text, { ...base, permanent: true });
  }
  if (err instanceof HttpError) return new ChatApiError('network', `${method ?? 'telegram'}: ${err.message}`, { cause: err, permanent: false, method });
  return new ChatApiError('network', `${method ?? 'telegram'}: ${err instanceof Error ? err.message : String(err)}`, { cause: err, permanent: false, method });
}
