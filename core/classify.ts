import type { Urgency } from './types';

/**
 * Category and urgency inference for intakes that leave them out. Keywords are enough for a street:
 * the dispatcher corrects the rare miss. Order matters: the first matching rule wins.
 */

const URGENT_WORDS = ['爆裂', '冒水', '塌陷', '燃气', '煤气', '起火', '着火', '火灾', '漏气', '坍塌', '触电', '被困'];
const UTILITY_WORDS = ['停水', '停电', '停气', '供暖', '暖气', '没水', '没电', '水压', '跳闸'];
const CONSULT_WORDS = ['咨询', '建议', '询问', '请问', '想了解'];

/** Category keywords → category name (the 12345 leaf names used in the seed). */
const CATEGORY_RULES: [string[], string][] = [
  [['井盖'], '井盖'],
  [['水管', '自来水', '冒水', '漏水', '停水', '供水'], '供水'],
  [['燃气', '煤气', '漏气', '停气'], '燃气'],
  [['停电', '跳闸', '供电'], '供电'],
  [['供暖', '暖气'], '供暖'],
  [['路灯'], '路灯照明'],
  [['地桩', '地锁'], '私装地桩'],
  [['游商', '小贩', '摆摊'], '游商'],
  [['占道'], '占道经营'],
  [['群租'], '群租房'],
  [['施工', '噪音', '噪声'], '施工扰民'],
  [['建筑垃圾', '渣土'], '建筑垃圾'],
  // A fire risk outranks the clutter it sits in: 堆放易燃物品 is 消防安全 (平安办), not 环境卫生.
  [['易燃', '消防', '起火', '着火'], '消防安全'],
  [['垃圾', '杂物', '堆放'], '环境卫生'],
  [['停车', '违停', '交通', '拥堵'], '交通秩序'],
  [['健身', '座椅', '便民'], '便民设施'],
];

export function inferCategory(text: string): string {
  for (const [words, category] of CATEGORY_RULES) {
    if (words.some((w) => text.includes(w))) return category;
  }
  return '其他';
}

/** Urgency from the words of the request and its request type. */
export function inferUrgency(text: string, type?: string | null): Urgency {
  if (URGENT_WORDS.some((w) => text.includes(w))) return 'urgent';
  if (UTILITY_WORDS.some((w) => text.includes(w))) return 'utility';
  if (type === '咨询' || type === '建议' || CONSULT_WORDS.some((w) => text.includes(w))) return 'consult';
  return 'ordinary';
}

/** The last segment of a 12345 three-level path (`城乡建设->市政设施->井盖` → `井盖`). */
export function categoryLeaf(category: string): string {
  const parts = category.split(/\s*(?:->|→|>|\/)\s*/).filter(Boolean);
  return parts.length > 0 ? parts[parts.length - 1]! : category.trim();
}
