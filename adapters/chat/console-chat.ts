import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { IncomingMessage, OutgoingMessage, PlatformChat } from '../../core/ports';
import { readConsolePhoto } from './console-photo';

/**
 * The console chat (SPEC "Console adapter"), the embedded default.
 * In:  `<groupKey> <sender>: <text>`, or `<groupKey> <sender> > <n>: <text>` to quote bot message n;
 *      a text starting `[图片 /path/to/file.jpg]` sends that photo with the rest as its caption.
 * Out: `<groupKey> << [n] <first line>`, then `<groupKey> << <line>` for each further line, and for a
 *      picture or file `<groupKey> << 📎 <saved path>` last.
 * The bot message number n is the outbox row id: stable across restarts.
 */
export interface ConsoleChatOptions {
  input: Readable;
  output: Writable;
  /** Every configured group key exists in console mode. */
  groups: ReadonlySet<string>;
  onMessage: (msg: IncomingMessage) => Promise<void>;
  /** Where a malformed line is explained (stderr: stdout carries only chat lines). */
  onBadLine: (explanation: string) => void;
  /** Told of each group message once printed (the web console's chat simulator); private lines are not passed on. */
  onSent?: (msg: { group: string; id: string; text: string; mentions: string[]; attachment: string | null }) => void;
}

const LINE = /^(\S+)\s+([^:：>]+?)\s*(?:>\s*(\d+)\s*)?[:：]\s?(.*)$/;

/** Parses one console input line; null when it does not have the shape. */
export function parseConsoleLine(line: string): { group: string; sender: string; quoted: string | null; text: string } | null {
  const m = LINE.exec(line);
  if (!m) return null;
  return { group: m[1]!, sender: m[2]!.trim(), quoted: m[3] ?? null, text: m[4]! };
}

/** On the console a person is their name: `@王芳` mentions id 王芳. */
export function mentionsOf(text: string): { id: string; name: string }[] {
  return [...text.matchAll(/@([^\s@,，、]+)/g)].map((m) => ({ id: m[1]!, name: m[1]! }));
}

export class ConsoleChat implements PlatformChat {
  readonly platform = 'console';
  private rl: Interface | null = null;
  private readonly ended: Promise<void>;
  private endInput!: () => void;

  constructor(private readonly opts: ConsoleChatOptions) {
    this.ended = new Promise((resolve) => (this.endInput = resolve));
  }

  /** Every configured group exists on the console. */
  staticChatIds(group: string): string[] {
    return this.opts.groups.has(group) ? [group] : [];
  }

  async sendTo(_chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    const id = String(msg.outboxId);
    const mentions = msg.mentions.map((m) => `@${m.name} `).join('');
    const lines = msg.text.split('\n');
    // A picture or file is the saved path, on its own line after the text (one write: never half a message).
    if (msg.attachment) lines.push(`📎 ${msg.attachment.path}`);
    const out = lines.map((l, i) => (i === 0 ? `${msg.group} << [${id}] ${mentions}${l}` : `${msg.group} << ${l}`)).join('\n');
    await new Promise<void>((resolve, reject) => this.opts.output.write(`${out}\n`, (err) => (err ? reject(err) : resolve())));
    if (!msg.group.startsWith('@')) this.opts.onSent?.({ group: msg.group, id, text: msg.text, mentions: msg.mentions.map((m) => m.name), attachment: msg.attachment?.name ?? null });
    return { messageId: id };
  }

  /** A private line: `@<person> << [n] text` (SPEC "Web console": the console's private answer). */
  async sendPrivate(userId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    return this.sendTo(userId, { ...msg, group: `@${userId}`, mentions: [] });
  }

  /** Starts reading; lines are handled one after another, in order. */
  start(): void {
    this.rl = createInterface({ input: this.opts.input, terminal: false, crlfDelay: Infinity });
    let chain = Promise.resolve();
    this.rl.on('line', (line) => {
      chain = chain.then(() => this.handleLine(line));
    });
    this.rl.on('close', () => void chain.then(() => this.endInput()));
  }

  /** Resolves when input has ended and every line read was handled. */
  inputEnded(): Promise<void> {
    return this.ended;
  }

  stop(): void {
    this.rl?.close();
  }

  private async handleLine(raw: string): Promise<void> {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parsed = parseConsoleLine(line);
    if (!parsed) {
      this.opts.onBadLine('格式：<群key> <发送人>: <文字>，例如「zhangyi 王芳: 认领 3」；引用：「zhangyi 王芳 > 5: 认领」');
      return;
    }
    if (!this.opts.groups.has(parsed.group)) {
      this.opts.onBadLine(`没有群「${parsed.group}」，可用：${[...this.opts.groups].join(', ')}`);
      return;
    }
    const photo = await readConsolePhoto(parsed.text);
    if (photo && 'error' in photo) {
      this.opts.onBadLine(photo.error);
      return;
    }
    const text = photo ? photo.text : parsed.text;
    try {
      await this.opts.onMessage({ platform: 'console', chatId: parsed.group, group: parsed.group, sender: { id: parsed.sender, name: parsed.sender }, text, quotedMessageId: parsed.quoted, mentions: mentionsOf(text), ...(photo ? { media: photo.media } : {}) });
    } catch (err) {
      this.opts.onBadLine(`处理失败：${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
