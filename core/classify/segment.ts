/**
 * Segmentation is a port: core asks for the words of a text and never loads a dictionary itself.
 * Production injects jieba (adapters/nlp/jieba-segmenter.ts); without one, core falls back to forward
 * maximum matching over the domain dictionary, which is enough for short texts and for tests.
 */

/**
 * Splits a text into words, in order, covering the text: joining the result gives the text back
 * (whitespace and punctuation may come out as words of their own). Must be deterministic and pure
 * from the caller's point of view.
 */
export type Segmenter = (text: string) => string[];

/**
 * Forward maximum matching: at each position the longest dictionary word wins, else one character.
 * Cost is O(text length × longest word); the dictionary is indexed once.
 */
export function createDictionarySegmenter(words: Iterable<string>): Segmenter {
  const dict = new Set<string>();
  let maxLen = 1;
  for (const w of words) {
    if (w.length < 2) continue;
    dict.add(w);
    if (w.length > maxLen) maxLen = w.length;
  }
  return (text) => {
    const out: string[] = [];
    let i = 0;
    while (i < text.length) {
      let taken = 1;
      for (let len = Math.min(maxLen, text.length - i); len >= 2; len--) {
        if (dict.has(text.slice(i, i + len))) {
          taken = len;
          break;
        }
      }
      out.push(text.slice(i, i + taken));
      i += taken;
    }
    return out;
  };
}

/** A word of the vocabulary found in the text at a word boundary on both sides. */
export interface Hit {
  word: string;
  start: number;
  end: number;
}

/**
 * Finds vocabulary words in a text whose start and end both fall on word boundaries of the segmented
 * text. A word may span several segments (jieba cuts 煤气味 as 煤/气味; it still matches), but never
 * starts or ends inside one (水管 is not in 污/水/管道 → 污水/管道).
 */
export function createMatcher(vocabulary: Iterable<string>): (text: string, segments: string[]) => Hit[] {
  const words = new Set<string>();
  // For each first character, the lengths of the words starting with it, longest first.
  const lengths = new Map<string, number[]>();
  for (const w of vocabulary) {
    if (!w || words.has(w)) continue;
    words.add(w);
    const list = lengths.get(w[0]!) ?? [];
    if (!list.includes(w.length)) list.push(w.length);
    lengths.set(w[0]!, list);
  }
  for (const list of lengths.values()) list.sort((a, b) => b - a);
  return (text, segments) => {
    const boundary = new Uint8Array(text.length + 1);
    let at = 0;
    for (const s of segments) {
      boundary[at] = 1;
      at += s.length;
    }
    boundary[Math.min(at, text.length)] = 1;
    const hits: Hit[] = [];
    for (let i = 0; i < text.length; i++) {
      if (!boundary[i]) continue;
      const lens = lengths.get(text[i]!);
      if (!lens) continue;
      for (const len of lens) {
        const end = i + len;
        if (end > text.length || !boundary[end]) continue;
        const w = text.slice(i, end);
        if (words.has(w)) hits.push({ word: w, start: i, end });
      }
    }
    return hits;
  };
}
