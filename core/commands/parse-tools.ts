/**
 * Pieces every command's argument parser uses: text cleaning, the case reference (a short number,
 * `#12`, or a hotline work-order number), durations in days, @-mentions written as text.
 */

/** Full-width ASCII folds to half-width (Chinese punctuation stays), control characters go. */
export function clean(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (ch) => (/[，；：！？（）]/.test(ch) ? ch : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)))
    .replace(/\u3000/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g, '')
    .trim();
}

/** How a command names its case: the short number people type, or the work order's number. */
export type CaseRef = { caseId: number; hotlineNo?: undefined } | { caseId: null; hotlineNo: string } | { caseId: null; hotlineNo?: undefined };

/** A hotline work-order number typed in place of the short number: letters/digits with a dash, or 10+ digits. */
const HOTLINE_REF = /^(?=[A-Za-z0-9_\-.:/]*\d)(?:[A-Za-z0-9][A-Za-z0-9_.:/]*-[A-Za-z0-9_\-.:/]+|\d{10,64}|[A-Za-z]{1,6}\d{6,58})(?=\s|$)/;

/**
 * Splits a leading case reference off the arguments. `0` is kept (the bot says no such case);
 * `12号楼` is an address, not a number.
 */
export function takeCaseRef(rest: string): (CaseRef & { rest: string }) | { bad: string } {
  const m = /^#?(\d{1,9})(?=\s|$)/.exec(rest);
  if (m) return { caseId: Number(m[1]), rest: rest.slice(m[0].length).trim() };
  const h = HOTLINE_REF.exec(rest);
  if (h) return { caseId: null, hotlineNo: h[0], rest: rest.slice(h[0].length).trim() };
  if (/^#\S*/.test(rest)) return { bad: /^#\S*/.exec(rest)![0] };
  return { caseId: null, rest };
}

/** `3天`, `3d`, `3 天`, `3日` → 3; null when not a day count. */
export function parseDays(word: string): number | null {
  const m = /^(\d{1,3})\s*(天|日|d|days?)?$/i.exec(word.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

/** `@王芳` words at any place in the text (the console's form; platforms also pass real mentions). */
export function mentionNames(text: string): string[] {
  return [...text.matchAll(/@([^\s@,，、]+)/g)].map((m) => m[1]!);
}

/** The text without its `@name` words. */
export function withoutMentions(text: string): string {
  return text.replace(/@[^\s@,，、]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A `MM-DD` or `YYYY-MM-DD` date word (节点, 值班 设置). */
export function parseDateWord(word: string): { year: number | null; month: number; day: number } | null {
  const m = /^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?$/.exec(word);
  if (!m) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year: m[1] ? Number(m[1]) : null, month, day };
}
