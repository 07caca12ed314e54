import { deflateSync } from 'node:zlib';

/**
 * The digest's cover: a plain title card drawn without fonts — a solid background with the week's
 * solved cases per category as bars (the week's chart). 900×383, WeChat's 2.35:1 cover shape, PNG.
 */

export interface CoverOptions {
  /** Bar heights (e.g. cases per category, most first); at most 12 are drawn. */
  bars: number[];
  width?: number;
  height?: number;
  /** RGB of the background. Default a deep red. */
  background?: [number, number, number];
  /** RGB of the bars. Default white-ish. */
  foreground?: [number, number, number];
}

export function coverPng(opts: CoverOptions): Buffer {
  const width = opts.width ?? 900;
  const height = opts.height ?? 383;
  const bg = opts.background ?? [178, 34, 34];
  const fg = opts.foreground ?? [250, 240, 230];
  const px = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) px.set(bg, i * 3);
  const fill = (x0: number, y0: number, w: number, h: number, rgb: [number, number, number]) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) px.set(rgb, (y * width + x) * 3);
    }
  };
  // A band across the top, the baseline, and the bars on it.
  fill(0, 0, width, Math.round(height * 0.08), fg);
  const base = Math.round(height * 0.86);
  fill(Math.round(width * 0.08), base, Math.round(width * 0.84), 4, fg);
  const bars = opts.bars.filter((n) => n > 0).slice(0, 12);
  const top = Math.max(1, ...bars);
  const slot = (width * 0.84) / Math.max(bars.length, 1);
  bars.forEach((n, i) => {
    const h = Math.round((n / top) * height * 0.62);
    fill(Math.round(width * 0.08 + i * slot + slot * 0.2), base - h, Math.max(2, Math.round(slot * 0.6)), h, fg);
  });
  return encodePng(width, height, px);
}

/** A minimal PNG encoder: 8-bit RGB, no filtering, one IDAT. */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
