import { maskForPublic, placeOf } from './privacy';
import { formatIsoInZone, zonedParts } from './time-zone';
import type { Case, CaseSource } from './types';
import { own } from './own';

/**
 * The weekly public-account article, in the seed article's style: "用心用情用功解决好群众诉求" with one
 * short item per case solved in the week (a title from place and category, then what was done), and
 * the 曝光点位 lists — places where one kind of request keeps coming back, by day and by night.
 * Pure: the caller passes the cases and `now`. Everything in the result is masked for the public
 * (maskForPublic: no citizen named, numbers hidden whole), and hotspots name a place or building, never a room.
 */

const DAY_MS = 86_400_000;

export interface DigestOptions {
  street: string;
  timeZone: string;
  /** End of the window (epoch ms); the window is the `windowMs` before it. */
  now: number;
  /** Solved cases of this long before `now` make the items. Default 7 days. */
  windowMs?: number;
  /** Reports of this long before `now` count for hotspots. Default 30 days. */
  hotspotWindowMs?: number;
  /** A place + category reported at least this often is a hotspot. Default 3. */
  hotspotMinReports?: number;
  /** Most places in one hotspot list. Default 10. */
  hotspotListMax?: number;
  /** Hide room numbers in item texts (StreetConfig.maskRoomNumbers); hotspots never show a room either way. */
  maskRoomNumbers: boolean;
  /** Group key → display name: a community's name is the place of a case without an address. */
  groupNames?: Record<string, string>;
}

export interface DigestItem {
  caseId: number;
  /** `鹏润家园群租房，督促整改` */
  title: string;
  /** `11月24日，市民拨打12345热线反映，…卢沟桥街道接到诉求后，…` */
  text: string;
}

export interface Hotspot {
  /** The place at building level (placeOf: no unit, floor or room; masked). */
  place: string;
  category: string;
  count: number;
  /** Reports between 08:00 and 20:00 local time, and the others. */
  day: number;
  night: number;
}

/** The hotspots of one category, by the time of day most of their reports came (a tie lists a place in both). */
export interface HotspotList {
  category: string;
  day: Hotspot[];
  night: Hotspot[];
}

export interface Digest {
  /** The article's title (≤ 32 characters, the draft API's limit). */
  title: string;
  /** Local date of `now`, `YYYY-MM-DD` (file names). */
  date: string;
  from: number;
  to: number;
  items: DigestItem[];
  hotspots: HotspotList[];
  /** One line for the draft's 摘要 and the consultation group. */
  summary: string;
  markdown: string;
}

/** The section heading the seed article uses for its list of solved cases. */
export const DIGEST_HEADING = '用心用情用功解决好群众诉求';

export function composeDigest(resolved: Case[], reports: Case[], opts: DigestOptions): Digest {
  const to = opts.now;
  const from = to - (opts.windowMs ?? 7 * DAY_MS);
  const inWindow = resolved.filter((c) => c.resolvedAt !== null && c.resolvedAt >= from && c.resolvedAt < to);
  const items = inWindow.map((c) => digestItem(c, opts));
  const hotspots = findHotspots(reports, opts);
  const title = truncateTo(`${opts.street}接诉即办周报（${monthDay(from, opts.timeZone)}—${monthDay(to - 1, opts.timeZone)}）`, 32);
  const places = new Set(hotspots.flatMap((h) => [...h.day, ...h.night].map((p) => `${p.category}|${p.place}`))).size;
  const summary = `本周办结群众诉求 ${items.length} 件${places > 0 ? `，曝光点位 ${places} 处` : ''}。`;
  const digest: Digest = { title, date: isoDate(to, opts.timeZone), from, to, items, hotspots, summary, markdown: '' };
  digest.markdown = renderMarkdown(digest);
  return digest;
}

/** One solved case as a short item: where and what, then what the street did. Masked. */
export function digestItem(c: Case, opts: Pick<DigestOptions, 'street' | 'timeZone' | 'maskRoomNumbers' | 'groupNames'>): DigestItem {
  const mask = (s: string) => maskForPublic(s, { names: [c.citizenName], phones: [c.citizenPhone], maskRoomNumbers: opts.maskRoomNumbers });
  // Masked before it is shortened: a cut through a name or number would leave a part no rule finds.
  const place = shortPlace(c.address ? mask(c.address) : null) || communityName(c, opts.groupNames) || '';
  const title = `${place}${c.category}，${own(ACTIONS, c.category) ?? '接诉即办'}`;
  const content = sentence(c.content);
  const where = c.address && !c.content.includes(c.address) ? `${c.address}，` : '';
  const { hour } = zonedParts(c.reportedAt, opts.timeZone);
  const when = `${monthDay(c.reportedAt, opts.timeZone)}${hour >= 20 || hour < 5 ? '晚' : ''}`;
  const result = c.result?.trim() ? sentence(c.result) : '已办结。';
  const text = `${when}，市民${VIA[c.source]}反映，${where}${content}${opts.street}接到诉求后，${result}`;
  return { caseId: c.id, title: mask(title), text: mask(text) };
}

/** How the citizen reached the street, as the seed article says it. */
const VIA: Record<CaseSource, string> = { '12345': '拨打12345热线', import: '拨打12345热线', mp: '通过公众号', chat: '' };

/** A plain, true-for-any-outcome second half of an item's title, by category. */
const ACTIONS: Record<string, string> = {
  群租房: '督促整改',
  供水: '及时抢修',
  供电: '恢复供电',
  供暖: '保障供暖',
  燃气: '及时处置',
  私装地桩: '及时拆除',
  消防安全: '消除隐患',
  路灯照明: '恢复照明',
  管线冒水: '及时处置',
  建筑垃圾: '及时清理',
  环境卫生: '及时清理',
  井盖: '及时维修',
  交通秩序: '综合治理',
  便民设施: '上门解答',
  施工扰民: '协调整改',
  游商: '加强巡查',
  占道经营: '规范秩序',
};

/** The name part of an address: `鹏润家园4号楼B座…` → `鹏润家园`, `分钟寺加油站东侧绿地` → `分钟寺加油站`. */
export function shortPlace(address: string | null): string {
  if (!address) return '';
  const head = address.trim().split(/[\d０-９(（,，;；]|东侧|西侧|南侧|北侧|周边|门前|门口|门外|路口|附近|红绿灯|[东西南北]向/)[0] ?? '';
  const name = head.replace(/[甲乙丙丁]$/, '').trim();
  return name.length > 12 ? name.slice(0, 12) : name;
}

function communityName(c: Case, groupNames: Record<string, string> | undefined): string {
  if (!groupNames || c.group === 'consult' || c.group === 'street') return '';
  return groupNames[c.group] ?? '';
}

/**
 * Places where one category was reported at least `hotspotMinReports` times in the hotspot window
 * (重复诉求 / 高频点位), per category, split by the time of day (08:00–20:00 local is day).
 * Categories with the most reports first; in a list, the most reported place first.
 */
export function findHotspots(reports: Case[], opts: Pick<DigestOptions, 'now' | 'timeZone' | 'hotspotWindowMs' | 'hotspotMinReports' | 'hotspotListMax' | 'maskRoomNumbers'>): HotspotList[] {
  const since = opts.now - (opts.hotspotWindowMs ?? 30 * DAY_MS);
  const min = opts.hotspotMinReports ?? 3;
  const max = opts.hotspotListMax ?? 10;
  const groups = new Map<string, { place: string; category: string; day: number; night: number }>();
  for (const c of reports) {
    if (c.reportedAt < since || c.reportedAt >= opts.now || !c.address) continue;
    // Reports from different rooms of one building are one place; the reporter's name never shows.
    const place = placeOf(c.address, { names: [c.citizenName] });
    if (!place) continue;
    const key = `${c.category}\u0000${place}`;
    const g = groups.get(key) ?? { place, category: c.category, day: 0, night: 0 };
    if (isDaytime(c.reportedAt, opts.timeZone)) g.day++;
    else g.night++;
    groups.set(key, g);
  }
  const byCategory = new Map<string, Hotspot[]>();
  for (const g of groups.values()) {
    const count = g.day + g.night;
    if (count < min) continue;
    const list = byCategory.get(g.category) ?? [];
    list.push({ place: g.place, category: g.category, count, day: g.day, night: g.night });
    byCategory.set(g.category, list);
  }
  const order = (a: Hotspot, b: Hotspot) => b.count - a.count || a.place.localeCompare(b.place, 'zh');
  return [...byCategory.entries()]
    .map(([category, spots]) => ({
      category,
      total: spots.reduce((n, s) => n + s.count, 0),
      day: spots.filter((s) => s.day >= s.night).sort(order).slice(0, max),
      night: spots.filter((s) => s.night >= s.day).sort(order).slice(0, max),
    }))
    .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category, 'zh'))
    .map(({ category, day, night }) => ({ category, day, night }));
}

/** 08:00 ≤ local time < 20:00 (SPEC "Reports": day vs night). */
export function isDaytime(at: number, timeZone: string): boolean {
  const { hour } = zonedParts(at, timeZone);
  return hour >= 8 && hour < 20;
}

function renderMarkdown(d: Digest): string {
  const out: string[] = [`# ${d.title}`, '', `### ${DIGEST_HEADING}`, ''];
  if (d.items.length === 0) out.push('本周暂无办结的群众诉求。', '');
  for (const item of d.items) out.push(`#### ${item.title}`, '', item.text, '');
  out.push('### 曝光点位', '');
  if (d.hotspots.length === 0) out.push('近30天没有同一地点同类诉求反复出现的点位。', '');
  for (const h of d.hotspots) {
    if (h.day.length > 0) out.push(...hotspotLines(`近期，${h.category}诉求反复出现，举报集中点位如下：`, h.day), '');
    if (h.night.length > 0) out.push(...hotspotLines(`夜间时段${h.category}诉求集中的点位如下：`, h.night), '');
  }
  out.push(d.summary);
  return `${out.join('\n')}\n`;
}

function hotspotLines(lead: string, spots: Hotspot[]): string[] {
  return [`- ${lead}`, ...spots.map((s, i) => `  ${i + 1}. ${s.place}（${s.count}次）`)];
}

/**
 * The article as HTML: the body for the draft API (WeChat takes under 20 000 characters, so items past
 * `maxChars` are summed up in one line), or a whole page for the file.
 */
export function renderDigestHtml(d: Digest, opts: { page?: boolean; maxChars?: number } = {}): string {
  const max = opts.maxChars ?? 19_000;
  const hot: string[] = [];
  if (d.hotspots.length === 0) hot.push(`<p>${esc('近30天没有同一地点同类诉求反复出现的点位。')}</p>`);
  for (const h of d.hotspots) {
    if (h.day.length > 0) hot.push(hotspotHtml(`近期，${h.category}诉求反复出现，举报集中点位如下：`, h.day));
    if (h.night.length > 0) hot.push(hotspotHtml(`夜间时段${h.category}诉求集中的点位如下：`, h.night));
  }
  const head = [`<h3>${esc(DIGEST_HEADING)}</h3>`];
  const tail = [`<h3>曝光点位</h3>`, ...hot, `<p>${esc(d.summary)}</p>`];
  const items = d.items.map((i) => `<h4>${esc(i.title)}</h4>\n<p>${esc(i.text)}</p>`);
  if (items.length === 0) items.push(`<p>${esc('本周暂无办结的群众诉求。')}</p>`);
  let body = '';
  for (let shown = items.length; shown >= 0; shown--) {
    const rest = items.length - shown;
    const more = rest > 0 && d.items.length > 0 ? [`<p>${esc(`另有 ${rest} 件已办结的诉求，不再一一列出。`)}</p>`] : [];
    body = [...head, ...items.slice(0, shown), ...more, ...tail].join('\n');
    if (body.length <= max) break;
  }
  if (!opts.page) return body;
  return `<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${esc(d.title)}</title>\n</head>\n<body>\n<h1>${esc(d.title)}</h1>\n${body}\n</body>\n</html>\n`;
}

function hotspotHtml(lead: string, spots: Hotspot[]): string {
  return `<p>${esc(lead)}</p>\n<ol>\n${spots.map((s) => `<li>${esc(`${s.place}（${s.count}次）`)}</li>`).join('\n')}\n</ol>`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sentence(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return /[。！？!?.…]$/.test(t) ? t : `${t}。`;
}

function monthDay(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${p.month}月${p.day}日`;
}

function isoDate(at: number, timeZone: string): string {
  return formatIsoInZone(at, timeZone).slice(0, 10);
}

function truncateTo(s: string, n: number): string {
  return [...s].length > n ? [...s].slice(0, n).join('') : s;
}
