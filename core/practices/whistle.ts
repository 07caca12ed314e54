import { bad, defineCommand, ok, refuse } from '../commands/spec';
import { parseDateWord } from '../commands/parse-tools';
import { formatShort, zonedParts, zonedTimeToMs } from '../time-zone';
import * as T from '../texts';
import type { Person, TimeNode, WhistleEntry } from '../types';
import { announce, announceWithConsult, event, send, uniquePeople, withMilestone } from './effects';

/** 包案 / 吹哨 / 报到 / 节点: a leader owns a hard case, summons departments, and sets checkpoints. */

const OPEN = ['new', 'claimed', 'contacted', 'reopened'];
/** A node is due at the end of its working day (local time). */
const NODE_HOUR = 18;
/** A date without a year this far back means next year's (typed in December for January). */
const NEXT_YEAR_AFTER_MS = 180 * 86_400_000;
/** How departments are named (区水务局, 市政排水集团, 燃气公司…): such a word is a department, not the whistle's note. */
const DEPARTMENT_LIKE = /(局|集团|公司|中心|委员会|所|大队|站)$/;

export const own = defineCommand<Record<string, never>>({
  kind: 'case',
  name: 'own',
  zh: ['包案'],
  usage: '包案 12',
  help: '领导包案（「包案」单独发送：我包的案件）',
  menu: '领导包案：/own 12',
  permission: 'leader',
  caseOptional: true,
  parse: (rest) => (rest === '' ? ok({}) : bad('格式：包案 12')),
  decide(c, _args, ctx) {
    if (!OPEN.includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能包案。`);
    if (c.leaderId === ctx.actor.id) return refuse(`你已包案 #${c.id}，「包案」单独发送可查看你包的案件。`);
    const text = `🎖️ #${c.id} 由 ${ctx.actor.name} 包案${c.leaderName ? `（原 ${c.leaderName}）` : ''}，所有提醒同时报 ${ctx.actor.name}。`;
    return {
      ok: true,
      patch: { leaderId: ctx.actor.id, leaderName: ctx.actor.name },
      events: [event(ctx, 'leader-owned', null, null, null)],
      effects: announceWithConsult(c, ctx, text),
    };
  },
});

export const whistle = defineCommand<{ words: string[] }>({
  kind: 'case',
  name: 'whistle',
  zh: ['吹哨'],
  usage: '吹哨 12 区水务局 市政排水集团 [说明]',
  help: '吹哨召集部门报到（领导）',
  menu: '吹哨召集部门：/whistle 12 部门 …',
  permission: 'leader',
  parse: (rest) => (rest ? ok({ words: rest.split(/\s+/) }) : bad('请写要召集的部门，格式：吹哨 12 区水务局 市政排水集团 [说明]')),
  decide(c, args, ctx) {
    if (!OPEN.includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能吹哨。`);
    const known = new Map(ctx.departments.map((d) => [d.name, d]));
    const names: string[] = [];
    let i = 0;
    for (; i < args.words.length && known.has(args.words[i]!); i++) if (!names.includes(args.words[i]!)) names.push(args.words[i]!);
    if (names.length === 0) {
      const list = [...known.keys()].join('、') || '（配置里没有部门）';
      return refuse(`没有部门「${args.words[0]}」。可召集：${list}。格式：吹哨 ${c.id} ${known.keys().next().value ?? '部门名'} [说明]`);
    }
    // A word right after the departments that reads like one (…局, …集团) but is not configured is a typo, not the note.
    const next = args.words[i];
    if (next !== undefined && DEPARTMENT_LIKE.test(next)) return refuse(`没有部门「${next}」。可召集：${[...known.keys()].join('、')}。格式：吹哨 ${c.id} ${names[0]} [说明]`);
    const note = args.words.slice(i).join(' ');
    const waiting = new Set(c.whistle.filter((w) => w.reportedAt === null).map((w) => w.department));
    const fresh = names.filter((n) => !waiting.has(n));
    if (fresh.length === 0) return refuse(`${names.join('、')} 已被召集，还在等「报到 ${c.id}」；要召集别的部门：吹哨 ${c.id} 部门名 [说明]`);
    const entries: WhistleEntry[] = fresh.map((department) => ({ department, summonedAt: ctx.now, reportedAt: null, reportedBy: null, remindedAt: null, escalatedAt: null }));
    const whistleList = [...c.whistle.filter((w) => !fresh.includes(w.department)), ...entries];
    const patch = withMilestone(c, { whistle: whistleList }, ctx);
    const people: Person[] = uniquePeople(...fresh.map((n) => known.get(n)!.people));
    const within = ctx.policy.checkInMs >= 60_000 ? `${Math.round(ctx.policy.checkInMs / 60_000)} 分钟` : `${Math.round(ctx.policy.checkInMs / 1000)} 秒`;
    const text = `📣 #${c.id} ${ctx.actor.name} 吹哨：请 ${fresh.join('、')} ${within}内回复「报到 ${c.id}」。${note ? `\n说明：${note}` : ''}\n${T.caseTitle(c)}`;
    const effects = announceWithConsult(c, ctx, text, people);
    for (const n of fresh) {
      const g = known.get(n)!.group;
      if (g && !effects.some((e) => e.type === 'send' && e.group === g)) effects.push(send('update', g, text, c.id, known.get(n)!.people));
    }
    return { ok: true, patch, events: [event(ctx, 'whistled', null, null, `${fresh.join('、')}${note ? `：${note}` : ''}`)], effects };
  },
});

export const checkIn = defineCommand<{ note: string }>({
  kind: 'case',
  name: 'checkin',
  zh: ['报到'],
  usage: '报到 12',
  help: '被吹哨部门报到',
  menu: '部门报到：/checkin 12',
  permission: 'department',
  parse: (rest) => ok({ note: rest }),
  decide(c, args, ctx) {
    if (c.status === 'closed') return refuse(`#${c.id} 已关闭，不用再报到。`);
    const mine = new Set([...ctx.groupDepartments, ...(ctx.actor.department ? [ctx.actor.department] : [])]);
    // Someone who reports for several departments (a group bound to two) checks in the one still waiting.
    const entries = c.whistle.filter((w) => mine.has(w.department));
    if (entries.length === 0) return refuse(`#${c.id} 没有召集你的部门，只有被吹哨的部门可以「报到 ${c.id}」。`);
    const entry = entries.find((w) => w.reportedAt === null) ?? entries[0]!;
    const department = entry.department;
    if (entry.reportedAt !== null) return refuse(`${department} 已于 ${formatShort(entry.reportedAt, ctx.timeZone)} 报到 #${c.id}，无需重复报到。`);
    const whistleList = c.whistle.map((w) => (w === entry ? { ...w, reportedAt: ctx.now, reportedBy: ctx.actor.name } : w));
    const patch = withMilestone(c, { whistle: whistleList }, ctx);
    const missing = whistleList.filter((w) => w.reportedAt === null).map((w) => w.department);
    const late = ctx.now - entry.summonedAt > ctx.policy.checkInMs ? '（超时）' : '';
    const text = `🙋 #${c.id} ${department} 已报到${late}（${ctx.actor.name}）${args.note ? `：${args.note}` : ''}。${missing.length > 0 ? `未报到：${missing.join('、')}` : '全部部门已报到。'}`;
    return { ok: true, patch, events: [event(ctx, 'checked-in', null, null, `${department}${args.note ? `：${args.note}` : ''}`)], effects: announceWithConsult(c, ctx, text) };
  },
});

type NodeArgs = { kind: 'set'; month: number; day: number; year: number | null; text: string } | { kind: 'done'; no: number };

export const node = defineCommand<NodeArgs>({
  kind: 'case',
  name: 'node',
  zh: ['节点'],
  usage: '节点 12 12-10 事项（完成：节点 12 完成 1）',
  help: '设时间节点（领导）',
  menu: '设时间节点：/node 12 12-10 事项',
  permission: 'leader',
  parse(rest) {
    const [first = '', ...more] = rest.split(/\s+/);
    if (first === '完成' || first.toLowerCase() === 'done') {
      const no = Number(more[0]);
      return Number.isInteger(no) && no > 0 && more.length === 1 ? ok({ kind: 'done', no }) : bad('格式：节点 12 完成 1');
    }
    const date = parseDateWord(first);
    if (!date) return bad('请写日期和事项，格式：节点 12 12-10 完成管线排查');
    const text = more.join(' ').trim();
    if (!text) return bad('请写节点事项，格式：节点 12 12-10 完成管线排查');
    return ok({ kind: 'set', ...date, text });
  },
  decide(c, args, ctx) {
    if (!OPEN.includes(c.status)) return refuse(`#${c.id} 当前「${T.STATUS_ZH[c.status]}」，不能设节点。`);
    if (args.kind === 'done') {
      const n = c.nodes.find((x) => x.no === args.no);
      if (!n) return refuse(c.nodes.length > 0 ? `#${c.id} 没有第 ${args.no} 个节点（共 ${c.nodes.length} 个），格式：节点 ${c.id} 完成 1` : `#${c.id} 还没有节点，先设：节点 ${c.id} 12-10 事项`);
      if (n.doneAt !== null) return refuse(`#${c.id} 节点 ${n.no} 已于 ${formatShort(n.doneAt, ctx.timeZone)} 完成，无需重复。`);
      const met = ctx.now <= n.due;
      const nodes = c.nodes.map((x) => (x === n ? { ...x, doneAt: ctx.now } : x));
      const text = `✅ #${c.id} 节点 ${n.no}「${n.text}」已完成${met ? '' : '（晚于节点时间）'}（${ctx.actor.name}）。`;
      return { ok: true, patch: withMilestone(c, { nodes }, ctx), events: [event(ctx, 'node-done', null, null, `${n.no} ${n.text}`)], effects: announceWithConsult(c, ctx, text) };
    }
    const today = zonedParts(ctx.now, ctx.timeZone);
    let year = args.year ?? today.year;
    let due = zonedTimeToMs(year, args.month, args.day, NODE_HOUR, 0, ctx.timeZone);
    if (args.year === null && due < ctx.now - NEXT_YEAR_AFTER_MS) due = zonedTimeToMs(++year, args.month, args.day, NODE_HOUR, 0, ctx.timeZone);
    if (due <= ctx.now) return refuse(`节点日期 ${args.month}-${args.day} 已过，请写以后的日期，格式：节点 ${c.id} ${formatMonthDay(ctx.now + 86_400_000, ctx.timeZone)} 事项`);
    const n: TimeNode = { no: c.nodes.length + 1, due, text: args.text, doneAt: null, askedAt: null };
    const text = `📌 #${c.id} 时间节点 ${n.no}：${formatShort(due, ctx.timeZone)} 前 ${args.text}（${ctx.actor.name}）。到期机器人会询问。`;
    return { ok: true, patch: withMilestone(c, { nodes: [...c.nodes, n] }, ctx), events: [event(ctx, 'node-set', null, null, `${n.no} ${formatShort(due, ctx.timeZone)} ${args.text}`)], effects: announce(c, ctx, text) };
  },
});

/** `12-10`: a day's month and day in the street's zone (the example in a refusal). */
function formatMonthDay(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${p.month}-${p.day}`;
}
