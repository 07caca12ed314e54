import type { Hit } from './segment';

/**
 * Urgency only for a danger that is present now. A trigger word counts when it is not part of an
 * organisation's name (…燃气有限公司, …供电局), and its clause is not a hypothetical, a warning, a
 * past event or a request for a new service (一旦/如果/万一/防止/以免/隐患/申请开通…).
 */

/** A present danger: one word of each group in the same clause. `chronic` clauses (多年/一直…) do not count. */
interface DangerRule {
  reason: string;
  /** The category this danger belongs to; its score gets a bonus when the rule fires. */
  category?: string;
  all: string[][];
  /** Words that, in the same clause, say it is something else (sewage welling up is not a burst main). */
  unless?: string[];
}

const PERSON = ['有人', '人', '孩子', '小孩', '老人', '行人', '学生', '小朋友', '居民', '老太太', '老大爷', '一个人', '路人'];
const PIPE = ['水管', '自来水管', '上水管', '供水管', '水管道', '管道', '管子', '暖气管', '暖气管道', '主管道', '管线', '热力管道', '暖气片', '水表'];

export const DANGER_RULES: readonly DangerRule[] = [
  { reason: '燃气泄漏', category: '燃气', all: [['燃气泄漏', '燃气泄露', '煤气泄漏', '煤气泄露', '天然气泄漏', '天然气泄露', '漏气', '跑气', '呲气']] },
  { reason: '燃气泄漏', category: '燃气', all: [['燃气', '煤气', '天然气', '液化气', '燃气管道', '燃气表', '气罐', '液化气罐'], ['泄漏', '泄露', '漏', '爆炸', '爆燃', '挖断', '挖破']] },
  { reason: '闻到燃气味', category: '燃气', all: [['燃气味', '煤气味', '天然气味', '燃气的味道', '煤气的味道']] },
  { reason: '闻到燃气味', category: '燃气', all: [['燃气', '煤气', '天然气'], ['味', '味道', '气味', '味儿']] },
  { reason: '煤气中毒', category: '燃气', all: [['煤气中毒', '一氧化碳中毒']] },
  { reason: '煤气中毒', category: '燃气', all: [['煤气', '燃气', '一氧化碳', '天然气'], ['中毒', '熏倒', '晕倒']] },
  { reason: '起火', category: '消防安全', all: [['起火', '着火', '失火', '着火了', '烧起来', '火情', '火苗', '明火', '燃起来', '爆炸'], ] },
  { reason: '冒烟', category: '消防安全', all: [['冒烟', '冒黑烟', '浓烟', '冒火花', '打火', '火花']], unless: ['工厂', '化工厂', '烟囱', '油烟', '烧烤', '排放', '污染', '焚烧'] },
  { reason: '水管爆裂', category: '供水', all: [PIPE, ['爆裂', '爆了', '破裂', '裂了', '崩了', '爆开', '断裂', '爆']] },
  { reason: '水管爆裂', category: '供水', all: [['爆管', '爆裂']] },
  { reason: '跑水', category: '供水', all: [['跑水', '水漫', '淹了', '被淹', '漫水', '冒水', '大量漏水', '漏水严重', '哗哗']], unless: ['污水', '下水', '下水道', '污水井', '化粪池', '雨水', '污水管', '污水管道', '粪水', '返水', '反水', '臭水'] },
  { reason: '井盖丢失', category: '井盖', all: [['井盖', '窨井', '井圈', '雨水箅子', '箅子'], ['丢失', '丢了', '缺失', '被盗', '没了', '没有了', '不见', '不见了', '被偷', '偷了', '偷走', '移位', '掀开', '打开', '敞着', '敞开', '碎了', '破碎', '断裂', '翻', '翻转', '缺']] },
  { reason: '井盖塌陷', category: '井盖', all: [['井盖', '窨井', '井圈'], ['塌陷', '下沉', '塌', '陷下去', '凹陷']] },
  { reason: '路面塌陷', category: '道路', all: [['塌陷', '坍塌', '塌方', '塌了', '陷落', '倒塌', '垮塌']] },
  { reason: '树木倒伏', category: '园林绿化', all: [['树', '大树', '树木', '树枝', '树干', '电线杆', '广告牌'], ['刮倒', '倒了', '倒伏', '折断', '砸在', '砸到', '压在']] },
  { reason: '犬只伤人', category: '动物宠物', all: [['狗', '犬', '疯狗', '大狗', '流浪狗'], ['咬伤', '咬人', '伤人', '咬了']] },
  { reason: '电梯困人', category: '电梯', all: [['电梯', '轿厢'], ['困人', '被困', '困住', '关在', '卡住', '卡在', '关里面', '困在']] },
  { reason: '电梯困人', category: '电梯', all: [['电梯困人']] },
  { reason: '有人被困', all: [[...PERSON, '我', '我们', '家里', '屋里', '里面', '楼上'], ['被困', '困住', '困在', '出不来', '被锁']] },
  { reason: '触电', category: '供电', all: [['触电', '漏电', '电人', '电到', '带电']] },
  { reason: '电线落地', category: '供电', all: [['电线', '高压线', '电缆'], ['掉落', '掉下来', '断了', '落地', '垂', '耷拉', '着火', '冒火花', '打火']] },
  { reason: '有人坠落', all: [PERSON, ['掉进去', '掉进', '掉下去', '掉下', '坠落', '跌落', '落水', '溺水', '摔进', '掉到']] },
];

/** Clause words that make a trigger hypothetical, a warning, a risk or a plan rather than an event. */
export const HYPOTHETICAL_MARKERS: readonly string[] = [
  '一旦', '如果', '万一', '防止', '以免', '避免', '假如', '要是', '若是', '倘若', '如若', '预防', '以防', '谨防', '防范', '担心', '担忧', '害怕', '生怕', '恐怕', '可能', '容易',
  '随时', '隐患', '安全隐患', '风险', '引发', '酿成', '不堪设想', '后果', '演练', '宣传', '排查', '检查', '培训', '知识', '会不会', '是否会', '有可能', '极易', '易发', '险些', '差点', '会', '计划', '讲解', '逃生', '将会', '即将', '面临', '不知',
  '申请', '开通', '报装', '安装', '办理', '开户', '过户', '缴费', '充值', '改造', '更换', '预约', '如何', '吗',
];

/**
 * Clause words that make the event old or habitual rather than happening now: years-old subsidence,
 * a lift that 经常 traps people, fires 几次 — ordinary work and complaints, not an emergency.
 */
export const NOT_NOW_MARKERS: readonly string[] = [
  '多年', '多年前', '几年', '几年前', '好几年', '数年', '年前', '去年', '前年', '长期', '很久', '早就', '以前', '之前', '曾经', '上次', '历史',
  '经常', '经常出现', '常常', '时常', '时有发生', '频繁', '屡次', '多次', '几次', '好几次', '多起', '事件', '每年', '每次', '总是', '老是',
];
/** A year or a calendar date in the clause dates the event (2008年垮塌, 5月7日发生塌方). */
const DATED = /(?:19|20)\d\d年|\d{1,2}月\d{1,2}[日号]/;

/** Directly before a trigger, these negate it (没有漏气, 未发现火情). */
export const NEGATIONS: readonly string[] = ['没有', '没', '无', '未', '不', '并未', '并没有', '不是', '未发现', '没发现'];

/** An organisation's name continues after a utility word: 燃气有限公司, 供电局, 自来水集团. */
const ORG_SUFFIX = /^(?:有限|股份|集团|热力|工程|服务|能源|设备|供应|销售|营业|分|管理|安装|科技|实业|发展|北京|总)*(?:有限责任公司|股份有限公司|有限公司|公司|集团|局|分局|营业厅|营业部|服务站|服务部|所|站|厂|中心|大队|支队|队|办|处|部|行业|集团公司)/;

/** The characters an organisation suffix can start with: most hits are followed by none of them. */
const ORG_SUFFIX_START = new Set('有股集热工服能设供销营分管安科实发北总公局所站厂中大支队办处部行'.split('').map((c) => c.charCodeAt(0)));

/** True when the hit is inside an organisation's name (…燃气有限公司的保安). */
export function inOrganisationName(text: string, hit: Hit): boolean {
  return ORG_SUFFIX_START.has(text.charCodeAt(hit.end)) && ORG_SUFFIX.test(text.slice(hit.end, hit.end + 12));
}

/** Clause boundaries: sentence and comma punctuation, line breaks, and 但是/可是 (the complaint turns). */
const BREAK = 1;
const TURN = 2;
/** By UTF-16 code: BREAK for a punctuation or line break, TURN for 但/可 (a break when 是 follows). */
const CLAUSE_CHARS = new Uint8Array(65536);
for (const c of '，,。．.！!？?；;：:\n\r') CLAUSE_CHARS[c.charCodeAt(0)] = BREAK;
for (const c of '但可') CLAUSE_CHARS[c.charCodeAt(0)] = TURN;
const SHI = '是'.charCodeAt(0);

/**
 * The clause index of each character offset (a break belongs to the clause it ends). Clause indexes
 * wrap after 65,535 clauses, far beyond any message.
 */
export function clauseIndex(text: string): Uint16Array {
  const idx = new Uint16Array(text.length + 1);
  let clause = 0;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const kind = CLAUSE_CHARS[text.charCodeAt(i)];
    if (kind === 0) continue;
    let end = -1;
    if (kind === BREAK) end = i + 1;
    else if (text.charCodeAt(i + 1) === SHI) end = i + 2;
    if (end < 0) continue;
    idx.fill(clause, last, end);
    clause++;
    last = end;
    i = end - 1;
  }
  idx.fill(clause, last);
  return idx;
}

/** The whole clause around offset `at`. */
function clauseText(text: string, clauses: Uint16Array, at: number): string {
  const c = clauses[at]!;
  let start = at;
  let end = at;
  while (start > 0 && clauses[start - 1] === c) start--;
  while (end < text.length && clauses[end] === c) end++;
  return text.slice(start, end);
}

const hypothetical = new Set(HYPOTHETICAL_MARKERS);
const notNow = new Set(NOT_NOW_MARKERS);
const negations = new Set(NEGATIONS);

/** A cut or failure of water, power, gas or heat (水电气热), now: one word of each group in a clause. */
const UTILITY_RULES: readonly string[][][] = [
  [['停水', '断水', '没水', '没有水', '不来水', '不出水', '水停了', '停电', '断电', '没电', '没有电', '跳闸', '停气', '断气', '没气', '停暖', '不供暖', '没有暖气', '暖气不热', '暖气不好', '室温低', '水压低', '水压小', '水压不足', '电压低', '电压不稳']],
  [['暖气', '供暖', '采暖', '室温', '温度', '家里', '屋里'], ['不热', '冰凉', '太冷', '很冷', '温度低', '不达标']],
  [['室温', '温度'], ['只有', '低', '才']],
];

/** Every word the urgency rules look for, for the matcher and the fallback dictionary. */
export const URGENCY_VOCABULARY: readonly string[] = [
  ...DANGER_RULES.flatMap((r) => [...r.all.flat(), ...(r.unless ?? [])]),
  ...UTILITY_RULES.flat(2),
  ...HYPOTHETICAL_MARKERS,
  ...NOT_NOW_MARKERS,
  ...NEGATIONS,
];

/** What the urgency rules concluded: a present danger (with why), a utility failure, or neither. */
export interface UrgencyJudgement {
  level: 'urgent' | 'utility' | null;
  reason: string | null;
  /** The category of the danger found, when its rule names one. */
  category: string | null;
}

/** The rules compiled to word → group memberships, so a clause is judged in one pass over its hits. */
interface CompiledRules {
  /** Per word: the indexes of the groups it belongs to. */
  groupsOf: Map<string, number[]>;
  /** Per word: the danger rules it vetoes (`unless`). */
  vetoesOf: Map<string, number[]>;
  /** Per danger rule, in order: its groups' indexes. */
  dangerGroups: number[][];
  /** Per utility rule, in order: its groups' indexes. */
  utilityGroups: number[][];
  groupCount: number;
}

function compileRules(): CompiledRules {
  const groupsOf = new Map<string, number[]>();
  const vetoesOf = new Map<string, number[]>();
  let groupCount = 0;
  const addGroup = (words: readonly string[]): number => {
    const id = groupCount++;
    for (const w of new Set(words)) groupsOf.set(w, [...(groupsOf.get(w) ?? []), id]);
    return id;
  };
  const dangerGroups = DANGER_RULES.map((rule, r) => {
    for (const w of new Set(rule.unless ?? [])) vetoesOf.set(w, [...(vetoesOf.get(w) ?? []), r]);
    return rule.all.map(addGroup);
  });
  const utilityGroups = UTILITY_RULES.map((rule) => rule.map(addGroup));
  return { groupsOf, vetoesOf, dangerGroups, utilityGroups, groupCount };
}

const RULES = compileRules();

/** True when every group of a rule has a word in the clause. */
function allSeen(groups: readonly number[], seen: Uint8Array): boolean {
  for (const g of groups) if (seen[g] !== 1) return false;
  return true;
}

/**
 * Words whose boundaries have not been checked yet, and how to check them. The classifier leaves the
 * words only these rules look at (人, 不, 会 …) for last: most clauses hold no danger or utility words
 * at all, and there they cannot change anything.
 */
export interface PendingHits {
  /** Occurrences not yet known to sit on word boundaries, in text order. */
  pending: Hit[];
  /** The given occurrences that do sit on word boundaries, in the same order. */
  resolve(pending: Hit[]): Hit[];
}

/**
 * The clauses where a rule could fire if every pending word were a word and no marker, negation or
 * veto counted: a superset of the clauses where one fires.
 */
function possibleClauses(text: string, clauses: Uint16Array, hits: Hit[], pending: Hit[]): Set<number> {
  // The danger and utility words of both lists, by clause (each list is in text order).
  const entries: { clause: number; word: string }[] = [];
  for (const list of [hits, pending]) {
    for (const h of list) if (RULES.groupsOf.has(h.word) && !inOrganisationName(text, h)) entries.push({ clause: clauses[h.start]!, word: h.word });
  }
  entries.sort((a, b) => a.clause - b.clause);
  const out = new Set<number>();
  const groupSeen = new Uint8Array(RULES.groupCount);
  for (let i = 0; i < entries.length; ) {
    const clause = entries[i]!.clause;
    groupSeen.fill(0);
    for (; i < entries.length && entries[i]!.clause === clause; i++) for (const g of RULES.groupsOf.get(entries[i]!.word)!) groupSeen[g] = 1;
    if (RULES.dangerGroups.some((groups) => allSeen(groups, groupSeen)) || RULES.utilityGroups.some((groups) => allSeen(groups, groupSeen))) out.add(clause);
  }
  return out;
}

/**
 * Judges urgency from the hits of a text. `hits` are all vocabulary hits (not shadowed), in text order;
 * with `lazy`, some are still to be checked, which is done only in the clauses where they can matter.
 */
export function judgeUrgency(text: string, hits: Hit[], lazy?: PendingHits): UrgencyJudgement {
  const clauses = clauseIndex(text);
  if (lazy && lazy.pending.length > 0) {
    const maybe = possibleClauses(text, clauses, hits, lazy.pending);
    const needed = maybe.size > 0 ? lazy.pending.filter((h) => maybe.has(clauses[h.start]!)) : [];
    // Clauses left out cannot fire even with all their pending words, so without them neither.
    if (needed.length > 0) hits = [...hits, ...lazy.resolve(needed)].sort((a, b) => a.start - b.start || b.end - a.end);
  }
  const usable = hits.filter((h) => !inOrganisationName(text, h));
  // Hits grouped by clause, clauses in the order of their first hit.
  const byClause = new Map<number, Hit[]>();
  for (const h of usable) {
    const c = clauses[h.start]!;
    const list = byClause.get(c);
    if (list) list.push(h);
    else byClause.set(c, [h]);
  }
  const groupSeen = new Uint8Array(RULES.groupCount);
  const vetoed = new Uint8Array(RULES.dangerGroups.length);
  let utility = false;
  for (const inClause of byClause.values()) {
    let isHypothetical = false;
    let notNowWord = false;
    let triggers = false;
    for (const h of inClause) {
      if (hypothetical.has(h.word)) isHypothetical = true;
      if (notNow.has(h.word)) notNowWord = true;
      if (RULES.groupsOf.has(h.word)) triggers = true;
    }
    if (isHypothetical || !triggers) continue;
    groupSeen.fill(0);
    vetoed.fill(0);
    for (const h of inClause) {
      // A word right after a negation in its clause (没有漏气) does not count.
      if (inClause.some((n) => n.end === h.start && negations.has(n.word))) continue;
      for (const g of RULES.groupsOf.get(h.word) ?? []) groupSeen[g] = 1;
      for (const r of RULES.vetoesOf.get(h.word) ?? []) vetoed[r] = 1;
    }
    let danger = -1;
    for (let r = 0; r < RULES.dangerGroups.length && danger < 0; r++) if (vetoed[r] === 0 && allSeen(RULES.dangerGroups[r]!, groupSeen)) danger = r;
    if (danger >= 0 && !notNowWord && !DATED.test(clauseText(text, clauses, inClause[0]!.start))) {
      const rule = DANGER_RULES[danger]!;
      return { level: 'urgent', reason: rule.reason, category: rule.category ?? null };
    }
    if (!utility && RULES.utilityGroups.some((groups) => allSeen(groups, groupSeen))) utility = true;
  }
  return { level: utility ? 'utility' : null, reason: null, category: null };
}
