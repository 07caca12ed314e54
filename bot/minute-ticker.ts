/**
 * A periodic job that sends what is owed (reports, handovers, notices): ticks every `everyMs`
 * (default one minute) and once at start; `everyMs: 0` never ticks by itself (tests call `tick`).
 * Ticks never overlap within a process — a slow one makes the next caller wait and get nothing, so
 * the same key is never worked on twice at once. What was sent is kept in the database by the caller.
 */
export interface Ticker {
  /** One tick now; returns the keys this process sent. */
  tick(): Promise<string[]>;
  stop(): void;
}

export function startTicker(runTick: () => Promise<string[]>, everyMs = 60_000): Ticker {
  let running: Promise<string[]> | null = null;
  const tick = async (): Promise<string[]> => {
    if (running) return running.then(() => []);
    running = runTick();
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const timer = everyMs > 0 ? setInterval(() => void tick().catch(() => undefined), everyMs) : null;
  timer?.unref?.();
  if (everyMs > 0) void tick().catch(() => undefined);
  return {
    tick,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
