import { describe, expect, it } from 'vitest';
import { findRepeat, placeKey, type RepeatCandidate } from '../../core/repeat/place-key';

const BUILDING_3 = 'zhangyi:张仪村4号院南院3号楼';

describe('placeKey', () => {
  it.each([
    ['张仪村4号院南院3号楼2单元501', BUILDING_3],
    ['张仪村4号院南院3号楼1单元302', BUILDING_3],
    ['张仪村4号院南院3号楼', BUILDING_3],
    ['张仪村四号院南院三号楼1单元302室', BUILDING_3],
    ['张仪村4号院南院3栋2单元501', BUILDING_3],
    ['张仪村4号院南院3幢', BUILDING_3],
    ['张仪村4号院南院3#楼', BUILDING_3],
    ['张仪村４号院南院３号楼２单元５０１', BUILDING_3],
    [' 张仪村 4号院，南院 3号楼 ', BUILDING_3],
    ['张仪村4号院南院3-2-501', BUILDING_3],
    ['张仪村4院南院3号楼', BUILDING_3],
    ['张仪村4号院南院3号楼5层东侧', BUILDING_3],
    ['北京市丰台区卢沟桥街道张仪村4号院南院3号楼2单元501', BUILDING_3],
    ['张仪村社区张仪村4号院南院3号楼', BUILDING_3],
    ['张仪村4号院南院3楼2单元501', BUILDING_3],
    ['张仪村4号院南院5号楼', 'zhangyi:张仪村4号院南院5号楼'],
    ['张仪村4号院南院十三号楼', 'zhangyi:张仪村4号院南院13号楼'],
    ['张仪村4号院南院二十三号楼', 'zhangyi:张仪村4号院南院23号楼'],
    ['假日风景b座1001', 'zhangyi:假日风景b号楼'],
    ['张仪村5号院2单元501', 'zhangyi:张仪村5号院'],
    ['张仪村5号院501室', 'zhangyi:张仪村5号院'],
    ['张仪村5号院501', 'zhangyi:张仪村5号院'],
    ['张仪村5号院', 'zhangyi:张仪村5号院'],
    ['张仪村123号', 'zhangyi:张仪村123号'],
    ['西四环中路', 'zhangyi:西四环中路'],
  ])('%s → %s', (address, expected) => {
    expect(placeKey(address, 'zhangyi')).toBe(expected);
  });

  it('another building, compound or community is another place', () => {
    const keys = [
      placeKey('张仪村4号院南院3号楼', 'zhangyi'),
      placeKey('张仪村4号院南院5号楼', 'zhangyi'),
      placeKey('张仪村5号院南院3号楼', 'zhangyi'),
      placeKey('张仪村4号院北院3号楼', 'zhangyi'),
      placeKey('张仪村4号院南院3号楼', 'jiari'),
      placeKey('张仪村4号院南院3号楼', null),
      placeKey('张仪村123号', 'zhangyi'),
      placeKey('张仪村125号', 'zhangyi'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    [null, 'zhangyi', null],
    ['', 'zhangyi', null],
    ['，。 ！', 'zhangyi', null],
    ['2单元501', 'zhangyi', null],
    ['张仪村4号院', null, '_:张仪村4号院'],
  ])('%j in %j → %j', (address, community, expected) => {
    expect(placeKey(address, community)).toBe(expected);
  });
});

describe('findRepeat', () => {
  const DAY = 86_400_000;
  const T = Date.parse('2026-11-30T10:00:00+08:00');
  const K = BUILDING_3;
  const other = 'zhangyi:张仪村4号院南院5号楼';
  const c = (id: number, placeKey: string | null, category: string, daysBefore: number, status = 'resolved', extraMs = 0): RepeatCandidate<number> => ({
    id, placeKey, category, reportedAt: T - daysBefore * DAY - extraMs, status,
  });
  const newCase = { placeKey: K, category: '路灯照明', reportedAt: T };

  it.each([
    ['nothing earlier', [], null, 1],
    ['same place and category within the window', [c(8, K, '路灯照明', 5)], 8, 2],
    ['exactly windowDays before counts', [c(2, K, '路灯照明', 30)], 2, 2],
    ['one millisecond over the window does not', [c(1, K, '路灯照明', 30, 'closed', 1)], null, 1],
    ['another category does not', [c(3, K, '环境卫生', 2)], null, 1],
    ['another building does not', [c(4, other, '路灯照明', 1)], null, 1],
    ['a case without a place key does not', [c(6, null, '路灯照明', 1)], null, 1],
    ['reported after the new one does not', [c(7, K, '路灯照明', -1)], null, 1],
    ['the same instant counts', [c(9, K, '路灯照明', 0)], 9, 2],
    [
      'third time: links the most recent, counts all in the window, in any status',
      [c(1, K, '路灯照明', 31), c(2, K, '路灯照明', 30, 'closed'), c(3, K, '环境卫生', 2), c(4, other, '路灯照明', 1), c(5, K, '路灯照明', 10, 'claimed')],
      5,
      3,
    ],
  ] as const)('%s', (_name, earlier, repeatOf, repeatCount) => {
    expect(findRepeat(newCase, earlier, 30)).toEqual({ repeatOf, repeatCount });
  });

  it('same building, another room: the place key makes it a repeat', () => {
    const first = { id: 'A', placeKey: placeKey('张仪村4号院南院3号楼2单元501', 'zhangyi'), category: '路灯照明', reportedAt: T - DAY, status: 'resolved' };
    const second = { placeKey: placeKey('张仪村4号院南院3号楼1单元302', 'zhangyi'), category: '路灯照明', reportedAt: T };
    expect(findRepeat(second, [first], 30)).toEqual({ repeatOf: 'A', repeatCount: 2 });
  });

  it('a new case without a place key is never a repeat', () => {
    expect(findRepeat({ placeKey: null, category: '路灯照明', reportedAt: T }, [c(6, null, '路灯照明', 1)], 30)).toEqual({ repeatOf: null, repeatCount: 1 });
  });

  it('windowDays is respected', () => {
    expect(findRepeat(newCase, [c(2, K, '路灯照明', 8)], 7)).toEqual({ repeatOf: null, repeatCount: 1 });
    expect(findRepeat(newCase, [c(2, K, '路灯照明', 7)], 7)).toEqual({ repeatOf: 2, repeatCount: 2 });
  });
});
