import type { BotCommand } from 'grammy/types';
import { commandMenuEntries } from '../../../core/commands';

/** The commands for `setMyCommands` (Telegram: lower-case names, 1–256 character descriptions), from core's registry. */
export function commandMenu(): BotCommand[] {
  return commandMenuEntries();
}
