/**
 * A progress bar for a long import, written to stderr so stdout stays clean. On a terminal it
 * redraws one line (`导入 [██████░░░░░░░░░░░░░░] 1500/5000 30%`); in a log file (not a TTY) it
 * writes a line at each tenth instead of hundreds of carriage returns.
 */

export interface ProgressOutput {
  write(text: string): unknown;
  /** True on a terminal (process.stderr.isTTY). */
  isTTY?: boolean;
}

export interface ProgressBar {
  /** Rows done out of all rows; call after each batch. */
  update(done: number, total: number): void;
  /** Ends the bar's line (call once, after the import). */
  finish(): void;
}

/** Width of the bar in characters. */
const WIDTH = 20;

export function createProgressBar(out: ProgressOutput, label = '导入'): ProgressBar {
  let drawn = false;
  let lastTenth = -1;
  return {
    update(done, total) {
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const percent = Math.floor(share * 100);
      if (out.isTTY) {
        const full = Math.round(share * WIDTH);
        out.write(`\r${label} [${'█'.repeat(full)}${'░'.repeat(WIDTH - full)}] ${done}/${total} ${percent}%`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      out.write(`${label} ${done}/${total} ${percent}%\n`);
    },
    finish() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
