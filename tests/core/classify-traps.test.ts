import { describe, expect, it } from 'vitest';
import { createJiebaSegmenter } from '../../adapters/nlp/jieba-segmenter';
import { createClassifier, type Classification } from '../../core/classify';

// Every trap of issue 13, on both segmenters: jieba (production) and the pure fallback (core alone).
const classifiers = [
  ['jieba', createClassifier({ segment: createJiebaSegmenter() })],
  ['fallback', createClassifier()],
] as const;

type Want = Partial<Classification>;

const TRAPS: [label: string, text: string, want: Want][] = [
  ['污水管道 is not 供水', '小区东门外的污水管道堵塞，污水冒到路面上，希望尽快疏通。', { category: '排水', urgency: 'ordinary' }],
  ['污水管网 is not 供水', '小区北门的污水管网破了，污水渗到地面上。', { category: '排水', urgency: 'ordinary' }],
  ['提供电子档 is not 供电', '希望提供电子档的办事指南，方便居民查阅。', { category: '其他' }],
  ['交通便利 is not 交通秩序', '这里交通便利，想咨询社区有没有闲置的房间可以办活动。', { consult: true }],
  ['施工质量差 is not 施工扰民', '新楼施工质量差，楼道墙面裂缝，卫生间渗水。', { category: '房屋' }],
  ['a 施工队 wage dispute is not 施工扰民', '施工队老板拖欠我们十几个工人的工资，快过年了一分钱没拿到。', { category: '社会保障', urgency: 'ordinary' }],
  ['a gas company name is not a leak', '某某燃气有限公司的保安在小区门口跟居民吵架。', { urgency: 'ordinary', urgentReason: null }],
  ['a power bureau is not a failure', '某某供电局的外包单位欠薪，说是供电局没给他们结款。', { category: '社会保障', urgency: 'ordinary' }],
  ['一旦 is hypothetical', '楼道里堆满纸箱，一旦发生火灾，人都跑不出去。', { category: '消防安全', urgency: 'ordinary' }],
  ['如果 is hypothetical', '消防栓被圈在商铺里面了，如果着火了根本用不上。', { urgency: 'ordinary' }],
  ['万一 is hypothetical', '燃气管道就在窗户外面，万一泄漏后果不堪设想，希望挪位置。', { category: '燃气', urgency: 'ordinary' }],
  ['防止 is a warning', '为防止燃气泄漏，希望燃气公司定期来入户检查。', { urgency: 'ordinary' }],
  ['以免 is a warning', '小区电动车充电棚离居民楼太近了，以免起火希望挪远一点。', { urgency: 'ordinary' }],
  ['a new gas connection is not urgent', '新房想申请开通燃气，需要带哪些材料？', { category: '燃气', urgency: 'consult', consult: true }],
  ['old subsidence is not urgent', '多年前小区路面塌陷，修补后至今坑坑洼洼没人管。', { category: '道路', urgency: 'ordinary' }],
  ['a habitual lift fault is a complaint, not an emergency', '小区经常出现电梯困人事件，物业一直不修。', { category: '电梯', urgency: 'ordinary' }],
  ['a rhetorical 请问…何时解决 stays a complaint', '请问小区垃圾什么时候清运？已经反映多次了，何时解决？', { category: '环境卫生', consult: false, urgency: 'ordinary' }],
  ['a drill explaining leaks is not a leak', '小区搞消防演练，讲解了燃气泄漏和起火时怎么逃生。', { urgency: 'ordinary' }],
  ['井盖丢失，有人掉进去了 is urgent', '井盖丢失，有人掉进去了', { category: '井盖', urgency: 'urgent', urgentReason: '井盖丢失' }],
  ['燃气泄漏', '家里燃气灶旁边的管子漏气，一直有嘶嘶的声音。', { category: '燃气', urgency: 'urgent', urgentReason: '燃气泄漏' }],
  ['闻到煤气味', '单元门口闻到很重的煤气味，好几户都闻到了。', { category: '燃气', urgency: 'urgent', urgentReason: '闻到燃气味' }],
  ['起火', '楼下垃圾堆起火了，火挺大的！', { category: '消防安全', urgency: 'urgent', urgentReason: '起火' }],
  ['冒烟', '对面楼有一户窗户往外冒烟，快来人！', { urgency: 'urgent', urgentReason: '冒烟' }],
  ['factory smoke is pollution, not a fire', '附近化工厂的烟囱天天冒黑烟，味道刺鼻。', { category: '环境污染', urgency: 'ordinary' }],
  ['水管爆裂', '院内自来水管爆裂，污水四溢。', { category: '供水', urgency: 'urgent', urgentReason: '水管爆裂' }],
  ['跑水', '楼上家里跑水了，水顺着灯口往我家流。', { urgency: 'urgent', urgentReason: '跑水' }],
  ['sewage welling up is not a burst main', '六里桥东路污水井冒水，污水流了半条街。', { category: '排水', urgency: 'ordinary' }],
  ['井盖塌陷', '井盖塌陷3至5厘米，希望尽快处理。', { category: '井盖', urgency: 'urgent', urgentReason: '井盖塌陷' }],
  ['a manhole in front of a school is still 井盖', '学校门口的井盖碎了，露出一个黑洞，孩子马上就放学了。', { category: '井盖', urgency: 'urgent', urgentReason: '井盖丢失' }],
  ['电梯困人', '5号楼2单元电梯困人，里面有一个老人！', { category: '电梯', urgency: 'urgent', urgentReason: '电梯困人' }],
  ['有人被困', '我家老人被困在家里出不来了。', { urgency: 'urgent', urgentReason: '有人被困' }],
  ['触电', '楼道里的电表箱漏电，刚才邻居碰了一下被电了。', { category: '供电', urgency: 'urgent', urgentReason: '触电' }],
  ['negated: no leak found', '燃气公司上门看了，没有漏气。', { urgency: 'ordinary' }],
  ['停电 is utility', '整栋楼停电了，已经三个多小时。', { category: '供电', urgency: 'utility' }],
  ['暖气不热 is utility', '家里暖气不热，室温只有十五度。', { category: '供暖', urgency: 'utility' }],
  ['a planned outage question is a consult', '请问小区什么时候计划停电检修？', { urgency: 'consult', consult: true }],
  ['a procedure question is a consult', '我想咨询一下居住证怎么办理。', { category: '户籍证照', urgency: 'consult', consult: true }],
  ['a suggestion is a consult', '建议在公交站旁边增设休息座椅，老人等车站不住。', { consult: true }],
  ['黑臭水体', '小区旁边的排水沟是黑臭水体，夏天臭得不能开窗。', { category: '河道' }],
  ['群租房', '楼上一套两居室打了很多隔断，住了十几个人，是群租房。', { category: '群租房' }],
  ['私装地桩', '底商在门前人行道上私装地桩。', { category: '私装地桩' }],
  ['施工扰民', '安置房工地夜间施工噪音扰民。', { category: '施工扰民' }],
  ['噪声扰民 is not 施工扰民', '楼下广场舞音响声音太大，每天晚上跳到十点。', { category: '噪声扰民' }],
];

describe.each(classifiers)('issue 13 traps (%s)', (_name, classifier) => {
  it.each(TRAPS)('%s', (_label, text, want) => {
    const got = classifier.classify(text);
    expect(got).toMatchObject(want);
  });
});

describe.each(classifiers)('hints (%s)', (_name, classifier) => {
  it.each<[string, string, { type?: string; categoryPath?: string }, Want]>([
    ['a 12345 path maps to the category and its section', '门口有个坑', { categoryPath: '城乡建设->市政设施->井盖' }, { category: '井盖', section: '城建科' }],
    ['a leaf the street names itself maps through the table', '绿地冒水', { categoryPath: '城乡建设->市政设施->管线冒水' }, { category: '供水' }],
    ['an unknown leaf is kept as the work order wrote it', '有事', { categoryPath: '城乡建设->某某->奇怪的叶子' }, { category: '奇怪的叶子', section: null }],
    ['an unknown plain name is kept (the YAML may route it)', '有事', { categoryPath: '疑难案件' }, { category: '疑难案件', section: null }],
    ['the path counts for urgency', '楼道有味道', { categoryPath: '城乡建设->燃气->燃气泄漏' }, { urgency: 'urgent', urgentReason: '燃气泄漏' }],
    ['only a first level: the text decides within it', '小区门口的井盖丢了', { categoryPath: '城乡建设' }, { category: '井盖' }],
    ['咨询 as type makes a consult', '小区门口的垃圾', { type: '咨询' }, { consult: true, urgency: 'consult' }],
    ['投诉 as type is never a consult', '请问怎么办理居住证', { type: '投诉' }, { consult: false, urgency: 'ordinary' }],
    ['danger outranks a 咨询 type', '水管爆裂了', { type: '咨询' }, { urgency: 'urgent', consult: false }],
  ])('%s', (_label, text, hints, want) => {
    expect(classifier.classify(text, hints)).toMatchObject(want);
  });
});
