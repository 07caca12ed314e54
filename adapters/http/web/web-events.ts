/**
 * What the web console's pages hear without reloading (server-sent events): case changes, told by
 * the app after each commit, and — with CHAT=console — the bot's console messages for the chat
 * simulator. In-process: the app, the workers and the HTTP server share one process.
 */

/** A bot message printed on the console, as the simulator shows it. */
export interface ChatLine {
  group: string;
  id: string;
  text: string;
  mentions: string[];
  attachment: string | null;
  /** Epoch ms it was printed. */
  at: number;
}

export type WebEvent = { type: 'case'; caseId: number } | { type: 'chat'; line: ChatLine };

/** Most chat lines kept per group for a pane opened later. */
export const CHAT_HISTORY = 100;

export class WebEvents {
  private readonly listeners = new Set<(e: WebEvent) => void>();
  private readonly history = new Map<string, ChatLine[]>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** The app committed a change of this case (AppDeps.onCaseChanged). Never throws into the app. */
  readonly caseChanged = (caseId: number): void => {
    // After the caller's transaction has returned: listeners read the committed row.
    setImmediate(() => this.emit({ type: 'case', caseId }));
  };

  /** The console printed a group message (ConsoleChatOptions.onSent). */
  readonly chatPrinted = (m: Omit<ChatLine, 'at'>): void => {
    const line: ChatLine = { ...m, at: this.clock() };
    const list = this.history.get(m.group) ?? [];
    list.push(line);
    if (list.length > CHAT_HISTORY) list.splice(0, list.length - CHAT_HISTORY);
    this.history.set(m.group, list);
    this.emit({ type: 'chat', line });
  };

  /** The last messages of a group, oldest first. */
  recentChat(group: string): ChatLine[] {
    return [...(this.history.get(group) ?? [])];
  }

  subscribe(listener: (e: WebEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: WebEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A listener is one browser's stream: its failure is its own.
      }
    }
  }
}
