import { join } from 'node:path';
import { log as wechatyLog, WechatyBuilder, type Wechaty, type WechatyOptions } from 'wechaty';
import type { WechatyEnv } from './wechaty-settings';

/** A puppet instance (tests pass wechaty-puppet-mock's). */
export type PuppetInstance = Exclude<WechatyOptions['puppet'], string | undefined>;

export interface BuildWechatyOptions {
  /** The puppet by name and token (from {@link parseWechatyEnv}); ignored when `puppet` is given. */
  env?: WechatyEnv;
  /** An already-built puppet: tests hand in `new PuppetMock({ mocker })`. */
  puppet?: PuppetInstance;
  /**
   * Where Wechaty keeps its session (`<dataDir>/wechaty.memory-card.json`), so a restart can log in
   * again without a new scan where the puppet supports it. Without it the session lives in memory.
   */
  dataDir?: string;
}

/**
 * Builds a Wechaty instance on the puppet WECHATY_PUPPET names (`wechaty-puppet-wechat4u`,
 * `wechaty-puppet-service` with its token, …) or on the puppet instance given. Wechaty loads the
 * named puppet package itself when it starts, and restarts it after a crash or a network drop.
 *
 * Wechaty's own log (brolog) writes info lines to stdout, which belongs to the console chat: it is
 * turned down to warnings (stderr) unless WECHATY_LOG asks for more.
 */
export function buildWechaty(opts: BuildWechatyOptions): Wechaty {
  if (!process.env.WECHATY_LOG) wechatyLog.level('warn');
  const name = opts.dataDir ? join(opts.dataDir, 'wechaty') : undefined;
  if (opts.puppet) return WechatyBuilder.build({ name, puppet: opts.puppet });
  const env = opts.env ?? { puppet: 'wechaty-puppet-wechat4u', token: null };
  return WechatyBuilder.build({
    name,
    // Any wechaty-puppet-* package works; the type only lists the official ones.
    puppet: env.puppet as 'wechaty-puppet-wechat4u',
    puppetOptions: env.token ? { token: env.token } : {},
  });
}
