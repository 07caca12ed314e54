/**
 * P4 (chart half): rendering a report chart to PNG — ECharts SSR to SVG, then resvg with the
 * npm-shipped Noto Sans SC. A monthly card of 12 communities and 6 sections (受理/办结/逾期 bars,
 * 解决率/满意率 lines). `warm` is the steady state (the same report texts reuse their cut-down font);
 * `cold` changes the texts every time, so each render also cuts and writes a font. Target: warm median ≤ 300 ms.
 * Run alone: npx tsx bench/p4-chart.ts
 */
import { EchartsChartRenderer } from '../adapters/chart/echarts-chart-renderer';
import type { ReportChartSpec } from '../core/reports/report-ports';
import { nowMs, round, summary } from './stats';

export interface ChartRenderResult {
  /** Logical size and pixel ratio of the PNG. */
  size: string;
  groups: number;
  pngKb: number;
  /** First render in the process: reads and indexes the 10 MB font, warms ECharts. */
  firstMs: number;
  /** Same spec, 20 renders. */
  warm: ReturnType<typeof summary>;
  /** A new title each time, 20 renders. */
  cold: ReturnType<typeof summary>;
  /** The SVG step alone (ECharts), 20 renders. */
  svg: ReturnType<typeof summary>;
}

const COMMUNITIES = ['张仪村社区', '阅园社区', '西四环社区', '假日风景社区', '西山枫林社区', '莲花池社区', '卢沟桥社区', '小井村社区', '大井村社区', '六里桥社区', '青塔社区', '岳各庄社区'];
const SECTIONS = ['城管科', '平安办', '环境办', '社区建设科', '综合办', '民生保障办'];

export function monthlySpec(title = '卢沟桥街道 2026年11月 接诉即办月报'): ReportChartSpec {
  const labels = [...COMMUNITIES, ...SECTIONS];
  return {
    title,
    subtitle: '受理 812 件　响应率 98.0%　解决率 86.5%　满意率 90.2%　综合得分 89.1',
    bars: labels.map((label, i) => ({
      label,
      values: [{ series: '受理', value: 20 + ((i * 37) % 50) }, { series: '办结', value: 18 + ((i * 29) % 40) }, { series: '逾期', value: (i * 7) % 5 }],
    })),
    rates: [
      { series: '解决率', values: labels.map((_, i) => 0.7 + ((i * 13) % 30) / 100) },
      { series: '满意率', values: labels.map((_, i) => (i === 3 ? null : 0.75 + ((i * 11) % 25) / 100)) },
    ],
  };
}

export async function runChartRender(runs = 20): Promise<ChartRenderResult> {
  const renderer = new EchartsChartRenderer();
  try {
    const spec = monthlySpec();
    let t = nowMs();
    const png = await renderer.render(spec);
    const firstMs = round(nowMs() - t);
    const warm: number[] = [];
    const cold: number[] = [];
    const svg: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = nowMs();
      await renderer.render(spec);
      warm.push(nowMs() - t);
      // Ideographs not used before, so the font cut is redone each time.
      const fresh = monthlySpec(`卢沟桥街道 第${String.fromCodePoint(0x5000 + i * 7)}${String.fromCodePoint(0x6000 + i * 11)}期 月报`);
      t = nowMs();
      await renderer.render(fresh);
      cold.push(nowMs() - t);
      t = nowMs();
      renderer.svg(spec);
      svg.push(nowMs() - t);
    }
    return { size: '900×520 @2x', groups: spec.bars.length, pngKb: round(png.length / 1024, 1), firstMs, warm: summary(warm), cold: summary(cold), svg: summary(svg) };
  } finally {
    renderer.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await runChartRender(), null, 2)}\n`);
}
