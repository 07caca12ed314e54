/**
 * The ledger export: the XLSX read back with exceljs (headers, a row, times as date cells in the
 * street's zone, bold frozen header, the figures sheet), and the CSV parsed back field for field.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS, timeText, XlsxLedgerExporter } from '../../adapters/export/xlsx-ledger-exporter';
import type { LedgerRow } from '../../core/reports/report-ports';

const HEADERS = ['工单编号', '诉求类型', '问题分类', '诉求内容', '地址', '社区', '承办人', '包案领导', '受理时间', '响应时间', '办结时间', '办理时限', '是否超时', '是否延期', '解决情况', '满意度', '回访备注'];

const ROW: LedgerRow = {
  hotlineNo: '2611300012345',
  type: '投诉',
  category: '城乡建设->市政设施->路灯',
  content: '张仪村4号院南院路灯不亮, 晚上"很黑"\n老人出行不便',
  address: '张仪村4号院南院',
  community: '张仪村社区',
  owner: '王芳',
  leader: '汪书记',
  receivedAt: Date.parse('2026-11-30T09:15:00+08:00'),
  contactedAt: new Date('2026-11-30T01:45:30Z'),
  resolvedAt: '2026-12-01 16:00',
  resolveBy: Date.parse('2026-12-07T09:15:00+08:00'),
  overdue: false,
  extended: true,
  solved: '已解决',
  satisfaction: '基本满意',
  followUpNote: '=HYPERLINK("http://x","点我")',
};

const EMPTY: LedgerRow = {
  hotlineNo: 'E-1', type: null, category: null, content: '咨询落户政策', address: null, community: null, owner: null, leader: null,
  receivedAt: null, contactedAt: null, resolvedAt: null, resolveBy: null, overdue: null, extended: null, solved: null, satisfaction: null, followUpNote: null,
};

/** RFC 4180 reader, written independently of the exporter. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('XlsxLedgerExporter.xlsx', () => {
  it('writes a cases sheet and a figures sheet that exceljs reads back', async () => {
    const exporter = new XlsxLedgerExporter();
    const buffer = await exporter.xlsx([ROW, EMPTY], [{ label: '受理', value: 812 }, { label: '满意率', value: '90.2%' }], { title: '卢沟桥街道接诉即办台账', period: '2026-11' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    expect(book.worksheets.map((w) => w.name)).toEqual(['案件台账', '统计']);
    expect(book.title).toBe('卢沟桥街道接诉即办台账');

    const cases = book.getWorksheet('案件台账')!;
    expect((cases.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(cases.getRow(1).font?.bold).toBe(true);
    expect(cases.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(cases.getColumn(4).width).toBe(50);
    expect(cases.rowCount).toBe(3);

    const r = cases.getRow(2);
    const cell = (header: string) => r.getCell(HEADERS.indexOf(header) + 1).value;
    expect(cell('工单编号')).toBe('2611300012345');
    expect(cell('诉求内容')).toBe(ROW.content);
    expect(cell('问题分类')).toBe('城乡建设->市政设施->路灯');
    // Date cells hold the wall-clock time of Asia/Shanghai (Excel dates carry no zone).
    expect(cell('受理时间')).toEqual(new Date('2026-11-30T09:15:00Z'));
    expect(cell('响应时间')).toEqual(new Date('2026-11-30T09:45:30Z'));
    expect(r.getCell(HEADERS.indexOf('受理时间') + 1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(cell('办结时间')).toBe('2026-12-01 16:00');
    expect(cell('办理时限')).toEqual(new Date('2026-12-07T09:15:00Z'));
    expect([cell('是否超时'), cell('是否延期'), cell('解决情况'), cell('满意度')]).toEqual(['否', '是', '已解决', '基本满意']);
    // A citizen's text that looks like a formula stays text.
    expect(cell('回访备注')).toBe('=HYPERLINK("http://x","点我")');

    const empty = cases.getRow(3);
    expect(empty.getCell(1).value).toBe('E-1');
    expect(empty.getCell(HEADERS.indexOf('受理时间') + 1).value).toBeNull();
    expect(empty.getCell(HEADERS.indexOf('是否超时') + 1).value).toBeNull();

    const figures = book.getWorksheet('统计')!;
    expect(figures.getRow(1).getCell(1).value).toBe('卢沟桥街道接诉即办台账');
    expect((figures.getRow(2).values as unknown[]).slice(1)).toEqual(['统计周期', '2026-11']);
    expect((figures.getRow(4).values as unknown[]).slice(1)).toEqual(['指标', '数值']);
    expect(figures.getRow(4).font?.bold).toBe(true);
    expect((figures.getRow(5).values as unknown[]).slice(1)).toEqual(['受理', 812]);
    expect((figures.getRow(6).values as unknown[]).slice(1)).toEqual(['满意率', '90.2%']);
  });

  it('writes times in the configured zone', async () => {
    const buffer = await new XlsxLedgerExporter({ timeZone: 'UTC' }).xlsx([ROW], [], { title: 't', period: 'p' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    expect(book.getWorksheet('案件台账')!.getRow(2).getCell(9).value).toEqual(new Date('2026-11-30T01:15:00Z'));
  });
});

describe('XlsxLedgerExporter.csv', () => {
  it('starts with a BOM, ends lines with CRLF and round-trips commas, quotes and newlines', () => {
    const csv = new XlsxLedgerExporter().csv([ROW, EMPTY]);
    expect(csv.startsWith('\uFEFF工单编号,诉求类型,')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(HEADERS);
    expect(rows[1]).toEqual([
      '2611300012345', '投诉', '城乡建设->市政设施->路灯', '张仪村4号院南院路灯不亮, 晚上"很黑"\n老人出行不便', '张仪村4号院南院', '张仪村社区', '王芳', '汪书记',
      '2026-11-30 09:15:00', '2026-11-30 09:45:30', '2026-12-01 16:00', '2026-12-07 09:15:00', '否', '是', '已解决', '基本满意',
      '\'=HYPERLINK("http://x","点我")',
    ]);
    expect(rows[2]).toEqual(['E-1', '', '', '咨询落户政策', ...Array(13).fill('')]);
  });

  it('neutralises every formula start and leaves other text alone', () => {
    const exporter = new XlsxLedgerExporter();
    const table: [string, string][] = [['=1+1', "'=1+1"], ['+86 139', "'+86 139"], ['-楼道', "'-楼道"], ['@某人', "'@某人"], ['a=b', 'a=b'], ['１２３４５', '１２３４５']];
    for (const [input, expected] of table) {
      const rows = parseCsv(exporter.csv([{ ...EMPTY, followUpNote: input }]).slice(1));
      expect(rows[1]![16]).toBe(expected);
    }
  });
});

describe('LEDGER_COLUMNS and timeText', () => {
  it('has one column per LedgerRow field, in the 12345 export order', () => {
    expect(LEDGER_COLUMNS.map((c) => c.header)).toEqual(HEADERS);
    expect(new Set(LEDGER_COLUMNS.map((c) => c.key)).size).toBe(Object.keys(ROW).length);
  });

  it('formats instants in the zone and keeps text', () => {
    const table: [Parameters<typeof timeText>[0], string, string][] = [
      [Date.parse('2026-12-31T16:00:00Z'), 'Asia/Shanghai', '2027-01-01 00:00:00'],
      [new Date('2026-12-31T16:00:00Z'), 'UTC', '2026-12-31 16:00:00'],
      ['12月3日上午', 'Asia/Shanghai', '12月3日上午'],
      [null, 'Asia/Shanghai', ''],
    ];
    for (const [v, zone, expected] of table) expect(timeText(v, zone)).toBe(expected);
  });
});
