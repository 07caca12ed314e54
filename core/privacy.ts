/**
 * One masking function for everything that leaves for the public side or the logs:
 * mobile and landline numbers, 18- and 15-digit ID numbers, the citizen's name, and — when
 * configured — room numbers in addresses (`501室` → `5**室`).
 */
export interface MaskOptions {
  /** Names to hide (the citizen's); each keeps its first character: 王芳 → 王*. */
  names?: (string | null | undefined)[];
  /** Mask `501室` as `5**室` (default true). */
  maskRoomNumbers?: boolean;
}

const ID_18 = /(?<![\dA-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![\dA-Za-z])/g;
const ID_15 = /(?<!\d)(\d{6})\d{6}(\d{3})(?!\d)/g;
// Mobile: optional +86 / 86 prefix, 11 digits starting 1[3-9], separators allowed (138-1234-5678, 138 1234 5678).
const MOBILE = /(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)/g;
// Landline: area code 0xx(x) with optional (half- or full-width) brackets/dash, then 7–8 digits, which may be
// written in two groups after an area code (010-6381 2345); or a bare 8-digit Beijing number.
const LANDLINE = /(?<!\d)(?:[(（]?0\d{2,3}[)）]?[-\s]?)(?:\d{7,8}|\d{3,4}[-\s]\d{4})(?:-\d{1,5})?(?!\d)/g;
const BARE_LOCAL = /(?<![\d.])[2-9]\d{7}(?![\d.])/g;
const ROOM = /(\d)(\d{1,4})(室|房间|户)/g;

export function maskPersonal(text: string, opts: MaskOptions = {}): string {
  let out = text
    .replace(ID_18, (_m, a: string) => `${a}********${'****'}`)
    .replace(ID_15, (_m, a: string) => `${a}*********`)
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LANDLINE, (m) => `${m.slice(0, Math.min(4, m.length - 4))}****`)
    .replace(BARE_LOCAL, (m) => `${m.slice(0, 2)}******`);
  for (const name of opts.names ?? []) {
    const n = name?.trim();
    if (!n || n.length < 2) continue;
    const masked = maskName(n);
    out = out.split(n).join(masked);
  }
  if (opts.maskRoomNumbers ?? true) {
    out = out.replace(ROOM, (_m, first: string, rest: string, unit: string) => `${first}${'*'.repeat(rest.length)}${unit}`);
  }
  return out;
}

/** 王芳 → 王*, 欧阳娜娜 → 欧***; 李先生 stays a courtesy form: 李先生. */
export function maskName(name: string): string {
  if (/^.(先生|女士|师傅|阿姨|大爷|大妈)$/.test(name)) return name;
  return name[0] + '*'.repeat(Math.max(1, name.length - 1));
}
