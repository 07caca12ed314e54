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
export interface Segmenter {
  (text: string): string[];
  /**
   * Optional fast path for the classifier: which of the positions flagged in `asked` (length
   * `text.length + 1`) are word boundaries of `segment(text)`. The answer at an asked position must
   * be exactly what the full cut gives; positions not asked may hold anything. A segmenter that can
   * decide a boundary from the text around it (jieba: only where a dictionary word could span the
   * position) skips most of the text.
   */
  boundaries?(text: string, asked: Uint8Array): Uint8Array;
}

/** Every word boundary of a cut: 1 at the start of each segment and at the end of the text. */
export function boundariesOf(text: string, segments: readonly string[]): Uint8Array {
  const boundary = new Uint8Array(text.length + 1);
  let at = 0;
  for (const s of segments) {
    boundary[at] = 1;
    at += s.length;
  }
  boundary[Math.min(at, text.length)] = 1;
  return boundary;
}

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

interface TrieNode {
  next: Map<number, TrieNode>;
  /** The vocabulary word ending here, if any. */
  word: string | null;
}

/**
 * Every occurrence of a vocabulary word in a text, boundaries not checked yet: ordered by start, the
 * longest first at one start. One pass over the text with a trie of the words (by UTF-16 code).
 */
export function createScanner(vocabulary: Iterable<string>): (text: string) => Hit[] {
  const root: TrieNode = { next: new Map(), word: null };
  for (const w of vocabulary) {
    if (!w) continue;
    let node = root;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) {
        child = { next: new Map(), word: null };
        node.next.set(c, child);
      }
      node = child;
    }
    node.word = w;
  }
  // The first level by UTF-16 code (most characters of a text start no word): an array, not a map.
  const firsts: (TrieNode | undefined)[] = new Array<TrieNode | undefined>(65536).fill(undefined);
  for (const [c, node] of root.next) firsts[c] = node;
  return (text) => {
    const hits: Hit[] = [];
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let node = firsts[text.charCodeAt(i)];
      if (node === undefined) continue;
      // The words found at i, shortest first; listed longest first, as the matcher always has.
      let found: TrieNode | null = null;
      let foundEnd = 0;
      let more: { node: TrieNode; end: number }[] | null = null;
      let end = i + 1;
      for (;;) {
        if (node.word !== null) {
          if (found) (more ??= []).push({ node: found, end: foundEnd });
          found = node;
          foundEnd = end;
        }
        if (end >= n) break;
        const child: TrieNode | undefined = node.next.get(text.charCodeAt(end));
        if (!child) break;
        node = child;
        end++;
      }
      if (found) hits.push({ word: found.word!, start: i, end: foundEnd });
      if (more) for (let k = more.length - 1; k >= 0; k--) hits.push({ word: more[k]!.node.word!, start: i, end: more[k]!.end });
    }
    return hits;
  };
}

/** The positions a set of occurrences needs boundaries at: every start and end. */
export function askedPositions(text: string, candidates: readonly Hit[]): Uint8Array {
  const asked = new Uint8Array(text.length + 1);
  for (const h of candidates) {
    asked[h.start] = 1;
    asked[h.end] = 1;
  }
  return asked;
}

/** The occurrences that start and end on a word boundary. */
export function onBoundaries(candidates: readonly Hit[], boundary: Uint8Array): Hit[] {
  const out: Hit[] = [];
  for (const h of candidates) if (boundary[h.start] && boundary[h.end]) out.push(h);
  return out;
}

/**
 * Finds vocabulary words in a text whose start and end both fall on word boundaries of the segmented
 * text. A word may span several segments (jieba cuts 煤气味 as 煤/气味; it still matches), but never
 * starts or ends inside one (水管 is not in 污/水/管道 → 污水/管道).
 */
export function createMatcher(vocabulary: Iterable<string>): (text: string, segments: string[]) => Hit[] {
  const scan = createScanner(vocabulary);
  return (text, segments) => onBoundaries(scan(text), boundariesOf(text, segments));
}
