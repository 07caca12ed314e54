/** zonedParts answers from a per-hour offset cache; it must agree with Intl everywhere, DST changes included. */
import { describe, expect, it } from 'vitest';
import { formatIsoInZone, formatShort, zonedParts, zonedTimeToMs } from '../../core/time-zone';

const intlParts = (at: number, timeZone: string) => {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(new Date(at))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
};

describe('zonedParts', () => {
  it('agrees with Intl every 7 minutes across DST changes and half-hour zones', () => {
    const cases: [string, string][] = [
      ['America/New_York', '2026-03-08T06:00:00Z'], // spring forward at 07:00Z
      ['America/New_York', '2026-11-01T05:00:00Z'], // fall back at 06:00Z
      ['Europe/London', '2026-03-29T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'], // a 30-minute change
      ['Asia/Kathmandu', '2026-12-03T00:00:00Z'],
      ['Asia/Shanghai', '2026-12-31T15:00:00Z'],
    ];
    for (const [zone, from] of cases) {
      const start = Date.parse(from);
      for (let at = start; at < start + 3 * 3_600_000; at += 7 * 60_000 + 1_001) expect(zonedParts(at, zone), `${zone} ${new Date(at).toISOString()}`).toEqual(intlParts(at, zone));
    }
  });

  it('formats Beijing time', () => {
    const at = Date.parse('2026-12-03T09:41:05Z');
    expect(formatShort(at, 'Asia/Shanghai')).toBe('12-03 17:41');
    expect(formatIsoInZone(at, 'Asia/Shanghai')).toBe('2026-12-03T17:41:05+08:00');
    expect(zonedTimeToMs(2026, 12, 3, 17, 41, 'Asia/Shanghai')).toBe(Date.parse('2026-12-03T09:41:00Z'));
  });
});
