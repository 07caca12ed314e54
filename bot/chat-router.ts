import type { CaseStore, ChatSender, Logger, OutgoingMessage, PlatformChat } from '../core/ports';
import { errorSummary, parseChatAddress, parsePrivateAddress } from './app';

/**
 * Sends each outbox message to every chat its group lives in, on every running platform: the chats
 * a platform knows by itself (console: every group) and the stored bindings. Each delivery to a chat
 * is recorded, so a retry after a partial failure does not send twice to the chats that got it, and
 * a quote-reply on any platform finds its case.
 */
export class ChatRouter implements ChatSender {
  private readonly platforms = new Map<string, PlatformChat>();

  constructor(
    private readonly store: CaseStore,
    platforms: PlatformChat[],
    private readonly logger: Logger,
    private readonly clock: () => number,
    /** Told when a platform says the bot is no longer in a chat; the chat is already unbound then. */
    private readonly onChatGone: (info: { platform: string; chatId: string; group: string | null; reason: string }) => Promise<void> = async () => {},
  ) {
    for (const p of platforms) this.platforms.set(p.platform, p);
  }

  targets(group: string): { platform: string; chatId: string }[] {
    const direct = parseChatAddress(group);
    if (direct) return [direct];
    const out: { platform: string; chatId: string }[] = [];
    for (const p of this.platforms.values()) for (const chatId of p.staticChatIds?.(group) ?? []) out.push({ platform: p.platform, chatId });
    for (const b of this.store.chatsForGroup(group)) {
      if (!out.some((t) => t.platform === b.platform && t.chatId === b.chatId)) out.push(b);
    }
    return out;
  }

  async send(msg: OutgoingMessage): Promise<{ messageId: string | null }> {
    const direct = parsePrivateAddress(msg.group);
    if (direct) return this.sendPrivate(direct.platform, direct.userId, msg);
    const done = this.store.sentTargets(msg.outboxId);
    let first: string | null = null;
    const targets = this.targets(msg.group).filter((t) => this.platforms.has(t.platform));
    // Nowhere to send yet (the group is not bound on a running platform): keep it queued — it is
    // delivered once someone binds the group, never dropped.
    if (targets.length === 0) throw new NoChatForGroupError(msg.group);
    for (const t of targets) {
      const platform = this.platforms.get(t.platform)!;
      if (done.some((d) => d.platform === t.platform && d.chatId === t.chatId)) continue;
      try {
        const { messageId } = await platform.sendTo(t.chatId, msg);
        this.store.recordSent({ platform: t.platform, chatId: t.chatId, messageId, outboxId: msg.outboxId, caseId: msg.caseId, kind: msg.kind, at: this.clock() });
        first ??= messageId;
      } catch (err) {
        if ((err as { chatGone?: unknown }).chatGone !== true) throw err;
        const group = this.store.groupForChat(t.platform, t.chatId);
        this.store.unbindChat(t.platform, t.chatId);
        this.logger.warn({ platform: t.platform, chatId: t.chatId, group, err: errorSummary(err) }, 'bot is no longer in this chat: unbound');
        await this.onChatGone({ platform: t.platform, chatId: t.chatId, group, reason: errorSummary(err).message });
      }
    }
    return { messageId: first };
  }

  /** One-to-one, on the platform the person wrote from. Never falls back to a group. */
  private async sendPrivate(platformName: string, userId: string, msg: OutgoingMessage): Promise<{ messageId: string | null }> {
    const platform = this.platforms.get(platformName);
    if (!platform?.sendPrivate) throw new PrivateUnreachableError(platformName);
    if (this.store.sentTargets(msg.outboxId).length > 0) return { messageId: null };
    try {
      const { messageId } = await platform.sendPrivate(userId, msg);
      this.store.recordSent({ platform: platformName, chatId: `~${userId}`, messageId, outboxId: msg.outboxId, caseId: msg.caseId, kind: msg.kind, at: this.clock() });
      return { messageId };
    } catch (err) {
      if ((err as { permanent?: unknown }).permanent === true) throw new PrivateUnreachableError(platformName, { cause: err });
      throw err;
    }
  }
}

/** A person could not be reached one-to-one (never opened a chat with the bot, or the platform has none). */
export class PrivateUnreachableError extends Error {
  readonly code = 'private_unreachable';
  readonly permanent = true;
  constructor(readonly platform: string, options?: { cause?: unknown }) {
    super(`cannot send privately on ${platform}`, options);
    this.name = 'PrivateUnreachableError';
  }
}

/** The group has no chat on any running platform yet; the message waits in the outbox. */
export class NoChatForGroupError extends Error {
  readonly code = 'no_chat_for_group';
  readonly permanent = false;
  constructor(readonly group: string) {
    super(`group ${group} is not bound to any chat yet`);
    this.name = 'NoChatForGroupError';
  }
}
