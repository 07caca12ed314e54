import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildCategoryTable,
  categoriesConfigSchema,
  createClassifier,
  createDictionarySegmenter,
  DEFAULT_CATEGORIES,
  domainDictionary,
  inferCategory,
  inferUrgency,
  mapHotlinePath,
  DEFAULT_HOTLINE_PATHS,
  urgentReason,
} from '../../core/classify';
import { createMatcher } from '../../core/classify/segment';

describe('createDictionarySegmenter (forward maximum matching)', () => {
  const seg = createDictionarySegmenter(['污水', '管道', '污水管道', '提供', '供电', '井盖']);
  it.each([
    ['污水管道堵塞', ['污水管道', '堵', '塞']],
    ['请提供电子档', ['请', '提供', '电', '子', '档']],
    ['井盖丢失', ['井盖', '丢', '失']],
    ['', []],
    ['ab 1', ['a', 'b', ' ', '1']],
  ])('%j → %j', (text, want) => {
    expect(seg(text)).toEqual(want);
    expect(seg(text).join('')).toBe(text);
  });
});

describe('createMatcher matches whole words only', () => {
  const match = createMatcher(['水管', '供电', '煤气味', '污水', '管道']);
  it.each<[string, string[], string[]]>([
    ['污水管道', ['污水', '管道'], ['污水', '管道']],
    ['提供电子档', ['提供', '电子', '档'], []],
    ['闻到煤气味', ['闻到', '煤', '气味'], ['煤气味']],
    ['水管爆了', ['水管', '爆', '了'], ['水管']],
  ])('%j cut as %j → %j', (text, segments, want) => {
    expect(match(text, segments).map((h) => h.word)).toEqual(want);
  });
});

describe('domainDictionary', () => {
  const dict = new Set(domainDictionary());
  it.each(['井盖', '黑臭水体', '群租房', '私装地桩', '占道经营'])('keeps %s whole', (w) => {
    expect(dict.has(w)).toBe(true);
  });
  it.each([
    ['燃气泄漏', 'two words in a row (燃气 + 泄漏)'],
    ['电压不稳', 'a phrase hiding the category word 电压'],
  ])('leaves out %s: %s', (w) => {
    expect(dict.has(w)).toBe(false);
  });
});

describe('the category table', () => {
  it('covers the categories issue 13 names, each with a section', () => {
    const names = new Set(DEFAULT_CATEGORIES.map((c) => c.name));
    for (const n of ['排水', '河道', '供水', '供电', '燃气', '供暖', '电梯', '物业管理', '房屋', '违章建筑', '园林绿化', '环境卫生', '噪声扰民', '施工扰民', '游商', '占道经营', '交通秩序', '道路', '井盖', '路灯照明', '群租房', '消防安全', '社会保障', '教育', '医疗卫生', '市场监管', '动物宠物', '便民设施', '私装地桩', '建筑垃圾']) {
      expect(names.has(n), n).toBe(true);
    }
    for (const c of DEFAULT_CATEGORIES) expect(c.section, c.name).not.toBe('');
  });

  it('every default path maps to a known category', () => {
    const names = new Set(DEFAULT_CATEGORIES.map((c) => c.name));
    for (const [from, to] of Object.entries(DEFAULT_HOTLINE_PATHS)) expect(names.has(to), `${from} → ${to}`).toBe(true);
  });

  it.each<[string, string | null]>([
    ['城乡建设->市政设施->井盖', '井盖'],
    ['城乡建设 → 市政设施 → 路灯', '路灯照明'],
    ['城乡建设->市政设施->没见过', '道路'],
    ['劳动和社会保障', '社会保障'],
    ['没见过->也没见过', null],
    ['constructor', null],
  ])('mapHotlinePath(%j) → %j', (path, want) => {
    const known = new Set(DEFAULT_CATEGORIES.map((c) => c.name));
    expect(mapHotlinePath(path, DEFAULT_HOTLINE_PATHS, known)?.category ?? null).toBe(want);
  });
});

describe('the YAML categories section', () => {
  it('changes a section, adds words, a path and a category', () => {
    const parsed = categoriesConfigSchema.parse({
      words: ['拆违'],
      paths: { '城乡建设->市政设施->窨井设施': '井盖' },
      list: [
        { name: '电梯', section: '物业科' },
        { name: '共享单车', section: '城管科', strong: ['共享单车', '单车乱停'] },
      ],
    });
    const table = buildCategoryTable(parsed);
    const c = createClassifier({ table });
    expect(c.classify('电梯坏了好几天了')).toMatchObject({ category: '电梯', section: '物业科' });
    expect(c.classify('地铁口单车乱停，堵住了路')).toMatchObject({ category: '共享单车', section: '城管科' });
    expect(c.classify('有个坑', { categoryPath: '城乡建设->市政设施->窨井设施' })).toMatchObject({ category: '井盖' });
    expect(table.dictionary).toContain('拆违');
    // The default table is untouched.
    expect(createClassifier().classify('电梯坏了好几天了').section).toBe('城建科');
  });

  it.each([
    [{ unknown: 1 }],
    [{ list: [{ section: '城管科' }] }],
    [{ words: [''] }],
  ])('refuses %j', (raw) => {
    expect(categoriesConfigSchema.safeParse(raw).success).toBe(false);
  });
});

describe('the exported shortcuts (fallback segmenter)', () => {
  it.each<[string, string | null]>([
    ['井盖丢失，有人掉进去了', '井盖丢失'],
    ['闻到煤气味', '闻到燃气味'],
    ['电梯困人', '电梯困人'],
    ['一旦发生火灾后果不堪设想', null],
    ['想申请开通燃气', null],
    ['某某燃气有限公司的保安', null],
  ])('urgentReason(%j) → %j', (text, want) => {
    expect(urgentReason(text)).toBe(want);
  });
  it('inferCategory and inferUrgency agree with the classifier', () => {
    expect(inferCategory('小区门口的污水管道堵了')).toBe('排水');
    expect(inferUrgency('小区门口的污水管道堵了', null)).toBe('ordinary');
    expect(inferUrgency('请问居住证怎么办理', null)).toBe('consult');
  });
});

// A regression guard on the labelled set (the figures themselves are printed by npm run eval:dispatch).
describe('the labelled set (tests/fixtures/dispatch-labelled.json)', () => {
  const cases = (JSON.parse(readFileSync(new URL('../fixtures/dispatch-labelled.json', import.meta.url), 'utf8')) as { cases: { text: string; category: string; urgency: string; consult: boolean; trap?: boolean }[] }).cases;
  const c = createClassifier();
  const results = cases.map((x) => ({ x, r: c.classify(x.text) }));

  it('has several hundred cases with the traps marked', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(cases.filter((x) => x.trap).length).toBeGreaterThanOrEqual(20);
  });
  it('no trap is judged urgent unless labelled so', () => {
    expect(results.filter(({ x, r }) => x.trap && r.urgency === 'urgent' && x.urgency !== 'urgent').map(({ x }) => x.text)).toEqual([]);
  });
  it('leaves under 20 % in 其他 and keeps consult precision above 80 %', () => {
    expect(results.filter(({ r }) => r.category === '其他').length / cases.length).toBeLessThan(0.2);
    const judged = results.filter(({ r }) => r.consult);
    expect(judged.filter(({ x }) => x.consult).length / judged.length).toBeGreaterThan(0.8);
  });
});
