import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChartRenderer, ReportChartSpec } from '../../core/reports/report-ports';
import { CjkFontSubsetter, isDroppableCodePoint } from './cjk-font-subset';

/**
 * Report charts as PNG without a browser: ECharts draws SVG on the server (`ssr: true`), resvg turns
 * it into pixels with a font shipped through npm, so Chinese renders on a machine with no fonts
 * installed (system fonts are never loaded: the picture is the same on every machine).
 *
 * resvg-js reads its font file again for each text element, so each picture gets a copy of the font
 * cut down to the ideographs it shows (see cjk-font-subset.ts), kept in a small cache of files: the
 * same report texts reuse the same file.
 */

/** The family name inside the shipped TTF; ECharts writes it on every text, resvg matches it. */
const FONT_FAMILY = 'Noto Sans SC';

/** Noto Sans SC Regular from @expo-google-fonts/noto-sans-sc (about 10 MB, OFL). */
export function defaultChartFontFile(): string {
  return createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
}

export interface EchartsChartRendererOptions {
  /** Logical width in CSS pixels; default 900. */
  width?: number;
  /** Logical height in CSS pixels; default 520. */
  height?: number;
  /** Device pixels per logical pixel in the PNG; default 2 (sharp on a phone screen). */
  scale?: number;
  /** A TrueType (glyf) font with CJK glyphs; default {@link defaultChartFontFile}. */
  fontFile?: string;
  /** Parent of the renderer's own folder of cut-down fonts (made at the first picture, removed by `close()`); default the OS temp dir. */
  tempDir?: string;
  /** Cut-down fonts kept (each about 1 MB); default 8. */
  cacheSize?: number;
}

interface CachedFont {
  path: string;
  /** Renders reading this file right now: it is not evicted under them. */
  inUse: number;
}

/** Colours for the series a report uses; any other series takes the next colour of {@link PALETTE}. */
const SERIES_COLORS: Readonly<Record<string, string>> = {
  受理: '#5470c6', 认领: '#73c0de', 办结: '#3ba272', 逾期: '#ee6666', 退单: '#9a60b4', 延期: '#fac858',
  响应率: '#fc8452', 解决率: '#2f7ed8', 满意率: '#d4a017', 综合得分: '#333333',
};
const PALETTE = ['#5470c6', '#3ba272', '#ee6666', '#fac858', '#73c0de', '#9a60b4', '#fc8452', '#ea7ccc'];

/** Above this many bars the value labels would overlap; they are left out. */
const MAX_LABELLED_BARS = 40;

export class EchartsChartRenderer implements ChartRenderer {
  private readonly width: number;
  private readonly height: number;
  private readonly scale: number;
  private readonly fontFile: string;
  private readonly cacheSize: number;
  private readonly tempDir: string;
  private cacheDir: string | null = null;
  private subsetter: CjkFontSubsetter | null = null;
  /** Key (the ideographs drawn) → file; Map order is least recently used first. */
  private readonly fonts = new Map<string, CachedFont>();

  /** Checks the font exists: a missing font fails here, at start, not at the first report. */
  constructor(options: EchartsChartRendererOptions = {}) {
    this.width = options.width ?? 900;
    this.height = options.height ?? 520;
    this.scale = options.scale ?? 2;
    this.fontFile = options.fontFile ?? defaultChartFontFile();
    this.cacheSize = Math.max(1, options.cacheSize ?? 8);
    this.tempDir = options.tempDir ?? tmpdir();
    if (!existsSync(this.fontFile)) throw new Error(`chart font not found: ${this.fontFile}`);
  }

  /** The SVG ECharts draws for a spec (what {@link render} rasterises). */
  svg(spec: ReportChartSpec): string {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: this.width, height: this.height });
    try {
      chart.setOption(chartOption(spec));
      return chart.renderToSVGString();
    } finally {
      chart.dispose();
    }
  }

  /** PNG bytes, rasterised off the event loop (resvg runs on libuv's thread pool). */
  async render(spec: ReportChartSpec): Promise<Buffer> {
    const svg = this.svg(spec);
    const font = this.fontFor(svg);
    font.inUse++;
    try {
      const image = await renderAsync(svg, {
        font: { fontFiles: [font.path], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
        fitTo: { mode: 'zoom', value: this.scale },
        background: '#ffffff',
        logLevel: 'off',
      });
      return image.asPng();
    } finally {
      font.inUse--;
      this.evict();
    }
  }

  /** Removes the folder of cut-down fonts (call at shutdown, after the last render); a later render makes a new one. */
  close(): void {
    this.fonts.clear();
    if (this.cacheDir) rmSync(this.cacheDir, { recursive: true, force: true });
    this.cacheDir = null;
  }

  /** The cut-down font for the ideographs in `svg`: cached, else cut and written now (a few tens of ms). */
  private fontFor(svg: string): CachedFont {
    const chars = new Set<string>();
    for (const ch of decodeCharRefs(svg)) if (isDroppableCodePoint(ch.codePointAt(0)!)) chars.add(ch);
    const key = [...chars].sort().join('');
    const hit = this.fonts.get(key);
    if (hit) {
      this.fonts.delete(key);
      this.fonts.set(key, hit);
      return hit;
    }
    // Read and index the 10 MB font once, at the first picture.
    this.subsetter ??= new CjkFontSubsetter(readFileSync(this.fontFile));
    this.cacheDir ??= mkdtempSync(join(this.tempDir, 'jiesu-chart-fonts-'));
    const path = join(this.cacheDir, `noto-${createHash('sha1').update(key).digest('hex').slice(0, 16)}.ttf`);
    writeFileSync(path, this.subsetter.subset(key));
    const entry: CachedFont = { path, inUse: 0 };
    this.fonts.set(key, entry);
    this.evict();
    return entry;
  }

  /** Drops least recently used fonts beyond the cache size that no render is reading. */
  private evict(): void {
    for (const [key, f] of this.fonts) {
      if (this.fonts.size <= this.cacheSize) return;
      if (f.inUse > 0) continue;
      this.fonts.delete(key);
      rmSync(f.path, { force: true });
    }
  }
}

/** SVG text with `&#…;` references turned into their characters (ECharts escapes only markup, but be safe). */
function decodeCharRefs(svg: string): string {
  return svg.replace(/&#(x[0-9a-f]+|[0-9]+);/gi, (_, n: string) => {
    const cp = n[0] === 'x' || n[0] === 'X' ? parseInt(n.slice(1), 16) : Number(n);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
}

function seriesColor(name: string, index: number): string {
  return Object.hasOwn(SERIES_COLORS, name) ? SERIES_COLORS[name]! : PALETTE[index % PALETTE.length]!;
}

/** Names in order of first appearance. */
function seriesNames(spec: ReportChartSpec): string[] {
  const names: string[] = [];
  for (const g of spec.bars) for (const v of g.values) if (!names.includes(v.series)) names.push(v.series);
  return names;
}

/** The ECharts option for a spec: grouped bars on the left axis, rates as lines on a 0–100 % right axis. */
function chartOption(spec: ReportChartSpec): echarts.EChartsCoreOption {
  const labels = spec.bars.map((g) => g.label);
  const barNames = seriesNames(spec);
  const rates = spec.rates ?? [];
  const showValues = labels.length * barNames.length <= MAX_LABELLED_BARS;
  const longLabels = labels.length > 6 || labels.some((l) => l.length > 6);
  const text = { fontFamily: FONT_FAMILY };

  const bars = barNames.map((name, i) => ({
    name,
    type: 'bar',
    yAxisIndex: 0,
    barMaxWidth: 36,
    itemStyle: { color: seriesColor(name, i) },
    label: { show: showValues, position: 'top', fontSize: 11, color: '#333', ...text },
    data: spec.bars.map((g) => g.values.find((v) => v.series === name)?.value ?? 0),
  }));
  const lines = rates.map((r, i) => ({
    name: r.series,
    type: 'line',
    yAxisIndex: 1,
    symbolSize: 7,
    connectNulls: false,
    lineStyle: { width: 2 },
    itemStyle: { color: seriesColor(r.series, barNames.length + i) },
    label: { show: showValues && labels.length <= 12, position: i % 2 ? 'bottom' : 'top', fontSize: 10, formatter: '{c}%', ...text },
    data: labels.map((_, i) => {
      const v = r.values[i];
      return v === null || v === undefined || !Number.isFinite(v) ? '-' : Math.round(v * 1000) / 10;
    }),
  }));

  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: text,
    title: {
      text: spec.title,
      subtext: spec.subtitle ?? '',
      left: 20,
      top: 12,
      textStyle: { fontSize: 20, color: '#222', ...text },
      subtextStyle: { fontSize: 13, color: '#555', ...text },
    },
    legend: { top: spec.subtitle ? 66 : 46, left: 20, itemGap: 16, textStyle: { fontSize: 13, ...text } },
    grid: { left: 56, right: rates.length ? 60 : 28, top: spec.subtitle ? 124 : 104, bottom: longLabels ? 86 : 44 },
    xAxis: {
      type: 'category',
      data: labels,
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, rotate: longLabels ? 30 : 0, fontSize: 12, color: '#333', ...text },
    },
    yAxis: [
      { type: 'value', name: spec.barUnit ?? '件', minInterval: 1, nameTextStyle: text, axisLabel: text },
      ...(rates.length
        ? [{ type: 'value', name: '%', min: 0, max: 100, interval: 20, splitLine: { show: false }, nameTextStyle: text, axisLabel: { formatter: '{value}%', ...text } }]
        : []),
    ],
    series: [...bars, ...lines],
    graphic: labels.length === 0
      ? [{ type: 'text', left: 'center', top: 'middle', style: { text: '本期没有案件', fontSize: 18, fill: '#999', fontFamily: FONT_FAMILY } }]
      : [],
  };
}
