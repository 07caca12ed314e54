import type { Redis } from 'ioredis';
import type { App } from '../../../bot/app';
import type { CaseStore, Logger } from '../../../core/ports';
import type { StreetConfig } from '../../../core/street-config';
import type { HttpRoute } from '../../intake/http-intake-server';
import { MpApiClient } from './mp-api-client';
import { createMpCallback } from './mp-callback';
import { parseMpEnv, parseTemplateSettings } from './mp-config';
import { MpDigestPublisher } from './mp-digest-publisher';
import { MpReplayGuard } from './mp-replay-guard';
import { WechatMpResultChannel } from './mp-result-channel';

/**
 * Everything PUBLIC=wechat-mp brings, built from MP_* and the street's YAML: the results channel, the
 * `/mp` callback route (明文, 兼容 and 安全 modes; MP_ENCODING_AES_KEY for the last two), and the
 * digest publisher, all on one API client (one shared token).
 */
export interface WechatMpDeps {
  env: Readonly<Record<string, string | undefined>>;
  street: StreetConfig;
  store: CaseStore;
  app: Pick<App, 'handleIntake' | 'store'>;
  redis: Redis;
  /** The queues' Redis prefix; the token and the callback's seen nonces are kept under it. */
  redisPrefix: string;
  logger: Logger;
  clock?: () => number;
  /** Overrides for tests: the digest publisher's retry waits. */
  retryDelaysMs?: number[];
}

export function createWechatMp(deps: WechatMpDeps): { client: MpApiClient; channel: WechatMpResultChannel; routes: HttpRoute[]; digest: MpDigestPublisher } {
  const env = parseMpEnv(deps.env);
  const template = parseTemplateSettings(deps.street.publicAccount);
  const clock = deps.clock ?? Date.now;
  const client = new MpApiClient({ apiRoot: env.apiRoot, appId: env.appId, appSecret: env.appSecret, redis: deps.redis, keyPrefix: deps.redisPrefix, clock, logger: deps.logger });
  const channel = new WechatMpResultChannel({
    client,
    store: deps.store,
    logger: deps.logger,
    clock,
    templateId: env.templateId,
    template,
    street: deps.street.street,
    timeZone: deps.street.timeZone,
  });
  const replayGuard = new MpReplayGuard({ redis: deps.redis, keyPrefix: deps.redisPrefix, logger: deps.logger, clock });
  const encryption = env.aesKey ? { aesKey: env.aesKey, appId: env.appId } : null;
  const routes = [createMpCallback({ token: env.token, encryption, replayGuard, app: deps.app, logger: deps.logger, clock })];
  const digest = new MpDigestPublisher({ client, publish: env.publish, author: deps.street.street, logger: deps.logger, retryDelaysMs: deps.retryDelaysMs });
  return { client, channel, routes, digest };
}

export { mpCredentialsSet } from './mp-config';
