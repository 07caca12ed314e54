import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { boundariesOf, domainDictionary, type CategoryTable, type Segmenter } from '../../core/classify';

/**
 * core's `Segmenter` on jieba (@node-rs/jieba, native). The default dictionary and the domain terms
 * (井盖, 黑臭水体, 群租房, 私装地桩 … from the category table and the street's `categories.words`) are
 * loaded once, in about 0.2–0.3 s.
 *
 * The classifier only asks whether the rule words it found sit on word boundaries, so `boundaries`
 * cuts only the stretches of text where that is in doubt. jieba (no HMM) picks the likeliest path
 * through the dictionary words of each stretch; between two characters that no dictionary word
 * contains as a pair, no word can span, every path breaks there, and the two sides are cut
 * independently. So the text splits at those points, and only the pieces holding an asked position
 * are cut — about a quarter of a citizen's letter — in one call, with the same boundaries the whole
 * cut gives.
 */

/** Frequency given to the domain terms: high enough to keep them whole, low enough not to eat neighbours. */
const USER_WORD_FREQ = 3000;

/** Slots of the pair table (a power of two, about three times the ~300,000 pairs of the dictionary). */
const PAIR_SLOTS_LOG2 = 20;

/**
 * The set of adjacent character pairs (UTF-16 codes) occurring inside any dictionary word: open
 * addressing over a Uint32Array, 4 MB. Key 0 marks an empty slot (no pair has code 0 first).
 */
class PairSet {
  private slots: Uint32Array;
  private mask: number;
  private size = 0;

  constructor(log2: number) {
    this.slots = new Uint32Array(1 << log2);
    this.mask = (1 << log2) - 1;
  }

  private static key(a: number, b: number): number {
    return ((a << 16) | b) >>> 0;
  }

  private slot(key: number): number {
    let i = (Math.imul(key, 0x9e3779b1) >>> 8) & this.mask;
    while (this.slots[i] !== 0 && this.slots[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  add(a: number, b: number): void {
    const key = PairSet.key(a, b);
    if (key === 0) return;
    const i = this.slot(key);
    if (this.slots[i] === 0) {
      if ((this.size + 1) * 2 > this.slots.length) this.grow();
      this.slots[this.slot(key)] = key;
      this.size++;
    }
  }

  has(a: number, b: number): boolean {
    const key = PairSet.key(a, b);
    return key !== 0 && this.slots[this.slot(key)] === key;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (const key of old) if (key !== 0) this.slots[this.slot(key)] = key;
  }
}

/** Adds the inner pairs of each word of a jieba dictionary text (`word freq tag` per line). */
function addDictionaryPairs(pairs: PairSet, text: string): void {
  let line = 0;
  while (line < text.length) {
    let end = text.indexOf('\n', line);
    if (end < 0) end = text.length;
    let wordEnd = text.indexOf(' ', line);
    if (wordEnd < 0 || wordEnd > end) wordEnd = end;
    for (let i = line + 1; i < wordEnd; i++) pairs.add(text.charCodeAt(i - 1), text.charCodeAt(i));
    line = end + 1;
  }
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isAsciiAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Builds the segmenter. Call once at start-up (main.ts) and pass it to `createClassifier`. HMM is off:
 * unknown runs come out as single characters, so a rule never matches half of an invented word.
 */
export function createJiebaSegmenter(table?: CategoryTable): Segmenter {
  const jieba = Jieba.withDict(dict);
  const userDict = domainDictionary(table).map((w) => `${w.replace(/\s+/g, '')} ${USER_WORD_FREQ}`).join('\n');
  jieba.loadDict(Buffer.from(userDict, 'utf8'));
  const pairs = new PairSet(PAIR_SLOTS_LOG2);
  addDictionaryPairs(pairs, Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8'));
  addDictionaryPairs(pairs, userDict);

  const cut = (text: string): string[] => {
    const words = jieba.cut(text, false);
    // The matcher needs segments that add up to the text; fall back to characters if they ever do not.
    return words.join('') === text ? words : Array.from(text, (c) => c);
  };

  /**
   * True where every cut breaks: no dictionary word holds the pair around `p`. Not between the two
   * halves of a surrogate pair, nor between two ASCII letters or digits (jieba joins runs of them).
   */
  const forcedBreak = (text: string, p: number): boolean => {
    const a = text.charCodeAt(p - 1);
    const b = text.charCodeAt(p);
    return !pairs.has(a, b) && !isHighSurrogate(a) && !(isAsciiAlnum(a) && isAsciiAlnum(b));
  };

  const boundaries = (text: string, asked: Uint8Array): Uint8Array => {
    const n = text.length;
    const out = new Uint8Array(n + 1);
    out[0] = 1;
    out[n] = 1;
    // The pieces between forced breaks that hold an asked position, as [start, end) pairs.
    const pieces: number[] = [];
    let start = 0;
    let needed = false;
    for (let p = 1; p <= n; p++) {
      if (p === n || forcedBreak(text, p)) {
        out[p] = 1;
        if (needed) pieces.push(start, p);
        start = p;
        needed = false;
      } else if (asked[p]) {
        needed = true;
      }
    }
    if (pieces.length === 0) return out;
    // One cut for all pieces, joined by a line break (jieba cuts each side of it on its own).
    let joined = '';
    for (let k = 0; k < pieces.length; k += 2) joined += (k > 0 ? '\n' : '') + text.slice(pieces[k], pieces[k + 1]);
    const words = jieba.cut(joined, false);
    const inJoined = new Uint8Array(joined.length + 1);
    let at = 0;
    for (const w of words) {
      inJoined[at] = 1;
      at += w.length;
    }
    if (at !== joined.length) return boundariesOf(text, cut(text));
    let offset = 0;
    for (let k = 0; k < pieces.length; k += 2) {
      const from = pieces[k]!;
      const to = pieces[k + 1]!;
      for (let p = from + 1; p < to; p++) out[p] = inJoined[offset + p - from]!;
      offset += to - from + 1;
    }
    return out;
  };

  return Object.assign(cut, { boundaries });
}
