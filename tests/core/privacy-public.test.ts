/**
 * The public side's mask (maskForPublic), placeOf, and what normalising before matching adds to the
 * internal mask (maskPersonal): table-driven, one row per form people write.
 */
import { describe, expect, it } from 'vitest';
import { maskForPublic, maskPersonal, placeOf } from '../../core/privacy';

const pub = (text: string, names: string[] = [], maskRoomNumbers = true) => maskForPublic(text, { names, maskRoomNumbers });

describe('maskForPublic: personal items are hidden whole', () => {
  it.each([
    ['电话1381 2345 678', '电话***'],
    ['电话137****1111', '电话***'],
    ['座机6381-2345', '座机***'],
    ['座机０１０－６３８１２３４５', '座机***'],
    ['客服400-810-8888', '客服***'],
    ['分机010-63812345-8021', '分机***'],
    ['电话010-63812345转8021', '电话***'],
    ['+86 139 1234 5678', '***'],
    ['一三八一二三四五六七八', '***'],
    ['幺三八幺二三四五六七八', '***'],
    ['138\u200b1234\u200b5678', '***'],
    ['身份证110101 19900307 123Ｘ', '身份证***'],
    ['身份证110101************', '身份证***'],
    ['护照E12345678', '护照***'],
    ['港澳通行证CA1234567', '港澳通行证***'],
    ['卡号6222 0212 3456 7890 123', '卡号***'],
    ['京A·12345', '京A·*****'],
    ['京AD12345', '京A******'],
    ['邮箱wang.fang@163.com', '邮箱***'],
    ['微信号：zhang_san88', '微信号：***'],
    ['QQ 12345678', 'QQ ***'],
  ])('%s → %s', (input, want) => {
    expect(pub(input)).toBe(want);
  });
});

describe('maskForPublic: no citizen is named', () => {
  it.each([
    ['王芳来电反映', ['王芳'], '市民来电反映'],
    ['王 芳称', ['王芳'], '市民称'],
    ['王女士称', ['王芳'], '市民称'],
    ['王芳女士称', ['王芳'], '市民称'],
    ['建国说下水道堵了', ['王建国'], '市民说下水道堵了'],
    ['欧阳女士称', ['欧阳娜娜'], '市民称'],
    ['王*反映', [], '市民反映'],
    ['市民王芳反映', [], '市民反映'],
    ['市民王芳反映', ['王芳'], '市民反映'],
    ['联系人：张建国，请回电', [], '联系人：市民，请回电'],
    ['来电人李秀英称', [], '来电人市民称'],
    ['业主陈女士称', [], '业主市民称'],
    ['邻居刘强家的狗', [], '邻居市民家的狗'],
    ['高先生反映停车难', [], '市民反映停车难'],
    ['朱女士、胡先生共同反映', [], '市民、市民共同反映'],
  ])('%s (%j) → %s', (input, names, want) => {
    expect(pub(input, names)).toBe(want);
  });

  it.each(['市民高度关注', '业主委员会开会', '保安大爷说', '门卫师傅看到', '社区老师登记', '邻居家的狗', '市民反映', '居民楼下'])('%s stays', (text) => {
    expect(pub(text)).toBe(text);
  });
});

describe('maskForPublic: rooms by configuration, buildings stay', () => {
  it.each([
    ['2单元501', '2单元***'],
    ['5-2-501', '5-2-***'],
    ['住1103号', '住***号'],
    ['1103房', '***房'],
    ['五零一室', '***室'],
    ['3单元602户', '3单元***户'],
    ['B座1705', 'B座***'],
    ['12号楼1203', '12号楼***'],
  ])('%s → %s, and unchanged when rooms may show', (input, want) => {
    expect(pub(input)).toBe(want);
    expect(pub(input, [], false)).toBe(input);
  });
});

describe('look-alikes stay whole on both sides', () => {
  it.each([
    '2026-12-03', '20261203', '2026/12/03', '2026.12.03', '２０２６－１２－０３', '12月3日', '14:30', '8:00-20:00',
    '3000元', '1.5万', '12000000元', '#12', 'FZ16121600033', '20261203-1004', 'DEMO-0005', '91110106MA01ABCD2X',
    '911101087226012345', '110108012345678', '注册号：110105600123456', '工单号：16121600033', '涉及12户居民', '3栋楼',
    '4号院', '12号楼', '139号门前', '丰台路1103号院', '2019-2020年', '2019—2020年度', '12345热线', '邮编100073', '3室1厅',
  ])('%s', (text) => {
    expect(pub(text)).toBe(text);
    expect(maskPersonal(text)).toBe(text);
  });
});

describe('maskForPublic is idempotent', () => {
  it.each([
    '2026年12月3日，市民王芳（13812345678）反映洋桥北里19号楼2单元501楼上漏水，工单号FZ16121600033。',
    '联系人张建国，身份证110101 19900307 123Ｘ，车牌京A12345，请于12月3日前处理。',
    '业主陈女士称：１３９ １２３４ ５６７８是她的电话，家住卢沟桥南里9号楼1门2103。',
  ])('%s', (text) => {
    const once = pub(text, ['王芳']);
    expect(pub(once, ['王芳'])).toBe(once);
  });
});

describe('placeOf: building level, never a room', () => {
  it.each([
    ['鹏润家园4号楼B座5层3门501室', '鹏润家园4号楼B座'],
    ['洋桥北里19号楼1203室王建国家门口', '洋桥北里19号楼'],
    ['洋桥北里19号楼2单元501', '洋桥北里19号楼'],
    ['嘉园一里5-2-501', '嘉园一里5号楼'],
    ['张仪村东区3号楼住1103号', '张仪村东区3号楼'],
    ['嘉园一里1103房', '嘉园一里'],
    ['望园 东里小区周边', '望园东里小区周边'],
    ['巴庄子139号门前', '巴庄子139号门前'],
    ['丹陛华批发市场南门外', '丹陛华批发市场南门外'],
    ['张仪村4号院南院', '张仪村4号院南院'],
    ['', ''],
  ])('%s → %s', (address, want) => {
    expect(placeOf(address)).toBe(want);
  });

  it('masks what remains (a reporter named in the address)', () => {
    expect(placeOf('王建国家门口', { names: ['王建国'] })).toBe('市民家门口');
    expect(placeOf(null)).toBe('');
  });
});

describe('maskPersonal (logs, internal) now normalises too', () => {
  it.each([
    ['1381 2345 678', '138****5678'],
    ['１３８１２３４５６７８', '138****5678'],
    ['138—1234—5678', '138****5678'],
    ['一三八一二三四五六七八', '138****5678'],
    ['6381-2345', '63******'],
    ['11010119900307123Ｘ', '110101************'],
    ['110101 19900307 1234', '110101************'],
    ['2单元501', '2单元5**'],
    ['五零一室', '5**室'],
    ['市民王芳反映', '市民王*反映'],
  ])('%s → %s', (input, want) => {
    expect(maskPersonal(input)).toBe(want);
  });

  it('keeps a courtesy form (it names nobody in a log) and leaves look-alikes alone', () => {
    expect(maskPersonal('王女士称，工单20261203-1004，涉及12户', { names: ['王芳'] })).toBe('王女士称，工单20261203-1004，涉及12户');
  });
});
