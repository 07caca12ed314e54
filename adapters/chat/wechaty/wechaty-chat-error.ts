/**
 * Why a send to WeChat failed, by what the outbound queue should do about it:
 * - `not_logged_in`, `send_failed`, `chat_not_found`: transient — the message stays in the outbox
 *   and the queue retries with backoff (the bot reconnects by itself meanwhile);
 * - `chat_gone`: the bot is no longer in the room — permanent, and the chat is unbound.
 */
export type WechatyChatErrorCode = 'not_logged_in' | 'send_failed' | 'chat_not_found' | 'chat_gone';

export class WechatyChatError extends Error {
  /** Read by the outbound worker: true = retrying cannot help. */
  readonly permanent: boolean;
  /** Read by the chat router: true = unbind this chat. */
  readonly chatGone: boolean;

  constructor(
    readonly code: WechatyChatErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'WechatyChatError';
    this.permanent = code === 'chat_gone';
    this.chatGone = code === 'chat_gone';
  }
}
