/**
 * WeChat sends a photo and its words as two messages (an image cannot carry a caption). A photo is
 * held, per room and sender, and goes with that sender's next text in the room within
 * {@link PHOTO_CAPTION_WINDOW_MS} — `办结 12 已清理` right after the photo is its caption. The image
 * is fetched only then (toFileBox), not for every picture shared in a group.
 */

/** How long a photo waits for its sender's words (2 minutes). */
export const PHOTO_CAPTION_WINDOW_MS = 2 * 60_000;
/** Largest photo taken (20 MB). */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

export interface PhotoMedia {
  bytes: Uint8Array;
  mime: string;
}

export class PendingPhotos {
  private readonly held = new Map<string, { at: number; load: () => Promise<PhotoMedia> }>();

  constructor(private readonly windowMs = PHOTO_CAPTION_WINDOW_MS) {}

  /** Holds a photo (a later photo of the same sender in the same room replaces it). */
  hold(roomId: string, senderId: string, at: number, load: () => Promise<PhotoMedia>): void {
    this.held.set(`${roomId}\n${senderId}`, { at, load });
    // Nothing stays past its window: forget what is stale whenever a photo comes in.
    for (const [k, v] of this.held) if (at - v.at > this.windowMs) this.held.delete(k);
  }

  /** The sender's held photo, if taken within the window (then it is no longer held); null otherwise. */
  async take(roomId: string, senderId: string, now: number): Promise<PhotoMedia | null> {
    const key = `${roomId}\n${senderId}`;
    const p = this.held.get(key);
    if (!p) return null;
    this.held.delete(key);
    if (now - p.at > this.windowMs) return null;
    const media = await p.load();
    return media.bytes.length > 0 && media.bytes.length <= MAX_PHOTO_BYTES ? media : null;
  }
}

/** A FileBox's MIME type, from its own or its name's extension (WeChat images are mostly JPEG). */
export function photoMime(mediaType: string | undefined, name: string): string {
  if (mediaType && mediaType.startsWith('image/')) return mediaType;
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ({ png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', bmp: 'image/bmp' } as Record<string, string>)[ext ?? ''] ?? 'image/jpeg';
}
