/**
 * Report charts through ECharts SSR + resvg with the npm-shipped Noto Sans SC: a real PNG, not
 * blank, with the Chinese text actually drawn (not missing, not boxes), the same with the cut-down
 * font as with the full one. One picture is kept in tests/.output/ for a human to look at.
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultChartFontFile, EchartsChartRenderer } from '../../adapters/chart/echarts-chart-renderer';
import type { ReportChartSpec } from '../../core/reports/report-ports';

const OUTPUT = join(import.meta.dirname, '..', '.output');

interface Image {
  width: number;
  height: number;
  /** RGBA, row by row. */
  rgba: Uint8Array;
}

/** A minimal PNG reader (8-bit RGBA, not interlaced: what resvg writes), so the test checks the file itself. */
function decodePng(png: Uint8Array): Image {
  const buf = Buffer.from(png);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0, height = 0;
  const idat: Buffer[] = [];
  let ended = false;
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0]);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    at += 12 + length;
  }
  expect(ended).toBe(true);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      rgba[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

/** Share of pixels in a box (fractions of the picture) whose colour differs between two pictures. */
function differingShare(a: Image, b: Image, box: { x0: number; y0: number; x1: number; y1: number }): number {
  const xs = [Math.floor(box.x0 * a.width), Math.floor(box.x1 * a.width)];
  const ys = [Math.floor(box.y0 * a.height), Math.floor(box.y1 * a.height)];
  let differ = 0, total = 0;
  for (let y = ys[0]!; y < ys[1]!; y++) {
    for (let x = xs[0]!; x < xs[1]!; x++) {
      const i = (y * a.width + x) * 4;
      total++;
      if (a.rgba[i] !== b.rgba[i] || a.rgba[i + 1] !== b.rgba[i + 1] || a.rgba[i + 2] !== b.rgba[i + 2]) differ++;
    }
  }
  return differ / total;
}

function lumaVariance(img: Image): number {
  let sum = 0, sumSq = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const l = 0.299 * img.rgba[i * 4]! + 0.587 * img.rgba[i * 4 + 1]! + 0.114 * img.rgba[i * 4 + 2]!;
    sum += l;
    sumSq += l * l;
  }
  return sumSq / n - (sum / n) ** 2;
}

const COMMUNITIES = ['张仪村社区', '阅园社区', '西四环社区', '城管科'];

function monthly(labels: string[] = COMMUNITIES, title = '卢沟桥街道 2026年11月 接诉即办月报'): ReportChartSpec {
  const counts = [[42, 38, 2], [31, 30, 0], [18, 12, 4], [25, 25, 1]];
  return {
    title,
    subtitle: '响应率 98.0%　解决率 86.5%　满意率 90.2%　综合得分 89.1',
    bars: labels.map((label, i) => ({
      label,
      values: [{ series: '受理', value: counts[i]![0]! }, { series: '办结', value: counts[i]![1]! }, { series: '逾期', value: counts[i]![2]! }],
    })),
    rates: [
      { series: '解决率', values: [0.9, 0.97, 0.67, null] },
      { series: '满意率', values: [0.85, 0.95, 0.6, 0.92] },
    ],
  };
}

/** The x-axis labels under the plot, and the title block at the top left (fractions of 900 × 520). */
const X_LABELS = { x0: 0.08, y0: 0.93, x1: 0.94, y1: 1 };
const TITLE = { x0: 0, y0: 0, x1: 0.7, y1: 0.2 };
/** Inside the plot, clear of the axis labels and the title. */
const PLOT = { x0: 0.1, y0: 0.3, x1: 0.9, y1: 0.88 };

let renderer: EchartsChartRenderer;
let tempDir: string;
beforeAll(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'jiesu-chart-test-'));
  renderer = new EchartsChartRenderer({ tempDir });
});
afterAll(() => {
  renderer.close();
  rmSync(tempDir, { recursive: true, force: true });
});

describe('EchartsChartRenderer', () => {
  it('draws a valid, non-blank PNG of the report at twice the logical size, and keeps one to look at', async () => {
    const png = await renderer.render(monthly());
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(join(OUTPUT, 'report-chart.png'), png);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([1800, 1040]);
    expect(lumaVariance(img)).toBeGreaterThan(500);
  });

  it('draws the Chinese labels and title: empty ones leave those areas different and the plot the same', async () => {
    const withText = decodePng(await renderer.render(monthly()));
    const empty = decodePng(await renderer.render(monthly(['', '', '', ''], '')));
    expect(differingShare(withText, empty, X_LABELS)).toBeGreaterThan(0.02);
    expect(differingShare(withText, empty, TITLE)).toBeGreaterThan(0.03);
    expect(differingShare(withText, empty, PLOT)).toBe(0);
  });

  it('draws real glyphs, not boxes: two different names of the same length look different', async () => {
    const a = decodePng(await renderer.render(monthly(['张仪村', '阅园区', '西四环', '城管科'])));
    const b = decodePng(await renderer.render(monthly(['卢沟桥', '丰台区', '看丹村', '平安办'])));
    expect(differingShare(a, b, X_LABELS)).toBeGreaterThan(0.02);
    expect(differingShare(a, b, PLOT)).toBe(0);
  });

  it('draws exactly what the full 10 MB font draws (the cut-down font loses no glyph)', async () => {
    const spec = monthly(['犇骉社区', '龘靐社区', '西四环社区', '城管科']);
    const mine = decodePng(await renderer.render(spec));
    const full = new Resvg(renderer.svg(spec), {
      font: { fontFiles: [defaultChartFontFile()], loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' },
      fitTo: { mode: 'zoom', value: 2 },
      background: '#ffffff',
    }).render();
    expect([full.width, full.height]).toEqual([mine.width, mine.height]);
    expect(Buffer.compare(Buffer.from(full.pixels), Buffer.from(mine.rgba))).toBe(0);
  });

  it('keeps at most cacheSize cut-down fonts on disk and removes them on close', async () => {
    const dir = mkdtempSync(join(tempDir, 'small-'));
    const small = new EchartsChartRenderer({ tempDir: dir, cacheSize: 2 });
    const fontFiles = () => readdirSync(dir).flatMap((d) => readdirSync(join(dir, d)));
    for (const name of ['甲社区', '乙社区', '丙社区', '丁社区']) await small.render(monthly([name, '阅园社区', '西四环社区', '城管科']));
    expect(fontFiles()).toHaveLength(2);
    // The same texts again reuse a file.
    await small.render(monthly(['丁社区', '阅园社区', '西四环社区', '城管科']));
    expect(fontFiles()).toHaveLength(2);
    small.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('draws a period without cases and a street with many long names', async () => {
    const none = decodePng(await renderer.render({ title: '2026-12-01 日报', bars: [] }));
    expect(lumaVariance(none)).toBeGreaterThan(10);
    const many = Array.from({ length: 18 }, (_, i) => ({ label: `第${i + 1}网格长名字社区`, values: [{ series: '受理', value: i * 3 }, { series: '办结', value: i * 2 }] }));
    const img = decodePng(await renderer.render({ title: '多社区', bars: many, barUnit: '件' }));
    expect([img.width, img.height]).toEqual([1800, 1040]);
    expect(lumaVariance(img)).toBeGreaterThan(100);
  });

  it('refuses a missing font at construction', () => {
    expect(() => new EchartsChartRenderer({ fontFile: join(tempDir, 'nope.ttf') })).toThrow(/font not found/);
  });
});
