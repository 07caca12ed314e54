/**
 * The command parser: Chinese and Latin forms, with or without a leading `/`, `/claim@BotName`,
 * full-width digits, and quote-replies that leave the case number out (the caller resolves the quote).
 * Ordinary chat is not a command and gets no answer; a command with a wrong shape gets a refusal
 * that says the right form. Pure and total: it never throws.
 */

import { own } from './own';

export type ListFilter = 'all' | 'mine' | 'overdue' | 'unclaimed';

export type Command =
  | { name: 'claim'; caseId: number | null }
  | { name: 'contact'; caseId: number | null; text: string }
  | { name: 'note'; caseId: number | null; text: string }
  | { name: 'done'; caseId: number | null; text: string }
  | { name: 'status'; caseId: number | null }
  | { name: 'list'; filter: ListFilter }
  | { name: 'help' }
  | { name: 'new'; address: string | null; text: string }
  | { name: 'bind'; target: BindTarget; community: string | null; code: string | null };

/** What a chat is bound as: 会商 → consult, 街道 → street, 社区 → one community. */
export type BindTarget = 'consult' | 'street' | 'community';

/** One-time binding codes look like `K7QF-3M9X` (no 0/O/1/I to misread). */
export const BINDING_CODE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;

export type CommandName = Command['name'];

export type ParseResult =
  | { kind: 'command'; command: Command }
  | { kind: 'refusal'; message: string }
  | { kind: 'none' };

/** Longest message the parser looks at; WeChat's own limit is about this size. */
export const MAX_COMMAND_CHARS = 4000;

/** Words by command; Chinese first. Matching is on the first word of the message. */
const WORDS: Record<CommandName, { zh: string[]; latin: string }> = {
  claim: { zh: ['认领', '接单', '接'], latin: 'claim' },
  contact: { zh: ['已联系', '联系'], latin: 'contact' },
  note: { zh: ['进展'], latin: 'note' },
  done: { zh: ['办结'], latin: 'done' },
  status: { zh: ['状态', '查询'], latin: 'status' },
  list: { zh: ['列表'], latin: 'list' },
  help: { zh: ['帮助'], latin: 'help' },
  new: { zh: ['新建'], latin: 'new' },
  bind: { zh: ['绑定'], latin: 'bind' },
};

/** The canonical example of each command, used in refusals and in 帮助. */
export const USAGE: Record<CommandName, string> = {
  claim: '认领 12（或引用案件卡片回复：认领）',
  contact: '已联系 12 [备注]',
  note: '进展 12 文字',
  done: '办结 12 办理结果',
  status: '状态 12',
  list: '列表 [我的/逾期/未认领]',
  help: '帮助',
  new: '新建 地址｜内容',
  bind: '绑定 会商/街道/社区 [社区名] 绑定码',
};

const BIND_TARGETS: Record<string, BindTarget> = { 会商: 'consult', 会商群: 'consult', consult: 'consult', 街道: 'street', 街道群: 'street', street: 'street', 社区: 'community', 社区群: 'community', community: 'community' };

const LIST_FILTERS: Record<string, ListFilter> = {
  我的: 'mine', mine: 'mine', 逾期: 'overdue', overdue: 'overdue', 未认领: 'unclaimed', unclaimed: 'unclaimed', 全部: 'all', all: 'all',
};

const ZH_INDEX: [string, CommandName][] = Object.entries(WORDS)
  .flatMap(([name, w]) => w.zh.map((z) => [z, name as CommandName] as [string, CommandName]))
  .sort((a, b) => b[0].length - a[0].length);
const LATIN_INDEX = new Map<string, CommandName>(Object.entries(WORDS).map(([name, w]) => [w.latin, name as CommandName]));

function clean(text: string): string {
  // Full-width ASCII (digits, letters, ／＃｜) and the ideographic space fold to half-width; Chinese
  // punctuation (，。：) stays as typed, since notes and results are kept verbatim. Control characters go.
  return text
    .replace(/[\uff01-\uff5e]/g, (ch) => (/[，；：！？（）]/.test(ch) ? ch : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)))
    .replace(/\u3000/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g, '')
    .trim();
}

const refuse = (message: string): ParseResult => ({ kind: 'refusal', message });
const ok = (command: Command): ParseResult => ({ kind: 'command', command });

/**
 * Parses one chat message. `botUsername` lets `/claim@ThisBot` through and ignores commands
 * addressed to another bot.
 */
export function parseCommand(raw: string, opts: { botUsername?: string } = {}): ParseResult {
  if (typeof raw !== 'string') return { kind: 'none' };
  if (raw.length > MAX_COMMAND_CHARS * 2) return refuse(`消息太长（最多 ${MAX_COMMAND_CHARS} 字），请分开发送。`);
  const text = clean(raw);
  if (text.length === 0) return { kind: 'none' };
  if (text.length > MAX_COMMAND_CHARS) return refuse(`消息太长（最多 ${MAX_COMMAND_CHARS} 字），请分开发送。`);

  const slashed = text.startsWith('/');
  const body = slashed ? text.slice(1) : text;

  const head = matchHead(body, slashed, opts.botUsername);
  if (head === 'other-bot') return { kind: 'none' };
  if (!head) {
    if (!slashed) return { kind: 'none' };
    const word = /^[^\s@]*/.exec(body)![0].slice(0, 20);
    return refuse(`没有「/${word}」这个命令。发送「帮助」查看可用命令。`);
  }
  const parsed = parseArgs(head.name, head.rest.trim());
  // The one-character 接 is everyday speech (接 3 个电话): unless it is exactly `接 12` or `/接 12`,
  // a wrong shape is chat, not a command to correct.
  if (parsed.kind === 'refusal' && head.word === '接' && !slashed) return { kind: 'none' };
  return parsed;
}

function matchHead(body: string, slashed: boolean, botUsername?: string): { name: CommandName; rest: string; word: string } | 'other-bot' | null {
  const latin = /^([A-Za-z]+)(?:@([A-Za-z0-9_]+))?(?=\s|$)/.exec(body);
  if (latin) {
    const name = LATIN_INDEX.get(latin[1]!.toLowerCase());
    if (!name) return null;
    if (latin[2] && botUsername && latin[2].toLowerCase() !== botUsername.toLowerCase()) return 'other-bot';
    return { name, rest: body.slice(latin[0].length), word: latin[1]! };
  }
  for (const [word, name] of ZH_INDEX) {
    if (!body.startsWith(word)) continue;
    const rest = body.slice(word.length);
    // A Chinese command word stands alone, or is followed by a space, a number, `#`, a colon or a bar:
    // 接下来… is chat, not 接 + 下来.
    if (rest === '' || /^[\s\d#:：|｜]/.test(rest) || (slashed && /^@/.test(rest))) {
      return { name, rest: rest.replace(/^@\S*/, '').replace(/^[:：]/, ''), word };
    }
  }
  return null;
}

/** Splits a leading case number (`12`, `#12`, `12号`? no: 12号楼 is an address) off the arguments. */
function takeCaseId(rest: string): { caseId: number | null; rest: string } | { bad: string } {
  const m = /^#?(\d+)(?=\s|$)/.exec(rest);
  if (m) {
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n) || n <= 0) return { bad: m[1]! };
    return { caseId: n, rest: rest.slice(m[0].length).trim() };
  }
  if (/^#\S*/.test(rest)) return { bad: /^#\S*/.exec(rest)![0] };
  return { caseId: null, rest };
}

function parseArgs(name: CommandName, rest: string): ParseResult {
  const usage = `格式：${USAGE[name]}`;
  switch (name) {
    case 'help':
      return ok({ name: 'help' });
    case 'bind': {
      const words = rest.split(/\s+/).filter(Boolean);
      const target = own(BIND_TARGETS, (words[0] ?? '').toLowerCase());
      if (!target) return refuse(`请说明绑定成哪个群。${usage}`);
      const args = words.slice(1);
      // Anything shaped like a code is taken as one (a mistyped code is then refused as wrong, not as a bad command).
      const code = args.length > 0 && /^[A-Z0-9]{4}-[A-Z0-9]{4}$/i.test(args[args.length - 1]!) ? args.pop()!.toUpperCase() : null;
      if (target === 'community') {
        if (args.length !== 1) return refuse(`请写社区名或社区 key。${usage}`);
        return ok({ name: 'bind', target, community: args[0]!, code });
      }
      if (args.length > 0) return refuse(`绑定码应像 K7QF-3M9X。${usage}`);
      return ok({ name: 'bind', target, community: null, code });
    }
    case 'list': {
      if (rest === '') return ok({ name: 'list', filter: 'all' });
      const filter = own(LIST_FILTERS, rest.toLowerCase());
      return filter ? ok({ name: 'list', filter }) : refuse(`列表只认「我的」「逾期」「未认领」。${usage}`);
    }
    case 'new': {
      const parts = rest.split('|').map((s) => s.trim());
      if (parts.length === 1) {
        return parts[0] ? ok({ name: 'new', address: null, text: parts[0] }) : refuse(`请写上地址和内容。${usage}`);
      }
      const [address, ...textParts] = parts;
      const content = textParts.join(' ').trim();
      if (!content) return refuse(`请在「｜」后写上诉求内容。${usage}`);
      return ok({ name: 'new', address: address || null, text: content });
    }
    default: {
      const id = takeCaseId(rest);
      if ('bad' in id) return refuse(`案件号「${id.bad.slice(0, 20)}」不对，应为数字。${usage}`);
      if (name === 'claim' || name === 'status') {
        if (id.rest !== '' && id.caseId !== null) return refuse(usage);
        if (id.caseId === null && id.rest !== '') return refuse(`案件号应为数字。${usage}`);
        return ok({ name, caseId: id.caseId });
      }
      if (name === 'contact') return ok({ name, caseId: id.caseId, text: id.rest });
      if (id.rest === '') return refuse(name === 'note' ? `请写上进展内容。${usage}` : `请写上办理结果。${usage}`);
      return ok({ name, caseId: id.caseId, text: id.rest });
    }
  }
}
