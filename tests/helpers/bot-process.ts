/**
 * Runs the real bot (`tsx main.ts`) as a child process, the way a street office runs it:
 * stdin carries console lines, stdout carries `<group> << …` chat lines, HTTP on a free port.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(import.meta.dirname, '..', '..');

/** One bot message as printed on stdout. */
export interface PrintedMessage {
  group: string;
  n: number;
  text: string;
}

export class BotProcess {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly messages: PrintedMessage[] = [];
  readonly stdoutLines: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];

  constructor(env: Record<string, string>, args: string[] = []) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
    this.proc.stderr.on('data', (d) => (this.stderr += String(d)));
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      this.stdoutLines.push(line);
      const first = /^(\S+) << \[(\d+)\] (.*)$/.exec(line);
      const more = /^(\S+) << (.*)$/.exec(line);
      if (first) this.messages.push({ group: first[1]!, n: Number(first[2]), text: first[3]! });
      else if (more && this.messages.length > 0) this.messages[this.messages.length - 1]!.text += `\n${more[2]}`;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Types a console line (`<group> <sender>: <text>`). */
  type(line: string): void {
    this.proc.stdin.write(`${line}\n`);
  }

  /** Resolves with the first message matching `pred` (already printed or still to come). */
  waitFor(pred: (m: PrintedMessage) => boolean, what: string, timeoutMs = 20_000): Promise<PrintedMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for ${what}.\nstdout:\n${this.stdoutLines.slice(-40).join('\n')}\nstderr:\n${this.stderr.slice(-3000)}`));
      }, timeoutMs);
      const check = () => {
        const found = this.messages.find(pred);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else this.waiters.push(check);
      };
      void this.exited.then(() => {
        if (!this.messages.find(pred)) {
          clearTimeout(timer);
          reject(new Error(`bot exited while waiting for ${what}.\nstderr:\n${this.stderr.slice(-3000)}`));
        }
      });
      check();
    });
  }

  /** Waits for /healthz to answer 200. */
  async ready(port: number, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (this.proc.exitCode !== null) throw new Error(`bot exited early:\n${this.stderr}`);
      if (Date.now() > until) throw new Error(`bot not ready on ${port}:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.proc.kill(signal);
    return this.exited;
  }
}
