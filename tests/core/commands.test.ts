import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BINDING_CODE, MAX_COMMAND_CHARS, parseCommand, USAGE, type Command, type ListFilter, type ParseResult } from '../../core/commands';

const BOT = { botUsername: 'JiesuBot' };
const parse = (text: string) => parseCommand(text, BOT);

/** Every spelling of every command word, Chinese and Latin. */
const WORDS = {
  claim: ['认领', '接单', '接', 'claim'],
  contact: ['已联系', '联系', 'contact'],
  note: ['进展', 'note'],
  done: ['办结', 'done'],
  status: ['状态', '查询', 'status'],
  list: ['列表', 'list'],
  help: ['帮助', 'help'],
  new: ['新建', 'new'],
  bind: ['绑定', 'bind'],
} as const;

/** With and without a leading slash (half- and full-width). */
const PREFIXES = ['', '/', '／'];

/** Ways of writing case number 12 after a word: space, full-width digits, `#`, ideographic space, none. */
const NUMBER_FORMS: [string, (word: string) => string][] = [
  ['space', (w) => `${w} 12`],
  ['full-width digits', (w) => `${w} １２`],
  ['#12', (w) => `${w} #12`],
  ['full-width ＃１２', (w) => `${w} ＃１２`],
  ['ideographic space', (w) => `${w}　12`],
  ['two spaces', (w) => `${w}  12`],
];
/** Chinese words also take the number with no space at all: 认领12, 认领#12. */
const NO_SPACE_FORMS: [string, (word: string) => string][] = [
  ['no space', (w) => `${w}12`],
  ['no space #', (w) => `${w}#12`],
  ['colon', (w) => `${w}：12`],
];
const isChinese = (w: string) => /^[\u4e00-\u9fff]/.test(w);

/** Case-number commands: the expected command for number 12 and the argument text written after it. */
const CASE_COMMANDS: { name: 'claim' | 'contact' | 'note' | 'done' | 'status'; tail: string; expected: Command }[] = [
  { name: 'claim', tail: '', expected: { name: 'claim', caseId: 12 } },
  { name: 'contact', tail: '', expected: { name: 'contact', caseId: 12, text: '' } },
  { name: 'contact', tail: ' 电话已打通', expected: { name: 'contact', caseId: 12, text: '电话已打通' } },
  { name: 'note', tail: ' 已到现场', expected: { name: 'note', caseId: 12, text: '已到现场' } },
  { name: 'done', tail: ' 灯泡已更换', expected: { name: 'done', caseId: 12, text: '灯泡已更换' } },
  { name: 'status', tail: '', expected: { name: 'status', caseId: 12 } },
];

const validRows: [string, Command][] = [];
for (const { name, tail, expected } of CASE_COMMANDS) {
  for (const word of WORDS[name]) {
    for (const prefix of PREFIXES) {
      const forms = isChinese(word) ? [...NUMBER_FORMS, ...NO_SPACE_FORMS] : NUMBER_FORMS;
      for (const [, form] of forms) validRows.push([`${prefix}${form(word)}${tail}`, expected]);
    }
  }
}

function expectRefusal(result: ParseResult): string {
  expect(result.kind).toBe('refusal');
  const message = (result as { message: string }).message;
  expect(message.length).toBeGreaterThan(0);
  expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(message).toMatch(/格式|帮助|请/);
  return message;
}

describe('parseCommand: case commands in every spelling', () => {
  it('the table covers every word, prefix and number form', () => {
    expect(validRows.length).toBeGreaterThan(150);
  });

  it.each(validRows)('%j', (text, expected) => {
    expect(parse(text)).toEqual({ kind: 'command', command: expected });
  });
});

describe('parseCommand: list, help, new', () => {
  const rows: [string, Command][] = [];
  const filters: [string, string, ListFilter][] = [
    ['', '', 'all'],
    [' 我的', ' mine', 'mine'],
    [' 逾期', ' overdue', 'overdue'],
    [' 未认领', ' unclaimed', 'unclaimed'],
    [' 全部', ' all', 'all'],
  ];
  for (const prefix of PREFIXES) {
    for (const [zh, latin, filter] of filters) {
      rows.push([`${prefix}列表${zh}`, { name: 'list', filter }]);
      rows.push([`${prefix}list${latin}`, { name: 'list', filter }]);
      rows.push([`${prefix}list${zh}`, { name: 'list', filter }]);
      rows.push([`${prefix}列表${latin}`, { name: 'list', filter }]);
    }
    rows.push([`${prefix}帮助`, { name: 'help' }]);
    rows.push([`${prefix}help`, { name: 'help' }]);
    rows.push([`${prefix}新建 槐房西路｜井盖塌陷3至5厘米`, { name: 'new', address: '槐房西路', text: '井盖塌陷3至5厘米' }]);
    rows.push([`${prefix}新建 槐房西路 ｜ 井盖塌陷`, { name: 'new', address: '槐房西路', text: '井盖塌陷' }]);
    rows.push([`${prefix}new 槐房西路 | 井盖塌陷`, { name: 'new', address: '槐房西路', text: '井盖塌陷' }]);
    rows.push([`${prefix}new Huaifang West Rd | manhole sunk`, { name: 'new', address: 'Huaifang West Rd', text: 'manhole sunk' }]);
    rows.push([`${prefix}新建 小区门口路灯不亮`, { name: 'new', address: null, text: '小区门口路灯不亮' }]);
    rows.push([`${prefix}新建 ｜路灯不亮`, { name: 'new', address: null, text: '路灯不亮' }]);
  }
  rows.push(['/LIST MINE', { name: 'list', filter: 'mine' }]);
  rows.push(['/Help', { name: 'help' }]);
  rows.push(['帮助 一下', { name: 'help' }]);
  rows.push(['新建 西丰路45号院｜夜间施工｜噪音大', { name: 'new', address: '西丰路45号院', text: '夜间施工 噪音大' }]);

  it.each(rows)('%j', (text, expected) => {
    expect(parse(text)).toEqual({ kind: 'command', command: expected });
  });
});

describe('parseCommand: bind', () => {
  it.each<[string, Command]>([
    ['绑定 会商 K7QF-3M9X', { name: 'bind', target: 'consult', community: null, code: 'K7QF-3M9X' }],
    ['/bind street k7qf-3m9x', { name: 'bind', target: 'street', community: null, code: 'K7QF-3M9X' }],
    ['绑定 社区 张仪村社区 K7QF-3M9X', { name: 'bind', target: 'community', community: '张仪村社区', code: 'K7QF-3M9X' }],
    ['/bind community zhangyi', { name: 'bind', target: 'community', community: 'zhangyi', code: null }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual({ kind: 'command', command: expected });
  });

  it.each(['绑定', '绑定 别的群 K7QF-3M9X', '绑定 社区 K7QF-3M9X', '绑定 会商 abc'])('%j is refused with the form', (text) => {
    expect(expectRefusal(parse(text))).toContain(USAGE.bind);
  });
});

describe('parseCommand: case references beyond the short number', () => {
  it.each<[string, Command]>([
    ['认领 0', { name: 'claim', caseId: 0 }],
    ['状态 20261203-1004', { name: 'status', caseId: null, hotlineNo: '20261203-1004' }],
    ['办结 DEMO-0005 已修好', { name: 'done', caseId: null, hotlineNo: 'DEMO-0005', text: '已修好' }],
    ['认领 99999999999999999999', { name: 'claim', caseId: null, hotlineNo: '99999999999999999999' }],
    ['认领了 13', { name: 'claim', caseId: 13 }],
    ['我来认领13', { name: 'claim', caseId: 13 }],
    ['领取 13', { name: 'claim', caseId: 13 }],
  ])('%j', (text, command) => {
    expect(parse(text)).toEqual({ kind: 'command', command });
  });

  it.each(['认领了吗', '我来认领一下吧', '领取快递了'])('%j is chat, not a claim', (text) => {
    expect(parse(text).kind).toBe('none');
  });

  it('a refusal shows the user\'s own number in its example', () => {
    expect(expectRefusal(parse('进展 37'))).toContain('进展 37 文字');
  });
});

describe('parseCommand: Telegram /command@BotName', () => {
  it.each<[string, { botUsername?: string }, ParseResult]>([
    ['/claim@JiesuBot 12', BOT, { kind: 'command', command: { name: 'claim', caseId: 12 } }],
    ['/claim@jiesubot 12', BOT, { kind: 'command', command: { name: 'claim', caseId: 12 } }],
    ['/status@JiesuBot', BOT, { kind: 'command', command: { name: 'status', caseId: null } }],
    ['/done@JiesuBot 12 已修复', BOT, { kind: 'command', command: { name: 'done', caseId: 12, text: '已修复' } }],
    ['/list@JiesuBot overdue', BOT, { kind: 'command', command: { name: 'list', filter: 'overdue' } }],
    ['/new@JiesuBot 阅园四区 | 建议建超市', BOT, { kind: 'command', command: { name: 'new', address: '阅园四区', text: '建议建超市' } }],
    ['/认领@JiesuBot 12', BOT, { kind: 'command', command: { name: 'claim', caseId: 12 } }],
    ['/claim@OtherBot 12', BOT, { kind: 'none' }],
    ['/help@OtherBot', BOT, { kind: 'none' }],
    ['/list@OtherBot mine', BOT, { kind: 'none' }],
    // Without a known bot name (console, WeChat) the suffix cannot be checked and is accepted.
    ['/claim@AnyBot 12', {}, { kind: 'command', command: { name: 'claim', caseId: 12 } }],
  ])('%j (%o)', (text, opts, expected) => {
    expect(parseCommand(text, opts)).toEqual(expected);
  });
});

describe('parseCommand: quoting a card leaves the number out (caseId null)', () => {
  it.each<[string, Command]>([
    ['认领', { name: 'claim', caseId: null }],
    ['接', { name: 'claim', caseId: null }],
    ['接单', { name: 'claim', caseId: null }],
    ['/claim', { name: 'claim', caseId: null }],
    ['claim', { name: 'claim', caseId: null }],
    ['已联系', { name: 'contact', caseId: null, text: '' }],
    ['联系 已电话联系市民', { name: 'contact', caseId: null, text: '已电话联系市民' }],
    ['/contact called back', { name: 'contact', caseId: null, text: 'called back' }],
    ['进展 已到现场', { name: 'note', caseId: null, text: '已到现场' }],
    ['进展：已到现场', { name: 'note', caseId: null, text: '已到现场' }],
    // 12号楼 is an address, not a case number.
    ['进展 12号楼灯已修好', { name: 'note', caseId: null, text: '12号楼灯已修好' }],
    ['/note on site', { name: 'note', caseId: null, text: 'on site' }],
    ['办结 灯泡已全部更换', { name: 'done', caseId: null, text: '灯泡已全部更换' }],
    ['/done fixed', { name: 'done', caseId: null, text: 'fixed' }],
    ['状态', { name: 'status', caseId: null }],
    ['查询', { name: 'status', caseId: null }],
    ['/status', { name: 'status', caseId: null }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual({ kind: 'command', command: expected });
  });
});

describe('parseCommand: texts are kept verbatim', () => {
  it.each<[string, Command]>([
    ['进展 12 已到现场，正在处理', { name: 'note', caseId: 12, text: '已到现场，正在处理' }],
    ['进展 １２ 已到现场，正在处理（预计明天完成）！', { name: 'note', caseId: 12, text: '已到现场，正在处理（预计明天完成）！' }],
    ['办结 12 已协调物业；灯泡更换完毕。市民满意？是：满意', { name: 'done', caseId: 12, text: '已协调物业；灯泡更换完毕。市民满意？是：满意' }],
    ['已联系 12 电话联系，约好明早上门。', { name: 'contact', caseId: 12, text: '电话联系，约好明早上门。' }],
    ['进展 12 第一步：查看现场\n第二步：联系物业', { name: 'note', caseId: 12, text: '第一步：查看现场\n第二步：联系物业' }],
    ['  进展 12 前后空白会去掉  ', { name: 'note', caseId: 12, text: '前后空白会去掉' }],
    ['进展 12 零宽\u200b字符去掉', { name: 'note', caseId: 12, text: '零宽字符去掉' }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual({ kind: 'command', command: expected });
  });
});

describe('parseCommand: wrong shapes get one helpful line', () => {
  it.each<[string, string | null]>([
    ['认领 abc', 'claim'],
    ['认领 12 abc', 'claim'],
    ['认领 -1', 'claim'],
    ['认领 1.5', 'claim'],
    ['认领 #abc', 'claim'],
    ['/claim x', 'claim'],
    ['/接 12号楼那个', 'claim'],
    ['状态 abc', 'status'],
    ['/status 12 now', 'status'],
    ['进展 12', 'note'],
    ['进展', 'note'],
    ['/note 12', 'note'],
    ['办结 12', 'done'],
    ['办结', 'done'],
    ['/done #12', 'done'],
    ['办结 #x 好了', 'done'],
    ['列表 foo', 'list'],
    ['列表 constructor', 'list'],
    ['列表 __proto__', 'list'],
    ['列表 toString', 'list'],
    ['绑定 constructor', 'bind'],
    ['绑定 __proto__ ABCD-EFGH', 'bind'],
    ['/list everything', 'list'],
    ['新建', 'new'],
    ['新建 地址｜', 'new'],
    ['新建 槐房西路 |   ', 'new'],
    ['/new', 'new'],
    ['/new addr |', 'new'],
    ['/unknown', null],
    ['/unknown 12', null],
    ['/claim12', null],
    ['/', null],
    ['/吃饭了吗', null],
  ])('%j', (text, name) => {
    const message = expectRefusal(parse(text));
    if (name) expect(message).toContain(USAGE[name as keyof typeof USAGE]);
    else expect(message).toContain('帮助');
  });

  it.each([
    ['note over the cleaned limit', `进展 12 ${'字'.repeat(MAX_COMMAND_CHARS)}`],
    ['raw text over twice the limit', `进展 12 ${'a'.repeat(MAX_COMMAND_CHARS * 2 + 1)}`],
    ['new over the limit', `新建 地址｜${'内容'.repeat(MAX_COMMAND_CHARS)}`],
  ])('%s is refused as too long', (_label, text) => {
    expect(expectRefusal(parse(text))).toContain(String(MAX_COMMAND_CHARS));
  });

  it('a note just under the limit is accepted', () => {
    const text = `进展 12 ${'字'.repeat(MAX_COMMAND_CHARS - 10)}`;
    expect(parse(text)).toMatchObject({ kind: 'command', command: { name: 'note', caseId: 12 } });
  });
});

describe('parseCommand: ordinary chat is not a command', () => {
  it.each([
    '接下来我们开会',
    '接 3 个电话',
    '接 12号楼那个',
    '接下来',
    '接着说',
    'hello',
    'Hello everyone',
    '认领的事明天说',
    '认领了吗？',
    '联系一下物业',
    '联系人：张三',
    '已联系上了吗',
    '进展如何？',
    '办结了吗',
    '状态不错',
    '查询一下天气',
    '列表发我一下',
    '帮助我一下',
    '新建的楼',
    '今天天气很好',
    '12',
    '#12',
    '',
    '   ',
    '\u3000',
    'claimed it',
    'done.',
    'helpful',
    'newest',
    '@JiesuBot 认领 12',
    '收到👍',
  ])('%j', (text) => {
    expect(parse(text)).toEqual({ kind: 'none' });
  });

  it('non-string input is not a command', () => {
    expect(parseCommand(undefined as unknown as string)).toEqual({ kind: 'none' });
    expect(parseCommand(12 as unknown as string)).toEqual({ kind: 'none' });
  });
});

/** The shape every parse result must have. */
function assertWellFormed(result: ParseResult): void {
  // 0 parses: the bot answers that #0 does not exist (a number people mistype, not a wrong form).
  const validId = (id: unknown) => id === null || (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0);
  switch (result.kind) {
    case 'none':
      expect(Object.keys(result)).toEqual(['kind']);
      return;
    case 'refusal':
      expect(typeof result.message).toBe('string');
      expect(result.message.length).toBeGreaterThan(0);
      expect(result.message).not.toMatch(/[\r\n]/);
      return;
    case 'command': {
      const c = result.command;
      switch (c.name) {
        case 'claim':
        case 'status':
          expect(validId(c.caseId)).toBe(true);
          return;
        case 'contact':
          expect(validId(c.caseId)).toBe(true);
          expect(typeof c.text).toBe('string');
          return;
        case 'note':
        case 'done':
          expect(validId(c.caseId)).toBe(true);
          expect((c.text as string).trim().length).toBeGreaterThan(0);
          return;
        case 'list':
          expect(['all', 'mine', 'overdue', 'unclaimed']).toContain(c.filter);
          return;
        case 'help':
          return;
        case 'new':
          expect((c.text as string).length).toBeGreaterThan(0);
          expect(c.address === null || (typeof c.address === 'string' && c.address.length > 0)).toBe(true);
          return;
        case 'bind':
          expect(['consult', 'street', 'community']).toContain(c.target);
          expect(c.code === null || BINDING_CODE.test(c.code as string)).toBe(true);
          expect(c.target === 'community' ? typeof c.community === 'string' && c.community.length > 0 : c.community === null).toBe(true);
          return;
        default:
          throw new Error(`unknown command ${JSON.stringify(c)}`);
      }
    }
    default:
      throw new Error(`unknown result ${JSON.stringify(result)}`);
  }
}

describe('parseCommand: property — total and well-formed on any input', () => {
  const commandWord = fc.constantFrom(...Object.values(WORDS).flat(), '/', '／', '#', '@JiesuBot', '@OtherBot', '｜', '|', '：', ' ');
  const digits = fc.oneof(fc.nat().map(String), fc.constantFrom('0', '１２', '99999999999999999999', '-3', '1e3', '12号楼', '#7'));
  const anyString = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
    fc.string({ maxLength: 60 }),
  );
  const mixed = fc
    .tuple(fc.constantFrom('', '/', '／', ' '), commandWord, fc.array(fc.oneof(commandWord, digits, anyString), { maxLength: 6 }), fc.constantFrom(' ', '', '\u3000', '\n'))
    .map(([prefix, word, parts, sep]) => `${prefix}${word}${sep}${parts.join(sep)}`);

  it('never throws; kind none | refusal | command with well-formed fields (12,000 runs)', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: anyString, weight: 1 }, { arbitrary: mixed, weight: 2 }), fc.constantFrom(BOT, {}), (text, opts) => {
        assertWellFormed(parseCommand(text, opts));
      }),
      { numRuns: 12_000, seed: 20261129 },
    );
  });

  it('a command word plus any text never throws (500 runs, long inputs)', () => {
    fc.assert(
      fc.property(commandWord, fc.string({ unit: 'binary', maxLength: 9000 }), (word, rest) => {
        assertWellFormed(parse(`${word} ${rest}`));
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
