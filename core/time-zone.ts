/**
 * Wall-clock formatting in the street's time zone (default Asia/Shanghai). Pure: the instant is passed in.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function partsFromIntl(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

const HOUR_MS = 3_600_000;
/** The zone's UTC offset at an instant, whole seconds (what the Intl fields say minus the instant). */
function offsetAt(at: number, timeZone: string): number {
  const p = partsFromIntl(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/**
 * Offsets per zone and UTC hour, for hours whose offset is the same at both ends (every hour but one
 * with a change; tzdb changes at most once within an hour). formatToParts cost ~8 µs a call and every
 * card, reminder and reply formats several times; the cache answers in arithmetic. Bounded: cleared when full.
 */
const hourOffsets = new Map<string, number | null>();

/** Calendar fields of an instant in a zone. */
export function zonedParts(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const hour = Math.floor(at / HOUR_MS);
  const key = `${timeZone}|${hour}`;
  let offset = hourOffsets.get(key);
  if (offset === undefined) {
    const start = offsetAt(hour * HOUR_MS, timeZone);
    offset = start === offsetAt(hour * HOUR_MS + HOUR_MS - 1, timeZone) ? start : null;
    if (hourOffsets.size >= 20_000) hourOffsets.clear();
    hourOffsets.set(key, offset);
  }
  if (offset === null) return partsFromIntl(at, timeZone);
  const d = new Date(at + offset);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `11-29 18:30` — what a busy reader needs on a card. */
export function formatShort(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** ISO-8601 with the zone's offset, e.g. `2026-11-29T18:30:00+08:00`. */
export function formatIsoInZone(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offsetMin = Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant of a wall-clock time in a zone (`2026-12-10 18:00` in Asia/Shanghai → epoch ms). */
export function zonedTimeToMs(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  // Two passes settle the zone's offset at that instant (no DST in China, but other zones may have it).
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(at, timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    at += guess - shown;
  }
  return at;
}
