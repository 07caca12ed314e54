import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { App } from '../../../bot/app';
import type { AppServices } from '../../../bot/services';
import { errorSummary } from '../../../bot/error-summary';
import { isManager } from '../../../core/access/roles';
import type { Logger } from '../../../core/ports';
import { parsePeriod } from '../../../core/reports/periods';
import { addDaysToKey, dateKeyOf, isDateKey, weekdayZh } from '../../../core/time/wall-clock';
import type { Actor } from '../../../core/types';
import { mentionsOf } from '../../chat/console-chat';
import type { HttpRoute } from '../../intake/http-intake-server';
import { reportJson } from '../../intake/reports-api';
import { QUEUES_PATH } from './queue-board';
import { actionText, boardRows, caseDetail, mayView, scopeFor, type Scope } from './web-data';
import type { WebEvents } from './web-events';
import { sameToken, type WebSession, type WebSessions } from './web-sessions';

/**
 * The web console (SPEC "Web console") on the intake server: pages at `/`, `/case/<n>`, `/reports`,
 * `/duty`, `/sim`; their data under `/api/web/…`; sign-in at `/login`; the queues at `/admin/queues`.
 * Every page without a session shows only the sign-in hint; every `/api/web/…` path answers 401
 * without one; every state-changing request carries the session's CSRF token in `x-csrf-token`
 * (and the cookie is SameSite=Strict). Roles are resolved from the platform id at every request.
 * Actions go through `app.handleMessage` as the same command text a person would type in the group.
 */

export interface WebConsoleOptions {
  app: Pick<App, 'handleMessage' | 'store' | 'config' | 'people'>;
  sessions: WebSessions;
  events: WebEvents;
  logger: Logger;
  clock: () => number;
  /** reports / exports / roster, as the app has them; a page whose service is absent says 未配置. */
  services: AppServices;
  /** CHAT includes console: the chat simulator is on. */
  consoleChat: boolean;
  /** The queue board (admin only); absent → that page says 未配置. */
  queues?: { handle(req: IncomingMessage, res: ServerResponse): void };
  /** Mark the cookie `Secure` (WEB_BASE_URL is https). */
  secureCookie?: boolean;
  /** Heartbeat of the event stream, ms (default 15,000: under the server's 30 s idle timeout). */
  heartbeatMs?: number;
}

const COOKIE = 'jiesu_sid';
const STATIC_DIR = join(import.meta.dirname, 'static');
const requireFrom = createRequire(import.meta.url);
/** Files served from node_modules under /static/: ECharts, and Noto Sans SC for machines without a Chinese font (only fetched when no local one matches). */
const VENDOR: Record<string, string> = {
  'echarts.min.js': requireFrom.resolve('echarts/dist/echarts.min.js'),
  'noto-sans-sc.ttf': requireFrom.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
};
const PAGES: Record<string, string> = { '/': 'board.html', '/reports': 'reports.html', '/duty': 'duty.html', '/sim': 'sim.html' };
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.ttf': 'font/ttf' };
const ROLE_ZH: Record<string, string> = { leader: '领导', dispatcher: '调度员', department: '部门', member: '成员' };
/** Pages: scripts only from here; styles may be set by ECharts at run time. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

class WebFailure extends Error {
  constructor(readonly status: number, readonly body: object) {
    super(`HTTP ${status}`);
  }
}

function securityHeaders(extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'x-frame-options': 'DENY', 'cache-control': 'no-store', ...extra };
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, securityHeaders({ 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }));
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string | number | string[]> = {}): void {
  res.writeHead(status, { ...securityHeaders({ 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) }), ...headers });
  res.end(html);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A one-message page (sign-in hint, refusals, sign-in landing) with the console's look. */
function messagePage(title: string, lines: string[], extraHead = ''): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · 接诉即办</title><link rel="stylesheet" href="/static/style.css">${extraHead}</head><body class="message-page"><main class="message"><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${l}</p>`).join('')}</main></body></html>`;
}

const SIGN_IN_HINT = messagePage('请先登录', ['在任一已绑定的群里（或私聊机器人）发送「登录」，机器人会私信发给你一个登录链接，10 分钟内有效，只能用一次。']);

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** A request from another site (a form or fetch posted from elsewhere), by the browser's own headers. */
function crossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    try {
      return new URL(origin).host !== req.headers.host;
    } catch {
      return true;
    }
  }
  return origin === 'null';
}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new WebFailure(413, { error: '请求体太大' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new WebFailure(415, { error: '只接受 JSON' });
  try {
    const v = JSON.parse(await readBody(req)) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (err) {
    if (err instanceof WebFailure) throw err;
    throw new WebFailure(400, { error: '请求体不是合法的 JSON 对象' });
  }
}

export function webConsoleRoute(opts: WebConsoleOptions): HttpRoute {
  const { app, sessions, events, logger, clock } = opts;
  const config = app.config;
  const groupNames = config.groupNames;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const pageCache = new Map<string, string>();

  const page = (file: string) => {
    let html = pageCache.get(file);
    if (html === undefined) {
      html = readFileSync(join(STATIC_DIR, file), 'utf8');
      pageCache.set(file, html);
    }
    return html;
  };

  const actorOf = (s: WebSession): Actor => app.people.resolveActor(s.platform, { id: s.id, name: s.name });
  const scopeOf = async (s: WebSession, actor: Actor): Promise<Scope> => scopeFor(actor, await sessions.groupsOf(s.platform, s.id));
  const simulatorFor = (s: WebSession) => opts.consoleChat && s.platform === 'console';

  function setCookie(value: string, maxAgeS: number): string {
    return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${opts.secureCookie ? '; Secure' : ''}`;
  }

  function serveStatic(res: ServerResponse, name: string): void {
    const vendor = VENDOR[name];
    const file = vendor ?? join(STATIC_DIR, basename(name));
    const ext = /\.[a-z]+$/.exec(name)?.[0] ?? '';
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return sendJson(res, 404, { error: '没有这个文件' });
    }
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'content-length': size, 'x-content-type-options': 'nosniff', 'cache-control': vendor ? 'public, max-age=86400' : 'no-cache' });
    createReadStream(file).pipe(res);
  }

  // ------------------------------------------------------------ sign-in

  /** GET /login?t=…: a page that posts the token (link previews in chat apps only GET: they use nothing up). */
  function loginPage(res: ServerResponse, url: URL): void {
    const token = url.searchParams.get('t') ?? '';
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return sendHtml(res, 400, messagePage('链接不完整', ['请在群里重新发送「登录」获取新链接。']));
    sendHtml(res, 200, messagePage('登录网页控制台', [`<form method="post" action="/login" id="login-form"><input type="hidden" name="t" value="${token}"><button type="submit" autofocus>进入控制台</button></form>`], '<script src="/static/login.js" defer></script>'));
  }

  /** POST /login: uses the link up and opens the session; lands on a page that then goes to the board. */
  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (crossSite(req)) return sendHtml(res, 403, messagePage('无法登录', ['请直接打开机器人私信给你的链接。']));
    const token = new URLSearchParams(await readBody(req, 1024)).get('t') ?? '';
    const person = await sessions.consumeLink(token);
    if (!person) return sendHtml(res, 401, messagePage('链接已失效', ['登录链接只能用一次，10 分钟内有效。请在群里重新发送「登录」。']));
    const { sid, session } = await sessions.open(person, clock());
    logger.info({ platform: person.platform, role: actorOf(session).role }, 'web sign-in');
    // A Strict cookie set here is sent on the next same-site navigation: the refresh to the board.
    sendHtml(res, 200, messagePage('已登录', [`${escapeHtml(person.name)}，正在进入控制台……`, '<a href="/">进入看板</a>'], '<meta http-equiv="refresh" content="0;url=/">'), {
      'set-cookie': setCookie(sid, Math.floor(sessions.sessionTtlMs / 1000)),
    });
  }

  // ------------------------------------------------------------ pages

  async function pageRoute(res: ServerResponse, path: string, session: WebSession | null): Promise<void> {
    if (!session) return sendHtml(res, 401, SIGN_IN_HINT);
    const actor = actorOf(session);
    const caseMatch = /^\/case\/(\d{1,9})$/.exec(path);
    if (caseMatch) {
      const c = app.store.findCase(Number(caseMatch[1]));
      if (!c || !mayView(c, await scopeOf(session, actor))) return sendHtml(res, 403, messagePage('无权查看', ['没有这个案件，或它不在你所在的群里。<a href="/">回到看板</a>']));
      return sendHtml(res, 200, page('case.html'));
    }
    if (path === '/reports' && !isManager(actor)) return sendHtml(res, 403, messagePage('无权查看', ['只有领导或调度员可以查看报表。<a href="/">回到看板</a>']));
    if (path === '/sim' && !simulatorFor(session)) return sendHtml(res, 403, messagePage('模拟群聊未开启', ['模拟群聊只在控制台模式（CHAT=console）下、从控制台登录时可用。<a href="/">回到看板</a>']));
    return sendHtml(res, 200, page(PAGES[path]!));
  }

  // ------------------------------------------------------------ API

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, session: WebSession): Promise<void> {
    const path = url.pathname.slice('/api/web'.length);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !sameToken(req.headers['x-csrf-token'] as string | undefined, session.csrf)) {
      throw new WebFailure(403, { error: '缺少或错误的 CSRF 令牌，请刷新页面' });
    }
    const actor = actorOf(session);
    const now = clock();

    if (path === '/me' && method === 'GET') {
      return sendJson(res, 200, {
        name: session.name, platform: session.platform, role: actor.role, roleZh: ROLE_ZH[actor.role] ?? actor.role, admin: actor.admin, manager: isManager(actor),
        csrf: session.csrf, street: config.street, timeZone: config.timeZone, groups: groupNames, simulator: simulatorFor(session),
        services: { reports: !!opts.services.reports, exports: !!opts.services.exports, roster: !!opts.services.roster, queues: !!opts.queues },
      });
    }
    if (path === '/logout' && method === 'POST') {
      await sessions.close(cookieOf(req, COOKIE));
      res.setHeader('set-cookie', setCookie('', 0));
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/cases' && method === 'GET') {
      const { rows, total } = boardRows(app.store, await scopeOf(session, actor), groupNames, now);
      return sendJson(res, 200, { now, total, cases: rows, groups: groupNames });
    }
    const caseMatch = /^\/cases\/(\d{1,9})(\/action)?$/.exec(path);
    if (caseMatch) {
      const c = app.store.findCase(Number(caseMatch[1]));
      if (!c || !mayView(c, await scopeOf(session, actor))) throw new WebFailure(403, { error: '没有这个案件，或它不在你所在的群里' });
      if (!caseMatch[2] && method === 'GET') return sendJson(res, 200, { now, case: caseDetail(app.store, c, actor, groupNames, config.repeat.windowDays, now) });
      if (caseMatch[2] && method === 'POST') {
        const text = actionText(c.id, await readJsonBody(req));
        if (!text) throw new WebFailure(400, { error: '不认识的操作或缺少内容' });
        return sendJson(res, 200, await typeAs(session, c.group, text));
      }
      throw new WebFailure(405, { error: '不支持的方法' });
    }
    if (path === '/events' && method === 'GET') return eventStream(req, res, session, actor);
    const reportMatch = /^\/reports\/([^/]+)$/.exec(path);
    if (reportMatch && method === 'GET') {
      if (!isManager(actor)) throw new WebFailure(403, { error: '只有领导或调度员可以查看报表' });
      const reports = opts.services.reports;
      if (!reports) throw new WebFailure(501, { error: '报表未配置' });
      const period = parsePeriod(decodeURIComponent(reportMatch[1]!), reports.settings);
      if (!period) throw new WebFailure(400, { error: '时间段应为 2026-11-28、2026-W48 或 2026-11', field: 'period' });
      const group = url.searchParams.get('group') || null;
      if (group !== null && !(group in groupNames)) throw new WebFailure(400, { error: '没有这个群', field: 'group' });
      const scope = group === 'consult' ? null : group;
      return sendJson(res, 200, { report: reportJson(reports.figures(period, scope, now), config.timeZone), groups: groupNames });
    }
    const exportMatch = /^\/export\/([^/]+)$/.exec(path);
    if (exportMatch && method === 'GET') {
      if (!isManager(actor)) throw new WebFailure(403, { error: '只有领导或调度员可以导出台账' });
      const exporter = opts.services.exports;
      if (!exporter) throw new WebFailure(501, { error: '台账导出未配置' });
      const period = parsePeriod(decodeURIComponent(exportMatch[1]!), exporter.settings);
      if (!period || period.kind !== 'month') throw new WebFailure(400, { error: '月份应为 2026-11', field: 'period' });
      if (period.from > now) throw new WebFailure(400, { error: '这个月还没开始', field: 'period' });
      const file = await exporter.export(period, 'xlsx', now);
      logger.info({ period: period.label, cases: file.cases, by: actor.role }, 'web ledger export');
      res.writeHead(200, securityHeaders({
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-length': file.bytes,
        'content-disposition': `attachment; filename="ledger-${period.label}.xlsx"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      }));
      createReadStream(file.path).pipe(res);
      return;
    }
    if (path.startsWith('/duty')) return duty(req, res, url, session, actor, now);
    if (path === '/sim' && method === 'GET') {
      if (!simulatorFor(session)) throw new WebFailure(403, { error: '模拟群聊只在控制台模式下、从控制台登录时可用' });
      const groups = Object.entries(groupNames).map(([key, name]) => ({ key, name, lines: events.recentChat(key) }));
      const people = [...new Set([...config.people.map((p) => p.name), ...config.departments.flatMap((d) => d.people)])];
      return sendJson(res, 200, { groups, people, me: session.name });
    }
    if (path === '/sim' && method === 'POST') {
      if (!simulatorFor(session)) throw new WebFailure(403, { error: '模拟群聊只在控制台模式下、从控制台登录时可用' });
      const body = await readJsonBody(req);
      const group = typeof body.group === 'string' ? body.group : '';
      const sender = typeof body.sender === 'string' ? body.sender.trim() : '';
      const text = typeof body.text === 'string' ? body.text.trim() : '';
      if (!(group in groupNames)) throw new WebFailure(400, { error: '没有这个群', field: 'group' });
      if (!/^[^\s:：>@]{1,20}$/.test(sender)) throw new WebFailure(400, { error: '发送人应为一个名字（不含空格和冒号）', field: 'sender' });
      if (!text || text.length > 4000) throw new WebFailure(400, { error: '请写要发送的文字', field: 'text' });
      const result = await app.handleMessage({ platform: 'console', chatId: group, group, sender: { id: sender, name: sender }, text, quotedMessageId: null, mentions: mentionsOf(text) });
      return sendJson(res, 200, { ok: true, command: result !== null, message: result?.message ?? null });
    }
    throw new WebFailure(404, { error: '没有这个地址' });
  }

  /** The command typed by the signed-in person in the case's group, through the same definitions as chat. */
  async function typeAs(session: WebSession, group: string, text: string): Promise<{ ok: boolean; message: string }> {
    const result = await app.handleMessage({ platform: session.platform, chatId: group, group, sender: { id: session.id, name: session.name }, text, quotedMessageId: null }, { quietRefusals: true });
    logger.info({ command: text.split(' ')[0], group, ok: result?.ok ?? false }, 'web action');
    return { ok: result?.ok ?? false, message: result?.message ?? '没有执行' };
  }

  async function duty(req: IncomingMessage, res: ServerResponse, url: URL, session: WebSession, actor: Actor, now: number): Promise<void> {
    const roster = opts.services.roster;
    if (!roster) throw new WebFailure(501, { error: '值班表未配置' });
    if (url.pathname === '/api/web/duty' && req.method === 'GET') {
      const today = dateKeyOf(now, config.timeZone);
      const asked = url.searchParams.get('from');
      const start = asked && isDateKey(asked) ? asked : today;
      // The week (Monday first) holding `start`.
      const weekday = (new Date(`${start}T00:00:00Z`).getUTCDay() + 6) % 7;
      const monday = addDaysToKey(start, -weekday);
      const r = roster.current();
      const days = Array.from({ length: 7 }, (_, i) => {
        const date = addDaysToKey(monday, i);
        return { date, weekday: weekdayZh(date), past: date < today, shifts: r.shiftsOn(date).map((s) => ({ from: s.from, to: s.to, people: s.people })) };
      });
      return sendJson(res, 200, { today, monday, prev: addDaysToKey(monday, -7), next: addDaysToKey(monday, 7), days, onDuty: roster.onDutyAt(now), editable: isManager(actor) });
    }
    if (url.pathname === '/api/web/duty' && req.method === 'POST') {
      const body = await readJsonBody(req);
      const date = typeof body.date === 'string' && isDateKey(body.date) ? body.date : null;
      const people = Array.isArray(body.people) ? body.people.filter((p): p is string => typeof p === 'string').map((p) => p.trim().replace(/^@/, '')).filter((p) => /^[^\s:：@]{1,20}$/.test(p)) : [];
      if (!date) throw new WebFailure(400, { error: '日期应为 2026-12-31', field: 'date' });
      if (people.length === 0 || people.length > 10) throw new WebFailure(400, { error: '请写值班人（一个或几个名字）', field: 'people' });
      return sendJson(res, 200, await typeAs(session, 'consult', `值班 设置 ${date} ${people.join(' ')}`));
    }
    throw new WebFailure(404, { error: '没有这个地址' });
  }

  /** Server-sent events: `case` (an id this person may see changed) and, for the simulator, `chat`. */
  async function eventStream(req: IncomingMessage, res: ServerResponse, session: WebSession, actor: Actor): Promise<void> {
    let scope = await scopeOf(session, actor);
    const sim = simulatorFor(session);
    req.socket.setTimeout(0);
    res.writeHead(200, securityHeaders({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' }));
    res.write('retry: 2000\n\n');
    const unsubscribe = events.subscribe((e) => {
      if (e.type === 'case') {
        void (async () => {
          // Groups written in since the page opened count too.
          if (scope !== null) scope = await scopeOf(session, actor).catch(() => scope);
          const c = app.store.findCase(e.caseId);
          if (c && mayView(c, scope)) res.write(`event: case\ndata: ${JSON.stringify({ id: c.id, status: c.status })}\n\n`);
        })();
      } else if (sim) res.write(`event: chat\ndata: ${JSON.stringify(e.line)}\n\n`);
    });
    const beat = setInterval(() => res.write(': ♥\n\n'), heartbeatMs);
    const stop = () => {
      clearInterval(beat);
      unsubscribe();
    };
    req.on('close', stop);
    res.on('error', stop);
  }

  // ------------------------------------------------------------ dispatch

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    const isApi = path === '/api/web' || path.startsWith('/api/web/');
    const isQueues = path === QUEUES_PATH || path.startsWith(`${QUEUES_PATH}/`);
    const isPage = path in PAGES || /^\/case\/\d{1,9}$/.test(path);
    if (path.startsWith('/static/')) {
      const name = path.slice('/static/'.length);
      if (req.method !== 'GET' || !/^[a-z0-9.-]+\.(js|css|html|svg|ttf)$/.test(name)) return sendJson(res, 404, { error: '没有这个文件' }), true;
      return serveStatic(res, name), true;
    }
    if (path === '/login') {
      if (req.method === 'GET') return loginPage(res, url), true;
      if (req.method === 'POST') return await login(req, res), true;
      return sendJson(res, 405, { error: '不支持的方法' }), true;
    }
    if (!isApi && !isQueues && !isPage) return false;
    const session = await sessions.get(cookieOf(req, COOKIE));
    if (isApi) {
      if (!session) return sendJson(res, 401, { error: '请先登录：在群里发送「登录」获取链接' }), true;
      await api(req, res, url, session);
      return true;
    }
    if (isQueues) {
      if (!session) return sendHtml(res, 401, SIGN_IN_HINT), true;
      if (!actorOf(session).admin) return sendHtml(res, 403, messagePage('无权查看', ['只有机器人管理员可以查看队列。<a href="/">回到看板</a>'])), true;
      if (!opts.queues) return sendHtml(res, 501, messagePage('队列页未配置', ['<a href="/">回到看板</a>'])), true;
      if (req.method !== 'GET' && crossSite(req)) return sendJson(res, 403, { error: '跨站请求被拒绝' }), true;
      opts.queues.handle(req, res);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: '不支持的方法' }), true;
    await pageRoute(res, path, session);
    return true;
  }

  return async (req, res, url) => {
    try {
      return await route(req, res, url);
    } catch (err) {
      if (err instanceof WebFailure) return sendJson(res, err.status, err.body), true;
      // Never the query or the body: they may carry a sign-in token or personal data.
      logger.error({ err: errorSummary(err), path: url.pathname.startsWith('/case/') ? '/case/:id' : url.pathname }, 'web console request failed');
      if (!res.headersSent) sendJson(res, 500, { error: '服务器内部错误' });
      return true;
    }
  };
}
