/**
 * P6 — classifying 1,000 real texts with the production classifier (jieba segmenter, default table).
 * Texts: the labelled set, plus ../shared/corpus/tipdm-labelled.json when present (title + content),
 * cycled to 1,000. The segmenter is loaded once (its load time is reported apart); the figure is the
 * median of 7 timed passes after one warm-up pass; the same again on the short labelled texts alone.
 * Beside wall time, the process's CPU time per pass: on a shared machine it moves less with the other
 * processes' load (it still grows some, from contention for caches and cores).
 * Run alone: npx tsx bench/p6-classify.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJiebaSegmenter } from '../adapters/nlp/jieba-segmenter';
import { createClassifier } from '../core/classify';
import { round } from './stats';
import { ROOT } from './wiring';

export interface ClassifyBench {
  texts: number;
  meanChars: number;
  fromCorpus: number;
  segmenterLoadMs: number;
  /** Median wall time to classify all `texts`, in ms. */
  msPer1000: number;
  p90Ms: number;
  /** Median CPU time (user + system) of the same passes, in ms. */
  cpuMsPer1000: number;
  /** The same for 1,000 short work-order texts (the labelled set alone, cycled). */
  shortMsPer1000: number;
  shortMeanChars: number;
}

function loadTexts(n: number): { texts: string[]; fromCorpus: number; short: string[] } {
  const own = (JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'dispatch-labelled.json'), 'utf8')) as { cases: { text: string }[] }).cases.map((c) => c.text);
  const corpusPath = join(ROOT, '..', 'shared', 'corpus', 'tipdm-labelled.json');
  const corpus = existsSync(corpusPath) ? (JSON.parse(readFileSync(corpusPath, 'utf8')) as { title: string; content: string }[]).map((x) => `${x.title}。${x.content}`) : [];
  const pool = [...corpus, ...own];
  return { texts: Array.from({ length: n }, (_, i) => pool[i % pool.length]!), fromCorpus: Math.min(corpus.length, n), short: Array.from({ length: n }, (_, i) => own[i % own.length]!) };
}

export function runClassify(n = 1000): ClassifyBench {
  const { texts, fromCorpus, short } = loadTexts(n);
  const t0 = performance.now();
  const segment = createJiebaSegmenter();
  const segmenterLoadMs = performance.now() - t0;
  const classifier = createClassifier({ segment });
  const cpu: number[] = [];
  const pass = (list: string[]) => () => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (const t of list) classifier.classify(t);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    return wall;
  };
  pass(texts)();
  cpu.length = 0;
  const times = Array.from({ length: 7 }, pass(texts)).sort((a, b) => a - b);
  const cpuTimes = cpu.sort((a, b) => a - b);
  pass(short)();
  const shortTimes = Array.from({ length: 7 }, pass(short)).sort((a, b) => a - b);
  return {
    texts: texts.length,
    meanChars: Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length),
    fromCorpus,
    segmenterLoadMs: round(segmenterLoadMs, 1),
    msPer1000: round(times[3]! * (1000 / texts.length), 1),
    p90Ms: round(times[6]! * (1000 / texts.length), 1),
    cpuMsPer1000: round(cpuTimes[3]! * (1000 / texts.length), 1),
    shortMsPer1000: round(shortTimes[3]! * (1000 / short.length), 1),
    shortMeanChars: Math.round(short.reduce((s, t) => s + t.length, 0) / short.length),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(runClassify(), null, 2)}\n`);
}
