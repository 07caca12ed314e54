/**
 * Paces sends to what WeChat tolerates from one account: a minimum gap between two messages to the
 * same room, and at most `perMinute` messages in any window of `windowMs` across all rooms. Callers
 * await {@link SendPacer.wait} before each send: nothing is dropped, the caller (the outbound
 * queue's delivery) simply takes longer.
 */
export interface SendPacerOptions {
  /** Minimum gap between two messages to one room, in ms (default 1000). */
  perRoomMs?: number;
  /** Most messages per window for the whole account (default 20). */
  perMinute?: number;
  /** Length of the account window in ms (default 60 000; tests shorten it). */
  windowMs?: number;
  /** Epoch ms (injected for tests). */
  clock?: () => number;
  /** Waits `ms` (injected for tests). */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_PER_ROOM_MS = 1000;
export const DEFAULT_PER_MINUTE = 20;

export class SendPacer {
  private readonly perRoomMs: number;
  private readonly perMinute: number;
  private readonly windowMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** When each room last got (or is due to get) a message. */
  private readonly lastByRoom = new Map<string, number>();
  /** Reserved send times of the account, ascending (slots are handed out in call order). */
  private recent: number[] = [];
  private lastSlot = -Infinity;

  constructor(opts: SendPacerOptions = {}) {
    this.perRoomMs = opts.perRoomMs ?? DEFAULT_PER_ROOM_MS;
    this.perMinute = opts.perMinute ?? DEFAULT_PER_MINUTE;
    this.windowMs = opts.windowMs ?? 60_000;
    this.clock = opts.clock ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    if (this.perRoomMs < 0 || this.perMinute < 1 || this.windowMs < 1) throw new RangeError('SendPacer: perRoomMs ≥ 0, perMinute ≥ 1, windowMs ≥ 1');
  }

  /**
   * Reserves the next free slot for `roomId` and resolves when it has come; returns the slot (epoch
   * ms). Slots are first come, first served, so concurrent callers keep their order.
   */
  async wait(roomId: string): Promise<number> {
    const now = this.clock();
    this.recent = this.recent.filter((t) => t > now - this.windowMs);
    let slot = Math.max(now, this.lastSlot, (this.lastByRoom.get(roomId) ?? -Infinity) + this.perRoomMs);
    if (this.recent.length >= this.perMinute) slot = Math.max(slot, this.recent[this.recent.length - this.perMinute]! + this.windowMs);
    this.lastSlot = slot;
    this.recent.push(slot);
    this.lastByRoom.set(roomId, slot);
    // A timer may fire a millisecond early: wait until the clock really shows the slot.
    for (let left = slot - this.clock(); left > 0; left = slot - this.clock()) await this.sleep(left);
    return slot;
  }

  /**
   * Tells the pacer a send to `roomId` finished at `at`: the room's next gap counts from there, so a
   * slow send does not shorten the gap the recipients see.
   */
  sent(roomId: string, at: number = this.clock()): void {
    if (at > (this.lastByRoom.get(roomId) ?? -Infinity)) this.lastByRoom.set(roomId, at);
  }
}
