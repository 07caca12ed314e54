import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createJiebaSegmenter } from '../../adapters/nlp/jieba-segmenter';
import { boundariesOf, createClassifier, type Segmenter } from '../../core/classify';
import { createScanner } from '../../core/classify/segment';

// The classifier's fast path (bench P6): jieba answers for single positions by cutting only the pieces
// of text around them, and the urgency-only words are checked last. Both must give exactly what the
// whole cut gives.

const labelled = (JSON.parse(readFileSync(new URL('../fixtures/dispatch-labelled.json', import.meta.url), 'utf8')) as { cases: { text: string }[] }).cases.map((c) => c.text);

const edgeCases = [
  '',
  '。',
  '井盖',
  '4S店门口的ATM机坏了abc123，井盖丢了',
  'γ射线超标😀井盖丢了',
  'Wi-Fi没有信号，5G基站在哪',
  '  空格 井盖\r\n丢失\n\n',
  '𠀀𠀁井盖𠀀',
  '一旦燃气泄漏后果不堪设想，但是现在没有漏气',
  '小区里人很多，我不知道找谁。井盖丢了，有人掉进去了',
  '如果井盖丢失会有人掉下去',
  '电梯没有困人，只是不亮',
  '某某燃气有限公司的人说没事，可是楼道里有煤气味',
];

const jieba = createJiebaSegmenter();

describe('the jieba segmenter answers for single positions as the whole cut does', () => {
  it.each(edgeCases.map((t) => [t]))('%j', (text) => {
    const everywhere = new Uint8Array(text.length + 1).fill(1);
    expect([...jieba.boundaries!(text, everywhere)]).toEqual([...boundariesOf(text, jieba(text))]);
  });

  it('on every text of the labelled set, at every position', () => {
    const wrong: string[] = [];
    for (const text of labelled) {
      const everywhere = new Uint8Array(text.length + 1).fill(1);
      const got = jieba.boundaries!(text, everywhere);
      const want = boundariesOf(text, jieba(text));
      for (let p = 0; p <= text.length; p++) if (got[p] !== want[p]) wrong.push(`${text.slice(0, p)}|${text.slice(p)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('leaves unasked positions alone and still marks the ends', () => {
    const text = '小区门口的污水管道堵了';
    const got = jieba.boundaries!(text, new Uint8Array(text.length + 1));
    expect(got[0]).toBe(1);
    expect(got[text.length]).toBe(1);
  });
});

describe('the classifier reads the same with the fast path as with the whole cut', () => {
  // The same jieba, without `boundaries`: the classifier then cuts every text whole.
  const whole: Segmenter = (text) => jieba(text);
  const fast = createClassifier({ segment: jieba });
  const slow = createClassifier({ segment: whole });
  const hints = [{}, { type: '咨询' }, { type: '投诉' }, { categoryPath: '城乡建设' }, { categoryPath: '城乡建设->燃气->燃气泄漏' }, { categoryPath: '城乡建设->市政设施->井盖' }];

  it('on the labelled set and the edge cases, with and without work-order hints', () => {
    const differ: string[] = [];
    for (const text of [...labelled, ...edgeCases]) {
      for (const h of hints) {
        const a = fast.classify(text, h);
        const b = slow.classify(text, h);
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${JSON.stringify(h)} ${text}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('checks urgency-only words only in clauses where a rule could fire', () => {
    const asked: number[] = [];
    const recording: Segmenter = Object.assign((text: string) => jieba(text), {
      boundaries: (text: string, at: Uint8Array) => {
        at.forEach((v, p) => v && asked.push(p));
        return jieba.boundaries!(text, at);
      },
    });
    const text = '小区里人很多，我不知道找谁。井盖丢了，有人掉进去了';
    const r = createClassifier({ segment: recording }).classify(text);
    expect(r).toMatchObject({ category: '井盖', urgency: 'urgent', urgentReason: '井盖丢失' });
    // 人 and 我 of the first clause can make no danger there: never asked about.
    expect(asked).not.toContain(text.indexOf('人'));
    expect(asked).not.toContain(text.indexOf('我'));
    // 有人 in the last clause can (有人 + 掉进去): asked.
    expect(asked).toContain(text.indexOf('有人'));
  });
});

describe('createScanner', () => {
  const scan = createScanner(['污水', '污水管道', '管道', '水管', '道']);
  it('finds every occurrence, in text order, longest first at one start', () => {
    expect(scan('污水管道').map((h) => `${h.word}@${h.start}`)).toEqual(['污水管道@0', '污水@0', '水管@1', '管道@2', '道@3']);
  });
  it('agrees with a segmenter-free substring search', () => {
    const words = ['污水', '管道', '污水管道', '水管'];
    const text = '污水管道里的水管和污水';
    const want = words.flatMap((w) => [...text.matchAll(new RegExp(w, 'g'))].map((m) => `${m.index}:${w}`)).sort();
    expect(createScanner(words)(text).map((h) => `${h.start}:${h.word}`).sort()).toEqual(want);
  });
});
