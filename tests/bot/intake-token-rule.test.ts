/**
 * When the HTTP server is exposed (beyond loopback, or serving /mp or the Telegram webhook), it needs
 * an INTAKE_TOKEN of at least 32 characters, or the bot refuses to start in one line. The rule is a
 * pure function (table below); two process runs check that main.ts applies it, and that an explicit
 * REDIS_URL that does not answer stops the start instead of starting a private redis-server.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../adapters/redis/private-redis-server';
import { ConfigError, DEFAULT_REDIS_URL, intakeTokenProblem, isLoopbackHost, loadConfig, requireIntakeToken, type HttpExposure } from '../../bot/load-config';
import { BotProcess } from '../helpers/bot-process';
import { TEST_STREET_YAML } from '../helpers/harness';
import { testRedisUrl } from '../helpers/redis';

const STRONG = 'k'.repeat(32);
const SHORT = 'k'.repeat(31);
const base: HttpExposure = { host: '127.0.0.1', token: null, publicChannels: ['file'], chat: ['console'], telegramWebhookUrl: null };

describe('intakeTokenProblem', () => {
  it.each<[string, Partial<HttpExposure>, boolean]>([
    ['loopback, no token', {}, true],
    ['loopback, short token', { token: 'abc' }, true],
    ['localhost, no token', { host: 'localhost' }, true],
    ['::1, no token', { host: '::1' }, true],
    ['[::1], no token', { host: '[::1]' }, true],
    ['127.0.0.2, no token', { host: '127.0.0.2' }, true],
    ['0.0.0.0, no token', { host: '0.0.0.0' }, false],
    ['0.0.0.0, 31 characters', { host: '0.0.0.0', token: SHORT }, false],
    ['0.0.0.0, 32 characters', { host: '0.0.0.0', token: STRONG }, true],
    [':: (every IPv6 interface), no token', { host: '::' }, false],
    ['a LAN address, no token', { host: '192.168.1.20' }, false],
    ['a host name, no token', { host: 'bot.example.org' }, false],
    ['127.0.0.1.example.org is not loopback', { host: '127.0.0.1.example.org' }, false],
    ['/mp on loopback, no token', { publicChannels: ['file', 'wechat-mp'] }, false],
    ['/mp on loopback, 32 characters', { publicChannels: ['wechat-mp'], token: STRONG }, true],
    ['Telegram webhook on loopback, no token', { chat: ['telegram'], telegramWebhookUrl: 'https://bot.example.org/tg' }, false],
    ['Telegram long polling, no token', { chat: ['telegram'], telegramWebhookUrl: null }, true],
    ['a webhook URL while Telegram is off', { chat: ['console'], telegramWebhookUrl: 'https://bot.example.org/tg' }, true],
    ['Telegram webhook, 31 characters', { chat: ['console', 'telegram'], telegramWebhookUrl: 'https://x.org/tg', token: SHORT }, false],
  ])('%s → starts: %s', (_, change, starts) => {
    const problem = intakeTokenProblem({ ...base, ...change });
    expect(problem === null).toBe(starts);
    if (problem) {
      expect(problem).toContain('INTAKE_TOKEN');
      expect(problem).toContain('32');
      expect(problem).not.toContain('\n');
      // The token itself is never echoed.
      if (change.token) expect(problem).not.toContain(change.token);
    }
  });

  it('says why: the host, /mp, the webhook', () => {
    expect(intakeTokenProblem({ ...base, host: '0.0.0.0' })).toContain('HTTP_HOST=0.0.0.0');
    expect(intakeTokenProblem({ ...base, host: '0.0.0.0' })).toContain('HTTP_HOST=127.0.0.1');
    expect(intakeTokenProblem({ ...base, publicChannels: ['wechat-mp'] })).toContain('/mp');
    expect(intakeTokenProblem({ ...base, publicChannels: ['wechat-mp'] })).not.toContain('HTTP_HOST=127.0.0.1');
    expect(intakeTokenProblem({ ...base, chat: ['telegram'], telegramWebhookUrl: 'https://x.org/tg' })).toContain('webhook');
    expect(intakeTokenProblem({ ...base, host: '0.0.0.0', token: SHORT })).toContain('31');
    expect(() => requireIntakeToken({ ...base, host: '0.0.0.0' })).toThrow(ConfigError);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['LOCALHOST', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['1127.0.0.1', false],
  ])('isLoopbackHost(%s) = %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('loadConfig: the host and whether REDIS_URL is explicit', () => {
  const env = (more: Record<string, string>) => ({ JIESU_CONFIG: TEST_STREET_YAML, ...more }) as NodeJS.ProcessEnv;
  it.each<[Record<string, string>, string]>([
    [{}, '127.0.0.1'],
    [{ INTAKE_TOKEN: STRONG }, '0.0.0.0'],
    [{ INTAKE_TOKEN: '' }, '127.0.0.1'],
    [{ INTAKE_TOKEN: STRONG, HTTP_HOST: '127.0.0.1' }, '127.0.0.1'],
    [{ HTTP_HOST: '0.0.0.0' }, '0.0.0.0'],
  ])('%j → listens on %s', (more, host) => {
    expect(loadConfig(env(more)).httpHost).toBe(host);
  });

  it.each<[Record<string, string>, boolean]>([
    [{}, false],
    [{ REDIS_URL: '' }, false],
    [{ REDIS_URL: DEFAULT_REDIS_URL }, false],
    [{ REDIS_URL: 'redis://127.0.0.1:6380' }, true],
    [{ REDIS_URL: 'redis://redis.internal:6379' }, true],
  ])('%j → explicit %s', (more, explicit) => {
    expect(loadConfig(env(more)).redisUrlExplicit).toBe(explicit);
  });
});

describe('the process refuses to start, in one line', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'jiesu-refuse-'));
    dirs.push(d);
    return d;
  };
  const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

  it('HTTP_HOST=0.0.0.0 without INTAKE_TOKEN', async () => {
    const port = await findFreePort();
    const bot = new BotProcess({ JIESU_CONFIG: TEST_STREET_YAML, DATA_DIR: dataDir(), REDIS_URL: testRedisUrl(), HTTP_PORT: String(port), HTTP_HOST: '0.0.0.0', INTAKE_TOKEN: '' });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(lines(bot.stderr)).toHaveLength(1);
    expect(bot.stderr).toContain('INTAKE_TOKEN');
  }, 30_000);

  it('an explicit REDIS_URL that does not answer: no private redis-server in its place', async () => {
    const dir = dataDir();
    const dead = `redis://127.0.0.1:${await findFreePort()}`;
    const bot = new BotProcess({ JIESU_CONFIG: TEST_STREET_YAML, DATA_DIR: dir, REDIS_URL: dead, HTTP_PORT: String(await findFreePort()), INTAKE_TOKEN: '' });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(lines(bot.stderr)).toEqual([`REDIS_URL=${dead} does not answer: start that Redis (or fix REDIS_URL), or unset REDIS_URL to let the bot use a private redis-server.`]);
    expect(existsSync(join(dir, 'redis'))).toBe(false);
  }, 30_000);
});
