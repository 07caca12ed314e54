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

/**
 * A set of 32-bit keys kept as one bit per hash (a one-hash Bloom filter): `has` may say yes for a
 * key never added (a few per cent at the sizes used here), never no for one that was. Small enough
 * to stay in the processor's cache, one memory read per question.
 */
class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly shift: number;

  constructor(log2Bits: number) {
    this.bits = new Uint32Array(1 << (log2Bits - 5));
    this.shift = 32 - log2Bits;
  }

  add(key: number): void {
    const h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    this.bits[h >>> 5]! |= 1 << (h & 31);
  }

  has(key: number): boolean {
    const h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    return (this.bits[h >>> 5]! & (1 << (h & 31))) !== 0;
  }
}

/** Two UTF-16 codes as one key. */
const pairKey = (a: number, b: number): number => ((a << 16) | b) >>> 0;
/** Three UTF-16 codes hashed to a key: two triples may share one, which only makes a break look possible. */
const tripleKey = (a: number, b: number, c: number): number => (Math.imul(((a << 16) | b) ^ Math.imul(c, 0x85ebca6b), 0xc2b2ae35) ^ c) >>> 0;

/**
 * Where a dictionary word can span: the character pairs inside its words, its two-character words,
 * and the character triples inside its longer words. A word spanning position p (between characters
 * p−1 and p) holds the pair around p, and is either that pair itself or holds the triple ending at p
 * or the one starting at p−1. The filters may err only towards "can span", which costs a longer
 * piece to cut, never a wrong boundary.
 */
class SpanIndex {
  private readonly pairs = new KeyFilter(22);
  private readonly words2 = new KeyFilter(21);
  private readonly triples = new KeyFilter(22);
  /** By UTF-16 code: 1 when the character occurs in a word of two or more (punctuation never does). */
  private readonly inWords = new Uint8Array(65536);

  /** Adds the words of a jieba dictionary text (`word freq tag` per line). */
  addDictionary(text: string): void {
    let line = 0;
    while (line < text.length) {
      let end = text.indexOf('\n', line);
      if (end < 0) end = text.length;
      let wordEnd = text.indexOf(' ', line);
      if (wordEnd < 0 || wordEnd > end) wordEnd = end;
      if (text.charCodeAt(wordEnd - 1) === 13) wordEnd--;
      const length = wordEnd - line;
      if (length >= 2) for (let i = line; i < wordEnd; i++) this.inWords[text.charCodeAt(i)] = 1;
      for (let i = line + 1; i < wordEnd; i++) this.pairs.add(pairKey(text.charCodeAt(i - 1), text.charCodeAt(i)));
      if (length === 2) this.words2.add(pairKey(text.charCodeAt(line), text.charCodeAt(line + 1)));
      for (let i = line + 2; i < wordEnd; i++) this.triples.add(tripleKey(text.charCodeAt(i - 2), text.charCodeAt(i - 1), text.charCodeAt(i)));
      line = end + 1;
    }
  }

  /**
   * True where every cut of `text` breaks at `p` (0 < p < length): no dictionary word can span it.
   * Never between the halves of a surrogate pair, inside a CR LF, nor between two ASCII letters or
   * digits (jieba joins runs of single ones).
   */
  forcedBreak(text: string, p: number): boolean {
    const a = text.charCodeAt(p - 1);
    const b = text.charCodeAt(p);
    if (this.inWords[a] === 1 && this.inWords[b] === 1 && this.pairs.has(pairKey(a, b))) {
      if (this.words2.has(pairKey(a, b))) return false;
      if (p >= 2 && this.triples.has(tripleKey(text.charCodeAt(p - 2), a, b))) return false;
      if (p + 1 < text.length && this.triples.has(tripleKey(a, b, text.charCodeAt(p + 1)))) return false;
    }
    return !isHighSurrogate(a) && !(a === 13 && b === 10) && !(isAsciiAlnum(a) && isAsciiAlnum(b));
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
  const spans = new SpanIndex();
  spans.addDictionary(Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8'));
  spans.addDictionary(userDict);

  const cut = (text: string): string[] => {
    const words = jieba.cut(text, false);
    // The matcher needs segments that add up to the text; fall back to characters if they ever do not.
    return words.join('') === text ? words : Array.from(text, (c) => c);
  };

  const boundaries = (text: string, asked: Uint8Array): Uint8Array => {
    const n = text.length;
    const out = new Uint8Array(n + 1);
    out[0] = 1;
    out[n] = 1;
    // The pieces between forced breaks that hold an asked position, as [start, end) pairs: walked
    // out from each asked position, so the text between them is never looked at.
    const pieces: number[] = [];
    let covered = 0;
    for (let p = 1; p < n; p++) {
      if (!asked[p] || p < covered) continue;
      if (spans.forcedBreak(text, p)) {
        out[p] = 1;
        continue;
      }
      let from = p - 1;
      while (from > covered && !spans.forcedBreak(text, from)) from--;
      let to = p + 1;
      while (to < n && !spans.forcedBreak(text, to)) to++;
      pieces.push(from, to);
      out[to] = 1;
      covered = to;
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
