/**
 * The web console's HTTP hardening without a browser: the harness's real app, SQLite and Redis, the
 * intake server with the web route. Sign-in links (single use, TTL, hashed keys, cross-site refusal),
 * the cookie's attributes, CSRF on state-changing calls, who sees which case, and logs free of tokens
 * and personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { webConsoleRoute } from '../../adapters/http/web/web-console';
import { WebEvents } from '../../adapters/http/web/web-events';
import { groupRecorder, LINK_TTL_MS, WebSessions } from '../../adapters/http/web/web-sessions';
import type { Logger } from '../../core/ports';
import { say, startHarness, type Harness } from '../helpers/harness';

const lines: string[] = [];
const logger: Logger = { info: (o, m) => lines.push(JSON.stringify([o, m])), warn: (o, m) => lines.push(JSON.stringify([o, m])), error: (o, m) => lines.push(JSON.stringify([o, m])), debug() {} };

let h: Harness;
let sessions: WebSessions;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  // The sessions need the harness's Redis, and the app needs the sessions: wire through a holder.
  const holder: { sessions?: WebSessions } = {};
  h = await startHarness({ name: 'web-route', services: () => ({ webLogin: { linkTtlMs: LINK_TTL_MS, linkFor: (p) => holder.sessions!.linkFor(p) } }) });
  sessions = holder.sessions = new WebSessions({ redis: h.redis, prefix: h.prefix, baseUrl: 'http://127.0.0.1:1' });
  const record = groupRecorder(sessions, (p, c) => h.store.groupForChat(p, c), () => undefined);
  const handleMessage: typeof h.app.handleMessage = (msg, opts) => (record(msg), h.app.handleMessage(msg, opts));
  const server = createIntakeServer({ app: h.app, redisHealthy: async () => true, logger, extraRoutes: [webConsoleRoute({ app: { ...h.app, handleMessage }, sessions, events: new WebEvents(), logger, clock: Date.now, services: {}, consoleChat: true })] });
  const addr = await server.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${addr.port}`;
  close = () => server.close();
  // 王芳 writes in zhangyi (recorded as she types).
  await handleMessage({ platform: 'console', chatId: 'zhangyi', group: 'zhangyi', sender: { id: '王芳', name: '王芳' }, text: '大家好' });
});

afterAll(async () => {
  await close?.();
  await h?.close();
});

async function linkOf(group: string, name: string): Promise<string> {
  const links = () => h.chat.sent.filter((m) => m.group === `~console:${name}` && m.text.includes('login?t='));
  const before = links().length;
  await say(h, group, name, '登录');
  await h.chat.waitFor(() => links().length > before, 10_000, 'the private link');
  const msg = links().at(-1)!;
  return /login\?t=([A-Za-z0-9_-]+)/.exec(msg.text)![1]!;
}

async function signIn(token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers }, body: `t=${token}`, redirect: 'manual' });
}

describe('web console hardening', () => {
  it('登录: the link only privately, stored hashed with a 10-minute TTL, used once; the cookie HttpOnly and SameSite=Strict', async () => {
    const token = await linkOf('zhangyi', '王芳');
    await h.chat.waitFor((sent) => sent.some((m) => m.group === 'zhangyi' && m.text.includes('登录链接已私信发送')), 10_000, 'the group note');
    expect(h.chat.sent.filter((m) => !m.group.startsWith('~')).some((m) => m.text.includes('login?t='))).toBe(false);
    const keys = await h.redis.keys(`${h.prefix}:web:link:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((k) => k.includes(token))).toBe(false);
    const ttl = await h.redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(LINK_TTL_MS);

    // Posted from another site: refused, and the link is not used up by it.
    expect((await signIn(token, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const ok = await signIn(token);
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^jiesu_sid=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(await ok.text()).toContain('http-equiv="refresh" content="0;url=/"');
    expect((await signIn(token)).status).toBe(401);
    // A GET of the link (a chat app's preview) uses nothing up.
    const token2 = await linkOf('zhangyi', '王芳');
    expect((await fetch(`${base}/login?t=${token2}`)).status).toBe(200);
    expect((await signIn(token2)).status).toBe(200);
  });

  it('CSRF: a state-changing call needs the session token in x-csrf-token; a member sees only her groups', async () => {
    const mine = await h.app.handleIntake({ hotlineNo: 'WR-1', content: '张仪村路灯不亮', address: '张仪村3号院', citizen: { name: '王建国', phone: '13911112222' } }, '12345');
    const other = await h.app.handleIntake({ hotlineNo: 'WR-2', content: '假日风景楼道堆物', address: '假日风景小区' }, '12345');
    const cookie = (await signIn(await linkOf('zhangyi', '王芳'))).headers.get('set-cookie')!.split(';')[0]!;
    const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie } });
    const me = (await (await get('/api/web/me')).json()) as { csrf: string; role: string };
    expect(me.role).toBe('member');

    const board = (await (await get('/api/web/cases')).json()) as { cases: { id: number; hotlineNo: string }[] };
    expect(board.cases.map((c) => c.hotlineNo)).toEqual(['WR-1']);
    expect(JSON.stringify(board)).not.toContain('13911112222');
    expect((await get(`/api/web/cases/${other.case!.id}`)).status).toBe(403);
    expect((await get(`/case/${other.case!.id}`)).status).toBe(403);
    expect((await get('/reports')).status).toBe(403);
    expect((await get('/api/web/no-such-path')).status).toBe(404);

    const act = (token: string | null) => fetch(`${base}/api/web/sim`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...(token === null ? {} : { 'x-csrf-token': token }) }, body: JSON.stringify({ group: 'zhangyi', sender: '王芳', text: `认领 ${mine.case!.id}` }) });
    expect((await act(null)).status).toBe(403);
    expect((await act('x'.repeat(me.csrf.length))).status).toBe(403);
    expect(h.store.findCase(mine.case!.id)!.status).toBe('new');
    expect((await act(me.csrf)).status).toBe(200);
    expect(h.store.findCase(mine.case!.id)!.ownerName).toBe('王芳');

    // Logged out: the session is gone.
    const out = await fetch(`${base}/api/web/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': me.csrf } });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await get('/api/web/me')).status).toBe(401);
  });

  it('no log line carries a sign-in token, a session id or the citizen’s details', () => {
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(all).not.toMatch(/login\?t=|jiesu_sid|13911112222|王建国/);
  });
});
