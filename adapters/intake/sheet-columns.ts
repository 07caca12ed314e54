import { formatIsoInZone, zonedParts } from '../../core/time-zone';
import { own } from '../../core/own';
import type { Urgency } from '../../core/types';

/**
 * What a row of an exported sheet (CSV or the 12345 platform's XLSX) means for the intake contract:
 * column titles (contract names or the platform's Chinese titles), Chinese values (紧急程度, 诉求类型),
 * times written without an offset (the street's wall clock), and errors that name the column as
 * the sheet titles it.
 */

/** Chinese column titles as 12345 exports name them → contract field. */
export const HEADER_ALIASES: Readonly<Record<string, string>> = {
  工单号: 'hotlineNo', 工单编号: 'hotlineNo', 诉求内容: 'content', 内容: 'content', 地址: 'address', 诉求地址: 'address',
  类别: 'category', 诉求类别: 'category', 分类: 'category', 问题分类: 'category', 问题类别: 'category',
  诉求类型: 'type', 类型: 'type', 紧急程度: 'urgency',
  办理时限: 'resolveBy', 来电时间: 'reportedAt', 受理时间: 'reportedAt', 姓名: 'citizenName', 联系人: 'citizenName',
  市民姓名: 'citizenName', 电话: 'citizenPhone', 联系电话: 'citizenPhone', 社区: 'community',
};

/** 紧急程度 as the platform writes it (and the contract's own names) → urgency class. */
const URGENCY_VALUES: Readonly<Record<string, Urgency>> = {
  紧急: 'urgent', 特急: 'urgent', 一般: 'ordinary', 普通: 'ordinary', 水电气热: 'utility', 复杂: 'complex', 复杂疑难: 'complex', 疑难: 'complex', 咨询: 'consult',
  urgent: 'urgent', utility: 'utility', ordinary: 'ordinary', complex: 'complex', consult: 'consult',
};

const REQUEST_TYPE_VALUES = ['咨询', '求助', '投诉', '举报', '建议'];

/** A cell as read from a sheet: CSV gives text; XLSX may give numbers and dates too. */
export type SheetCell = string | number | boolean | Date | null | undefined;

/** How a sheet's values are read. */
export interface SheetOptions {
  /** Zone of times written without an offset; the street's (`config.timeZone`, default Asia/Shanghai). */
  timeZone: string;
  /** Group display name → group key, so a 社区 column may hold `张仪村社区` as well as `zhangyi`. */
  groupKeys?: Readonly<Record<string, string>>;
}

/** A sheet turned into intake bodies, ready for `importSheet`. */
export interface Sheet {
  /** Rows to hand to the intake, with their line (CSV: text line; XLSX: the row number Excel shows). */
  rows: { line: number; value: unknown }[];
  /** Contract field (`content`, `citizen.phone`, …) → the column title as the sheet writes it. */
  columns: Record<string, string>;
  /** Rows refused before the intake (a value that cannot be read), already phrased for the user. */
  problems: { line: number; error: string }[];
}

/** Column titles → contract fields, and the reverse table used to phrase errors. */
export function mapHeader(titles: string[]): { fields: string[]; columns: Record<string, string> } {
  const columns: Record<string, string> = {};
  const fields = titles.map((t) => {
    const title = t.trim();
    const field = own(HEADER_ALIASES, title) ?? title;
    const key = field === 'citizenName' ? 'citizen.name' : field === 'citizenPhone' ? 'citizen.phone' : field;
    if (title && !Object.hasOwn(columns, key)) columns[key] = title;
    return field;
  });
  return { fields, columns };
}

/**
 * One row: the intake body, or the first value that cannot be read (phrased with the column title).
 * Empty cells are left out, so the intake infers or defaults them.
 */
export function rowFromCells(fields: string[], cells: SheetCell[], columns: Record<string, string>, options: SheetOptions): { value: Record<string, unknown> } | { error: string } {
  const { timeZone, groupKeys = {} } = options;
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const cell = cells[i];
    if (cell === null || cell === undefined || field === '') continue;
    const column = (key: string) => columnName(columns, key);
    if (field === 'reportedAt' || field === 'resolveBy') {
      const iso = cellToIso(cell, timeZone, field === 'resolveBy' ? 'end' : 'start');
      if (iso === undefined) continue;
      if (iso === null) return { error: `${column(field)}不是有效时间「${cellText(cell)}」，应如 2026-12-03 09:15:00` };
      obj[field] = iso;
      continue;
    }
    const text = cellText(cell).trim();
    if (!text) continue;
    if (field === 'urgency') {
      const urgency = own(URGENCY_VALUES, text);
      if (!urgency) return { error: `${column(field)}是「${text}」，应为 紧急、一般、水电气热、复杂 或 咨询` };
      obj[field] = urgency;
    } else if (field === 'type') {
      if (!REQUEST_TYPE_VALUES.includes(text)) return { error: `${column(field)}是「${text}」，应为 ${REQUEST_TYPE_VALUES.slice(0, -1).join('、')} 或 ${REQUEST_TYPE_VALUES.at(-1)}` };
      obj[field] = text;
    } else if (field === 'community') obj[field] = own(groupKeys, text) ?? text;
    else obj[field] = text;
  }
  const { citizenName, citizenPhone, ...rest } = obj;
  if (citizenName || citizenPhone) rest.citizen = { name: citizenName, phone: citizenPhone };
  return { value: rest };
}

/** `「诉求内容」` for a field the sheet titles 诉求内容; the contract name when the sheet has no title for it. */
export function columnName(columns: Record<string, string>, field: string): string {
  return `「${Object.hasOwn(columns, field) ? columns[field] : field}」`;
}

/**
 * The intake's refusal (`content: 必填`, field `content`) phrased for the person who wrote the
 * sheet: `「诉求内容」为空`. Field names inside the message are replaced by their titles too.
 */
export function phraseIntakeError(error: string, field: string, columns: Record<string, string>): string {
  const message = error.startsWith(`${field}: `) ? error.slice(field.length + 2) : error;
  const plain = message === '必填' || message === '不能为空' ? '为空' : message;
  const named = plain.replace(/ ?\b(reportedAt|resolveBy|content|hotlineNo|address|category|type|urgency|community)\b/g, (_, f: string) => columnName(columns, f));
  return field === '(body)' ? named : `${columnName(columns, field)}${named}`;
}

/** Text of a cell as the user sees it. */
export function cellText(cell: SheetCell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : wallText(cell.getTime());
  return String(cell);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date whose UTC fields are a wall-clock time (how Excel dates arrive) as `2026-12-03 09:15:00`. */
function wallText(utcFields: number): string {
  const d = new Date(utcFields);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const WALL = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*[T\s]\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$/;
/** Excel's day 0 is 1899-12-30; serials in this range are 1954–2119, the rest is not a date we expect. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const EXCEL_SERIAL_MIN = 20_000;
const EXCEL_SERIAL_MAX = 80_000;

/**
 * A time cell as ISO-8601 with the zone's offset. Text with an offset is kept; text without one
 * (`2026-12-03 09:15:00`, `2026/12/3 9:15`, `2026年12月3日 9时15分`), an Excel date cell or an Excel
 * serial number is the street's wall clock. A date alone is the start of that day, or its end
 * (23:59:59) for a deadline. `undefined` for an empty cell, `null` for one that is not a time.
 */
export function cellToIso(cell: SheetCell, timeZone: string, dateOnly: 'start' | 'end'): string | null | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return null;
    return wallToIso(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate(), cell.getUTCHours(), cell.getUTCMinutes(), cell.getUTCSeconds(), timeZone);
  }
  if (typeof cell === 'number') {
    if (!(cell >= EXCEL_SERIAL_MIN && cell <= EXCEL_SERIAL_MAX)) return null;
    return cellToIso(new Date(EXCEL_EPOCH_MS + Math.round(cell * 86_400) * 1000), timeZone, dateOnly);
  }
  const text = String(cell).trim();
  if (!text) return undefined;
  if (WITH_OFFSET.test(text)) return text;
  if (/^\d+(\.\d+)?$/.test(text)) return cellToIso(Number(text), timeZone, dateOnly);
  const m = WALL.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4] === undefined) return dateOnly === 'end' ? wallToIso(y, mo, d, 23, 59, 59, timeZone) : wallToIso(y, mo, d, 0, 0, 0, timeZone);
  return wallToIso(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6] ?? 0), timeZone);
}

/** A wall-clock time in a zone as ISO with offset; null when the date or time does not exist. */
export function wallToIso(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): string | null {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  // The zone's offset at that moment, found by looking at what the guess shows there (twice, for DST edges).
  let at = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(at, timeZone);
    at += asUtc - Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  }
  return formatIsoInZone(at, timeZone);
}
