import type { Message, User } from 'grammy/types';
import type { IncomingMessage } from '../../../core/ports';

/**
 * Maps a Telegram message to core's {@link IncomingMessage}: commands addressed to this bot
 * (`/claim@ThisBot 12`) lose the suffix, commands for other bots are not ours, a reply to a
 * message becomes the quote (except the automatic "reply" to a forum topic's first message).
 */

/** The platform name used in bindings and sent-message records. */
export const TELEGRAM = 'telegram';

/** The name shown in cards: first and last name, else the username. */
export function displayName(u: Pick<User, 'first_name' | 'last_name' | 'username'>): string {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ').trim();
  return name || (u.username ? `@${u.username}` : '');
}

/**
 * Text with `/cmd@ThisBot` → `/cmd` and a leading `@ThisBot ` removed; null when the command is
 * addressed to another bot.
 */
export function textForBot(text: string, botUsername: string): string | null {
  const trimmed = text.trimStart();
  const addressed = /^\/([^\s@]+)@([A-Za-z0-9_]+)/.exec(trimmed);
  if (addressed) {
    if (addressed[2]!.toLowerCase() !== botUsername.toLowerCase()) return null;
    return `/${addressed[1]}${trimmed.slice(addressed[0].length)}`;
  }
  const mention = new RegExp(`^@${botUsername}\\b\\s*`, 'i').exec(trimmed);
  return mention ? trimmed.slice(mention[0].length) : text;
}

/**
 * The incoming message for a group or private text message; null for what the bot ignores
 * (other bots, service messages, commands for another bot).
 */
export function incomingFromMessage(m: Message, botUsername: string): IncomingMessage | null {
  if (m.text === undefined || !m.from || m.from.is_bot) return null;
  const text = textForBot(m.text, botUsername);
  if (text === null) return null;
  const reply = m.reply_to_message;
  // In a forum topic every message "replies" to the topic's first message: not a quote.
  const quoted = reply && !(m.is_topic_message && reply.message_id === m.message_thread_id) ? String(reply.message_id) : null;
  return {
    platform: TELEGRAM,
    chatId: String(m.chat.id),
    sender: { id: String(m.from.id), name: displayName(m.from) || String(m.from.id) },
    isPrivate: m.chat.type === 'private',
    text,
    quotedMessageId: quoted,
    mentions: mentionsOf(m),
  };
}

/**
 * People @-mentioned with their ids: Telegram gives the id for a `text_mention` (a person without a
 * username, picked from the list); an `@username` mention carries only the name, which the bot
 * resolves among the people it knows.
 */
export function mentionsOf(m: Pick<Message, 'entities' | 'text'>): { id: string; name: string }[] {
  const out: { id: string; name: string }[] = [];
  for (const e of m.entities ?? []) {
    if (e.type === 'text_mention' && !e.user.is_bot) out.push({ id: String(e.user.id), name: displayName(e.user) || String(e.user.id) });
  }
  return out;
}
