import { approve, extend, reject } from '../practices/extension';
import { claim, contact, done, note, status } from '../practices/basic';
import { contactInfo } from '../practices/contact-info';
import { fix } from '../practices/fix';
import { publicPhoto } from '../practices/media';
import { rate } from '../practices/follow-up';
import { assign, coHandle, returnCase, route, toHotline } from '../practices/routing-practice';
import { checkIn, node, own, whistle } from '../practices/whistle';
import { bind, duty, exportLedger, help, list, login, newCase, role, stats, unbind } from './app-commands';
import { clean, takeCaseRef } from './parse-tools';
import type { CommandSpec } from './spec';

/**
 * Every command, once. The parser, 帮助, the Telegram menu and the refusals come from this list;
 * adding a command is adding its spec here.
 */
export const COMMANDS: readonly CommandSpec[] = [
  claim, contact, note, done, status, list,
  extend, approve, reject,
  returnCase, route, toHotline, assign, coHandle,
  own, whistle, checkIn, node,
  rate, contactInfo, fix, publicPhoto,
  newCase, role, unbind, help, bind,
  stats,
  duty,
  exportLedger,
  login,
];

/** Longest message the parser looks at; WeChat's own limit is about this size. */
export const MAX_COMMAND_CHARS = 4000;

/** A parsed command: its name, the case it names (if any), and its own arguments spread in. */
export type Command = { name: string; caseId?: number | null; hotlineNo?: string } & Record<string, unknown>;
export type CommandName = string;

/** A command (look its spec up with {@link commandSpec}), a one-line refusal, or ordinary chat. */
export type ParseResult = { kind: 'command'; command: Command } | { kind: 'refusal'; message: string } | { kind: 'none' };

const BY_NAME = new Map(COMMANDS.map((s) => [s.name, s]));
const ZH_INDEX: [string, CommandSpec][] = COMMANDS.flatMap((s) => s.zh.map((z) => [z, s] as [string, CommandSpec])).sort((a, b) => b[0].length - a[0].length);
const LATIN_INDEX = new Map<string, CommandSpec>(COMMANDS.flatMap((s) => [s.name, ...(s.latin ?? [])].map((w) => [w.toLowerCase(), s] as [string, CommandSpec])));

export function commandSpec(name: string): CommandSpec | undefined {
  return BY_NAME.get(name);
}

/** Each command's canonical example, by name (refusals and 帮助 use the same text). */
export const USAGE: Readonly<Record<string, string>> = Object.fromEntries(COMMANDS.map((s) => [s.name, s.usage]));

/** The spec's usage with the user's own case number in place of the example's 12. */
export function usageFor(spec: CommandSpec, caseId: number | null | undefined): string {
  return caseId ? spec.usage.replace(/(?<!\d)12(?!\d)/g, String(caseId)) : spec.usage;
}

const refuse = (message: string): ParseResult => ({ kind: 'refusal', message });

/**
 * Parses one chat message. `botUsername` lets `/claim@ThisBot` through and ignores commands addressed
 * to another bot. Ordinary chat is `none`; a command of the wrong shape is a one-line refusal with
 * the right form. Pure and total: it never throws.
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
  const parsed = parseArgs(head.spec, head.rest.trim());
  // Everyday speech that starts like a claim (接 3 个电话, 认领了吗): unless it is exactly a claim, it is chat.
  if (parsed.kind === 'refusal' && head.spec.name === 'claim' && head.word !== '认领' && !slashed) return { kind: 'none' };
  return parsed;
}

function matchHead(body: string, slashed: boolean, botUsername?: string): { spec: CommandSpec; rest: string; word: string } | 'other-bot' | null {
  const latin = /^([A-Za-z][A-Za-z_-]*)(?:@([A-Za-z0-9_]+))?(?=\s|$)/.exec(body);
  if (latin) {
    const spec = LATIN_INDEX.get(latin[1]!.toLowerCase());
    if (!spec) return null;
    if (latin[2] && botUsername && latin[2].toLowerCase() !== botUsername.toLowerCase()) return 'other-bot';
    return { spec, rest: body.slice(latin[0].length), word: latin[1]! };
  }
  for (const [word, spec] of ZH_INDEX) {
    if (!body.startsWith(word)) continue;
    const rest = body.slice(word.length);
    // A Chinese command word stands alone, or is followed by a space, a number, `#`, `@`, a colon or a bar:
    // 接下来… is chat, not 接 + 下来.
    if (rest === '' || /^[\s\d#:：|｜]/.test(rest) || (slashed && /^@/.test(rest))) {
      return { spec, rest: rest.replace(/^@\S*/, '').replace(/^[:：]/, ''), word };
    }
  }
  return null;
}

function parseArgs(spec: CommandSpec, rest: string): ParseResult {
  if (spec.kind === 'app') {
    const r = spec.parse(rest);
    return r.ok ? { kind: 'command', command: { name: spec.name, ...(r.args as object) } } : refuse(r.message);
  }
  const ref = takeCaseRef(rest);
  if ('bad' in ref) return refuse(`案件号「${ref.bad.slice(0, 20)}」不对，应为数字。格式：${spec.usage}`);
  const r = spec.parse(ref.rest);
  if (!r.ok) {
    const message = ref.caseId ? r.message.replace(/(?<!\d)12(?!\d)/g, String(ref.caseId)) : r.message;
    return refuse(message);
  }
  const command: Command = { name: spec.name, caseId: ref.caseId, ...(r.args as object) };
  if (ref.hotlineNo) command.hotlineNo = ref.hotlineNo;
  return { kind: 'command', command };
}

/** 帮助: every command, short, in registry order. */
export function helpText(): string {
  return ['可用命令（中文或 /英文 均可）：', ...COMMANDS.map((s) => `· ${s.usage}　${s.help}`), '引用案件卡片回复时可省略案件号；案件号也可写工单号。'].join('\n');
}

/** The Telegram menu: Latin names (lower case, `_` for `-`) and descriptions, every command that has one. */
export function commandMenuEntries(): { command: string; description: string }[] {
  return COMMANDS.filter((s) => s.menu).map((s) => ({ command: [s.name, ...(s.latin ?? [])].find((w) => /^[a-z0-9_]+$/.test(w)) ?? s.name.replace(/-/g, '_'), description: s.menu! }));
}
