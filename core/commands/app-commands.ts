import { own } from '../own';
import { parseDateWord, withoutMentions } from './parse-tools';
import { bad, defineCommand, ok } from './spec';

/**
 * Commands the application carries out itself (no single case to decide on): their words, usage,
 * help and argument parsing. The handlers live in bot/commands/, one per name.
 */

export type ListFilter = 'all' | 'mine' | 'overdue' | 'unclaimed';

/** What a chat is bound as: 会商 → consult, 街道 → street, 社区 → one community. */
export type BindTarget = 'consult' | 'street' | 'community';

/** One-time binding codes look like `K7QF-3M9X` (no 0/O/1/I to misread). */
export const BINDING_CODE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;

const BIND_TARGETS: Record<string, BindTarget> = { 会商: 'consult', 会商群: 'consult', consult: 'consult', 街道: 'street', 街道群: 'street', street: 'street', 社区: 'community', 社区群: 'community', community: 'community' };
const LIST_FILTERS: Record<string, ListFilter> = { 我的: 'mine', mine: 'mine', 逾期: 'overdue', overdue: 'overdue', 未认领: 'unclaimed', unclaimed: 'unclaimed', 全部: 'all', all: 'all' };

export const help = defineCommand<Record<string, never>>({
  kind: 'app', name: 'help', zh: ['帮助'], usage: '帮助', help: '命令说明', menu: '命令说明', permission: 'anyone', inPrivate: true,
  parse: () => ok({}),
});

export const list = defineCommand<{ filter: ListFilter }>({
  kind: 'app', name: 'list', zh: ['列表'], usage: '列表 [我的/逾期/未认领]', help: '本群未办结案件', menu: '本群未办结案件：/list [mine/overdue/unclaimed]', permission: 'anyone',
  parse(rest) {
    if (rest === '') return ok({ filter: 'all' });
    const filter = own(LIST_FILTERS, rest.toLowerCase());
    return filter ? ok({ filter }) : bad('列表只认「我的」「逾期」「未认领」。格式：列表 [我的/逾期/未认领]');
  },
});

export const newCase = defineCommand<{ address: string | null; text: string }>({
  kind: 'app', name: 'new', zh: ['新建'], usage: '新建 地址｜内容', help: '手工新建案件（调度/领导）', menu: '新建案件（调度/领导）：/new 地址 | 内容', permission: 'manager',
  parse(rest) {
    const parts = rest.split('|').map((s) => s.trim());
    if (parts.length === 1) return parts[0] ? ok({ address: null, text: parts[0] }) : bad('请写上地址和内容。格式：新建 地址｜内容');
    const [address, ...textParts] = parts;
    const content = textParts.join(' ').trim();
    if (!content) return bad('请在「｜」后写上诉求内容。格式：新建 地址｜内容');
    return ok({ address: address || null, text: content });
  },
});

export const bind = defineCommand<{ target: BindTarget; community: string | null; code: string | null }>({
  kind: 'app', name: 'bind', zh: ['绑定'], usage: '绑定 会商/街道/社区 [社区名] 绑定码', help: '把本群绑定为会商群/街道群/社区群（需绑定码）', menu: '绑定本群：/bind consult|street|community 社区名 绑定码', permission: 'anyone', inPrivate: true,
  parse(rest) {
    const usage = '格式：绑定 会商/街道/社区 [社区名] 绑定码';
    const words = rest.split(/\s+/).filter(Boolean);
    const target = own(BIND_TARGETS, (words[0] ?? '').toLowerCase());
    if (!target) return bad(`请说明绑定成哪个群。${usage}`);
    const args = words.slice(1);
    // Anything shaped like a code is taken as one (a mistyped code is then refused as wrong, not as a bad command).
    const code = args.length > 0 && /^[A-Z0-9]{4}-[A-Z0-9]{4}$/i.test(args[args.length - 1]!) ? args.pop()!.toUpperCase() : null;
    if (target === 'community') {
      if (args.length !== 1) return bad(`请写社区名或社区 key。${usage}`);
      return ok({ target, community: args[0]!, code });
    }
    if (args.length > 0) return bad(`绑定码应像 K7QF-3M9X。${usage}`);
    return ok({ target, community: null, code });
  },
});

export const unbind = defineCommand<Record<string, never>>({
  kind: 'app', name: 'unbind', zh: ['解绑'], usage: '解绑', help: '解除本群绑定（管理员）', menu: '解除本群绑定（管理员）', permission: 'admin',
  parse: (rest) => (rest === '' ? ok({}) : bad('格式：解绑')),
});

export type RoleWord = 'leader' | 'dispatcher' | 'department' | 'member';
const ROLE_WORDS: Record<string, RoleWord> = { 领导: 'leader', leader: 'leader', 调度: 'dispatcher', 调度员: 'dispatcher', dispatcher: 'dispatcher', 部门: 'department', department: 'department', 成员: 'member', member: 'member', 取消: 'member' };

export const role = defineCommand<{ role: RoleWord | null; department: string | null; names: string[] }>({
  kind: 'app', name: 'role', zh: ['角色'], usage: '角色 @某人 领导/调度/部门 名/成员', help: '设置角色（管理员）；「角色」单独发送：查看', menu: '设置角色（管理员）：/role @某人 leader', permission: 'admin',
  parse(rest) {
    const usage = '格式：角色 @某人 领导/调度/部门 部门名/成员';
    if (rest === '') return ok({ role: null, department: null, names: [] });
    const names = [...rest.matchAll(/@([^\s@]+)/g)].map((m) => m[1]!);
    const words = withoutMentions(rest).split(/\s+/).filter(Boolean);
    const r = own(ROLE_WORDS, (words[0] ?? '').toLowerCase());
    if (!r) return bad(`请写角色。${usage}`);
    if (r === 'department') return words[1] ? ok({ role: r, department: words.slice(1).join(' '), names }) : bad(`请写部门名。${usage}`);
    if (words.length > 1) return bad(usage);
    return ok({ role: r, department: null, names });
  },
});

export const login = defineCommand<Record<string, never>>({
  kind: 'app', name: 'login', zh: ['登录'], usage: '登录', help: '私信获取网页控制台登录链接', menu: '网页控制台登录链接（私信）', permission: 'anyone', inPrivate: true,
  parse: () => ok({}),
});

export type DutyArgs = { kind: 'show' } | { kind: 'set'; month: number; day: number; year: number | null; people: string[] } | { kind: 'swap'; when: string };

export const duty = defineCommand<DutyArgs>({
  kind: 'app', name: 'duty', zh: ['值班'], usage: '值班 / 值班 设置 12-31 某人 / 值班 换班 @某人 明天', help: '值班表；设置、换班（领导/调度）', menu: '值班：/duty', permission: 'anyone', inPrivate: true,
  parse(rest) {
    const usage = '格式：值班 / 值班 设置 12-31 某人 / 值班 换班 @某人 明天';
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.length === 0) return ok({ kind: 'show' });
    const head = words[0]!.toLowerCase();
    if (head === '设置' || head === 'set') {
      const date = parseDateWord(words[1] ?? '');
      const people = words.slice(2).map((w) => w.replace(/^@/, ''));
      return date && people.length > 0 ? ok({ kind: 'set', ...date, people }) : bad(usage);
    }
    if (head === '换班' || head === 'swap') {
      const when = withoutMentions(words.slice(1).join(' '));
      return when ? ok({ kind: 'swap', when }) : bad(usage);
    }
    return bad(usage);
  },
});

export const STATS_PERIODS: Record<string, string> = {
  今日: 'day', 今天: 'day', day: 'day', today: 'day', 昨日: 'yesterday', 昨天: 'yesterday', yesterday: 'yesterday', 本周: 'week', week: 'week', 上周: 'lastweek', lastweek: 'lastweek',
  本月: 'month', month: 'month', 上月: 'lastmonth', lastmonth: 'lastmonth',
};

/** A period word: a named one, or `2026-11`, `2026-11-28`, `2026-W48`. */
export function parsePeriodWord(word: string): string | null {
  if (word === '') return 'day';
  const named = own(STATS_PERIODS, word.toLowerCase());
  if (named) return named;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(word) || /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(word) || /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/i.test(word)) return word.toUpperCase().replace('W', 'W');
  return null;
}

export const stats = defineCommand<{ period: string }>({
  kind: 'app', name: 'stats', zh: ['统计'], usage: '统计 [今日/昨日/本周/上周/本月/上月/2026-11]', help: '本群统计（会商群：全街道）', menu: '统计：/stats [day/week/month/2026-11]', permission: 'anyone',
  parse(rest) {
    const period = parsePeriodWord(rest.trim());
    return period ? ok({ period }) : bad('格式：统计 [今日/昨日/本周/上周/本月/上月/2026-11]');
  },
});

export const exportLedger = defineCommand<{ period: string; csv: boolean }>({
  kind: 'app', name: 'export', zh: ['导出'], usage: '导出 [本月/上月/2026-11] [csv]', help: '导出台账 XLSX/CSV（仅会商群）', menu: '导出台账（会商群）：/export month', permission: 'anyone',
  parse(rest) {
    const words = rest.split(/\s+/).filter(Boolean);
    const csv = words.includes('csv') || words.includes('CSV');
    const w = words.filter((x) => x.toLowerCase() !== 'csv')[0] ?? '本月';
    const period = parsePeriodWord(w);
    return period ? ok({ period, csv }) : bad('格式：导出 [本月/上月/2026-11] [csv]');
  },
});
