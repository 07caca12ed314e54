/**
 * Ports for what a report hands to the outside: a chart picture and the ledger (台账) as a
 * spreadsheet. Plain data in, bytes out; the report arithmetic never sees ECharts or exceljs.
 * Bytes are `Uint8Array` so core stays free of Node types (a Node `Buffer` is one).
 */

/** One group of bars on the x axis: a community or a section, with one value per series. */
export interface ChartBarGroup {
  /** Shown under the bars, e.g. `张仪村社区` or `城管科`. */
  label: string;
  /** Counts, one per series, e.g. `{ series: '受理', value: 12 }`. A series missing here draws no bar. */
  values: { series: string; value: number }[];
}

/** A rate drawn as a line over the bar groups, on a 0–100 % axis at the right. */
export interface ChartRateLine {
  /** e.g. `满意率`. */
  series: string;
  /**
   * One per bar group, in the order of `bars`; a fraction 0–1 (0.925 = 92.5 %). `null` (or a value
   * left out at the end) = nothing followed up there: the line has a gap, not a zero.
   */
  values: (number | null)[];
}

/**
 * What a report chart shows: counts as grouped bars (受理 / 办结 / 逾期 by community or section)
 * and, optionally, rates as lines (三率). Series keep the order of their first appearance.
 */
export interface ReportChartSpec {
  /** e.g. `卢沟桥街道 2026年11月 接诉即办月报`. */
  title: string;
  /** A second, smaller line, e.g. the whole street's 三率 and score. */
  subtitle?: string;
  /** In display order; empty draws the axes with a "本期没有案件" note. */
  bars: ChartBarGroup[];
  /** Unit shown on the count axis; default `件`. */
  barUnit?: string;
  rates?: ChartRateLine[];
}

/** Draws a report chart as a PNG image. */
export interface ChartRenderer {
  /** PNG bytes; rejects only on a broken renderer (missing font), never on odd data. */
  render(spec: ReportChartSpec): Promise<Uint8Array>;
}

/**
 * A moment in a ledger row: text already formatted by the caller (written as is), a `Date` or
 * epoch milliseconds (both written in the street's time zone, `2026-12-03 09:15:00`), or empty.
 */
export type LedgerTime = string | Date | number | null;

/** A yes/no cell (是否超时, 是否延期): a boolean is written 是 / 否; text as is. */
export type LedgerFlag = boolean | string | null;

/** One case in the ledger, with the fields of a 12345 platform export (the Chinese headers are the exporter's column table). */
export interface LedgerRow {
  /** 工单编号 */
  hotlineNo: string;
  /** 诉求类型: 咨询 / 求助 / 投诉 / 举报 / 建议 */
  type: string | null;
  /** 问题分类 */
  category: string | null;
  /** 诉求内容 */
  content: string;
  /** 地址 */
  address: string | null;
  /** 社区 (or the section's group) */
  community: string | null;
  /** 承办人 */
  owner: string | null;
  /** 包案领导 */
  leader: string | null;
  /** 受理时间 */
  receivedAt: LedgerTime;
  /** 响应时间: first contact with the citizen */
  contactedAt: LedgerTime;
  /** 办结时间 */
  resolvedAt: LedgerTime;
  /** 办理时限 */
  resolveBy: LedgerTime;
  /** 是否超时 */
  overdue: LedgerFlag;
  /** 是否延期 */
  extended: LedgerFlag;
  /** 解决情况: 已解决 / 未解决 / 部分解决 */
  solved: string | null;
  /** 满意度: 满意 / 基本满意 / 不满意 / 未评价 */
  satisfaction: string | null;
  /** 回访备注 */
  followUpNote: string | null;
}

/** One line of the period's figures sheet, e.g. `{ label: '满意率', value: '92.5%' }`. */
export interface LedgerFigure {
  label: string;
  value: string | number;
}

/** Names the workbook and its figures sheet. */
export interface LedgerMeta {
  /** e.g. `卢沟桥街道接诉即办台账`. */
  title: string;
  /** e.g. `2026-11` or `2026-10-19 至 2026-11-18`. */
  period: string;
}

/** Writes the ledger of a period as a spreadsheet. */
export interface LedgerExporter {
  /** An XLSX workbook: a sheet of cases (header bold and frozen) and a sheet of the period's figures. */
  xlsx(rows: readonly LedgerRow[], figures: readonly LedgerFigure[], meta: LedgerMeta): Promise<Uint8Array>;
  /** CSV text with a leading BOM (Excel then reads the Chinese as UTF-8), CRLF line ends. */
  csv(rows: readonly LedgerRow[]): string;
}
