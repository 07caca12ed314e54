import { maskForPublic } from './privacy';
import type { Case } from './types';

/**
 * The public text of a resolved case (the 办结 publish effect: the public file, the public account's
 * template and customer message). Masked for the public first — the citizen named nowhere, every
 * personal number hidden whole, rooms per `maskRoomNumbers` — and only then shortened, so a cut never
 * leaves half a phone number that no rule recognises.
 */
export function publicResultText(c: Case, opts: { maskRoomNumbers: boolean }): { title: string; text: string } {
  const mask = (s: string) => maskForPublic(s, { names: [c.citizenName], phones: [c.citizenPhone], maskRoomNumbers: opts.maskRoomNumbers });
  const address = c.address ? mask(c.address) : '';
  const title = `${c.category}${address ? `｜${cut(address, PUBLIC_TITLE_ADDRESS_CHARS)}` : ''}`;
  return { title, text: `诉求：${mask(c.content)}\n办理结果：${mask(c.result ?? '')}` };
}

/** Characters of the (masked) address the public title keeps before `…`. */
export const PUBLIC_TITLE_ADDRESS_CHARS = 20;

/** The first `n` characters (code points, so no half emoji) and `…` when anything was cut. */
function cut(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
}
