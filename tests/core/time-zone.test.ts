/** zonedParts (offsets kept per hour) reads every instant as Intl does, across offset changes. */
import { describe, expect, it } from 'vitest';
import { zonedParts } from '../../core/time-zone';

function intlParts(at: number, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

describe('zonedParts', () => {
  // Shanghai (no DST; LMT +08:05:43 before 1928), New York and Lord Howe (30-minute DST), Kathmandu (+05:45).
  const zones = ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
  const instants: number[] = [];
  // Every 7 minutes 13 seconds around the 2026 changes of New York (Mar 8, Nov 1) and Lord Howe (Apr 5, Oct 4).
  for (const day of [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1), Date.UTC(2026, 3, 4), Date.UTC(2026, 9, 3)]) {
    for (let t = day - 86_400_000; t < day + 2 * 86_400_000; t += 433_000) instants.push(t + 123);
  }
  // Shanghai's change from local mean time, 1927-12-31 23:54:17 UTC, and negative instants.
  for (let t = Date.UTC(1927, 11, 31, 22); t < Date.UTC(1928, 0, 1, 2); t += 17_017) instants.push(t);
  instants.push(-1, 0, 1, 1_796_300_242_565);

  it.each(zones)('in %s, as Intl reads it', (zone) => {
    for (const at of instants) expect(zonedParts(at, zone), `${zone} ${at}`).toEqual(intlParts(at, zone));
  });
});
