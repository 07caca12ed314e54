import { normalise, scan, type Span } from './privacy-scan';

/**
 * Masking personal data, in two strengths:
 * - {@link maskForPublic} for everything that leaves for the public side (result texts, the digest,
 *   the public account's messages, the public files): no citizen is named at all (王芳, 王女士, 高先生 →
 *   市民), every phone, ID, passport, bank card, e-mail, WeChat/QQ id is hidden whole, licence plates
 *   keep only their city, room numbers go when configured.
 * - {@link maskPersonal} for logs and internal texts: numbers keep a recognisable head and tail
 *   (`138****5678`), names keep their first character (`王*`).
 * Both find what they hide the same way (privacy-scan.ts): the text is normalised first (NFKC, full-width
 * digits, separators of any kind, zero-width characters, Chinese numerals in digit runs), so
 * `１３８ 1234—５６７８` and `一三八一二三四五六七八` are caught like `13812345678`, while dates, amounts,
 * case and work-order numbers, registration numbers and counts stay whole.
 */
export interface MaskOptions {
  /** Names to hide (the citizen's); each keeps its first character: 王芳 → 王*. */
  names?: (string | null | undefined)[];
  /** Mask `501室` as `5**室` (default true). */
  maskRoomNumbers?: boolean;
}

/** Options of {@link maskForPublic}. */
export interface PublicMaskOptions {
  /** The citizen's name(s) from the work order: hidden in every form (王芳, 王 芳, 王女士, 芳芳's given name). */
  names?: (string | null | undefined)[];
  /** Numbers known to be the citizen's (the work order's phone): hidden wherever they appear, however written. */
  phones?: (string | null | undefined)[];
  /** Hide room numbers (`2单元501` → `2单元***`); StreetConfig.maskRoomNumbers. */
  maskRoomNumbers: boolean;
}

/** What the public side puts where a number or an account was. */
export const PUBLIC_HIDDEN = '***';
/** What the public side calls any citizen. */
export const PUBLIC_CITIZEN = '市民';

const clean = (xs: (string | null | undefined)[] | undefined) => (xs ?? []).map((x) => x?.trim() ?? '').filter((x) => x.length > 0);

/** Logs and internal texts: phone `138****5678`, landline `010-****`, ID `110101************`, name `王*`, room `5**室`. */
export function maskPersonal(text: string, opts: MaskOptions = {}): string {
  const { spans } = scan(text, { names: clean(opts.names), numbers: [], rooms: opts.maskRoomNumbers ?? true, public: false });
  return replaceSpans(text, spans, (s, raw) => internalReplacement(s, raw));
}

/**
 * The public side's mask: no citizen named (市民), every personal number hidden whole (`***`), rooms
 * per `maskRoomNumbers`. Idempotent: masking masked text changes nothing, and remnants of an earlier
 * partial mask (`138****5678`, `王*`) are hidden whole too.
 */
export function maskForPublic(text: string, opts: PublicMaskOptions): string {
  const { spans } = scan(text, { names: clean(opts.names), numbers: clean(opts.phones), rooms: opts.maskRoomNumbers, public: true });
  return replaceSpans(text, spans, (s, _raw, before) => {
    if (s.kind === 'name') return s.keyword === PUBLIC_CITIZEN || before.endsWith(PUBLIC_CITIZEN) ? '' : PUBLIC_CITIZEN;
    if (s.kind === 'plate') return '*'.repeat(s.norm.length);
    return PUBLIC_HIDDEN;
  });
}

/** 王芳 → 王*, 欧阳娜娜 → 欧***; 李先生 stays a courtesy form: 李先生. */
export function maskName(name: string): string {
  if (/^.(先生|女士|师傅|阿姨|大爷|大妈)$/.test(name)) return name;
  return name[0] + '*'.repeat(Math.max(1, name.length - 1));
}

/**
 * The place of an address at building level, for 曝光点位 and any public place key: everything from the
 * unit, floor or room on is dropped (`鹏润家园4号楼B座5层3门501室` → `鹏润家园4号楼B座`, `嘉园一里5-2-501` →
 * `嘉园一里5号楼`, `洋桥北里19号楼1203室王建国家门口` → `洋桥北里19号楼`), whitespace removed, and what
 * remains masked for the public (names given are the reporters'). '' for no address.
 */
export function placeOf(address: string | null | undefined, opts: { names?: (string | null | undefined)[] } = {}): string {
  if (!address) return '';
  const n = normalise(address);
  let cut = n.text.length;
  let tail = '';
  const below = /(?:\d+|[一二三四五六七八九十]+)\s?(?:单元|楼层|层|门(?![前口外内店面市诊])|室|房间|号房|户(?![口籍]))/.exec(n.text);
  if (below) cut = below.index;
  const triple = /(?<![\d\-.])(\d{1,3})-\d{1,2}-\d{2,4}(?![\d\-.])/.exec(n.text);
  if (triple && triple.index < cut) {
    cut = triple.index;
    tail = `${triple[1]}号楼`;
  }
  const room = scan(address, { names: [], numbers: [], rooms: true, public: false }).spans.find((s) => s.kind === 'room');
  const roomAt = room ? n.from.findIndex((f) => f >= room.start) : -1;
  if (roomAt >= 0 && roomAt < cut) {
    cut = roomAt;
    tail = '';
  }
  const head = cut < n.text.length ? address.slice(0, n.from[cut]) : address;
  const trimmed = cut < n.text.length ? head.replace(/(?:家住|住在|住)\s*$/u, '') : head;
  const place = `${trimmed.replace(/[\s,，;；:：\-—.、(（]+$/u, '')}${tail}`.replace(/\s+/g, '');
  return maskForPublic(place, { names: opts.names, maskRoomNumbers: true });
}

function replaceSpans(text: string, spans: Span[], replace: (s: Span, raw: string, before: string) => string): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start);
    out += replace(s, text.slice(s.start, s.end), out);
    at = s.end;
  }
  return out + text.slice(at);
}

const COURTESY_END = /(先生|女士|小姐|阿姨|大爷|大妈|大娘|师傅|老师|奶奶|爷爷|老人|大姐|大哥|同志)$/;

function internalReplacement(s: Span, raw: string): string {
  const digits = s.norm.replace(/[^\dXx]/g, '');
  switch (s.kind) {
    case 'mobile': {
      const d = digits.slice(-11);
      return `${d.slice(0, 3)}****${d.slice(-4)}`;
    }
    case 'landline': {
      if (digits.length > 8 || /^[(+0]/.test(raw.trim())) return `${[...raw].slice(0, Math.min(4, [...raw].length - 4)).join('')}****`;
      return `${digits.slice(0, 2)}******`;
    }
    case 'id':
      return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 6)}`;
    case 'card':
      return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 8)}${digits.slice(-4)}`;
    case 'email': {
      const [user = '', domain = ''] = s.norm.split('@');
      return `${user.slice(0, 1)}***@${domain}`;
    }
    case 'room':
      return `${digits.slice(0, 1)}${'*'.repeat(Math.max(1, digits.length - 1))}`;
    case 'name': {
      const name = s.norm.replace(/[\s.]/g, '');
      const courtesy = COURTESY_END.exec(name)?.[0] ?? '';
      const bare = name.slice(0, name.length - courtesy.length);
      if ([...bare].length <= 1) return raw;
      return `${maskName(bare)}${courtesy}`;
    }
    default:
      return '*'.repeat(Math.max(3, [...s.norm].length));
  }
}
