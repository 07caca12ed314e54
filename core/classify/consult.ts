import type { Hit } from './segment';

/**
 * Consult (咨询/建议) or complaint, from the whole message: a question about a procedure or a policy
 * with nothing wrong reported is a consult; a rhetorical 请问…何时解决？ at the end of a complaint
 * stays a complaint. Each cue adds to its side; the consult side must win clearly.
 */

/** Cues that the writer asks how, whether or where (weights). */
export const CONSULT_CUES: Readonly<Record<string, number>> = {
  咨询: 3, 想咨询: 3, 询问: 2, 想了解: 3, 了解一下: 2, 请问: 1, 问一下: 2, 想问: 2, 打听: 2, 请教: 2,
  建议: 2, 提议: 2, 希望增设: 1, 能否: 1, 可否: 1, 是否: 0.5, 可不可以: 1, 能不能: 0.5, 有没有: 0.5,
  怎么办理: 2, 如何办理: 2, 办理流程: 2, 流程: 1, 手续: 1, 需要哪些: 2, 需要什么: 1.5, 材料: 1, 条件: 1, 政策: 1, 标准: 0.5,
  规定: 0.5, 哪里: 1, 在哪: 1, 哪个: 1, 哪些: 1, 哪儿: 1, 去哪: 1, 在不在: 1, 补办: 1.5, 什么时候: 0.5, 多久: 0.5, 怎么: 0.5, 如何: 1, 吗: 0.5, 呢: 0.3, 办理: 0.5, 申请: 1, 领取: 1,
  符合: 1, 资格: 1, 报名: 1, 查询: 1, 电话: 0.5, 时间: 0.3, 开放: 0.5,
};

/** Cues that something is wrong and the writer wants it fixed (weights). */
export const COMPLAINT_CUES: Readonly<Record<string, number>> = {
  投诉: 3, 举报: 3, 反映: 1.5, 扰民: 2, 严重: 1, 影响: 1, 不作为: 2, 至今: 1.5, 一直: 1, 多次: 1.5, 无人: 1.5, 没人管: 2, 没人: 1,
  尽快: 1.5, 解决: 0.5, 处理: 0.5, 整改: 1, 拖欠: 2, 强烈: 1.5, 要求: 0.5, 恳请: 0.5, 不管: 1.5, 推诿: 2, 乱: 0.5, 脏: 1, 臭: 1,
  坏了: 1.5, 损坏: 1, 不亮: 1.5, 堵塞: 1, 违规: 1.5, 违法: 1.5, 私自: 1, 占用: 1, 噪音: 1, 欺骗: 1.5, 骗: 1, 拒绝: 1, 不给: 1, 不退: 1.5,
  安全隐患: 1, 隐患: 0.5, 危险: 1, 已经: 0.5, 几天: 1, 好几天: 1.5, 多天: 1, 每天: 1, 天天: 1, 经常: 1, 总是: 1, 又: 0.5, 还是: 0.3,
  希望: 0.3, 请求: 0.5, 麻烦: 0.5, 导致: 1, 造成: 1, 受不了: 2, 无法: 1, 不能: 0.5, 没有: 0.3, 太: 0.5, 非常: 0.5, 问题: 0.3,
};

/** Every cue, for the matcher and the fallback dictionary. */
export const CONSULT_VOCABULARY: readonly string[] = [...Object.keys(CONSULT_CUES), ...Object.keys(COMPLAINT_CUES)];

/** Per cue word: what it adds to asking and to complaining. */
const CUE_WEIGHTS = new Map<string, { ask: number; complain: number }>(
  CONSULT_VOCABULARY.map((w) => [w, { ask: Object.hasOwn(CONSULT_CUES, w) ? CONSULT_CUES[w]! : 0, complain: Object.hasOwn(COMPLAINT_CUES, w) ? COMPLAINT_CUES[w]! : 0 }]),
);

/** A message that opens with 咨询/请问/建议 asks from its first word. */
const ASKS_FIRST = /^\s*(?:您好[，,！!]?\s*)?(?:我想|想|我)?(?:咨询|请问|询问|问一下|想了解|建议)/;

/** A cue word counts at most this many times. */
const MAX_REPEAT = 2;
/** Consult cues within this many characters from the start count fully, later ones half. */
const OPENING_CHARS = 80;

/** Request types of the regulation that are consults by themselves. */
const CONSULT_TYPES = new Set(['咨询', '建议']);
/** Request types that say a problem was reported. */
const COMPLAINT_TYPES = new Set(['投诉', '举报', '求助']);

/**
 * True when the message asks rather than complains. `type` (the work order's 诉求类型) decides when
 * given; otherwise the cues of the whole text, where a problem reported (`problem`: a danger or a
 * utility failure was found) counts heavily against a consult.
 */
export function judgeConsult(text: string, hits: Hit[], type: string | null | undefined, problem: boolean): boolean {
  if (type && CONSULT_TYPES.has(type)) return true;
  if (type && COMPLAINT_TYPES.has(type)) return false;
  let ask = 0;
  let complain = problem ? 3 : 0;
  const seen = new Map<string, number>();
  for (const h of hits) {
    const cue = CUE_WEIGHTS.get(h.word);
    if (!cue) continue;
    const n = (seen.get(h.word) ?? 0) + 1;
    seen.set(h.word, n);
    if (n > MAX_REPEAT) continue;
    // A question deep in a long letter is mostly rhetorical; the opening says what the writer wants.
    ask += cue.ask * (h.start < OPENING_CHARS ? 1 : 0.5);
    complain += cue.complain;
  }
  if (ASKS_FIRST.test(text)) ask += 2;
  return ask >= 2 && ask > complain;
}
