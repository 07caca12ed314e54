import { describe, expect, it } from 'vitest';
import { maskName, maskPersonal } from '../../core/privacy';

/** A small seeded PRNG (mulberry32) so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261129);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('');
const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** Sentences a citizen or a handler would write; `%` is where the personal datum goes. No other digits in them. */
const SENTENCES = [
  '市民反映：%，请尽快处理。',
  '联系电话%，下午可以打。',
  '来电人%称楼道灯坏了',
  '请联系%（本人），谢谢！',
  '已电话回复%，市民表示满意。',
  '%',
  '身份证号：%；住址见附件',
  '张先生，电话:%',
  '回访%未接通，改日再联系。',
];
const embed = (datum: string) => pick(SENTENCES).replace('%', datum);

function mobile(): { raw: string; digits: string } {
  const d = `1${pick(['3', '4', '5', '6', '7', '8', '9'])}${digits(9)}`;
  const [a, b, c] = [d.slice(0, 3), d.slice(3, 7), d.slice(7)];
  const raw = pick([
    d,
    `+86${d}`,
    `+86 ${d}`,
    `+86-${d}`,
    `86${d}`,
    `${a}-${b}-${c}`,
    `${a} ${b} ${c}`,
    `+86 ${a} ${b} ${c}`,
    `+86-${a}-${b}-${c}`,
  ]);
  return { raw, digits: d };
}

function landline(): { raw: string; digits: string } {
  const local = `${between(2, 8)}${digits(7)}`;
  const area = pick(['010', '022', '0311', '0755']);
  const raw = pick([
    `${area}-${local}`,
    `(${area})${local}`,
    `（${area}）${local}`,
    `${area}${local}`,
    `${area} ${local}`,
    `${area}-${local}-${between(1, 999)}`,
    `${area}-${local.slice(0, 4)} ${local.slice(4)}`,
    `${area}-${local.slice(0, 4)}-${local.slice(4)}`,
    local,
  ]);
  return { raw, digits: local };
}

function id18(): { raw: string; digits: string } {
  const region = `${between(11, 65)}${digits(4)}`;
  const birth = `${between(1940, 2010)}${String(between(1, 12)).padStart(2, '0')}${String(between(1, 28)).padStart(2, '0')}`;
  const d = `${region}${birth}${digits(3)}${pick(['0', '5', '9', 'X', 'x'])}`;
  return { raw: d, digits: d };
}

function id15(): { raw: string; digits: string } {
  const region = `${between(11, 65)}${digits(4)}`;
  const birth = `${String(between(40, 99))}${String(between(1, 12)).padStart(2, '0')}${String(between(1, 28)).padStart(2, '0')}`;
  const d = `${region}${birth}${digits(3)}`;
  return { raw: d, digits: d };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '欧阳', '司马'];
const GIVEN = ['芳', '建国', '秀英', '伟', '娜', '强', '磊', '军', '洋', '静', '丽华', '志明'];

type Kind = 'mobile' | 'landline' | 'id18' | 'id15';
const GENERATORS: Record<Kind, () => { raw: string; digits: string }> = { mobile, landline, id18, id15 };

const NUMBER_CORPUS: [Kind, string, string][] = [];
for (const kind of Object.keys(GENERATORS) as Kind[]) {
  for (let i = 0; i < 60; i++) {
    const { raw, digits: d } = GENERATORS[kind]();
    NUMBER_CORPUS.push([kind, embed(raw), raw + '\u0000' + d]);
  }
}

const NAME_CORPUS: [string, string][] = [];
for (let i = 0; i < 40; i++) {
  const name = pick(SURNAMES) + pick(GIVEN);
  NAME_CORPUS.push([name, embed(name)]);
}

const ROOM_CORPUS: [string, string, string][] = [];
for (let i = 0; i < 40; i++) {
  const room = `${between(1, 30)}${String(between(1, 9))}${String(between(1, 9)).padStart(2, '0')}`.slice(0, between(3, 4));
  const unit = pick(['室', '房间', '户']);
  const masked = `${room[0]}${'*'.repeat(room.length - 1)}${unit}`;
  ROOM_CORPUS.push([`${between(1, 20)}号楼${between(1, 6)}单元${room}${unit}`, `${room}${unit}`, masked]);
}

describe('maskPersonal: generated corpus', () => {
  it('has at least 200 strings', () => {
    expect(NUMBER_CORPUS.length + NAME_CORPUS.length + ROOM_CORPUS.length).toBeGreaterThanOrEqual(200);
  });

  it.each(NUMBER_CORPUS)('%s: %s', (_kind, sentence, key) => {
    const [raw, d] = key.split('\u0000') as [string, string];
    const out = maskPersonal(sentence);
    expect(out).not.toContain(raw);
    // Not even with the separators taken out.
    expect(out.replace(/[^\dXx]/g, '')).not.toContain(d);
    expect(out).toContain('****');
  });

  it.each(NAME_CORPUS)('name %s in %s', (name, sentence) => {
    const out = maskPersonal(sentence, { names: [name] });
    expect(out).not.toContain(name);
    expect(out).toContain(maskName(name));
    expect(maskName(name)).toMatch(new RegExp(`^${name[0]}\\*+$`));
  });

  it.each(ROOM_CORPUS)('room in %s', (address, room, masked) => {
    const sentence = `家住${address}，楼上漏水。`;
    const out = maskPersonal(sentence);
    expect(out).not.toContain(room);
    expect(out).toContain(masked);
    expect(out).toContain('号楼');
    expect(out).toContain('单元');
    expect(maskPersonal(sentence, { maskRoomNumbers: false })).toBe(sentence);
  });

  it('everything at once: the citizen as a whole', () => {
    const text = '王建国（身份证110101199003071234，手机+86 138-1234-5678，座机(010)63812345）住鹏润家园4号楼B座5层3门501室，旧证110101900307123。';
    const out = maskPersonal(text, { names: ['王建国'] });
    for (const secret of ['王建国', '110101199003071234', '138-1234-5678', '1234', '63812345', '501室', '110101900307123']) expect(out).not.toContain(secret);
    expect(out).toContain('4号楼B座5层3门5**室');
    expect(out).toContain('王**');
  });
});

describe('maskPersonal: exact forms', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+86 138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['110101199003071234', '110101************'],
    ['11010119900307123X', '110101************'],
    ['110101900307123', '110101*********'],
    ['010-63812345', '010-****'],
    ['(010)63812345', '(010****'],
    ['63812345', '63******'],
    ['501室', '5**室'],
    ['1201房间', '1***房间'],
  ])('%s → %s', (input, want) => {
    expect(maskPersonal(input)).toBe(want);
  });

  it.each([
    ['王芳', '王*'],
    ['王建国', '王**'],
    ['欧阳娜娜', '欧***'],
    ['李先生', '李先生'],
    ['王女士', '王女士'],
    ['张师傅', '张师傅'],
  ])('maskName(%s) → %s', (name, want) => {
    expect(maskName(name)).toBe(want);
  });

  it('ignores empty, one-character and missing names', () => {
    const text = '王芳说王';
    expect(maskPersonal(text, { names: [null, undefined, '', ' ', '王'] })).toBe(text);
  });

  it('room numbers are masked by default and kept when switched off', () => {
    expect(maskPersonal('3门501室')).toBe('3门5**室');
    expect(maskPersonal('3门501室', { maskRoomNumbers: true })).toBe('3门5**室');
    expect(maskPersonal('3门501室', { maskRoomNumbers: false })).toBe('3门501室');
  });
});

describe('maskPersonal: ordinary numbers are left alone', () => {
  it.each([
    '鹏润家园4号楼B座5层3门',
    '洋桥北里19号楼5单元门口',
    '西四环83号院',
    '西丰路45号院',
    '云岗北里甲7号楼外侧',
    '东大街西里11号楼',
    '2019年',
    '2019年5月1日20:30',
    '5月2日上午抢修结束',
    '2019-05-01',
    '2019/05/01',
    '2019.05.01',
    '2019-2020年度',
    '井盖塌陷3至5厘米',
    '南三环辅路',
    '12345热线',
    '工单号DEMO-0001',
    '10分钟内到场',
    '24小时内办结',
    '第3期工程',
    '花费1200元',
    '面积85.5平方米',
    '3户居民',
    '08:00-20:00',
    '#12 已办结',
    '12号楼3单元',
  ])('%j', (text) => {
    expect(maskPersonal(text)).toBe(text);
  });
});
