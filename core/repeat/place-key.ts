/**
 * Repeated complaints (重复诉求): "the same place" is a normalised key of community + road / compound /
 * building — not the room — computed once at intake and stored, so the repeat links, the hotspot report
 * and the 曝光点位 lists all agree. `张仪村4号院南院3号楼2单元501` and `…3号楼1单元302` share a key.
 */

const DAY_MS = 86_400_000;

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十二 → 12, 二十三 → 23, 一百零五 → 105, 三零一 → 301 (digit by digit when there is no 十/百). */
function chineseNumberToDigits(text: string): string {
  if (!/[十百]/.test(text)) return [...text].map((c) => CN_DIGIT[c] ?? '').join('');
  let total = 0;
  let digit = 0;
  for (const c of text) {
    if (c === '百') { total += (digit || 1) * 100; digit = 0; }
    else if (c === '十') { total += (digit || 1) * 10; digit = 0; }
    else digit = CN_DIGIT[c] ?? 0;
  }
  return String(total + digit);
}

/** Markers after which a number is a building, compound, unit, floor or room number. */
const NUMBERED = '号|栋|幢|座|楼|单元|层|室|户|院|区|排|期';
const BEIJING_DISTRICTS = '东城|西城|朝阳|丰台|石景山|海淀|门头沟|房山|通州|顺义|昌平|大兴|怀柔|平谷|密云|延庆';

/** Removes a leading pattern when something is left after it. */
function stripLeading(s: string, pattern: RegExp): string {
  const rest = s.replace(pattern, '');
  return rest.length > 0 ? rest : s;
}

/**
 * The place key of an address: `<communityKey or _>:<place>`, or null when the address says nothing
 * usable. The place part is NFKC-normalised, without spaces and punctuation, without the leading 北京市 /
 * district / 街道 / 社区, with Chinese numerals before 号/栋/楼/单元/… as digits, 号楼/栋/幢/座 as `N号楼`,
 * 号院/院 as `N号院`, and cut after the building (units, floors, rooms dropped); without a building, units,
 * floors, rooms and a trailing room number (501) are dropped.
 */
export function placeKey(address: string | null | undefined, communityKey: string | null): string | null {
  if (!address) return null;
  let s = address.normalize('NFKC').toLowerCase().replace(/\s+/gu, '').replace(/#/g, '号');
  s = s.replace(new RegExp(`([〇零一二两三四五六七八九十百]+)(?=${NUMBERED})`, 'gu'), (n) => chineseNumberToDigits(n));
  s = s.replace(/(\d+)-(\d+)-(\d+)/g, '$1号楼$2单元$3');
  s = s.replace(/[\p{P}\p{S}]/gu, '');
  s = stripLeading(s, /^北京市?/u);
  s = stripLeading(s, new RegExp(`^(?:${BEIJING_DISTRICTS})区`, 'u'));
  s = stripLeading(s, /^\p{Script=Han}{2,6}?街道/u);
  s = stripLeading(s, /^\p{Script=Han}{2,8}?社区/u);
  s = s.replace(/(\d+|[a-z])(?:号楼|号栋|号幢|号座|栋楼|栋|幢|座)/gu, '$1号楼');
  s = s.replace(/(\d+)楼(?=\d+单元)/gu, '$1号楼');
  s = s.replace(/(\d+)(?:号院|院)/gu, '$1号院');
  const buildings = [...s.matchAll(/(?:\d+|[a-z])号楼/gu)];
  const lastBuilding = buildings.at(-1);
  if (lastBuilding) {
    s = s.slice(0, lastBuilding.index + lastBuilding[0].length);
  } else {
    const unitOrRoom = /\d+(?:单元|层|室|户)/u.exec(s);
    if (unitOrRoom) s = s.slice(0, unitOrRoom.index);
    s = s.replace(/(?<=\p{Script=Han})\d{3,4}$/u, '');
  }
  if (s.length === 0) return null;
  return `${communityKey ?? '_'}:${s}`;
}

export interface RepeatCandidate<Id> {
  id: Id;
  placeKey: string | null;
  category: string;
  /** When the citizen reported it (ms). */
  reportedAt: number;
  status: string;
}

export interface RepeatLink<Id> {
  /** The most recent earlier case at the same place and category within the window, or null. */
  repeatOf: Id | null;
  /** 1 for a first complaint; otherwise 1 + the earlier ones within the window (本点位第N次). */
  repeatCount: number;
}

/** The earliest report time that still counts as an earlier complaint of a case reported at `reportedAt` (inclusive). */
export function repeatSince(reportedAt: number, windowDays: number): number {
  return reportedAt - windowDays * DAY_MS;
}

/**
 * Links a new case to earlier ones at the same place key and category reported at most `windowDays`
 * days (`repeat.windowDays`, default 30) before it — exactly windowDays still counts — in any status.
 * A case without a place key is never a repeat. `earlier` comes newest first (as the store lists it), so of
 * cases reported at the same instant the first given — the last one filed — is the one linked.
 */
export function findRepeat<Id>(
  newCase: { placeKey: string | null; category: string; reportedAt: number },
  earlier: readonly RepeatCandidate<Id>[],
  windowDays: number,
): RepeatLink<Id> {
  if (newCase.placeKey === null) return { repeatOf: null, repeatCount: 1 };
  const since = repeatSince(newCase.reportedAt, windowDays);
  let latest: RepeatCandidate<Id> | null = null;
  let count = 0;
  for (const e of earlier) {
    if (e.placeKey !== newCase.placeKey || e.category !== newCase.category) continue;
    if (e.reportedAt < since || e.reportedAt > newCase.reportedAt) continue;
    count += 1;
    if (!latest || e.reportedAt > latest.reportedAt) latest = e;
  }
  return { repeatOf: latest ? latest.id : null, repeatCount: count + 1 };
}
