import { identityAdvice, identityKind } from './identity-kind';
import type { IncomingMessage, Logger } from '../../../core/ports';
import type { StreetConfig } from '../../../core/street-config';
import { buildWechaty, type PuppetInstance } from './build-wechaty';
import { WechatyChat } from './wechaty-chat';
import { parseWechatyEnv, parseWechatySettings } from './wechaty-settings';

export interface CreateWechatyChatOptions {
  /** The environment (AppConfig.env): WECHATY_PUPPET, WECHATY_PUPPET_SERVICE_TOKEN. */
  env: Readonly<Record<string, string | undefined>>;
  /** DATA_DIR: the login QR code PNG and Wechaty's session file go there. */
  dataDir: string;
  /** The street; its `platforms.wechaty` section is validated here. */
  street: StreetConfig;
  logger: Logger;
  onMessage: (msg: IncomingMessage) => Promise<void>;
  /** An already-built puppet instead of WECHATY_PUPPET (tests: wechaty-puppet-mock). */
  puppet?: PuppetInstance;
}

/**
 * CHAT=wechaty: validates the settings (a bad value stops the start with one clear line), builds
 * Wechaty on the configured puppet, and returns the adapter, not started yet.
 */
export function createWechatyChat(opts: CreateWechatyChatOptions): WechatyChat {
  const settings = parseWechatySettings(opts.street.platforms.wechaty, Object.keys(opts.street.groupNames));
  const env = opts.puppet ? null : parseWechatyEnv(opts.env);
  const bot = opts.puppet ? buildWechaty({ puppet: opts.puppet }) : buildWechaty({ env: env!, dataDir: opts.dataDir });
  const puppetName = env?.puppet ?? "wechaty-puppet-mock";
  opts.logger.info({ puppet: puppetName, identity: identityKind(puppetName) }, identityAdvice(puppetName));
  return new WechatyChat({ bot, settings, logger: opts.logger, onMessage: opts.onMessage, dataDir: opts.dataDir });
}
