import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

/**
 * A photo on the console: a line's text may start with `[图片 /path/to/file.jpg]` (or `[photo …]`),
 * the rest being the caption — `zhangyi 王芳: [图片 /tmp/现场.jpg] 办结 12 已清理`.
 */

const PHOTO = /^\[(?:图片|照片|photo|image)\s+([^\]]+)\]\s*/i;
/** Largest photo the console reads (20 MB, Telegram's own download limit for bots). */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
const MIME: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.heic': 'image/heic', '.bmp': 'image/bmp' };

export type ConsolePhoto = { text: string; media: { bytes: Uint8Array; mime: string } } | { error: string };

/** The photo a console line carries and its caption; null when the line has none. */
export async function readConsolePhoto(text: string): Promise<ConsolePhoto | null> {
  const m = PHOTO.exec(text);
  if (!m) return null;
  const path = m[1]!.trim();
  const mime = MIME[extname(path).toLowerCase()];
  if (!mime) return { error: `「${path}」不是图片（支持 jpg、png、gif、webp、heic、bmp）` };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return { error: `读不到图片「${path}」：${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  if (bytes.length > MAX_PHOTO_BYTES) return { error: `图片「${path}」超过 20 MB` };
  return { text: text.slice(m[0].length), media: { bytes: new Uint8Array(bytes), mime } };
}
