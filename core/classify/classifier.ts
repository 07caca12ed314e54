import type { Urgency } from '../types';
import { OTHER_CATEGORY, type CategoryDef } from './categories';
import { DEFAULT_CATEGORY_TABLE, type CategoryTable } from './category-table';
import { CONSULT_VOCABULARY, judgeConsult } from './consult';
import { categoryLeaf, mapHotlinePath, pathLevels } from './hotline-paths';
import { askedPositions, boundariesOf, createDictionarySegmenter, createScanner, onBoundaries, type Hit, type Segmenter } from './segment';
import { inOrganisationName, judgeUrgency, URGENCY_VOCABULARY, type PendingHits } from './urgency';

/** What the work order already says, when it says it. */
export interface ClassifyHints {
  /** The regulation's request type: 咨询 | 求助 | 投诉 | 举报 | 建议. */
  type?: string | null;
  /** The work order's category: a 12345 path (`城乡建设->市政设施->井盖`) or a plain name. */
  categoryPath?: string | null;
}

/** How a case reads. */
export interface Classification {
  /**
   * The bot's category: from the 12345 path when its leaf is known (`…->井盖` → 井盖, `管线冒水` → 供水),
   * the leaf as written when it is not, else inferred from the text; `其他` when nothing points anywhere.
   */
  category: string;
  /** The category's default section, or null (其他, or a leaf the table does not know). */
  section: string | null;
  urgency: Urgency;
  /** Why it is urgent, for the card (`紧急：井盖丢失`); null unless `urgency` is `urgent`. */
  urgentReason: string | null;
  /** The message asks (咨询/建议) rather than reports a problem. */
  consult: boolean;
}

export interface Classifier {
  classify(text: string, hints?: ClassifyHints): Classification;
}

export interface ClassifierOptions {
  /** The segmenter (jieba in production); default: forward maximum matching over the domain dictionary. */
  segment?: Segmenter;
  /** Default: `DEFAULT_CATEGORY_TABLE`. */
  table?: CategoryTable;
}

/** Weight of a strong word, of a leaning word, and the factor for a word inside an organisation's name. */
const STRONG = 3;
const LEAN = 1;
const IN_ORG_NAME = 0.3;
/** Words in the opening (a title, the first sentence) count this much more. */
const LEAD_FACTOR = 1.5;
/** One word repeated counts at most this many times. */
const MAX_REPEAT = 2;
/** Added to the category of a present danger (井盖丢失 → 井盖, even in front of a school). */
const DANGER_BONUS = 4;
/** Below this score the case stays 其他 for the dispatcher. */
const MIN_SCORE = 1;

/** Guard words for the fallback segmenter: ordinary words that contain a rule word (提供 holds 供电's 供). */
export const GUARD_WORDS: readonly string[] = [
  '提供', '可供', '供应', '供给', '以供', '供应商', '便利', '交通便利', '便利店', '打火机', '施工队', '施工方', '施工单位', '施工质量', '质量', '工资', '有限公司', '公司', '集团', '供电局',
  '燃气公司', '自来水公司', '热力公司', '供电公司', '个人', '工人', '家人', '别人', '他人', '客人', '本人', '人员', '人民', '人家', '人口', '人行', '农药', '火药', '中药', '西药',
  '路由', '一路', '路过', '出路', '思路', '道路', '网络', '小区', '水平', '水果', '水泥', '热水器', '热水', '开水', '口水', '薪水', '水电费', '雨水', '小店', '商店', '店长', '买卖', '不买',
  '钱包', '价钱', '吃饭', '饭店', '烟酒', '香烟', '抽烟', '吸烟', '烟花', '烟草', '草原', '草莓', '草案', '起草', '树立', '建树', '坑人', '没想到', '没什么', '不错', '不少', '不够',
];

/** The vocabulary of a table: every word the rules look for. */
export function tableVocabulary(table: CategoryTable): string[] {
  const out = new Set<string>([...URGENCY_VOCABULARY, ...CONSULT_VOCABULARY, ...table.dictionary]);
  for (const c of table.categories) {
    for (const w of c.strong) out.add(w);
    for (const w of c.words ?? []) out.add(w);
    for (const combo of c.combos ?? []) for (const group of combo.all) for (const w of group) out.add(w);
  }
  return [...out];
}

/**
 * The domain dictionary for a segmenter: the table's words of two characters or more that are not
 * just two of its other words in a row (燃气泄漏 = 燃气 + 泄漏 stays two words, so 燃气 is still seen;
 * the matcher finds 燃气泄漏 across the boundary). The jieba adapter loads these as user words so
 * 黑臭水体, 私装地桩, 群租房 come out whole.
 */
export function domainDictionary(table: CategoryTable = DEFAULT_CATEGORY_TABLE): string[] {
  return dictionaryWords(tableVocabulary(table), categoryVocabulary(table));
}

/** The words that point to a category (strong, leaning and combo words). */
function categoryVocabulary(table: CategoryTable): Set<string> {
  const out = new Set<string>();
  for (const c of table.categories) {
    for (const w of c.strong) out.add(w);
    for (const w of c.words ?? []) out.add(w);
  }
  return out;
}

/**
 * The words a segmenter should keep whole: not composable from other words, and not hiding a
 * category word inside a phrase that is none (电压不稳 would hide 电压 from the category rules).
 */
function dictionaryWords(words: string[], categoryWords: ReadonlySet<string>): string[] {
  return atomicWords(words).filter((w) => categoryWords.has(w) || ![...categoryWords].some((c) => c.length < w.length && w.includes(c)));
}

/** The words of two characters or more that cannot be cut into two or more words of the list. */
function atomicWords(words: string[]): string[] {
  const all = new Set(words);
  const composable = (w: string): boolean => {
    // ok[i]: w[0..i) splits into list words; at least two pieces overall.
    const ok: number[] = new Array(w.length + 1).fill(0);
    ok[0] = 1;
    for (let end = 1; end <= w.length; end++) {
      for (let start = 0; start < end; start++) {
        if (!ok[start]) continue;
        const piece = w.slice(start, end);
        if (piece.length < w.length && all.has(piece)) {
          ok[end] = 1;
          break;
        }
      }
    }
    return ok[w.length] === 1;
  };
  return words.filter((w) => w.length >= 2 && !composable(w));
}

/**
 * Drops hits lying strictly inside a longer hit (扰民 inside 施工扰民), keeping text order. The hits
 * come ordered by start, longest first at one start, and no two share both start and end: a hit is
 * inside another exactly when an earlier one reaches as far.
 */
function outermost(hits: Hit[]): Hit[] {
  const out: Hit[] = [];
  let reach = -1;
  for (const h of hits) {
    if (h.end > reach) {
      out.push(h);
      reach = h.end;
    }
  }
  return out;
}

/** The length of the opening: up to the first sentence end, at most 40 characters. */
function leadLength(text: string): number {
  const m = /[。！!？?\n]/.exec(text);
  return Math.min(m ? m.index + 1 : text.length, 40);
}

/** What one word adds to one category (by index in the table). */
interface Contribution {
  category: number;
  weight: number;
}

/**
 * A classifier over one table and one segmenter, compiled once. `classify` is pure; on jieba it takes
 * about 0.1 ms for a letter of a few hundred characters (bench P6).
 */
export function createClassifier(options: ClassifierOptions = {}): Classifier {
  const table = options.table ?? DEFAULT_CATEGORY_TABLE;
  const vocabulary = tableVocabulary(table);
  const segment = options.segment ?? createDictionarySegmenter([...dictionaryWords(vocabulary, categoryVocabulary(table)), ...GUARD_WORDS]);
  const scan = createScanner(vocabulary);
  const names = table.categories.map((c) => c.name);
  // Per word, what it adds to which category (a strong word overrides the same word as a leaning one).
  const contributions = new Map<string, Contribution[]>();
  table.categories.forEach((def, category) => {
    const weights = new Map<string, number>();
    for (const w of def.words ?? []) weights.set(w, LEAN);
    for (const w of def.strong) weights.set(w, STRONG);
    for (const [w, weight] of weights) contributions.set(w, [...(contributions.get(w) ?? []), { category, weight }]);
  });
  const combos = table.categories.flatMap((def, category) => (def.combos ?? []).map((c) => ({ category, all: c.all, weight: c.weight ?? STRONG })));
  const known = new Set(names);
  const firstLevels = new Set(table.categories.flatMap((c) => c.hotline));
  const sectionOf = new Map(table.categories.map((c) => [c.name, c.section || null]));
  // The path text ends in 。, which no segmenter joins to a word: its hits and the text's add up.
  const pathSplits = !vocabulary.some((w) => w.includes('。'));

  // Words only the urgency rules look at (人, 不, 会, 一旦 …): their boundaries are checked last, in
  // the clauses where a danger or utility rule could fire (see `PendingHits`).
  const comboWords = new Set(combos.flatMap((c) => c.all.flat()));
  const consultWords = new Set(CONSULT_VOCABULARY);
  const urgencyOnly = new Set(URGENCY_VOCABULARY.filter((w) => !contributions.has(w) && !comboWords.has(w) && !consultWords.has(w)));

  /** Which of `candidates` start and end on word boundaries. */
  function onWordBoundaries(text: string, candidates: Hit[]): Hit[] {
    if (candidates.length === 0) return candidates;
    const boundary = segment.boundaries ? segment.boundaries(text, askedPositions(text, candidates)) : boundariesOf(text, segment(text));
    return onBoundaries(candidates, boundary);
  }

  /**
   * The vocabulary words of a text that start and end on word boundaries, in text order; with a
   * segmenter that answers for single positions, the urgency-only words are left pending.
   */
  function hitsOf(text: string): { hits: Hit[]; lazy?: PendingHits } {
    const candidates = scan(text);
    if (!segment.boundaries) return { hits: onWordBoundaries(text, candidates) };
    const now: Hit[] = [];
    const pending: Hit[] = [];
    for (const h of candidates) (urgencyOnly.has(h.word) ? pending : now).push(h);
    return { hits: onWordBoundaries(text, now), lazy: { pending, resolve: (list) => onWordBoundaries(text, list) } };
  }

  /** Every hit of a text, pending ones checked. */
  function allHitsOf(text: string): Hit[] {
    return onWordBoundaries(text, scan(text));
  }

  function inferFromText(text: string, hits: Hit[], dangerCategory: string | null): string {
    const lead = leadLength(text);
    const present = new Set<string>();
    for (const h of hits) present.add(h.word);
    const counted = new Map<string, number>();
    const scores = new Float64Array(names.length);
    for (const h of outermost(hits.filter((x) => contributions.has(x.word)))) {
      const n = (counted.get(h.word) ?? 0) + 1;
      counted.set(h.word, n);
      if (n > MAX_REPEAT && h.start >= lead) continue;
      const factor = (h.start < lead ? LEAD_FACTOR : 1) * (inOrganisationName(text, h) ? IN_ORG_NAME : 1);
      for (const c of contributions.get(h.word)!) scores[c.category]! += c.weight * factor;
    }
    for (const combo of combos) if (combo.all.every((group) => group.some((w) => present.has(w)))) scores[combo.category]! += combo.weight;
    let best = -1;
    let bestScore = MIN_SCORE - 1e-9;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === dangerCategory) scores[i]! += DANGER_BONUS;
      if (scores[i]! > bestScore) {
        best = i;
        bestScore = scores[i]!;
      }
    }
    return best >= 0 ? names[best]! : OTHER_CATEGORY;
  }

  /** Every hit of `pathText + text`, reusing the text's own (`hits`, `lazy`). */
  function withPath(pathText: string, text: string, hits: Hit[], lazy: PendingHits | undefined): Hit[] {
    if (!pathSplits) return allHitsOf(pathText + text);
    const own = lazy && lazy.pending.length > 0 ? [...hits, ...lazy.resolve(lazy.pending)].sort((a, b) => a.start - b.start || b.end - a.end) : hits;
    const shift = pathText.length;
    return [...allHitsOf(pathText), ...own.map((h) => ({ word: h.word, start: h.start + shift, end: h.end + shift }))];
  }

  return {
    classify(text, hints = {}) {
      const { hits, lazy } = hitsOf(text);
      const path = hints.categoryPath?.trim() || null;
      // The operator's classification counts for urgency too (…->燃气->燃气泄漏), as a clause of its own.
      const pathText = path ? `${pathLevels(path).join('，')}。` : '';
      const judged = path ? judgeUrgency(pathText + text, withPath(pathText, text, hits, lazy)) : judgeUrgency(text, hits, lazy);
      let category: string;
      if (path) {
        const levels = pathLevels(path);
        const mapped = mapHotlinePath(path, table.paths, known);
        const onlyFirstLevel = levels.length === 1 && firstLevels.has(levels[0]!);
        if (mapped && mapped.level === levels.length - 1 && !onlyFirstLevel) {
          // The leaf itself is known (or a plain name like 井盖 or 管线冒水): it decides.
          category = mapped.category;
        } else if (onlyFirstLevel) {
          // Only a first level (城乡建设, 劳动和社会保障): the text decides, within that class when it can.
          const inferred = inferFromText(text, hits, judged.category);
          const inferredDef = table.categories.find((c) => c.name === inferred);
          category = inferredDef?.hotline.includes(levels[0]!) || !mapped ? inferred : mapped.category;
        } else {
          // An unknown leaf stays as the work order wrote it: the street's YAML may route it by that name.
          category = categoryLeaf(path);
        }
      } else {
        category = inferFromText(text, hits, judged.category);
      }
      const consult = judged.level === null && judgeConsult(text, hits, hints.type, false);
      const urgency: Urgency = judged.level ?? (consult ? 'consult' : 'ordinary');
      return { category, section: sectionOf.get(category) ?? null, urgency, urgentReason: judged.level === 'urgent' ? judged.reason : null, consult };
    },
  };
}
