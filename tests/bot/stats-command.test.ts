/**
 * 统计 through the console harness (real SQLite, Redis, workers): the report of the group it is
 * typed in (consult: the whole street), its chart rendered to a PNG under DATA_DIR/reports and
 * attached to the answer. Figures from the fixed ledger (worked out in tests/storage/report-figures.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchartsChartRenderer } from '../../adapters/chart/echarts-chart-renderer';
import { SqlReportService, type ReportService } from '../../bot/report-service';
import type { SendEffect } from '../../core/types';
import { SqliteReportQueries } from '../../storage/sqlite-report-queries';
import { say, startHarness, type Harness } from '../helpers/harness';
import { NOW, writeLedger } from '../helpers/report-ledger';

let h: Harness;
const renderer = new EchartsChartRenderer();
/** The messages the report service made, to see their attachments. */
const made: SendEffect[] = [];

beforeAll(async () => {
  h = await startHarness({
    name: 'stats',
    clock: () => NOW,
    services: ({ sqlite, dataDir, config }) => {
      const real = new SqlReportService({ queries: new SqliteReportQueries(sqlite), chart: renderer, dir: join(dataDir, 'reports'), config });
      const reports: ReportService = {
        settings: real.settings,
        figures: (...a) => real.figures(...a),
        totals: (...a) => real.totals(...a),
        discard: (a) => real.discard(a),
        message: async (opts) => {
          const m = await real.message(opts);
          made.push(m);
          return m;
        },
      };
      return { reports };
    },
  });
  writeLedger(h.store);
});
afterAll(async () => {
  renderer.close();
  await h?.close();
});

const reportIn = (group: string, title: string) => h.chat.waitFor((sent) => sent.some((m) => m.group === group && m.text.startsWith(title)), 20_000, title);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('统计', () => {
  it('in consult: the whole street’s month, with the chart as a PNG under DATA_DIR/reports', async () => {
    await say(h, 'consult', '汪书记', '统计 2026-11');
    await reportIn('consult', '📊 卢沟桥街道 月报｜2026年11月');
    const msg = h.chat.inGroup('consult').find((m) => m.text.startsWith('📊'))!;
    expect(msg.text).toContain('受理 9 件（↑8）　认领 7　按时响应 5');
    expect(msg.text).toContain('综合得分 84.0');
    const effect = made.find((m) => m.group === 'consult')!;
    expect(effect.text).toBe(msg.text);
    // The chart reached the chat with the text, through the outbox.
    expect(msg.attachment).toEqual(effect.attachment);
    expect(msg.attachment).toMatchObject({ kind: 'image', name: '月报-2026-11.png' });
    const path = msg.attachment!.path;
    expect(path.startsWith(join(h.dataDir, 'reports'))).toBe(true);
    expect(existsSync(path)).toBe(true);
    const png = readFileSync(path);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('in a community group: that community only; /stats in Latin too', async () => {
    await say(h, 'zhangyi', '王芳', '/stats 2026-11');
    await reportIn('zhangyi', '📊 张仪村社区 月报｜2026年11月');
    const msg = h.chat.inGroup('zhangyi').find((m) => m.text.startsWith('📊'))!;
    expect(msg.text).toContain('受理 3 件');
    expect(msg.text).toContain('当前逾期 1 件：#3 路灯照明 未认领');
    expect(made.find((m) => m.group === 'zhangyi')!.attachment!.name).toBe('月报-2026-11-zhangyi.png');
  });

  it('named periods: 上周 is 2026-W48 from Thursday 12-03', async () => {
    await say(h, 'consult', '李调度', '统计 上周');
    await reportIn('consult', '📊 卢沟桥街道 周报｜第48周（11月23日—11月29日）');
  });

  it('a period not begun yet, or a word that names none, gets one line and no report', async () => {
    await say(h, 'jiari', '赵磊', '统计 2027-01');
    await h.chat.waitFor((sent) => sent.some((m) => m.group === 'jiari' && m.text.startsWith('这个时间段还没开始')));
    await say(h, 'jiari', '赵磊', '统计 明年');
    await h.chat.waitFor((sent) => sent.some((m) => m.group === 'jiari' && m.text === '格式：统计 [今日/昨日/本周/上周/本月/上月/2026-11]'));
    expect(h.chat.inGroup('jiari').some((m) => m.text.startsWith('📊'))).toBe(false);
  });
});
