/**
 * The Official Account API client against the fake server: the stable token is cached in Redis and
 * shared, refreshed before it expires and at once on 40001; WeChat errors become PublicApiError with
 * the right `permanent`.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MpApiClient } from '../../adapters/public/wechat-mp/mp-api-client';
import { PublicApiError } from '../../adapters/public/wechat-mp/public-api-error';
import { FakeMpServer } from '../helpers/fake-mp-server';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '../helpers/redis';

let redis: Redis;
let fake: FakeMpServer;
let prefix: string;
let now: number;

const client = (over: Partial<ConstructorParameters<typeof MpApiClient>[0]> = {}) =>
  new MpApiClient({ apiRoot: fake.url, appId: fake.creds.appId, appSecret: fake.creds.secret, redis, keyPrefix: prefix, clock: () => now, ...over });

beforeAll(() => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
});
afterAll(async () => {
  redis.disconnect();
});
beforeEach(async () => {
  fake = await new FakeMpServer().start();
  prefix = uniquePrefix('mp-client');
  now = Date.UTC(2026, 10, 29, 2, 0, 0);
});
afterEach(async () => {
  await fake.close();
  await deleteKeysWithPrefix(testRedisUrl(), prefix);
});

describe('access token', () => {
  it('is fetched once with stable_token and shared through Redis by every client', async () => {
    const a = client();
    await a.sendCustomText('openid-1', '你好');
    await a.sendCustomText('openid-1', '再见');
    expect(fake.tokenRequests).toEqual([{ forceRefresh: false }]);
    expect(fake.callsTo('/cgi-bin/stable_token')[0]!.body).toEqual({ grant_type: 'client_credential', appid: 'wx-test-app', secret: 'test-secret', force_refresh: false });
    const cached = JSON.parse((await redis.get(a.tokenKey))!) as { token: string; expiresAt: number };
    expect(cached).toEqual({ token: 'TOKEN-1', expiresAt: now + 7200_000 });
    expect(await redis.pttl(a.tokenKey)).toBeGreaterThan(7000_000);

    // Another worker (a second client on the same Redis) uses the cached token: no new request.
    await client().sendCustomText('openid-2', '你好');
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.callsTo('/cgi-bin/message/custom/send').map((c) => c.query.get('access_token'))).toEqual(['TOKEN-1', 'TOKEN-1', 'TOKEN-1']);
  });

  it('is refreshed before it expires (within the 5-minute margin), not earlier', async () => {
    const a = client();
    await a.accessToken();
    now += 7200_000 - 6 * 60_000;
    await a.accessToken();
    expect(fake.tokenRequests).toHaveLength(1);
    now += 2 * 60_000;
    await a.accessToken();
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('is refreshed at once when a call answers 40001, and the call is made again', async () => {
    const a = client();
    await a.sendCustomText('openid-1', '一');
    fake.revokeTokens();
    await a.sendCustomText('openid-1', '二');
    const sends = fake.callsTo('/cgi-bin/message/custom/send');
    expect(sends.map((c) => c.answer.errcode)).toEqual([0, 40001, 0]);
    expect(sends.map((c) => c.query.get('access_token'))).toEqual(['TOKEN-1', 'TOKEN-1', 'TOKEN-2']);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(JSON.parse((await redis.get(a.tokenKey))!).token).toBe('TOKEN-2');
    expect(fake.delivered.map((d) => (d.body.text as { content: string }).content)).toEqual(['一', '二']);
  });

  it('a wrong secret is an error from stable_token, nothing cached', async () => {
    const a = client({ appSecret: 'wrong' });
    await expect(a.accessToken()).rejects.toMatchObject({ name: 'PublicApiError', code: 40125, permanent: false });
    expect(await redis.get(a.tokenKey)).toBeNull();
  });
});

describe('errors', () => {
  const cases: [number, boolean][] = [
    [43004, true],
    [40037, true],
    [45015, true],
    [-1, false],
    [45009, false],
  ];
  it.each(cases)('errcode %i → PublicApiError, permanent=%s', async (code, permanent) => {
    fake.script('/cgi-bin/message/custom/send', [code]);
    const e = await client().sendCustomText('openid-1', '你好').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PublicApiError);
    expect(e).toMatchObject({ code, permanent });
    expect(fake.delivered).toHaveLength(0);
  });

  it('an unreachable API is a transient network error', async () => {
    const a = client();
    await fake.close();
    const e = await a.sendCustomText('openid-1', '你好').catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'PublicApiError', code: 'network', permanent: false });
  });

  it('a payload of the wrong shape is refused by the fake with 47001 (permanent)', async () => {
    const e = await client().postJson('/cgi-bin/message/template/send', { touser: 'x', template_id: 't', data: { a: 'not an object' } }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 47001, permanent: true });
  });
});
