import { describe, expect, it } from 'vitest';
import { PendingPhotos, PHOTO_CAPTION_WINDOW_MS, photoMime } from '../../adapters/chat/wechaty/wechat-photo';

const JPEG = { bytes: new Uint8Array([0xff, 0xd8, 1]), mime: 'image/jpeg' };

describe('PendingPhotos (WeChat: a photo and its words come apart)', () => {
  it("goes with the same sender's next words in the same room, once, fetched only then", async () => {
    const p = new PendingPhotos();
    let fetched = 0;
    p.hold('room-1', 'wang', 1_000, async () => (fetched++, JPEG));
    expect(await p.take('room-2', 'wang', 2_000)).toBeNull();
    expect(await p.take('room-1', 'li', 2_000)).toBeNull();
    expect(fetched).toBe(0);
    expect(await p.take('room-1', 'wang', 2_000)).toEqual(JPEG);
    expect(await p.take('room-1', 'wang', 3_000)).toBeNull();
    expect(fetched).toBe(1);
  });

  it('not after the window; a later photo replaces an earlier one', async () => {
    const p = new PendingPhotos();
    p.hold('r', 'wang', 0, async () => JPEG);
    expect(await p.take('r', 'wang', PHOTO_CAPTION_WINDOW_MS + 1)).toBeNull();
    const second = { bytes: new Uint8Array([0xff, 0xd8, 2]), mime: 'image/png' };
    p.hold('r', 'wang', 10, async () => JPEG);
    p.hold('r', 'wang', 20, async () => second);
    expect(await p.take('r', 'wang', PHOTO_CAPTION_WINDOW_MS + 20)).toEqual(second);
  });

  it('an empty file is nothing', async () => {
    const p = new PendingPhotos();
    p.hold('r', 'wang', 0, async () => ({ bytes: new Uint8Array(0), mime: 'image/jpeg' }));
    expect(await p.take('r', 'wang', 1)).toBeNull();
  });

  it.each([
    ['image/png', 'a.bin', 'image/png'],
    [undefined, 'a.PNG', 'image/png'],
    ['application/octet-stream', 'a.webp', 'image/webp'],
    [undefined, 'a.dat', 'image/jpeg'],
  ])('mime %s / %s → %s', (mediaType, name, mime) => {
    expect(photoMime(mediaType, name)).toBe(mime);
  });
});
