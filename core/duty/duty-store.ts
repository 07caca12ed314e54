import type { DutyChange } from './roster';

/**
 * The port for the duty roster's changes made in chat (值班 设置 / 值班 换班, table `duty_changes`) and
 * for notices that must go out once per key whatever restarts (交班, 研判, the calendar warning —
 * table `sent_reports`).
 */

export interface StoredDutyChange {
  id: number;
  change: DutyChange;
  /** Who made it (display name), or null. */
  by: string | null;
  /** Epoch ms. */
  at: number;
}

export interface DutyStore {
  /** Every change, oldest first. */
  listDutyChanges(): StoredDutyChange[];
  /** The id of the latest change (0 when none): a cheap check whether the roster must be rebuilt. */
  lastDutyChangeId(): number;
  /** Stores a change; returns its id. */
  addDutyChange(change: DutyChange, by: string | null, at: number): number;
  /** Whether a notice with this key was sent. */
  isNoticeSent(key: string): boolean;
  /** True for the one caller that records the key (INSERT OR IGNORE; call inside the outbox transaction). */
  claimNotice(key: string, at: number): boolean;
}
