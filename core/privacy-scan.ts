/**
 * Finding personal data in free text, the way people actually write it: full-width digits, numbers
 * split by spaces, dots, slashes, dashes of any width or zero-width characters, Chinese numerals
 * (一三八…, 幺, 零/〇) inside digit runs. The text is first normalised into a copy whose every
 * character remembers where it came from; the rules run on the copy and report spans of the original,
 * so whatever replaces them (see privacy.ts) leaves everything else exactly as written.
 *
 * What looks personal but is not stays out of the spans: dates (2026-12-03, 20261203), year ranges,
 * amounts and counts (3000元, 涉及12户), case numbers (#12), work-order numbers (FZ16121600033,
 * 20261203-1004), business registration numbers and 统一社会信用代码, building numbers (12号楼).
 */

/** What a span holds; the replacement depends on it. */
export type SpanKind = 'mobile' | 'landline' | 'id' | 'card' | 'passport' | 'plate' | 'email' | 'account' | 'room' | 'name' | 'remnant';

/** A stretch of the original text [start, end) to replace. `keyword` is set on a name found after 市民/联系人/…. */
export interface Span {
  start: number;
  end: number;
  kind: SpanKind;
  keyword?: string;
  /** The span's text in the normalised copy (digits for numbers). */
  norm: string;
}

/** The normalised copy: `text[i]` came from `original.slice(from[i], to[i])`. */
export interface Normalised {
  text: string;
  from: number[];
  to: number[];
}

const ZERO_WIDTH = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/;
const DASHES = /[\u2010-\u2015\u2212\u2E3A\u2E3B\u301C\uFE58\uFE63\uFF0D\u2500\u2501\u30FC\uFF70]/;
const DOTS = /[·•・‧∙\u00B7\u2027\uFF65]/;
const CN_DIGIT: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/** NFKC, one canonical character per kind of separator, zero-width characters dropped, Chinese numerals in digit runs of 3+ made digits. */
export function normalise(original: string): Normalised {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of original) {
    const start = i;
    i += ch.length;
    if (ZERO_WIDTH.test(ch)) continue;
    let n: string;
    if (DASHES.test(ch)) n = '-';
    else if (DOTS.test(ch)) n = '.';
    else if (/\s/.test(ch)) n = ' ';
    else if (ch === '\\') n = '/';
    else n = ch.normalize('NFKC');
    if (n === '') continue;
    for (const c of n) {
      chars.push(c);
      from.push(start);
      to.push(i);
    }
  }
  let text = chars.join('');
  text = text.replace(/[0-9〇零一二三四五六七八九幺两](?:[ .\-/]?[0-9〇零一二三四五六七八九幺两])+/g, (run, at: number) => {
    const numerals = run.replace(/[ .\-/]/g, '');
    const before = text[at - 1] ?? '';
    const after = text[at + run.length] ?? '';
    if (numerals.length < 3 || !/[〇零一二三四五六七八九幺两]/.test(run) || /[十百千万亿拾佰仟]/.test(before + after)) return run;
    return [...run].map((c) => CN_DIGIT[c] ?? c).join('');
  });
  return { text, from, to };
}

/** Turn a [s, e) range of the normalised copy into a span of the original. */
function spanOf(n: Normalised, s: number, e: number, kind: SpanKind, keyword?: string): Span {
  return { start: n.from[s]!, end: n.to[e - 1]!, kind, norm: n.text.slice(s, e), ...(keyword ? { keyword } : {}) };
}

// ---- numbers -------------------------------------------------------------------------------------

/** Digit groups joined by up to three separator characters; a group may end in the ID's check letter X. */
const TOKEN = /\+?\d+(?:[ \-./()_]{1,3}\d+)*(?:[Xx](?![A-Za-z]))?/g;
/** A number right after these is a code, not a person's: 工单号 FZ…, 注册号 …, 统一社会信用代码 …. */
const CODE_BEFORE = /(?:工单|编号|单号|注册号|信用代码|执照|税号|流水号|合同号|案件号|案号|批次|文号|订单|邮编|邮政编码|#|＃|第|No\.?|NO\.?|￥|¥|\$)[号码]?[\s:：#]*$/;
/** A number right before these counts or measures something (3000元, 12户, 35人). */
const UNIT_AFTER = /^[ ]?(?:[元万亿块角分吨户人次个件名岁斤克秒%‰]|平米|平方|米|公里|千米|年|月|日|号(?!房)|楼|层|栋|幢|辆|台|套|间|天|小时|分钟)/;

interface Group {
  s: number;
  e: number;
  digits: string;
  /** The separators before this group (empty for the first). */
  sep: string;
}

const validYear = (y: number) => y >= 1900 && y <= 2099;
const validMonthDay = (m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= 31;
function isDate8(d: string): boolean {
  return /^\d{8}$/.test(d) && validYear(+d.slice(0, 4)) && validMonthDay(+d.slice(4, 6), +d.slice(6, 8));
}

/** How many groups from `i` form a date or a year range (which stay), or 0. */
function lookAlikeAt(g: Group[], i: number): number {
  const a = g[i]!;
  const b = g[i + 1];
  const c = g[i + 2];
  if (isDate8(a.digits)) return 1;
  if (a.digits.length === 4 && validYear(+a.digits) && b && /^[-./]$/.test(b.sep.trim() || b.sep)) {
    if (c && b.digits.length <= 2 && c.digits.length <= 2 && validMonthDay(+b.digits, +c.digits)) return 3;
    if (b.digits.length <= 2 && +b.digits >= 1 && +b.digits <= 12) return 2;
  }
  if (a.digits.length === 4 && validYear(+a.digits) && b && b.digits.length === 4 && validYear(+b.digits)) return 2;
  return 0;
}

/** What a digit string (groups joined) is, when it is personal. */
function classifyDigits(d: string, plus: boolean): SpanKind | null {
  const intl = /^(?:0086|86)(\d{9,11})$/.exec(d);
  if (intl && (plus || d.startsWith('0086') || /^1[3-9]\d{9}$/.test(intl[1]!))) {
    const rest = intl[1]!;
    if (/^1[3-9]\d{9}$/.test(rest)) return 'mobile';
    if (/^(?:10|2\d|[3-9]\d{2})\d{7,8}$/.test(rest)) return 'landline';
  }
  if (/^1[3-9]\d{9}$/.test(d)) return 'mobile';
  if (/^[48]00\d{7}$/.test(d)) return 'landline';
  if (/^0(?:10|2\d|[3-9]\d{2})\d{7,8}$/.test(d)) return 'landline';
  if (/^[1-8]\d{16}[\dXx]$/.test(d) && validYear(+d.slice(6, 10)) && validMonthDay(+d.slice(10, 12), +d.slice(12, 14))) return 'id';
  if (/^[1-8]\d{14}$/.test(d) && validMonthDay(+d.slice(8, 10), +d.slice(10, 12))) return 'id';
  if (/^[3-6]\d{15,18}$/.test(d)) return 'card';
  if (/^[2-9]\d{6,7}$/.test(d) && !isDate8(d)) return 'landline';
  return null;
}

function numberSpans(n: Normalised): Span[] {
  const out: Span[] = [];
  const t = n.text;
  for (const m of t.matchAll(TOKEN)) {
    const at = m.index!;
    const tok = m[0];
    const plus = tok.startsWith('+');
    const body = plus ? 1 : 0;
    if (CODE_BEFORE.test(t.slice(Math.max(0, at - 8), at))) continue;
    const groups: Group[] = [];
    for (const g of tok.slice(body).matchAll(/([ \-./()_]*)(\d+[Xx]?)/g)) {
      const s = at + body + g.index! + g[1]!.length;
      groups.push({ s, e: s + g[2]!.length, digits: g[2]!, sep: g[1]! });
    }
    // A group glued to letters belongs to a code (FZ16121600033, 91110106MA01…): it is nobody's number.
    const glued = (k: number) => {
      const gr = groups[k]!;
      return /[A-Za-z]/.test(t[gr.s - 1] ?? '') || /[A-Za-z]/.test(t[gr.e] ?? '') || (/[Xx]$/.test(gr.digits) && gr.digits.length < 4);
    };
    const unitAfterToken = UNIT_AFTER.test(t.slice(at + tok.length, at + tok.length + 3));
    let i = 0;
    while (i < groups.length) {
      const skip = lookAlikeAt(groups, i);
      if (skip > 0) {
        i += skip;
        continue;
      }
      let found = 0;
      for (let j = Math.min(groups.length - 1, i + 7); j >= i && !found; j--) {
        if (groups.slice(i, j + 1).some((_, k) => glued(i + k))) continue;
        if (j === groups.length - 1 && unitAfterToken) continue;
        const d = groups.slice(i, j + 1).map((g) => g.digits).join('');
        if (/[Xx]/.test(d.slice(0, -1))) continue;
        const kind = classifyDigits(d, plus && i === 0);
        if (!kind) continue;
        let s = groups[i]!.s;
        if (i === 0 && plus) s -= 1;
        // An area code in brackets, (010)63812345: the bracket goes with it; a number merely in brackets keeps them.
        if (t[s - 1] === '(' && groups[i + 1]?.sep.startsWith(')')) s -= 1;
        let e = groups[j]!.e;
        let next = j + 1;
        if (kind === 'landline') {
          const ext = groups[j + 1];
          if (ext && ext.sep === '-' && ext.digits.length <= 5) {
            e = ext.e;
            next++;
          } else {
            const zhuan = /^\s?(?:转|分机|ext\.?)\s?(\d{1,5})/i.exec(t.slice(e));
            if (zhuan) e += zhuan[0].length;
          }
        }
        out.push(spanOf(n, s, e, kind));
        found = next - i;
      }
      i += found || 1;
    }
  }
  return out;
}

// ---- codes with letters, accounts, emails --------------------------------------------------------

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/** Ranges of the normalised copy to replace, with their kind; `sub` marks a capture group as the part to hide. */
const PATTERNS: { re: RegExp; kind: SpanKind; sub?: boolean }[] = [
  { re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, kind: 'email' },
  // WeChat ids and QQ numbers are personal only after their keyword; the id itself is the group.
  { re: /(?:微信号?|微信ID|微信id|wx号?|vx号?|VX号?|v信|V信|weixin|wechat|WeChat)\s*(?:号|ID|id)?\s*(?:[:：是为]\s*)?([A-Za-z][-_A-Za-z0-9]{4,19}|\d{5,11})(?![-_A-Za-z0-9])/g, kind: 'account', sub: true },
  { re: /(?:QQ|qq|Qq|扣扣|企鹅号)\s*(?:号码?|号)?\s*(?:[:：是为]\s*)?(\d{5,11})(?!\d)/g, kind: 'account', sub: true },
  // Passports (E12345678, EA1234567) and 港澳通行证 (C12345678, CA1234567); other shapes after their keyword.
  { re: /(?<![A-Za-z0-9])(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7}|[CW]\d{8}|C[A-HJ-NP-Z]\d{7})(?![A-Za-z0-9])/g, kind: 'passport' },
  { re: /(?:护照|通行证|台胞证|回乡证|签证|证件)(?:号码?|号)?\s*(?:[:：是为]\s*)?([A-Za-z]{1,2}\d{6,9})(?![A-Za-z0-9])/g, kind: 'passport', sub: true },
  // Licence plates: 京A12345, 京A·12345, 京AD12345 (new energy); the part after the city letter is the secret.
  { re: new RegExp(`[${PROVINCES}][ .\\-]?[A-Za-z][ .\\-]?((?=[A-Za-z0-9]{5,6}(?![A-Za-z0-9]))[A-Za-z]{0,2}\\d[A-Za-z0-9]{3,5})(?![A-Za-z0-9])`, 'g'), kind: 'plate', sub: true },
];

function patternSpans(n: Normalised): Span[] {
  const out: Span[] = [];
  for (const { re, kind, sub } of PATTERNS) {
    for (const m of n.text.matchAll(re)) {
      const at = m.index!;
      if (kind === 'passport' && !sub && /^[CW]/.test(m[0]) && isDate8(m[0].slice(1))) continue;
      const s = sub ? at + m[0].length - m[1]!.length : at;
      out.push(spanOf(n, s, at + m[0].length, kind));
    }
  }
  return out;
}

// ---- rooms ---------------------------------------------------------------------------------------

const ROOM_CONTEXT = '(?:单元|号楼|楼|栋|幢|座|门|层)';
const ROOMS: RegExp[] = [
  // 501室, 1201房间, 1103房, 1103号房; two digits only after a unit word (3单元12室).
  /(?<![\d.\-])(\d{3,4})(?=\s?(?:室|房间|号房|房(?![东租价子屋产源型贷本])))/g,
  new RegExp(`(?<=${ROOM_CONTEXT}\\s?)(\\d{2})(?=室|房间|号房)`, 'g'),
  // 2单元501, B座1705, 12号楼1203 (not a count or a date: 3单元120户居民 is handled below).
  new RegExp(`(?<=${ROOM_CONTEXT}\\s?)(\\d{3,4})(?![\\d.:\\-/]|\\s?(?:[年月日元万人次个米平%号户]|小时|分钟))`, 'g'),
  // 1103号 after where one lives (住1103号, 3单元1103号), not a house number on a road (丰台路1103号院).
  new RegExp(`(?<=(?:${ROOM_CONTEXT}|住|住在|家住)\\s?)(\\d{3,4})(?=号(?![楼院门线桥路街巷胡同村里座栋幢店铺地口站车机]))`, 'g'),
  // 3单元501户.
  new RegExp(`(?<=${ROOM_CONTEXT}\\s?)(\\d{3,4})(?=户(?![口籍型主]))`, 'g'),
  // 5-2-501: building, unit, room.
  /(?<![\d\-.])\d{1,3}-\d{1,2}-(\d{3,4})(?![\d\-.])/g,
];

function roomSpans(n: Normalised): Span[] {
  const out: Span[] = [];
  for (const re of ROOMS) {
    for (const m of n.text.matchAll(re)) {
      const e = m.index! + m[0].length;
      out.push(spanOf(n, e - m[1]!.length, e, 'room'));
    }
  }
  return out;
}

// ---- names ---------------------------------------------------------------------------------------

const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '西门'];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const SURNAME = `(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])`;
/** Courtesy forms a surname takes: 王女士, 高先生, 李阿姨. */
export const COURTESY = '(?:先生|女士|小姐|阿姨|大爷|大妈|大娘|师傅|老师|奶奶|爷爷|老人|大姐|大哥|同志)';
/** Words that introduce a person's name. */
const NAME_KEYWORDS = '(?:市民|联系人|来电人|反映人|诉求人|投诉人|举报人|当事人|业主|租户|住户|邻居|居民)';
/** After these, what follows a keyword is not a name (市民高度关注, 业主委员会, 邻居家). */
const NOT_A_NAME = /^(?:高度|高兴|关心|关注|关于|安全|安装|安排|文明|文化|方便|方面|方式|曾经|曾多|向街|向社|向物|向有|向我|向本|应当|应该|和商|和居|和邻|和业|时常|时间|常年|常住|常去|车辆|车位|房屋|房子|房间|房东|全部|全体|明显|明确|白天|万一|于是|于\d|单位|师傅|成员|代表|服务|管理|热线|江边|齐心|宁可|司机|包括|申请|商户|程度|任何|谢谢|通知|都|们)/;
/** A name's first given character is never one of these; its second neither, nor one of the longer list. */
const STOP_FIRST = '的了是在说称反表等和与及向对于也都就并请要已把被让给从们';
const STOP_SECOND = `${STOP_FIRST}来致打拨电同因未又再希想问投举咨曾多均今昨前后刚早晚经将道诉告门口楼院屋里内外上下处家住`;
/** Surname characters that are far more often ordinary words (和, 向, 于 …): never the start of 某某女士 on their own. */
const WORD_SURNAMES = '和向于应时曾常全明车房关安文方高万单成路师商';
const CJK = /^[\u4e00-\u9fff]$/;
/** Role words that end in a surname character: 保安大爷 is not 安大爷. */
const ROLE_BEFORE = /(?:保|门|社|小|环|物|维|志愿|网格|快递|外卖|卖菜|修车|开锁|家政|司|老)$/;

const KEYWORD_NAME = new RegExp(`(${NAME_KEYWORDS})([:：\\s]*)(${SURNAME})`, 'g');
const COURTESY_AT_START = new RegExp(`^${COURTESY}`);
const SURNAME_COURTESY = new RegExp(`(${SURNAME})([\\u4e00-\\u9fff]{0,2}?)(${COURTESY})`, 'g');
const SURNAME_STARS = new RegExp(`${SURNAME}\\*+`, 'g');

/** The citizen's own name in every form: 王芳, 王 芳, 王·芳, 王女士, 王芳女士, and the given name alone (建国). */
function citizenNameSpans(n: Normalised, names: string[]): Span[] {
  const out: Span[] = [];
  for (const raw of names) {
    const name = raw.normalize('NFKC').replace(/[\s·.•]/g, '');
    if ([...name].length < 2) continue;
    const surname = COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length) ?? name[0]!;
    const given = name.slice(surname.length);
    const loose = (s: string) => [...s].map(escape).join('[ .]?');
    const forms = [`${loose(name)}${COURTESY}?`, `${escape(surname)}${COURTESY}`];
    if ([...given].length >= 2) forms.push(loose(given));
    for (const m of n.text.matchAll(new RegExp(forms.join('|'), 'g'))) out.push(spanOf(n, m.index!, m.index! + m[0].length, 'name'));
  }
  return out;
}

/** A name after 市民/联系人/来电人/反映人/业主/邻居…, and (public side) any surname with a courtesy form. */
function keywordNameSpans(n: Normalised, anyCourtesy: boolean): Span[] {
  const out: Span[] = [];
  const t = n.text;
  for (const m of t.matchAll(KEYWORD_NAME)) {
    const s = m.index! + m[1]!.length + m[2]!.length;
    let e = s + m[3]!.length;
    if (NOT_A_NAME.test(t.slice(e - m[3]!.length))) continue;
    const courtesy = COURTESY_AT_START.exec(t.slice(e));
    if (courtesy) e += courtesy[0].length;
    else {
      const c1 = t[e] ?? '';
      if (c1 === '某') e += t[e + 1] === '某' ? 2 : 1;
      else {
        if (!CJK.test(c1) || STOP_FIRST.includes(c1)) continue;
        e++;
        const c2 = t[e] ?? '';
        if (CJK.test(c2) && !STOP_SECOND.includes(c2)) e++;
        const after = COURTESY_AT_START.exec(t.slice(e));
        if (after) e += after[0].length;
      }
    }
    out.push(spanOf(n, s, e, 'name', m[1]!));
  }
  if (anyCourtesy) {
    const courtesyRe = SURNAME_COURTESY;
    courtesyRe.lastIndex = 0;
    for (let m = courtesyRe.exec(t); m; m = courtesyRe.exec(t)) {
      const at = m.index;
      const withGiven = m[2] !== '';
      const refused =
        ROLE_BEFORE.test(t.slice(Math.max(0, at - 2), at)) ||
        (withGiven && (!/^(?:先生|女士|小姐)$/.test(m[3]!) || WORD_SURNAMES.includes(m[1]!) || [...m[2]!].some((c) => STOP_SECOND.includes(c))));
      if (refused) {
        courtesyRe.lastIndex = at + 1;
        continue;
      }
      out.push(spanOf(n, at, at + m[0].length, 'name'));
    }
  }
  return out;
}

/** What an earlier pass left half-hidden (138****5678, 5**室, 王*): the public side hides it whole. */
function remnantSpans(n: Normalised): Span[] {
  const out: Span[] = [];
  for (const m of n.text.matchAll(/\d*\*{2,}\d*/g)) if (/\d/.test(m[0])) out.push(spanOf(n, m.index!, m.index! + m[0].length, 'remnant'));
  for (const m of n.text.matchAll(SURNAME_STARS)) out.push(spanOf(n, m.index!, m.index! + m[0].length, 'name'));
  return out;
}

/** Extra exact numbers to hide wherever they appear, with any separators (the citizen's phone from the work order). */
function knownNumberSpans(n: Normalised, numbers: string[]): Span[] {
  const out: Span[] = [];
  for (const raw of numbers) {
    const digits = raw.normalize('NFKC').replace(/\D/g, '');
    if (digits.length < 5) continue;
    const re = new RegExp(`(?<!\\d)${[...digits].join('[ \\-./()_]{0,3}')}(?!\\d)`, 'g');
    for (const m of n.text.matchAll(re)) out.push(spanOf(n, m.index!, m.index! + m[0].length, 'mobile'));
  }
  return out;
}

export interface ScanOptions {
  names: string[];
  numbers: string[];
  rooms: boolean;
  /** Public side: any surname with a courtesy form, and remnants of an earlier partial mask. */
  public: boolean;
}

/** All spans to replace, non-overlapping, in order; earlier rules win an overlap (numbers before rooms before names). */
export function scan(original: string, opts: ScanOptions): { spans: Span[]; norm: Normalised } {
  const n = normalise(original);
  const found = [
    ...patternSpans(n),
    ...knownNumberSpans(n, opts.numbers),
    ...numberSpans(n),
    ...(opts.public ? remnantSpans(n) : []),
    ...(opts.rooms ? roomSpans(n) : []),
    ...citizenNameSpans(n, opts.names),
    ...keywordNameSpans(n, opts.public),
  ];
  const taken: Span[] = [];
  for (const s of found) {
    const clash = taken.findIndex((o) => s.start < o.end && o.start < s.end);
    if (clash < 0) taken.push(s);
    else {
      // Same rule family, larger stretch: the whole of it goes (联系人王芳女士 over 王芳).
      const o = taken[clash]!;
      if (o.kind === s.kind && s.start <= o.start && s.end >= o.end) taken[clash] = s;
    }
  }
  return { spans: taken.sort((a, b) => a.start - b.start), norm: n };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
