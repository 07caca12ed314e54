import { InlineKeyboard } from 'grammy';
import { statusCard, type TextContext } from '../../../core/texts';
import type { Case, CaseEvent } from '../../../core/types';

/**
 * A case card's buttons and the text it is edited to on each state change. Button data is
 * `claim:<id>` / `status:<id>` (Telegram allows 64 bytes).
 */

export type CardAction = 'claim' | 'status';

/** Open states where 状态 stays on the card. */
const OPEN: readonly Case['status'][] = ['new', 'claimed', 'contacted', 'reopened'];

/** 认领 while nobody owns the case, 状态 while it is open, nothing once it is closed. Undefined = no keyboard. */
export function cardKeyboard(c: Case): InlineKeyboard | undefined {
  if (!OPEN.includes(c.status)) return undefined;
  const kb = new InlineKeyboard();
  if (c.status === 'new') kb.text('认领', `claim:${c.id}`);
  return kb.text('状态', `status:${c.id}`);
}

/** Reads a button's data; null for anything we did not put there. */
export function parseCardAction(data: string): { action: CardAction; caseId: number } | null {
  const m = /^(claim|status):(\d{1,9})$/.exec(data);
  return m ? { action: m[1] as CardAction, caseId: Number(m[2]) } : null;
}

/** The card after a change: the case as it is now (state, owner, deadlines, last events), then what just happened. */
export function updatedCardText(c: Case, events: CaseEvent[], ctx: TextContext, now: number, latest: string): string {
  return `${statusCard(c, events, ctx, now)}\n\n${latest}`;
}
