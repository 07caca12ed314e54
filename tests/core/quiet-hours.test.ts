import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_QUIET_HOURS, isQuiet, parseQuietHours } from '../../core/time/quiet-hours';
import { quietHoursSchema } from '../../core/duty/duty-config';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);

describe('parseQuietHours', () => {
  it.each([
    ['22:00-08:00', 1320, 480],
    ['22:00 - 08:00', 1320, 480],
    ['23:30-06:15', 1410, 375],
    ['00:00-06:00', 0, 360],
    ['12:00-14:00', 720, 840],
    ['23:59-00:00', 1439, 0],
  ])('%s → %d..%d', (text, fromMin, toMin) => {
    expect(parseQuietHours(text)).toEqual({ ok: true, fromMin, toMin });
  });

  it.each(['99:99-08:00', '22:00-99:99', '24:00-08:00', '22:00-24:00', '22:60-08:00', '2200-0800', '22:00', '', '7:00-8:00', '22:00-08:00-09:00', 'abc', '22:00-22:00'])(
    '%j is refused, naming the key',
    (text) => {
      const r = parseQuietHours(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^quietHours: /);
    },
  );

  it('the default is 22:00-08:00', () => {
    expect(parseQuietHours('22:00-08:00')).toEqual({ ok: true, ...DEFAULT_QUIET_HOURS });
  });
});

describe('isQuiet', () => {
  const night = { fromMin: 22 * 60, toMin: 8 * 60 };
  const noon = { fromMin: 12 * 60, toMin: 14 * 60 };
  it.each([
    [night, '2026-10-01T21:59:59', false],
    [night, '2026-10-01T22:00:00', true],
    [night, '2026-10-01T23:59:00', true],
    [night, '2026-10-02T00:00:00', true],
    [night, '2026-10-02T07:59:59', true],
    [night, '2026-10-02T08:00:00', false],
    [night, '2026-10-02T12:00:00', false],
    [noon, '2026-10-02T11:59:00', false],
    [noon, '2026-10-02T12:00:00', true],
    [noon, '2026-10-02T13:59:00', true],
    [noon, '2026-10-02T14:00:00', false],
    [noon, '2026-10-02T23:00:00', false],
  ])('%j at %s → %s', (quiet, local, expected) => {
    expect(isQuiet(at(local), quiet, TZ)).toBe(expected);
  });

  it('reads the clock in the given zone', () => {
    const instant = Date.parse('2026-10-01T15:00:00Z'); // 23:00 in Shanghai, 15:00 in London (BST 16:00)
    expect(isQuiet(instant, DEFAULT_QUIET_HOURS, TZ)).toBe(true);
    expect(isQuiet(instant, DEFAULT_QUIET_HOURS, 'Europe/London')).toBe(false);
  });
});

describe('quietHoursSchema', () => {
  const street = z.object({ quietHours: quietHoursSchema });
  it('gives minutes, with the default when the key is absent', () => {
    expect(street.parse({})).toEqual({ quietHours: DEFAULT_QUIET_HOURS });
    expect(street.parse({ quietHours: '23:00-07:00' })).toEqual({ quietHours: { fromMin: 1380, toMin: 420 } });
  });
  it('a malformed value is an error at the key', () => {
    const r = street.safeParse({ quietHours: '99:99' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['quietHours']);
    expect(r.error?.issues[0]?.message).toContain('HH:MM-HH:MM');
  });
});
