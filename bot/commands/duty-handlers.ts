import type { DutyArgs } from '../../core/commands/app-commands';
import { mentionNames } from '../../core/commands/parse-tools';
import { send } from '../../core/decide';
import { addDaysToKey, dateKeyOf, isDateKey, weekdayZh } from '../../core/time/wall-clock';
import type { Person } from '../../core/types';
import type { AppCommandEnv, AppHandler, CommandResult } from './app-handlers';

/**
 * 值班: anyone sees who is on duty now and next and the coming holidays' duty; a leader or the
 * dispatcher changes the roster — `值班 设置 12-31 李雷` gives that day's shifts to the people named,
 * `值班 换班 @某人 明天` swaps (both are told, here and in consult). Changes are stored (duty_changes).
 */

const SET_USAGE = '格式：值班 设置 12-31 某人';
const SWAP_USAGE = '格式：值班 换班 @某人 明天（或 @甲 @乙 12-31）';
const pad = (n: number) => String(n).padStart(2, '0');

/** 今天 / 明天 / 后天 / 12-31 / 2027-01-02 → a date key; a date without a year is the next such date from today. */
export function dutyDate(word: string, today: string): string | null {
  const rel: Record<string, number> = { 今天: 0, 今日: 0, today: 0, 明天: 1, 明日: 1, tomorrow: 1, 后天: 2 };
  const w = word.trim().toLowerCase();
  if (w in rel) return addDaysToKey(today, rel[w]!);
  const m = /^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?$/.exec(w);
  if (!m) return null;
  return yearFor(m[1] ? Number(m[1]) : null, Number(m[2]), Number(m[3]), today);
}

function yearFor(year: number | null, month: number, day: number, today: string): string | null {
  const key = (y: number) => `${y}-${pad(month)}-${pad(day)}`;
  if (year !== null) return isDateKey(key(year)) ? key(year) : null;
  const thisYear = Number(today.slice(0, 4));
  const date = key(thisYear) >= today ? key(thisYear) : key(thisYear + 1);
  return isDateKey(date) ? date : null;
}

const may = (env: AppCommandEnv) => env.actor.role === 'leader' || env.actor.role === 'dispatcher';

/** Posts `text` where the command was typed and in consult (once when that is consult), @ the people named. */
async function tellBoth(env: AppCommandEnv, text: string, mentions: Person[]): Promise<CommandResult> {
  const effects = [send('update', env.here, text, null, mentions)];
  if (env.here !== 'consult') effects.push(send('update', 'consult', text, null, mentions));
  await env.post(effects);
  return { ok: true, message: text, caseId: null };
}

export const DUTY_HANDLERS: Record<string, AppHandler> = {
  duty: async (env, cmd) => {
    const roster = env.services.roster;
    if (!roster) return env.refuse('本机器人没有配置值班表（街道配置 duty:）。');
    const args = cmd as unknown as DutyArgs;
    const now = env.clock();
    if (args.kind === 'show') return env.answer(roster.text(now));
    if (!may(env)) return env.refuse(`只有领导或调度员可以改值班表。${args.kind === 'set' ? SET_USAGE : SWAP_USAGE}`);
    const today = dateKeyOf(now, env.config.timeZone);

    if (args.kind === 'set') {
      const date = yearFor(args.year, args.month, args.day, today);
      if (!date) return env.refuse(`没有这个日期。${SET_USAGE}`);
      if (date < today) return env.refuse(`${date} 已经过去了。${SET_USAGE}`);
      roster.addChange({ kind: 'set', date, people: args.people }, env.actor.name, now);
      env.logger.info({ date, by: env.actor.name }, 'duty set');
      const mentions = env.people.resolveMentions(env.msg.platform, env.msg.mentions, args.people);
      return tellBoth(env, `📋 值班调整：${date.slice(5)}（${weekdayZh(date)}）由 ${args.people.join('、')} 值班（${env.actor.name} 设置）。`, mentions.length > 0 ? mentions : env.people.departmentPeople(args.people));
    }

    const date = dutyDate(args.when, today);
    if (!date) return env.refuse(`请写明哪天。${SWAP_USAGE}`);
    if (date < today) return env.refuse(`${date} 已经过去了。${SWAP_USAGE}`);
    const names = mentionNames(env.msg.text);
    const mentioned = env.people.resolveMentions(env.msg.platform, env.msg.mentions, names);
    const onDate = roster.current().peopleOnDate(date);
    let a: string | undefined;
    let b: string | undefined;
    if (names.length >= 2) [a, b] = names;
    else if (names.length === 1) {
      b = names[0]!;
      const others = onDate.filter((p) => p !== b);
      a = onDate.includes(env.actor.name) && env.actor.name !== b ? env.actor.name : others.length === 1 ? others[0] : undefined;
      if (!a) return env.refuse(onDate.length === 0 ? `${date.slice(5)} 没有人值班，请用「值班 设置 ${date.slice(5)} 某人」。` : `${date.slice(5)} 值班的有 ${onDate.join('、')}，请写明和谁换：值班 换班 @甲 @乙 ${date.slice(5)}`);
    } else return env.refuse(`请 @ 换班的人。${SWAP_USAGE}`);
    if (a === b) return env.refuse(`换班要两个不同的人。${SWAP_USAGE}`);
    if (!onDate.includes(a!) && !onDate.includes(b!)) return env.refuse(`${a} 和 ${b} 在 ${date.slice(5)} 都不值班，无需换班。`);
    roster.addChange({ kind: 'swap', a: a!, b: b!, date }, env.actor.name, now);
    env.logger.info({ date, by: env.actor.name }, 'duty swap');
    const both = [a!, b!].map((n) => mentioned.find((p) => p.name === n) ?? env.people.departmentPeople([n])[0]!);
    return tellBoth(env, `🔄 换班：${date.slice(5)}（${weekdayZh(date)}）${a} 与 ${b} 对调（${env.actor.name} 安排）。请两位知悉。`, both);
  },
};
