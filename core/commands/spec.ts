import type { AccessContext, Permission } from '../access/roles';
import type { DeadlinePolicy } from '../street-config';
import type { TextContext } from '../texts';
import type { Actor, Case, CaseEvent, Effect, Person, Refusal, Urgency } from '../types';

/**
 * One definition per command: its names, usage, help and menu text, who may use it, how its
 * arguments parse and — for a command about one case — how it decides. The parser, 帮助, the
 * Telegram menu and the refusals are all derived from these specs (core/commands/registry.ts).
 */

export type ArgParse<A> = { ok: true; args: A } | { ok: false; message: string };

/** What a case decision may know besides the case: the clock, who acts where, the street's settings. */
export interface DecideContext extends TextContext, AccessContext {
  policy: DeadlinePolicy;
  now: number;
  actor: Actor;
  /** Platform the command came from (private answers go back through it). */
  platform: string;
  /** Leaders to @-mention in alarms and requests. */
  leaders: Person[];
  /** The people @-mentioned in the message, resolved to platform ids. */
  mentions: Person[];
  maskRoomNumbers: boolean;
  practice: PracticeSettings;
  /** The case's ledger, for commands that read it (状态). */
  events: CaseEvent[];
  /** Adds a window to an instant under the street's day rule (working days when configured). */
  addDays(start: number, days: number): number;
  /** A class's response or resolution deadline counted from `start`, under the street's day rule. */
  deadlineFrom(start: number, urgency: Urgency, which: 'respond' | 'resolve'): number;
  /** When to ask the dispatcher to call back after a case is resolved at `at` (the next working morning). */
  followUpAt(at: number): number;
  /** Departments known to the street (吹哨 names them). */
  departments: { name: string; group: string | null; people: Person[] }[];
}

/** The street's practice settings (SPEC "Configuration": extensions, whistle, followUp). */
export interface PracticeSettings {
  /** How many extensions a case may get (default 1). */
  extensionsMax: number;
  /** Total days all extensions of a case may add (default 15). */
  extensionsMaxDays: number;
}

/** A decision: the fields to change (version-checked), the ledger rows, the messages. */
export interface Decision {
  ok: true;
  patch: Partial<Case>;
  events: CaseEvent[];
  effects: Effect[];
}

interface SpecBase<A> {
  /** Internal name, also the Latin word: `claim`. */
  name: string;
  /** Chinese words, longest matched first: 认领, 接单, 接. */
  zh: readonly string[];
  /** Latin words beside `name` (`contact-info`, `contactinfo`). */
  latin?: readonly string[];
  /** The canonical example, used in refusals and 帮助: `认领 12`. */
  usage: string;
  /** What it does, a few words for 帮助 and the Telegram menu. */
  help: string;
  /** The Latin example for the Telegram menu (`/claim 12`); absent = not in the menu. */
  menu?: string;
  /** Who may use it; checked before deciding, and named in the refusal. */
  permission: Permission;
  /** Parses what follows the command word (and the case number, for case commands). */
  parse(rest: string): ArgParse<A>;
  /** Also answered in a private chat with the bot (登录, 帮助, 联系方式). */
  inPrivate?: boolean;
}

/** A command about one case: the bot loads the case (by number, hotline number or quote) and calls decide. */
export interface CaseCommandSpec<A = unknown> extends SpecBase<A> {
  kind: 'case';
  decide(c: Case, args: A, ctx: DecideContext): Decision | Refusal;
  /** True when decide reads ctx.events. */
  needsEvents?: boolean;
  /** A number is optional (`包案` alone lists the leader's cases): the bot runs the app handler of the same name instead. */
  caseOptional?: boolean;
}

/** A command the application carries out itself (bindings, lists, reports, the roster). */
export interface AppCommandSpec<A = unknown> extends SpecBase<A> {
  kind: 'app';
}

export type CommandSpec<A = unknown> = CaseCommandSpec<A> | AppCommandSpec<A>;

/** Keeps the argument type inside a spec while the registry holds them all as one list. */
export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<unknown> {
  return spec as CommandSpec<unknown>;
}

export const ok = <A>(args: A): ArgParse<A> => ({ ok: true, args });
export const bad = (message: string): ArgParse<never> => ({ ok: false, message });
export const refuse = (message: string): Refusal => ({ ok: false, message });
