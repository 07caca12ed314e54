import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { categoryLeaf, inferCategory, inferUrgency } from '../../core/classify';
import { newCaseFromIntake, validateIntake } from '../../core/intake';
import { findCommunity, routeCase, type RoutingTable } from '../../core/routing';
import { parseStreetConfig, type StreetConfig } from '../../core/street-config';
import { T0 } from './make-case';

// Test inputs: the demo street and the seed cases, read as files (no I/O in the code under test).
const demo = parseStreetConfig(parseYaml(readFileSync(new URL('../../config/street.yaml', import.meta.url), 'utf8')));
if (!demo.ok) throw new Error(demo.error);
const config: StreetConfig = demo.config;
const table: RoutingTable = { communities: config.communities, sections: config.sections };

interface SeedCase {
  hotlineNo: string;
  category: string;
  urgency?: string;
  address: string;
  content: string;
  reportedAt?: string;
  citizen: { name: string; phone: string };
}
const seeds: SeedCase[] = JSON.parse(readFileSync(new URL('../../fixtures/seed-cases.json', import.meta.url), 'utf8')).cases;

/** hotlineNo → [group, section] in the demo street. */
const SEED_ROUTES: Record<string, [string, string | null]> = {
  'DEMO-0001': ['street', '平安办'], // 群租房
  'DEMO-0002': ['street', '城建科'], // 供水
  'DEMO-0003': ['street', '城管科'], // 私装地桩
  'DEMO-0004': ['street', '平安办'], // 消防安全
  'DEMO-0005': ['zhangyi', '城建科'], // 张仪村4号院
  'DEMO-0006': ['street', '城建科'], // 管线冒水
  'DEMO-0007': ['street', '环境办'], // 建筑垃圾
  'DEMO-0008': ['street', '城建科'], // 井盖
  'DEMO-0009': ['jiari', '城建科'], // 假日风景小区
  'DEMO-0010': ['yueyuan', '城建科'], // 阅园四区
  'DEMO-0011': ['xifeng', '城管科'], // 西四环83号院
  'DEMO-0012': ['xifeng', '城管科'], // 西丰路45号院
};

describe('routing the seed cases in the demo street', () => {
  it('the fixture has the twelve seed cases', () => {
    expect(seeds.map((s) => s.hotlineNo).sort()).toEqual(Object.keys(SEED_ROUTES).sort());
  });

  it.each(seeds.map((s) => [s.hotlineNo, s] as const))('%s → routeCase', (hotlineNo, s) => {
    const [group, section] = SEED_ROUTES[hotlineNo]!;
    expect(routeCase({ address: s.address, content: s.content, category: s.category }, table)).toEqual({ group, section });
  });

  it.each(seeds.map((s) => [s.hotlineNo, s] as const))('%s → through intake', (hotlineNo, s) => {
    const v = validateIntake(
      { hotlineNo: s.hotlineNo, content: s.content, address: s.address, category: s.category, urgency: s.urgency, reportedAt: s.reportedAt, citizen: s.citizen },
      new Set(Object.keys(config.groupNames)),
    );
    if (!v.ok) throw new Error(v.error);
    const c = newCaseFromIntake(v.value, '12345', config.policy, table, T0);
    expect([c.group, c.section]).toEqual(SEED_ROUTES[hotlineNo]);
  });
});

describe('routeCase rules', () => {
  it.each<[string, Parameters<typeof routeCase>[0], { group: string; section: string | null }]>([
    ['unknown category, no address → consult', { address: null, content: '我有个事情想反映一下', category: '其他' }, { group: 'consult', section: null }],
    ['unknown category, empty address → consult', { address: '', content: '有事', category: '其他' }, { group: 'consult', section: null }],
    ['unknown category with an address → street', { address: '东大街西里11号楼', content: '有事', category: '其他' }, { group: 'street', section: null }],
    ['known category with no section → street', { address: null, content: '楼里停电了', category: '供电' }, { group: 'street', section: null }],
    ['section by category', { address: null, content: '门口有游商', category: '游商' }, { group: 'street', section: '城管科' }],
    ['section by category (平安办)', { address: null, content: '群租', category: '群租房' }, { group: 'street', section: '平安办' }],
    ['community by address, section kept', { address: '张仪村4号院', content: '路灯不亮', category: '路灯照明' }, { group: 'zhangyi', section: '城建科' }],
    ['community by the text when the address says nothing', { address: null, content: '假日风景小区门口乱停车', category: '其他' }, { group: 'jiari', section: null }],
    ['community by its full name', { address: '阅园社区5号楼', content: '噪音', category: '其他' }, { group: 'yueyuan', section: null }],
    ['forced group wins over the address', { address: '张仪村4号院', content: '路灯不亮', category: '路灯照明', forcedGroup: 'jiari' }, { group: 'jiari', section: '城建科' }],
    ['forced group wins over consult', { address: null, content: '有事', category: '其他', forcedGroup: 'xifeng' }, { group: 'xifeng', section: null }],
    ['forced consult', { address: '张仪村', content: '疑难', category: '游商', forcedGroup: 'consult' }, { group: 'consult', section: '城管科' }],
    ['null forcedGroup is ignored', { address: '西丰路45号院', content: '施工', category: '施工扰民', forcedGroup: null }, { group: 'xifeng', section: '城管科' }],
  ])('%s', (_label, input, want) => {
    expect(routeCase(input, table)).toEqual(want);
  });

  it('the longest place name wins', () => {
    const communities = [
      { key: 'a', name: 'A社区', places: ['张仪'] },
      { key: 'b', name: 'B社区', places: ['张仪村4号院'] },
    ];
    expect(findCommunity('张仪村4号院南院', communities)?.key).toBe('b');
    expect(findCommunity('张仪村5号院', communities)?.key).toBe('a');
    expect(findCommunity('槐房西路', communities)).toBeNull();
  });
});

describe('inferUrgency', () => {
  it.each<[string, string | null, string]>([
    ['院内自来水管爆裂，污水四溢', null, 'urgent'],
    ['绿地冒水，已经流到南三环辅路', null, 'urgent'],
    ['井盖塌陷3至5厘米', null, 'urgent'],
    ['楼道里有燃气味', null, 'urgent'],
    ['楼下垃圾堆起火了', null, 'urgent'],
    ['闻到煤气味', null, 'urgent'],
    ['电梯里有人被困', null, 'urgent'],
    ['小区停水两天了', null, 'utility'],
    ['整栋楼停电', null, 'utility'],
    ['停气了做不了饭', null, 'utility'],
    ['供暖不热', null, 'utility'],
    ['暖气不热', null, 'utility'],
    ['家里没水了', null, 'utility'],
    ['咨询一下办居住证', null, 'consult'],
    ['建议在小区附近建设大型超市', null, 'consult'],
    ['询问垃圾分类时间', null, 'consult'],
    ['请问社区几点开门', null, 'consult'],
    ['小区附近缺少超市', '建议', 'consult'],
    ['办事流程', '咨询', 'consult'],
    ['南院路灯都不亮', null, 'ordinary'],
    ['楼外侧积存建筑垃圾', '投诉', 'ordinary'],
    ['', null, 'ordinary'],
    // The first rule wins: a burst pipe that also cut the water is urgent.
    ['水管爆裂导致停水', null, 'urgent'],
    ['停电了，想咨询什么时候来电', null, 'utility'],
    ['水管爆裂', '咨询', 'urgent'],
  ])('%j (type %s) → %s', (text, type, want) => {
    expect(inferUrgency(text, type)).toBe(want);
  });
});

describe('inferCategory', () => {
  it.each([
    ['井盖塌陷3至5厘米', '井盖'],
    ['院内自来水管爆裂', '供水'],
    ['燃气泄漏', '燃气'],
    ['整栋楼停电', '供电'],
    ['暖气不热', '供暖'],
    ['南院路灯都不亮', '路灯照明'],
    ['公共区域被私装地桩', '私装地桩'],
    ['门口有游商', '游商'],
    ['商户占道经营', '占道经营'],
    ['楼里有群租', '群租房'],
    ['夜间施工噪音扰民', '施工扰民'],
    ['楼外侧积存建筑垃圾', '建筑垃圾'],
    ['楼道堆放杂物', '环境卫生'],
    ['单元门口堆放木头、纸箱等易燃物品，存在安全隐患', '消防安全'],
    ['楼下垃圾堆起火了', '消防安全'],
    ['小区周边停车混乱', '交通秩序'],
    ['健身器材坏了', '便民设施'],
    ['我想反映个事', '其他'],
  ])('%j → %s', (text, want) => {
    expect(inferCategory(text)).toBe(want);
  });
});

describe('inferCategory agrees with the seed work orders where the text is enough', () => {
  // DEMO-0006 (管线冒水 → 供水, same section) and DEMO-0010 (a suggestion, 便民设施 → 其他) need the work order's category.
  const inferable = seeds.filter((s) => !['DEMO-0006', 'DEMO-0010'].includes(s.hotlineNo));
  it.each(inferable.map((s) => [s.hotlineNo, s] as const))('%s', (_no, s) => {
    expect(inferCategory(`${s.content} ${s.address}`)).toBe(s.category);
  });
});

describe('categoryLeaf', () => {
  it.each([
    ['城乡建设->市政设施->井盖', '井盖'],
    ['城乡建设 -> 市政设施 -> 井盖', '井盖'],
    ['城乡建设→市政设施→井盖', '井盖'],
    ['城乡建设>市政设施>井盖', '井盖'],
    ['城乡建设/市政设施/井盖', '井盖'],
    ['城乡建设->市政设施->', '市政设施'],
    ['井盖', '井盖'],
    ['', ''],
  ])('%j → %j', (path, want) => {
    expect(categoryLeaf(path)).toBe(want);
  });
});
