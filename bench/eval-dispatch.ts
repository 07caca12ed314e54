/**
 * npm run eval:dispatch [-- <corpus.json>] [--before <git rev>]
 *
 * How well the bot reads a case: precision and recall per category and for the urgent and consult
 * classes, the share left in 其他, and urgent false alarms, on
 *  (a) tests/fixtures/dispatch-labelled.json — requests written for this project, labelled as a
 *      dispatcher would (category, urgency, consult), with the traps of issue 13 marked;
 *  (b) when present, ../shared/corpus/tipdm-labelled.json (or the path given): real citizens'
 *      letters with a 12345-style first-level label; a prediction counts as right when its category
 *      belongs to that first-level class. Nothing of it is copied into the repo.
 * BEFORE is the keyword classifier of `--before` (default: the last commit that had it), read with
 * `git show`; AFTER is the word-aware classifier on jieba, and on the pure fallback segmenter. Last, a
 * check that jieba's fast path (only the pieces around rule words cut) reads every text as the whole
 * cut does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createJiebaSegmenter } from '../adapters/nlp/jieba-segmenter';
import { createClassifier, DEFAULT_CATEGORIES, OTHER_CATEGORY } from '../core/classify';
import { ROOT } from './wiring';

/** The last commit with the substring keyword classifier (issue 13's "before"). */
const DEFAULT_BEFORE = '48932d3';

interface Labelled {
  text: string;
  category: string;
  urgency: string;
  consult: boolean;
  trap?: boolean;
}
interface CorpusItem {
  id: number | string;
  title: string;
  content: string;
  category1: string;
}
interface Prediction {
  category: string;
  urgent: boolean;
  consult: boolean;
}
type Predict = (text: string) => Prediction;

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');

/** Precision and recall of one class. */
function pr(pairs: { want: boolean; got: boolean }[]): { tp: number; fp: number; fn: number; precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const p of pairs) {
    if (p.got && p.want) tp++;
    else if (p.got) fp++;
    else if (p.want) fn++;
  }
  return { tp, fp, fn, precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The keyword classifier as it was at `rev`, loaded from git into a temp file. */
async function loadBefore(rev: string): Promise<Predict | null> {
  let source: string;
  try {
    source = execFileSync('git', ['show', `${rev}:core/classify.ts`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'jiesu-eval-before-'));
  const file = join(dir, 'classify.ts');
  writeFileSync(file, source);
  try {
    const mod = (await import(pathToFileURL(file).href)) as { inferCategory(t: string): string; inferUrgency(t: string, type?: string | null): string };
    return (text) => {
      const urgency = mod.inferUrgency(text, null);
      return { category: mod.inferCategory(text), urgent: urgency === 'urgent', consult: urgency === 'consult' };
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function evaluateLabelled(name: string, cases: Labelled[], predict: Predict): string[] {
  const preds = cases.map((c) => predict(c.text));
  const out: string[] = [];
  const cats = [...new Set([...cases.map((c) => c.category), ...preds.map((p) => p.category)])].sort((a, b) => cases.filter((c) => c.category === b).length - cases.filter((c) => c.category === a).length);
  const rows = cats.map((cat) => {
    const r = pr(cases.map((c, i) => ({ want: c.category === cat, got: preds[i]!.category === cat })));
    return [cat, String(r.tp + r.fn), String(r.tp + r.fp), pct(r.precision), pct(r.recall)];
  });
  const correct = cases.filter((c, i) => preds[i]!.category === c.category).length;
  const urgent = pr(cases.map((c, i) => ({ want: c.urgency === 'urgent', got: preds[i]!.urgent })));
  const consult = pr(cases.map((c, i) => ({ want: c.consult, got: preds[i]!.consult })));
  const traps = cases.map((c, i) => ({ c, p: preds[i]! })).filter((x) => x.c.trap);
  const other = preds.filter((p) => p.category === OTHER_CATEGORY).length;
  out.push(`### ${name}`);
  out.push(table(['figure', 'value'], [
    ['cases', String(cases.length)],
    ['category accuracy', pct(correct / cases.length)],
    ['share in 其他 (labelled 其他: ' + cases.filter((c) => c.category === OTHER_CATEGORY).length + ')', pct(other / cases.length)],
    ['urgent precision / recall', `${pct(urgent.precision)} / ${pct(urgent.recall)}`],
    ['urgent false alarms', String(urgent.fp)],
    ['consult precision / recall', `${pct(consult.precision)} / ${pct(consult.recall)}`],
    [`traps (${traps.length}): false urgent`, String(traps.filter((x) => x.p.urgent && x.c.urgency !== 'urgent').length)],
    [`traps: wrong category`, String(traps.filter((x) => x.p.category !== x.c.category).length)],
    [`traps: wrong consult`, String(traps.filter((x) => x.p.consult !== x.c.consult).length)],
  ]));
  out.push('');
  out.push(table(['category', 'labelled', 'predicted', 'precision', 'recall'], rows));
  if (process.env.EVAL_VERBOSE) {
    cases.forEach((c, i) => {
      const p = preds[i]!;
      if (p.category !== c.category || p.urgent !== (c.urgency === 'urgent') || p.consult !== c.consult) out.push(`  miss: want ${c.category}/${c.urgency}/${c.consult ? '咨询' : '诉求'} got ${p.category}/${p.urgent ? 'urgent' : '-'}/${p.consult ? '咨询' : '诉求'}  ${c.text}`);
    });
  }
  return out;
}

const FIRST_LEVEL = new Map(DEFAULT_CATEGORIES.map((c) => [c.name, c.hotline]));

/** The first-level class of a predicted category, given the label: the label when the category belongs to it. */
function firstLevelOf(category: string, label: string): string {
  if (category === OTHER_CATEGORY) return OTHER_CATEGORY;
  const levels = FIRST_LEVEL.get(category) ?? [];
  return levels.includes(label) ? label : (levels[0] ?? `(${category})`);
}

function evaluateCorpus(name: string, items: CorpusItem[], predict: Predict): string[] {
  const preds = items.map((x) => predict(`${x.title}。${x.content}`));
  const got = preds.map((p, i) => firstLevelOf(p.category, items[i]!.category1));
  const labels = [...new Set(items.map((x) => x.category1))];
  const rows = labels.map((l) => {
    const r = pr(items.map((x, i) => ({ want: x.category1 === l, got: got[i] === l })));
    return [l, String(r.tp + r.fn), String(r.tp + r.fp), pct(r.precision), pct(r.recall)];
  });
  const correct = items.filter((x, i) => got[i] === x.category1).length;
  const other = preds.filter((p) => p.category === OTHER_CATEGORY).length;
  const urgent = preds.filter((p) => p.urgent).length;
  const consult = preds.filter((p) => p.consult).length;
  const out = [`### ${name}`];
  out.push(table(['figure', 'value'], [
    ['messages', String(items.length)],
    ['first-level accuracy', pct(correct / items.length)],
    ['share in 其他', pct(other / items.length)],
    ['judged urgent (letters to a mailbox; read each)', String(urgent)],
    ['judged consult', String(consult)],
  ]));
  out.push('');
  out.push(table(['first level', 'labelled', 'predicted', 'precision', 'recall'], rows));
  if (process.env.EVAL_VERBOSE) {
    items.forEach((x, i) => {
      if (preds[i]!.urgent) out.push(`  urgent: ${x.id} ${x.title}`);
    });
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const beforeAt = args.indexOf('--before');
  const rev = beforeAt >= 0 ? args[beforeAt + 1]! : DEFAULT_BEFORE;
  const corpusArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--before');
  const corpusPath = resolve(corpusArg ?? join(ROOT, '..', 'shared', 'corpus', 'tipdm-labelled.json'));
  const labelled = (JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'dispatch-labelled.json'), 'utf8')) as { cases: Labelled[] }).cases;

  const segment = createJiebaSegmenter();
  const jieba = createClassifier({ segment });
  // The same jieba without its fast path (`boundaries`): every text cut whole, as before bench P6's work.
  const wholeCut = createClassifier({ segment: (text) => segment(text) });
  const fallback = createClassifier();
  const asPredict = (c: ReturnType<typeof createClassifier>): Predict => (text) => {
    const r = c.classify(text);
    return { category: r.category, urgent: r.urgency === 'urgent', consult: r.consult };
  };
  const systems: [string, Predict][] = [];
  const before = await loadBefore(rev);
  if (before) systems.push([`BEFORE (keywords by substring, ${rev})`, before]);
  else process.stdout.write(`(no BEFORE: git show ${rev}:core/classify.ts failed)\n`);
  systems.push(['AFTER (words, jieba)', asPredict(jieba)], ['AFTER (words, fallback segmenter)', asPredict(fallback)]);

  const out: string[] = ['## (a) labelled set: tests/fixtures/dispatch-labelled.json', ''];
  for (const [name, p] of systems) out.push(...evaluateLabelled(name, labelled, p), '');
  if (existsSync(corpusPath)) {
    const items = JSON.parse(readFileSync(corpusPath, 'utf8')) as CorpusItem[];
    out.push(`## (b) real letters: ${corpusPath} (first-level labels)`, '');
    for (const [name, p] of systems) out.push(...evaluateCorpus(name, items, p), '');
  } else {
    out.push(`## (b) real letters: skipped — ${corpusPath} is not there (see ../shared/corpus/README.md).`);
  }
  // The fast path must read every text exactly as the whole cut does.
  const texts = [...labelled.map((c) => c.text), ...(existsSync(corpusPath) ? (JSON.parse(readFileSync(corpusPath, 'utf8')) as CorpusItem[]).map((x) => `${x.title}。${x.content}`) : [])];
  const differ = texts.filter((t) => JSON.stringify(jieba.classify(t)) !== JSON.stringify(wholeCut.classify(t))).length;
  out.push(`## jieba fast path vs whole cut: ${differ} of ${texts.length} texts read differently`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`eval failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
