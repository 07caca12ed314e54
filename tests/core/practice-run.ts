/**
 * Runs a practice command as the bot does: the typed text is parsed by the registry, then decided
 * with the case and a context. Pure — no clock, no I/O.
 */
import { expect } from 'vitest';
import { parseCommand } from '../../core/commands';
import type { DecideContext, Decision } from '../../core/decide';
import type { Case, Effect, Person, Refusal, SendEffect } from '../../core/types';
import { ACTORS, decideCmd, decideContext, T0, HOUR, type ActorKey } from './make-case';

export const NOW = T0 + 2 * HOUR;

export interface RunOptions {
  group?: string;
  now?: number;
  mentions?: Person[];
  extra?: Partial<DecideContext>;
}

/** Parses `text` and decides it on `c` as `actor`; a parse refusal comes back as a refusal. */
export function act(c: Case, text: string, actor: ActorKey | DecideContext['actor'], opts: RunOptions = {}): Decision | Refusal {
  const parsed = parseCommand(text);
  if (parsed.kind === 'none') throw new Error(`not a command: ${text}`);
  if (parsed.kind === 'refusal') return { ok: false, message: parsed.message };
  const who = typeof actor === 'string' ? ACTORS[actor] : actor;
  const ctx = decideContext(who, opts.group ?? c.group, opts.now ?? NOW, undefined, { mentions: opts.mentions ?? [], ...opts.extra });
  return decideCmd(c, parsed.command, ctx);
}

export function expectOk(result: Decision | Refusal): Decision {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result;
}

/** A refusal: one line, nothing changed. */
export function expectRefused(result: Decision | Refusal): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.patch)}`);
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.message).not.toMatch(/[\r\n]/);
  return result.message;
}

export const sends = (effects: Effect[]): SendEffect[] => effects.filter((e): e is SendEffect => e.type === 'send');
export const groupsOf = (d: Decision): string[] => sends(d.effects).map((e) => e.group);
export const after = (c: Case, d: Decision): Case => ({ ...c, ...d.patch });
