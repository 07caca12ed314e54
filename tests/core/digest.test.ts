/**
 * The digest's pure parts: which cases make items, how an item reads, the 曝光点位 (same place and
 * category ≥ 3 times in 30 days, split by day 08:00–20:00 and night), the HTML size limit, and a
 * masking corpus: 260 generated cases full of phone numbers, ID numbers, names and room numbers go
 * through the digest, and none of them comes out.
 */
import { describe, expect, it } from 'vitest';
import { composeDigest, findHotspots, isDaytime, renderDigestHtml, shortPlace } from '../../core/digest';
import type { Case } from '../../core/types';
import { DAY, GROUP_NAMES, HOUR, makeCase, T0 } from './make-case';

const TZ = 'Asia/Shanghai';
const NOW = T0 + 3 * HOUR; // 2026-11-29 12:00 Beijing
const opts = { street: '卢沟桥街道', timeZone: TZ, now: NOW, maskRoomNumbers: true, groupNames: GROUP_NAMES };
const solved = (over: Partial<Case>) => makeCase({ status: 'resolved', resolvedAt: NOW - DAY, result: '已处理。', ...over });

describe('items', () => {
  it('one per case solved in the 7 days ending now, oldest first as given', () => {
    const cases = [
      solved({ id: 1, resolvedAt: NOW - 7 * DAY - 1 }),
      solved({ id: 2, resolvedAt: NOW - 7 * DAY }),
      solved({ id: 3, resolvedAt: NOW - 1, status: 'closed' }),
      solved({ id: 4, resolvedAt: NOW }),
    ];
    expect(composeDigest(cases, [], opts).items.map((i) => i.caseId)).toEqual([2, 3]);
  });

  it('reads like the seed: a title from place and category, then who reported, what, and what was done', () => {
    const c = solved({ id: 5, category: '路灯照明', address: '张仪村4号院南院', content: '南院路灯都不亮', result: '协调物业更换灯泡，恢复全部照明', reportedAt: Date.parse('2026-11-27T21:10:00+08:00') });
    const [item] = composeDigest([c], [], opts).items;
    expect(item).toEqual({
      caseId: 5,
      title: '张仪村路灯照明，恢复照明',
      text: '11月27日晚，市民拨打12345热线反映，张仪村4号院南院，南院路灯都不亮。卢沟桥街道接到诉求后，协调物业更换灯泡，恢复全部照明。',
    });
  });

  it('a category typed as an Object.prototype name gets the plain phrase, not a function', () => {
    const c = solved({ id: 7, category: 'constructor', address: '张仪村', content: '测试', result: '已处理' });
    const [item] = composeDigest([c], [], opts).items;
    expect(item!.title).toBe('张仪村constructor，接诉即办');
  });

  it('a case without an address takes its community as the place; one from the public account says so', () => {
    const c = solved({ id: 6, address: null, group: 'yueyuan', category: '环境卫生', source: 'mp', content: '楼道堆放杂物', reportedAt: Date.parse('2026-11-27T10:00:00+08:00') });
    const [item] = composeDigest([c], [], opts).items;
    expect(item!.title).toBe('阅园社区环境卫生，及时清理');
    expect(item!.text.startsWith('11月27日，市民通过公众号反映，楼道堆放杂物。')).toBe(true);
  });

  it.each([
    ['鹏润家园4号楼B座5层3门501室', '鹏润家园'],
    ['东王佐卫生院红绿灯北侧公共区域', '东王佐卫生院'],
    ['分钟寺加油站东侧绿地', '分钟寺加油站'],
    ['云岗北里甲7号楼外侧', '云岗北里'],
    ['槐房西路北向南方向范家庄北路路口', '槐房西路'],
    ['', ''],
  ])('shortPlace(%s) = %s', (address, place) => {
    expect(shortPlace(address)).toBe(place);
  });

  it('the title fits the draft API (≤ 32) and the week is in it', () => {
    const d = composeDigest([], [], opts);
    expect(d.title).toBe('卢沟桥街道接诉即办周报（11月22日—11月29日）');
    expect(d.date).toBe('2026-11-29');
    expect(d.markdown).toContain('本周暂无办结的群众诉求。');
  });
});

describe('曝光点位', () => {
  const report = (place: string, at: string, category = '游商', name: string | null = null) => makeCase({ address: place, category, reportedAt: Date.parse(at), citizenName: name });

  it('day 08:00–20:00 and night by Beijing time', () => {
    expect(isDaytime(Date.parse('2026-11-29T08:00:00+08:00'), TZ)).toBe(true);
    expect(isDaytime(Date.parse('2026-11-29T19:59:59+08:00'), TZ)).toBe(true);
    expect(isDaytime(Date.parse('2026-11-29T20:00:00+08:00'), TZ)).toBe(false);
    expect(isDaytime(Date.parse('2026-11-29T07:59:00+08:00'), TZ)).toBe(false);
  });

  it('same place and category at least 3 times in 30 days; by the time of day most reports came', () => {
    const reports = [
      report('望园东里小区周边', '2026-11-01T10:00:00+08:00'),
      report('望园东里小区周边', '2026-11-10T10:00:00+08:00'),
      report('望园 东里小区周边', '2026-11-20T21:00:00+08:00'), // whitespace does not make another place
      report('巴庄子139号门前', '2026-11-21T21:00:00+08:00'),
      report('巴庄子139号门前', '2026-11-22T23:00:00+08:00'),
      report('巴庄子139号门前', '2026-11-23T10:00:00+08:00'),
      report('蒲黄榆第一小学周边', '2026-11-01T10:00:00+08:00'),
      report('蒲黄榆第一小学周边', '2026-11-02T10:00:00+08:00'),
      report('蒲黄榆第一小学周边', '2026-10-29T10:00:00+08:00'), // 31 days before: out of the window
      report('嘉园一里南门', '2026-11-25T10:00:00+08:00', '施工扰民'),
      report('嘉园一里南门', '2026-11-25T11:00:00+08:00', '游商'),
      report('嘉园一里南门', '2026-11-25T12:00:00+08:00', '施工扰民'),
      report('丹陛华批发市场南门外', '2026-11-25T10:00:00+08:00'),
      report('丹陛华批发市场南门外', '2026-11-25T21:00:00+08:00'),
      report('丹陛华批发市场南门外', '2026-11-26T10:00:00+08:00'),
      report('丹陛华批发市场南门外', '2026-11-26T21:00:00+08:00'),
    ];
    const lists = findHotspots(reports, opts);
    expect(lists).toHaveLength(1);
    const [vendor] = lists;
    expect(vendor!.category).toBe('游商');
    expect(vendor!.day.map((s) => [s.place, s.count])).toEqual([['丹陛华批发市场南门外', 4], ['望园东里小区周边', 3]]);
    expect(vendor!.night.map((s) => [s.place, s.count])).toEqual([['丹陛华批发市场南门外', 4], ['巴庄子139号门前', 3]]);
    const md = composeDigest([], reports, opts).markdown;
    expect(md).toContain('- 近期，游商诉求反复出现，举报集中点位如下：\n  1. 丹陛华批发市场南门外（4次）\n  2. 望园东里小区周边（3次）');
    expect(md).toContain('- 夜间时段游商诉求集中的点位如下：\n  1. 丹陛华批发市场南门外（4次）\n  2. 巴庄子139号门前（3次）');
  });

  it('a place is published at building level: no room, no reporter (rooms of one building count together)', () => {
    const reports = [
      report('洋桥北里19号楼1203室王建国家门口', '2026-11-21T10:00:00+08:00', '环境卫生', '王建国'),
      report('洋桥北里19号楼2单元501', '2026-11-22T10:00:00+08:00', '环境卫生', '李秀英'),
      report('洋桥北里19号楼 五零一室', '2026-11-23T10:00:00+08:00', '环境卫生', '高志强'),
    ];
    for (const maskRoomNumbers of [true, false]) {
      const [list] = findHotspots(reports, { ...opts, maskRoomNumbers });
      expect(list!.day.map((s) => [s.place, s.count])).toEqual([['洋桥北里19号楼', 3]]);
    }
  });
});

describe('HTML', () => {
  it('escapes text and keeps the body under the draft limit by summing up the rest', () => {
    const many = Array.from({ length: 400 }, (_, i) => solved({ id: i + 1, content: `<script>alert(${i})</script>${'很长的诉求内容'.repeat(10)}` }));
    const d = composeDigest(many, [], opts);
    const body = renderDigestHtml(d, { maxChars: 19_000 });
    expect(body.length).toBeLessThanOrEqual(19_000);
    expect(body).toMatch(/另有 \d+ 件已办结的诉求，不再一一列出。/);
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;');
    const page = renderDigestHtml(d, { page: true, maxChars: Number.MAX_SAFE_INTEGER });
    expect(page.match(/<h4>/g)).toHaveLength(400);
  });
});

describe('masking corpus through the digest', () => {
  /** A small seeded generator: the same corpus every run. */
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }
  const rand = rng(20261129);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const SURNAMES = ['王', '李', '刘', '陈', '杨', '赵', '黄', '吴', '郑', '孙', '马', '朱', '胡', '郭', '何', '高'];
  const GIVEN = ['芳', '娜', '伟', '强', '磊', '洋', '勇', '艳', '杰', '敏', '静', '丽', '军', '涛', '明', '超', '秀英', '桂兰', '建华', '志强'];
  const PLACES = ['鹏润家园4号楼B座', '洋桥北里19号楼', '云岗北里甲7号楼', '东大街西里11号楼', '望园东里2号楼', '嘉园一里5号楼'];
  const ROOM_UNITS = ['室', '房间', '户'];

  function secretPhone(): { shown: string; digits: string } {
    const d = `1${pick(['3', '5', '7', '8', '9'])}${digits(9)}`;
    const shown = pick([d, `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`, `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`, `+86${d}`, `+86 ${d}`]);
    return { shown, digits: d };
  }
  function secretLandline(): { shown: string; digits: string } {
    const d = `${pick(['6', '8'])}${digits(7)}`;
    return { shown: pick([`010-${d}`, `(010)${d}`, `（010）${d}`, `010-${d.slice(0, 4)} ${d.slice(4)}`, d]), digits: d };
  }
  function secretId(): { shown: string; digits: string } {
    const birth = `19${Math.floor(50 + rand() * 50)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const id = `110106${birth}${digits(3)}${pick(['X', 'x', String(Math.floor(rand() * 10))])}`;
    return { shown: id, digits: id };
  }

  it('260 generated cases: no phone, landline, ID number, citizen name or room number comes out', () => {
    const cases: Case[] = [];
    const secrets: { name: string; numbers: string[]; room: string }[] = [];
    for (let i = 0; i < 260; i++) {
      const name = pick(SURNAMES) + pick(GIVEN);
      const phone = secretPhone();
      const land = secretLandline();
      const id = secretId();
      const room = `${1 + Math.floor(rand() * 29)}${String(1 + Math.floor(rand() * 20)).padStart(2, '0')}${pick(ROOM_UNITS)}`;
      const address = `${pick(PLACES)}${room}`;
      const content = pick([
        `我是${name}，住${address}，楼道灯坏了，电话${phone.shown}`,
        `${name}反映：${address}门口堆放杂物，身份证${id.shown}，联系${land.shown}`,
        `联系人${name}（${phone.shown}）称${address}漏水`,
      ]);
      const result = pick([`已联系${name}（${phone.shown}），${address}问题已解决`, `工作人员上门至${address}，${name}表示满意，回访电话${land.shown}`, `已处理，身份证号${id.shown}已核实`]);
      cases.push(makeCase({ id: i + 1, status: 'resolved', category: pick(['环境卫生', '路灯照明', '供水', '游商']), address, content, result, citizenName: name, reportedAt: NOW - 2 * DAY - i * 60_000, resolvedAt: NOW - DAY - i * 60_000 }));
      secrets.push({ name, numbers: [phone.digits, land.digits, id.digits, id.digits.slice(6, 14)], room });
    }
    // The same addresses reported again make hotspots, so the 曝光点位 lists go through the masking too.
    const d = composeDigest(cases, [...cases, ...cases.slice(0, 20), ...cases.slice(0, 20)], opts);
    expect(d.items).toHaveLength(260);
    expect(d.hotspots.length).toBeGreaterThan(0);
    const outputs = { markdown: d.markdown, html: renderDigestHtml(d, { page: true, maxChars: Number.MAX_SAFE_INTEGER }) };
    for (const [kind, text] of Object.entries(outputs)) {
      const squeezed = text.replace(/[-\s()（）+]/g, '');
      for (const s of secrets) {
        expect(text.includes(s.name), `${kind}: name ${s.name}`).toBe(false);
        for (const n of s.numbers) expect(squeezed.includes(n), `${kind}: number ${n}`).toBe(false);
      }
      expect(text.match(/\d{2,}(室|房间|户)/g), `${kind}: room numbers`).toBeNull();
      expect(squeezed.match(/1[3-9]\d{9}/g), `${kind}: any mobile number`).toBeNull();
    }
  });
});
