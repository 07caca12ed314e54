/**
 * The privacy corpus (tests/fixtures/privacy-corpus.tsv: phones, IDs, passports, cards, plates, e-mails,
 * WeChat/QQ ids, names, rooms, and the look-alikes that must stay) through every public output composed
 * in core: maskForPublic itself, publicResultText (title and text) and the weekly digest (items,
 * hotspot places, Markdown and HTML). The adapters' outputs go through it in
 * tests/adapters/wechat-mp-result.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { composeDigest, renderDigestHtml } from '../../core/digest';
import { maskForPublic } from '../../core/privacy';
import { publicResultText } from '../../core/public-text';
import { judge, loadPrivacyCorpus, type CorpusLine } from '../fixtures/privacy-corpus';
import { DAY, HOUR, makeCase, T0 } from './make-case';

const corpus = loadPrivacyCorpus();
const NOW = T0 + 3 * HOUR;

/** A resolved case whose address, content and result are all the corpus line. */
function caseOf(c: CorpusLine, id: number) {
  return makeCase({ id, status: 'resolved', address: c.text, content: c.text, result: c.text, citizenName: c.citizen, citizenPhone: null, category: '环境卫生', reportedAt: NOW - 2 * DAY, resolvedAt: NOW - DAY });
}

describe('the corpus', () => {
  it('has several hundred lines and every kind of item', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    const kinds = new Set(corpus.map((c) => c.kind));
    for (const k of ['mobile', 'landline', 'id', 'document', 'card', 'plate', 'email', 'account', 'citizen-name', 'keyword-name', 'courtesy-name', 'room', 'look-alike', 'mixed']) expect(kinds).toContain(k);
    expect(corpus.filter((c) => c.keep.length > 0).length).toBeGreaterThanOrEqual(150);
  });
});

describe('maskForPublic over the corpus', () => {
  it.each(corpus.map((c) => [c.line, c.kind, c.text, c] as const))('line %i (%s): %s', (_l, _k, _t, c) => {
    expect(judge(maskForPublic(c.text, { names: [c.citizen], maskRoomNumbers: true }), c)).toEqual([]);
  });
});

describe('publicResultText over the corpus', () => {
  it.each(corpus.map((c) => [c.line, c.kind, c.text, c] as const))('line %i (%s): %s', (_l, _k, _t, c) => {
    const { title, text } = publicResultText(caseOf(c, 1), { maskRoomNumbers: true });
    // The title is the masked address cut to 20 characters: nothing may leak, look-alikes may be cut.
    expect(judge(title, c, { checkKeep: false })).toEqual([]);
    expect(judge(text, c)).toEqual([]);
  });

  it('masks before it shortens: a number across the 20-character cut is hidden, not halved', () => {
    const c = makeCase({ address: '张仪村4号院南院联系人电话1381 2345 678', citizenName: null });
    const { title } = publicResultText(c, { maskRoomNumbers: true });
    expect(title).toBe('路灯照明｜张仪村4号院南院联系人电话***');
    const long = makeCase({ address: '张仪村4号院南院东侧绿地旁边联系电话13812345678', citizenName: null });
    expect(publicResultText(long, { maskRoomNumbers: true }).title).toBe('路灯照明｜张仪村4号院南院东侧绿地旁边联系电话**…');
  });

  it('hides the work order\'s own phone however it is written, and the citizen in every form', () => {
    const c = makeCase({ citizenName: '周建国', citizenPhone: '18600003333', content: '周先生说：打186-0000-3333找建国', result: '已联系周建国' });
    expect(publicResultText(c, { maskRoomNumbers: true }).text).toBe('诉求：市民说：打***找市民\n办理结果：已联系市民');
  });

  it('rooms follow the setting; the building stays either way', () => {
    const c = makeCase({ address: '洋桥北里19号楼2单元501', content: '楼上漏水', result: '已维修', citizenName: null });
    expect(publicResultText(c, { maskRoomNumbers: true }).title).toBe('路灯照明｜洋桥北里19号楼2单元***');
    expect(publicResultText(c, { maskRoomNumbers: false }).title).toBe('路灯照明｜洋桥北里19号楼2单元501');
  });
});

describe('the digest over the corpus', () => {
  const cases = corpus.map((c, i) => caseOf(c, i + 1));
  // Each address reported three times: every line makes a hotspot, so every place goes through placeOf.
  const reports = [...cases, ...cases, ...cases];
  const opts = { street: '卢沟桥街道', timeZone: 'Asia/Shanghai', now: NOW, maskRoomNumbers: true, hotspotListMax: 10_000 };
  const d = composeDigest(cases, reports, opts);

  it('an item per line, and hotspots from the repeated places', () => {
    expect(d.items).toHaveLength(corpus.length);
    expect(d.hotspots.flatMap((h) => h.day).length).toBeGreaterThan(100);
  });

  it.each(corpus.map((c, i) => [c.line, c.kind, c.text, c, i] as const))('line %i (%s): %s', (_l, _k, _t, c, i) => {
    const item = d.items[i]!;
    expect(judge(item.title, c, { checkKeep: false })).toEqual([]);
    expect(judge(item.text, c)).toEqual([]);
  });

  it.each(corpus.map((c, i) => [c.line, c.kind, c.text, c, i] as const))('line %i (%s) alone: hotspot place, Markdown and HTML page', (_l, _k, _t, c, i) => {
    const one = cases[i]!;
    const alone = composeDigest([one], [one, one, one], opts);
    const places = alone.hotspots.flatMap((h) => [...h.day, ...h.night]).map((s) => s.place);
    // A place is cut at the building, so look-alikes after it may go; nothing personal may stay.
    for (const p of places) expect(judge(p, c, { checkKeep: false }), `place ${p}`).toEqual([]);
    expect(judge(alone.markdown, c), 'markdown').toEqual([]);
    expect(judge(renderDigestHtml(alone, { page: true }), c), 'html').toEqual([]);
  });
});
