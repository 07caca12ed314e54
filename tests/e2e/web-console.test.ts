/**
 * The web console in a real headless Chromium against the real process (`main.ts`, CHAT=console, HTTP):
 * sign-in by a link sent privately, the board updating itself when a case arrives by HTTP and when it
 * is claimed in the chat simulator, a case's timeline, approving an extension from the page (the group
 * is told), a report with its charts, the XLSX download, and a member refused a leader's page and
 * another group's case. Screenshots go to tests/.output/ (git-ignored).
 *
 * Chromium is Debian's package at /usr/bin/chromium (.ci/run installs it). Outside CI a machine without
 * it skips this file with a message; in CI (CI set) the file runs and fails without it.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../adapters/redis/private-redis-server';
import { BotProcess, ROOT } from '../helpers/bot-process';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '../helpers/redis';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
if (!haveChromium && !inCi) process.stderr.write(`web-console.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium; CI installs it)\n`);

const OUT = join(ROOT, 'tests', '.output');
const YAML = join(ROOT, 'tests', 'fixtures', 'street-web.yaml');
const TOKEN = 'web-console-test-token';

describe.skipIf(!haveChromium && !inCi)('web console in a real browser', { timeout: 60_000 }, () => {
  let bot: BotProcess;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  const prefix = uniquePrefix('web');
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jiesu-web-'));
    mkdirSync(OUT, { recursive: true });
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    bot = new BotProcess({ JIESU_CONFIG: YAML, DATA_DIR: dataDir, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', INTAKE_TOKEN: TOKEN, CHAT: 'console', PUBLIC: 'file' });
    await bot.ready(port);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    if (bot && bot.proc.exitCode === null) await bot.kill('SIGTERM');
    await deleteKeysWithPrefix(testRedisUrl(), prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function postCase(body: object): Promise<{ id: number }> {
    const res = await fetch(`${base}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: number };
  }

  /** Types 登录 as `name` in `group`; returns the link printed privately (`@name << …`). */
  async function loginLink(group: string, name: string): Promise<string> {
    const before = bot.messages.length;
    bot.type(`${group} ${name}: 登录`);
    const msg = await bot.waitFor((m) => m.group === `@${name}` && bot.messages.indexOf(m) >= before && m.text.includes('/login?t='), `${name}'s sign-in link`);
    return /(http:\/\/\S+\/login\?t=[A-Za-z0-9_-]+)/.exec(msg.text)![1]!;
  }

  /** A fresh browser (own cookies) signed in as `name` by following the link, landing on the board. */
  async function signIn(group: string, name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(await loginLink(group, name));
    await page.waitForURL(`${base}/`);
    await page.waitForSelector('body[data-loaded]');
    return page;
  }

  it('without a session: every page shows only the sign-in hint, every /api/web path answers 401', async () => {
    await postCase({ hotlineNo: 'WEB-0', content: '假日风景小区门口垃圾堆放', address: '假日风景小区' });
    for (const path of ['/', '/case/1', '/reports', '/duty', '/sim']) {
      const res = await fetch(`${base}${path}`);
      const html = await res.text();
      expect(res.status, path).toBe(401);
      expect(html).toContain('请先登录');
      expect(html).not.toContain('WEB-0');
      expect(html).not.toContain('垃圾');
    }
    for (const path of ['/api/web/cases', '/api/web/cases/1', '/api/web/me', '/api/web/no-such-thing', '/api/web/reports/2026-11']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(401);
    }
    expect((await fetch(`${base}/api/web/cases/1/action`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
  });

  it('登录 in a group: the link comes privately, the group is only told it was sent; the link works once', async () => {
    const link = await loginLink('consult', '李调度');
    await bot.waitFor((m) => m.group === 'consult' && m.text.includes('登录链接已私信发送'), 'the group note');
    // The link is printed only on the private line, never in a group.
    expect(bot.stdoutLines.filter((l) => l.includes('/login?t=')).every((l) => l.startsWith('@李调度 << '))).toBe(true);

    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    // Opened from a chat app: a cross-site navigation with a referrer elsewhere.
    await page.goto(link, { referer: 'https://web.telegram.org/' });
    await page.waitForURL(`${base}/`);
    await page.waitForSelector('body[data-loaded]');
    await expect(page.locator('header .who').textContent()).resolves.toContain('李调度（调度员）');
    const cookies = await context.cookies();
    const sid = cookies.find((c) => c.name === 'jiesu_sid')!;
    expect(sid.httpOnly).toBe(true);
    expect(sid.sameSite).toBe('Strict');

    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await expect(again.locator('h1').textContent()).resolves.toBe('链接已失效');
    await again.context().close();
  });

  it('the board shows a case arriving by HTTP, and a claim typed in the simulator, without a reload', async () => {
    const board = await signIn('consult', '李调度');
    const loads = Number(await board.getAttribute('body', 'data-loaded'));
    const { id } = await postCase({ hotlineNo: 'WEB-1', content: '张仪村4号院南院路灯不亮，天黑后有安全隐患', address: '张仪村4号院南院', citizen: { name: '王建国', phone: '13911112222' } });
    const row = board.locator(`tr[data-case="${id}"]`);
    await row.waitFor();
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('WEB-1');
    await expect(row.locator('.status').textContent()).resolves.toContain('待认领');
    expect(Number(await board.getAttribute('body', 'data-loaded'))).toBeGreaterThan(loads);
    // The board never shows the citizen's phone.
    expect(await board.content()).not.toContain('13911112222');

    // The chat simulator: 王芳 claims in the community's pane.
    const sim = await board.context().newPage();
    await sim.goto(`${base}/sim`);
    const pane = sim.locator('.pane[data-group="zhangyi"]');
    await pane.locator(`.msg.bot:has-text("WEB-1")`).waitFor();
    await pane.locator('input[name=sender]').fill('王芳');
    await pane.locator('input[name=text]').fill(`认领 ${id}`);
    await pane.locator('input[name=text]').press('Enter');
    await pane.locator('.msg.bot:has-text("由 王芳 认领")').waitFor();

    await board.bringToFront();
    await row.locator('.owner:has-text("王芳")').waitFor();
    await expect(row.locator('.status').textContent()).resolves.toContain('已认领');
    // Filters and search: by owner, by text, by number.
    await board.locator('input[name=q]').fill('路灯');
    await expect(board.locator('tbody tr').count()).resolves.toBe(1);
    await board.locator('input[name=q]').fill('WEB-0');
    await expect(board.locator(`tr[data-case="${id}"]`).count()).resolves.toBe(0);
    await board.locator('input[name=q]').fill('');
    await board.locator('select[name=owner]').selectOption('王芳');
    await expect(board.locator('tbody tr').count()).resolves.toBe(1);
    await board.locator('select[name=owner]').selectOption('');
    await board.screenshot({ path: join(OUT, 'board.png'), fullPage: true });
  });

  it("a case's page: timeline and deadlines; a leader approves an extension from the page and the group is told", async () => {
    bot.type('zhangyi 王芳: 延期 2 3天 等待路灯配件');
    await bot.waitFor((m) => m.text.includes('申请延期') && m.text.includes('#2'), 'the extension request');
    const page = await signIn('consult', '汪书记');
    await page.goto(`${base}/case/2`);
    await page.waitForSelector('body[data-loaded]');
    const kinds = await page.locator('#timeline li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['received', 'claimed', 'extension-requested']));
    await expect(page.locator('#timeline').textContent()).resolves.toContain('王芳');
    // The deadline line: every milestone listed (接件, 认领, 响应时限, 办结时限), close ones sharing a marker.
    await expect(page.locator('#milestones li').count()).resolves.toBeGreaterThanOrEqual(4);
    await expect(page.locator('#deadlines .ms').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(page.locator('#deadlines').textContent()).resolves.toContain('办结时限');
    // A leader sees the citizen's contact (联系方式 allows leaders).
    await expect(page.locator('#card').textContent()).resolves.toContain('13911112222');

    const before = bot.messages.length;
    await page.locator('form[data-action="approve"] button').click();
    await page.locator('#result .notice').waitFor();
    const told = await bot.waitFor((m) => bot.messages.indexOf(m) >= before && m.group === 'zhangyi' && m.text.includes('#2') && m.text.includes('批准'), 'the group told of the approval');
    expect(told.text).toContain('汪书记');
    await page.locator('#timeline li[data-kind="extension-approved"]').waitFor();
    await page.screenshot({ path: join(OUT, 'case.png'), fullPage: true });
  });

  it('reports: the month with its charts drawn by ECharts, and the ledger as XLSX', async () => {
    const page = await signIn('consult', '汪书记');
    await page.goto(`${base}/reports`);
    await page.waitForSelector('body[data-chart="drawn"]');
    const received = await page.locator('.figure:has(span:text-is("收件")) b').textContent();
    expect(Number(received)).toBeGreaterThanOrEqual(2);
    // ECharts drew on its canvases: some pixels are not blank.
    // (Runs in the page; typed structurally: the tests compile without the DOM library.)
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const painted = await page.locator('#chart-groups canvas').evaluate((el) => {
      const c = el as unknown as Canvas;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(1000);
    await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#xlsx').click()]);
    const file = join(dataDir, 'download.xlsx');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const cells = book.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
    expect(cells.some((v) => v.includes('WEB-1'))).toBe(true);
  });

  it('the duty roster as a week grid, changed by the dispatcher through 值班 设置', async () => {
    const page = await signIn('consult', '李调度');
    await page.goto(`${base}/duty`);
    await page.waitForSelector('body[data-loaded]');
    await expect(page.locator('.day').count()).resolves.toBe(7);
    const day = page.locator('.day:not(.past) form').last();
    const date = await day.locator('..').getAttribute('data-date');
    await day.locator('input').fill('赵敏');
    await day.locator('button').click();
    await page.locator('#result .notice').waitFor();
    await bot.waitFor((m) => m.group === 'consult' && m.text.includes('值班调整') && m.text.includes(date!.slice(5)), 'the roster change told in consult');
    await page.locator(`.day[data-date="${date}"] strong:text-is("赵敏")`).first().waitFor();
  });

  it("a member is refused a leader's page, another group's case and the queues; the admin sees the queues", async () => {
    await postCase({ hotlineNo: 'WEB-2', content: '假日风景小区楼道堆物', address: '假日风景小区3号楼' });
    const page = await signIn('jiari', '赵敏');
    // Her group's cases only: jiari's, not zhangyi's #2.
    await page.locator('tr[data-case]').first().waitFor();
    const ids = await page.locator('tr[data-case]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));
    expect(ids).not.toContain('2');
    expect(ids.length).toBeGreaterThan(0);
    await expect(page.locator('header nav').textContent()).resolves.not.toContain('报表');

    const reports = await page.goto(`${base}/reports`);
    expect(reports!.status()).toBe(403);
    await expect(page.locator('body').textContent()).resolves.toContain('只有领导或调度员可以查看报表');
    const other = await page.goto(`${base}/case/2`);
    expect(other!.status()).toBe(403);
    expect(await page.content()).not.toContain('路灯');
    const queues = await page.goto(`${base}/admin/queues`);
    expect(queues!.status()).toBe(403);

    // The API says the same, and a state-changing call without the CSRF token is refused.
    await page.goto(`${base}/`);
    const api = await page.evaluate(async () => {
      const a = await fetch('/api/web/cases/2');
      const b = await fetch('/api/web/reports/2026-11');
      const c = await fetch('/api/web/cases/1/action', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'own' }) });
      return [a.status, b.status, c.status];
    });
    expect(api).toEqual([403, 403, 403]);

    const admin = await signIn('consult', '汪书记');
    const board = await admin.goto(`${base}/admin/queues`);
    expect(board!.status()).toBe(200);
    await admin.waitForFunction("document.body.innerText.includes('outbound')");
  });
});
