import type { Api } from 'grammy';
import type { Message } from 'grammy/types';
import { parseCommand } from '../../../core/commands';
import type { IncomingMessage } from '../../../core/ports';
import { incomingFromMessage } from './incoming-message';

/**
 * A photo in a chat: its caption is the message's text (`办结 12 已清理`), its quote the card it
 * answers. The file is fetched (getFile, then `<apiRoot>/file/bot<token>/<file_path>`) only when
 * the caption is a command or the photo quotes a message — a photo shared in passing is not downloaded.
 */

/** Largest photo fetched: the Bot API's own download limit for bots (20 MB). */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

/** What fetching a file needs: the bot's API, and where files are served. */
export interface FileSource {
  api: Pick<Api, 'getFile'>;
  apiRoot: string;
  token: string;
}

/** The bytes of a file by its file_id. */
export async function downloadFile(src: FileSource, fileId: string): Promise<Uint8Array> {
  const file = await src.api.getFile(fileId);
  if (!file.file_path) throw new Error('getFile gave no file_path');
  if ((file.file_size ?? 0) > MAX_PHOTO_BYTES) throw new Error(`photo too large: ${file.file_size} bytes`);
  const res = await fetch(`${src.apiRoot}/file/bot${src.token}/${file.file_path}`, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`file download answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The incoming message for a photo with its bytes; null when it is not ours or names nothing to keep it for. */
export async function incomingPhoto(m: Message, botUsername: string, src: FileSource): Promise<IncomingMessage | null> {
  const sizes = m.photo;
  if (!sizes || sizes.length === 0) return null;
  const msg = incomingFromMessage({ ...m, text: m.caption ?? '', entities: m.caption_entities }, botUsername);
  if (!msg || msg.isPrivate) return null;
  if (!msg.quotedMessageId && parseCommand(msg.text, { botUsername }).kind !== 'command') return null;
  // Telegram lists the sizes smallest first: keep the largest.
  const largest = sizes[sizes.length - 1]!;
  return { ...msg, media: { bytes: await downloadFile(src, largest.file_id), mime: 'image/jpeg' } };
}
