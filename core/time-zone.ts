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

const HOUR_MS = 3_600_000;
/** Per zone, per UTC hour (epoch ms ÷ 1 h): the zone's offset in ms when it holds the whole hour, null when it changes within it. */
const hourOffsets = new Map<string, Map<number, number | null>>();
/** Hours remembered per zone before the table starts over (a few hundred KB at most). */
const MAX_HOURS = 50_000;

/** The zone's wall clock minus UTC at an instant (ms, whole seconds as Intl shows them), read from Intl. */
function intlOffset(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - Math.floor(at / 1000) * 1000;
}

/**
 * The offset at `at`. Intl's formatToParts costs microseconds and every card and reply formats
 * times, so the offset is kept per hour: read at the hour's first and last millisecond, and used for
 * the whole hour only when both agree (an offset changes at most once within an hour), else read for
 * the instant itself.
 */
function offsetAt(at: number, timeZone: string): number {
  let hours = hourOffsets.get(timeZone);
  if (!hours) hourOffsets.set(timeZone, (hours = new Map()));
  const hour = Math.floor(at / HOUR_MS);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const first = intlOffset(hour * HOUR_MS, timeZone);
    offset = first === intlOffset(hour * HOUR_MS + HOUR_MS - 1, timeZone) ? first : null;
    if (hours.size >= MAX_HOURS) hours.clear();
    hours.set(hour, offset);
  }
  return offset ?? intlOffset(at, timeZone);
}

/** Calendar fields of an instant in a zone. */
export function zonedParts(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const wall = new Date(Math.floor(at / 1000) * 1000 + offsetAt(at, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() };
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
