/**
 * R5: property-based fuzzing (fast-check) of the command parser and the intake validator — over
 * 100,000 generated inputs in all: Unicode, very long, control characters, emoji, half- and
 * full-width digits, injected SQL and markup. No throw escapes; every input is a valid command, a
 * one-line refusal, or (ordinary chat) nothing. And the HTTP intake answers malformed bodies with
 * 400 naming the field, never 500.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeServer } from '../../adapters/intake/http-intake-server';
import { BINDING_CODE, parseCommand, type Command, type ParseResult } from '../../core/commands';
import { validateIntake } from '../../core/intake';
import { ROOT } from '../helpers/bot-process';
import { loadTestStreet, silentLogger, startHarness, type Harness } from '../helpers/harness';

const counts = { parser: 0, validator: 0, http: 0 };
const kinds = { command: 0, refusal: 0, none: 0, valid: 0, invalid: 0 };

const WORDS = ['认领', '接单', '接', '已联系', '联系', '进展', '办结', '状态', '查询', '列表', '帮助', '新建', '绑定', 'claim', 'contact', 'note', 'done', 'status', 'list', 'help', 'new', 'bind', 'CLAIM', 'Claim@JiesuBot', 'claim@OtherBot'];
const INJECTIONS = [
  "'; DROP TABLE cases; --", '" OR 1=1 --', "1); DELETE FROM outbox; --", "Robert'); DROP TABLE case_events;--", '%00', '\\x00',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '**bold** _it_ `code` [link](http://x)', '${process.exit(1)}', '{{7*7}}', '__proto__', 'constructor', '@all', '@所有人',
];
const SEPARATORS = ['', ' ', '  ', '\u3000', '\t', '#', '＃', '：', ':', '\n', '\u200b', '\u00a0'];
const FULL_WIDTH_DIGITS = '０１２３４５６７８９';

/** Digits as people type them: half-width, full-width, mixed, huge, signed, fractional. */
const numberish = fc.oneof(
  fc.nat().map(String),
  fc.nat().map((n) => [...String(n)].map((d) => FULL_WIDTH_DIGITS[Number(d)]).join('')),
  fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('', '#12', '１２号', '12号楼', '0', '-0', '00012', '1e3', '0x1F', 'Infinity', 'NaN'),
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 20 }),
  fc.constantFrom(...INJECTIONS),
  fc.constantFrom('😀', '👨‍👩‍👧‍👦', '🇨🇳', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\u2028', '\ufeff', '\ud800', 'Ａ', '（）', '｜', '|'),
);
/** Command-shaped messages: a prefix, a command word, separators, a number-ish token, a tail. */
const commandish = fc
  .tuple(fc.constantFrom('', '/', '／', ' ', '@JiesuBot '), fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS), numberish, fc.constantFrom(...SEPARATORS), fc.array(anyText, { maxLength: 4 }))
  .map(([p, w, s1, n, s2, tail]) => `${p}${w}${s1}${n}${s2}${tail.join(' ')}`);
const veryLong = fc.tuple(fc.constantFrom(...WORDS, ''), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), fc.integer({ min: 3_000, max: 20_000 })).map(([w, chunk, n]) => `${w} 12 ${chunk.repeat(Math.ceil(n / chunk.length))}`);

const LIST_FILTERS = new Set(['all', 'mine', 'overdue', 'unclaimed']);
const BIND_TARGETS = new Set(['consult', 'street', 'community']);

/** A parse result is total and well-formed: a valid command, a one-line refusal, or nothing. */
function checkParse(r: ParseResult): void {
  counts.parser++;
  kinds[r.kind]++;
  if (r.kind === 'refusal') {
    expect(r.message.length).toBeGreaterThan(0);
    expect(r.message).not.toMatch(/[\r\n\u2028\u2029]/);
    return;
  }
  if (r.kind === 'none') return;
  const c: Command = r.command;
  if ('caseId' in c && c.caseId !== null) {
    expect(Number.isSafeInteger(c.caseId)).toBe(true);
    // 0 parses (the bot then answers that #0 does not exist), never negative or fractional.
    expect(c.caseId).toBeGreaterThanOrEqual(0);
  }
  if ('text' in c) expect(typeof c.text).toBe('string');
  if (c.name === 'list') expect(LIST_FILTERS.has(c.filter as string)).toBe(true);
  if (c.name === 'new') expect((c.text as string).length).toBeGreaterThan(0);
  if (c.name === 'bind') {
    expect(BIND_TARGETS.has(c.target as string)).toBe(true);
    if (c.code !== null) expect(c.code).toMatch(BINDING_CODE);
  }
}

const parse = (text: string) => {
  let r: ParseResult;
  expect(() => (r = parseCommand(text, { botUsername: 'JiesuBot' }))).not.toThrow();
  checkParse(r!);
};

describe('R5: the command parser', () => {
  it('free text of every kind (40,000)', () => fc.assert(fc.property(anyText, parse), { numRuns: 40_000 }));
  it('command-shaped text with odd numbers, separators and tails (40,000)', () => fc.assert(fc.property(commandish, parse), { numRuns: 40_000 }));
  it('very long messages (500)', () => fc.assert(fc.property(veryLong, parse), { numRuns: 500 }));
});

const KNOWN = new Set(Object.keys(loadTestStreet().groupNames));
const FIELDS = ['hotlineNo', 'content', 'address', 'category', 'type', 'urgency', 'resolveBy', 'reportedAt', 'citizen', 'community'];
const fieldValue = fc.oneof(anyText, fc.string({ maxLength: 6000 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), { maxKeys: 3 }), numberish, fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString())));
const intakeish = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), fieldValue, { maxKeys: 12 });

function checkValidation(raw: unknown): void {
  let v!: ReturnType<typeof validateIntake>;
  expect(() => (v = validateIntake(raw, KNOWN))).not.toThrow();
  counts.validator++;
  if (v.ok) {
    kinds.valid++;
    expect(v.value.hotlineNo).toMatch(/^[\p{L}\p{N}_\-.:/#]{1,64}$/u);
    expect(v.value.content.trim().length).toBeGreaterThan(0);
  } else {
    kinds.invalid++;
    expect(v.error.length).toBeGreaterThan(0);
    expect(v.field === '(body)' || FIELDS.includes(v.field.split('.')[0]!)).toBe(true);
  }
}

describe('R5: the intake validator', () => {
  it('anything at all (5,000)', () => fc.assert(fc.property(fc.anything(), checkValidation), { numRuns: 5_000 }));
  it('objects with contract fields of every type and value (15,000)', () => fc.assert(fc.property(intakeish, checkValidation), { numRuns: 15_000 }));
  it('a valid work order with fuzzed text (5,000)', () =>
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_\-.:/#]{1,64}$/), anyText, anyText, (hotlineNo, content, address) => checkValidation({ hotlineNo, content, address, citizen: { name: content, phone: address } })),
      { numRuns: 5_000 },
    ));
});

/** One field made wrong in a way the contract forbids; the 400 must name exactly that field. */
const BAD: [field: string, value: unknown][] = [
  ['hotlineNo', ''], ['hotlineNo', '   '], ['hotlineNo', 'has space'], ['hotlineNo', 'x'.repeat(65)], ['hotlineNo', {}], ['hotlineNo', true], ['hotlineNo', -1], ['hotlineNo', 1.5], ['hotlineNo', null], ['hotlineNo', "1'; DROP TABLE cases;--"], ['hotlineNo', '<b>1</b>'],
  ['content', ''], ['content', ' \t '], ['content', 'x'.repeat(5001)], ['content', 123], ['content', []], ['content', null],
  ['address', 'x'.repeat(201)], ['address', 123], ['address', {}],
  ['category', 'x'.repeat(101)], ['category', 5],
  ['type', 'foo'], ['type', 1], ['type', '投诉 '],
  ['urgency', 'high'], ['urgency', 2], ['urgency', 'URGENT'],
  ['resolveBy', 'tomorrow'], ['resolveBy', '2026-02-30T10:00:00+08:00'], ['resolveBy', '2026-01-01T10:00:00'], ['resolveBy', 5], ['resolveBy', '２０２６-01-01T10:00:00+08:00'],
  ['reportedAt', 'now'], ['reportedAt', '2026-13-01T10:00:00Z'], ['reportedAt', []],
  ['citizen', 'str'], ['citizen', 5], ['citizen.name', 'x'.repeat(51)], ['citizen.phone', 7],
  ['community', 'nosuchgroup'], ['community', 'x'.repeat(65)], ['community', 3],
];

let h: Harness;
let server: ReturnType<typeof createIntakeServer>;
let base: string;
afterAll(() => {
  console.log(
    `R5 fuzzing: inputs checked ${counts.parser + counts.validator + counts.http} (parser ${counts.parser}: ${kinds.command} commands, ${kinds.refusal} refusals, ${kinds.none} ordinary chat; validator ${counts.validator}: ${kinds.valid} valid, ${kinds.invalid} refused; HTTP ${counts.http}), throws escaped 0, HTTP 500s 0`,
  );
});

async function post(body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  counts.http++;
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('R5: the HTTP intake', () => {
  // Started here, not at file level: the synchronous fuzzing above would starve its Redis connect.
  beforeAll(async () => {
    h = await startHarness({ name: 'r5', workers: false, config: loadTestStreet(join(ROOT, 'config', 'street.yaml')) });
    server = createIntakeServer({ app: h.app, token: null, redisHealthy: async () => true, logger: silentLogger });
    const { port } = await server.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${port}/api/cases`;
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });
  let seq = 0;
  it('a body wrong in one field gets 400 naming that field (1,000)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BAD), anyText, async ([field, value], noise) => {
        const body: Record<string, unknown> = { hotlineNo: `R5-${++seq}`, content: `路灯不亮 ${noise}`.slice(0, 4000), address: '张仪村' };
        if (field.startsWith('citizen.')) body.citizen = { [field.slice(8)]: value };
        else body[field] = value;
        const { status, json } = await post(JSON.stringify(body));
        expect(status).toBe(400);
        expect(json.field).toBe(field);
        expect(String(json.error)).toContain(field);
      }),
      { numRuns: 1_000 },
    );
  });

  it('any body at all — broken JSON, scalars, arrays, junk objects — never gets a 500 (1,500)', async () => {
    const rawBody = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
      intakeish.map((o) => JSON.stringify(o)),
      fc.array(intakeish, { maxLength: 5 }).map((a) => JSON.stringify(a)),
      fc.constantFrom('{', '[', '{"hotlineNo":', '[{}, 1, "x", null]', '{"__proto__": {"admin": true}}', '\u0000', '{"hotlineNo":"a","content":"b"}garbage'),
    );
    await fc.assert(
      fc.asyncProperty(rawBody, async (text) => {
        const { status, json } = await post(text);
        expect([200, 201, 400, 413]).toContain(status);
        if (status === 400) {
          expect(typeof json.field).toBe('string');
          expect(String(json.field).length).toBeGreaterThan(0);
        }
        if (status === 200 && Array.isArray(json.results)) {
          for (const r of json.results as { status: number; field?: string }[]) {
            expect([200, 201, 400]).toContain(r.status);
            if (r.status === 400) expect(typeof r.field).toBe('string');
          }
        }
      }),
      { numRuns: 1_500 },
    );
  });
});
