import type { AppConfig } from '../../../bot/load-config';
import type { Logger } from '../../../core/ports';
import { TelegramChat, type TelegramApp } from './telegram-chat';
import { telegramSettings } from './telegram-settings';

/**
 * CHAT=telegram: the adapter built from the environment and the street YAML, in the shape
 * main.ts runs (sending side, webhook route, lifecycle). Throws ConfigError on bad settings.
 */
export function telegramPlatform(deps: { config: AppConfig; app: TelegramApp; logger: Logger }) {
  const settings = telegramSettings(deps.config.env, deps.config.street.platforms, Object.keys(deps.config.street.groupNames));
  const chat = new TelegramChat({ settings, app: deps.app, logger: deps.logger });
  return { chat, routes: chat.routes, start: () => chat.start(), stop: () => chat.stop() };
}
