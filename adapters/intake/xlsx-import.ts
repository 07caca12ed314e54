import ExcelJS from 'exceljs';
import { mapHeader, rowFromCells, type Sheet, type SheetCell, type SheetOptions } from './sheet-columns';

/**
 * The 12345 platform's XLSX export as a sheet of intake rows: the same column titles, values and
 * time rules as the CSV import (sheet-columns.ts). The header is the first row, within the first
 * ten, that has both a work-order number and a content column, so a title row above it is fine.
 * Line numbers are the row numbers Excel shows.
 */

/** Rows searched for the header. */
const HEADER_SEARCH_ROWS = 10;

/** Reads the first worksheet that has a recognisable header; throws a user-facing error otherwise. */
export async function xlsxSheet(file: Buffer, options: SheetOptions): Promise<Sheet> {
  const book = new ExcelJS.Workbook();
  try {
    // exceljs declares its own global `Buffer extends ArrayBuffer`, which Node's generic Buffer type does not match.
    await book.xlsx.load(file as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch (err) {
    throw new Error('读不了这个 .xlsx 文件（是否损坏，或其实是别的格式？）', { cause: err });
  }
  for (const ws of book.worksheets) {
    const header = findHeader(ws);
    if (!header) continue;
    const sheet: Sheet = { rows: [], columns: header.columns, problems: [] };
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rowNumber <= header.rowNumber) return;
      const cells = header.fields.map((_, i) => cellValue(row.getCell(i + 1).value));
      if (!cells.some((c) => c !== null && String(c).trim() !== '')) return;
      const parsed = rowFromCells(header.fields, cells, header.columns, options);
      if ('error' in parsed) sheet.problems.push({ line: rowNumber, error: parsed.error });
      else sheet.rows.push({ line: rowNumber, value: parsed.value });
    });
    return sheet;
  }
  throw new Error(`找不到表头：前 ${HEADER_SEARCH_ROWS} 行里没有同时含「工单编号」和「诉求内容」两列的一行`);
}

function findHeader(ws: ExcelJS.Worksheet): { rowNumber: number; fields: string[]; columns: Record<string, string> } | null {
  const last = Math.min(ws.rowCount, HEADER_SEARCH_ROWS);
  for (let r = 1; r <= last; r++) {
    const row = ws.getRow(r);
    const titles = Array.from({ length: row.cellCount }, (_, i) => {
      const v = cellValue(row.getCell(i + 1).value);
      return v === null ? '' : String(v);
    });
    const { fields, columns } = mapHeader(titles);
    if (fields.includes('hotlineNo') && fields.includes('content')) return { rowNumber: r, fields, columns };
  }
  return null;
}

/** An exceljs cell value as text, a number or a date: rich text joined, links as their text, formulas as their result. */
function cellValue(v: ExcelJS.CellValue): SheetCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('hyperlink' in v) return cellValue(v.text as ExcelJS.CellValue);
  if ('result' in v) return cellValue((v.result ?? null) as ExcelJS.CellValue);
  // An error cell (#N/A …) or a formula without a cached result: nothing to read.
  return null;
}
