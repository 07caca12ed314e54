/**
 * Our plain texts as Telegram HTML (`parse_mode: 'HTML'`): escaped, with @-mentions as links.
 */

/** Telegram's limit per message, in characters after entity parsing. */
export const MAX_MESSAGE_CHARS = 4096;

/** Telegram's limit on a photo's or document's caption, in characters after entity parsing. */
export const MAX_CAPTION_CHARS = 1024;

/** Escapes the three characters Telegram's HTML mode parses. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * One mention: a numeric id is a Telegram user id (a `tg://user?id=` link notifies them even
 * without a username); `@name` ids are usernames; anything else (a name from the YAML) is plain `@name`.
 */
export function mentionHtml(m: { id: string; name: string }): string {
  if (/^\d{1,20}$/.test(m.id)) return `<a href="tg://user?id=${m.id}">${escapeHtml(`@${m.name}`)}</a>`;
  if (/^@[A-Za-z0-9_]{5,32}$/.test(m.id)) return m.id;
  return escapeHtml(`@${m.name}`);
}

/** The message body: text, cut to fit, then the mentions on their own line. */
export function messageHtml(text: string, mentions: { id: string; name: string }[] = []): string {
  const tail = mentions.map((m) => `@${m.name} `).join('').length + 1;
  const room = MAX_MESSAGE_CHARS - tail - 1;
  const body = escapeHtml(text.length > room ? `${text.slice(0, room)}…` : text);
  if (mentions.length === 0) return body;
  return `${body}\n${mentions.map(mentionHtml).join(' ')}`;
}

/** How many characters `messageHtml(text, mentions)` shows once Telegram has parsed it (its limits count these). */
export function visibleLength(text: string, mentions: { id: string; name: string }[] = []): number {
  return text.length + (mentions.length > 0 ? 1 + mentions.map((m) => `@${m.name}`).join(' ').length : 0);
}
