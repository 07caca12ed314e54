/**
 * Durations as written in the street's YAML: a number and a unit, e.g. `90s`, `30m`, `2h`, `7d`.
 * Returns milliseconds, or null when the text is not a duration.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMs(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}

/** Short Chinese form of a duration for messages: 30分钟, 2小时, 7天. */
export function formatDurationZh(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}天`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}小时`;
  if (ms % 60_000 === 0) return `${ms / 60_000}分钟`;
  return `${Math.round(ms / 1000)}秒`;
}
