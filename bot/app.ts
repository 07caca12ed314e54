import { parseCommand, type Command } from '../core/commands';
import { decideCaseCommand, decideDue, decideIntakeEffects, firstMilestone, send, type DecideContext, type Decision } from '../core/decide';
import { newCaseFromIntake, validateIntake } from '../core/intake';
import type { CaseStore, IncomingMessage, JobRef, Logger, NewOutboxRow, ScheduleItem, WorkDispatcher } from '../core/ports';
import type { StreetConfig } from '../core/street-config';
import { helpText, listLine, listText } from '../core/texts';
import { formatIsoInZone as isoInZone } from '../core/time-zone';
import type { Actor, Case, CaseSource, Effect, MilestoneKind, Role } from '../core/types';

/**
 * The application: three entries — a chat message, an intake, a due deadline. Each decides with
 * `core/`, writes the case change, its ledger events and the messages it causes in one SQLite
 * transaction (the outbox), and only then hands work to the queues. A crash between the two loses
 * nothing: the reconciler re-enqueues from the database.
 */

export interface AppDeps {
  store: CaseStore;
  config: StreetConfig;
  dispatcher: WorkDispatcher;
  logger: Logger;
  /** Epoch ms; injected so tests and core stay clock-free. */
  clock: () => number;
  /** Makes hotline numbers for cases typed in chat (新建). */
  newHotlineNo?: (now: number) => string;
  /** Telegram-style bot username, for `/claim@Bot`. */
  botUsername?: string;
}

export interface IntakeOutcome {
  /** 201 created, 200 already known, 400 invalid. */
  status: 201 | 200 | 400;
  body: IntakeResponse | { error: string; field: string };
  case?: Case;
}

/** What a chat command came to: adapters with their own feedback (a button's toast) show `message`. */
export interface CommandResult {
  ok: boolean;
  /** One line for the person who typed or pressed. */
  message: string;
  caseId: number | null;
}

export interface HandleOptions {
  /** Return a refusal instead of posting it in the chat (a button press answers with a toast). */
  quietRefusals?: boolean;
}

type Reply = (text: string, caseId?: number | null) => Promise<CommandResult>;

export interface IntakeResponse {
  id: number;
  hotlineNo: string;
  status: Case['status'];
  group: string;
  respondBy: string;
  resolveBy: string;
}

/** How many times a command re-decides after losing a concurrent update (then reports a busy case). */
const MAX_RETRIES = 5;
/** 列表 shows at most this many lines; the rest are counted. */
const LIST_LIMIT = 20;

export type App = ReturnType<typeof createApp>;

export function createApp(deps: AppDeps) {
  const { store, config, dispatcher, logger, clock } = deps;
  const knownGroups = new Set(Object.keys(config.groupNames));
  const leaders = config.people.filter((p) => p.role === 'leader').map((p) => ({ id: p.id ?? p.name, name: p.name }));
  const routing = { communities: config.communities, sections: config.sections };
  let hotlineSeq = 0;
  const newHotlineNo = deps.newHotlineNo ?? ((now: number) => `CHAT-${now.toString(36).toUpperCase()}-${(++hotlineSeq).toString(36).toUpperCase()}`);

  const baseContext = (now: number) => ({
    policy: config.policy,
    timeZone: config.timeZone,
    groupNames: config.groupNames,
    leaders,
    maskRoomNumbers: config.maskRoomNumbers,
    now,
  });

  /** Writes effects as outbox rows (call inside a transaction); returns what to hand to the delivery queue. */
  function queueEffects(effects: Effect[], now: number): { id: number; group: string }[] {
    const rows: NewOutboxRow[] = effects.map((e) =>
      e.type === 'send'
        ? { channel: 'chat' as const, group: e.group, text: e.text, kind: e.kind, mentions: e.mentions, title: null, caseId: e.caseId, createdAt: now }
        : { channel: 'public' as const, group: 'public', text: e.text, kind: 'update' as const, mentions: [], title: e.title, caseId: e.caseId, createdAt: now },
    );
    return store.addOutbox(rows).map((id, i) => ({ id, group: rows[i]!.group }));
  }

  /** After a commit: deliver the new outbox rows and (re)schedule the case's pending milestone. */
  async function handOff(rows: { id: number; group: string }[], cases: { before: Case | null; after: Case }[]): Promise<void> {
    const schedule: ScheduleItem[] = [];
    const cancel: JobRef[] = [];
    for (const { before, after } of cases) {
      if (before && before.version === after.version) continue;
      const old = before?.nextDueKind ? { caseId: before.id, kind: before.nextDueKind, version: before.version } : null;
      if (after.nextDueKind !== null && after.nextDueAt !== null) {
        schedule.push({ caseId: after.id, kind: after.nextDueKind, dueAt: after.nextDueAt, version: after.version });
      }
      if (old) cancel.push(old);
    }
    // Jobs are an optimisation over the database: if Redis is away, the reconciler catches up later.
    try {
      await dispatcher.deliver(rows);
      if (schedule.length > 0) await dispatcher.schedule(schedule);
      if (cancel.length > 0) await dispatcher.cancel(cancel);
    } catch (err) {
      logger.warn({ err: errorSummary(err) }, 'queue hand-off failed; the reconciler will retry');
    }
  }

  function resolveActor(platform: string, sender: { id: string; name: string }): Actor {
    const stored = store.findMember(platform, sender.id);
    if (stored) return { id: sender.id, name: sender.name, role: stored.role };
    const person = config.people.find((p) => (p.id && p.id === sender.id) || p.name === sender.name);
    return { id: sender.id, name: sender.name, role: (person?.role ?? 'member') as Role };
  }

  /** Writes a reply (through the outbox, so it keeps its place in the group's order). */
  async function reply(group: string, text: string, caseId: number | null = null): Promise<void> {
    const now = clock();
    const rows = store.transaction(() => queueEffects([send('reply', group, text, caseId)], now));
    await handOff(rows, []);
  }

  // ---------------------------------------------------------------- intake

  /** One intake (12345 webhook, import row, public account, 新建). Idempotent on the hotline number. */
  async function handleIntake(raw: unknown, source: CaseSource): Promise<IntakeOutcome> {
    const [outcome] = await handleIntakeBatch([raw], source);
    return outcome!;
  }

  /**
   * Several intakes in one transaction and one queue round-trip (import, batched HTTP).
   * Each item gets its own outcome; an invalid item changes nothing and does not stop the others.
   */
  async function handleIntakeBatch(raws: unknown[], source: CaseSource): Promise<IntakeOutcome[]> {
    const now = clock();
    const ctx = baseContext(now);
    const outcomes: IntakeOutcome[] = [];
    const created: { before: null; after: Case }[] = [];
    const rows = store.transaction(() => {
      const allEffects: Effect[] = [];
      for (const raw of raws) {
        const v = validateIntake(raw, knownGroups);
        if (!v.ok) {
          outcomes.push({ status: 400, body: { error: v.error, field: v.field } });
          continue;
        }
        const existing = store.findCaseByHotlineNo(v.value.hotlineNo);
        if (existing) {
          outcomes.push({ status: 200, body: intakeResponse(existing, config.timeZone), case: existing });
          continue;
        }
        const draft = newCaseFromIntake(v.value, source, config.policy, routing, now);
        const first = firstMilestone({ ...draft, id: 0 }, config.policy, now);
        const c = store.insertCase({ ...draft, nextDueKind: first?.kind ?? null, nextDueAt: first?.dueAt ?? null });
        const { events, effects } = decideIntakeEffects(c, ctx);
        store.appendEvents(c.id, events);
        allEffects.push(...effects);
        created.push({ before: null, after: c });
        outcomes.push({ status: 201, body: intakeResponse(c, config.timeZone), case: c });
      }
      return queueEffects(allEffects, now);
    });
    await handOff(rows, created);
    for (const o of outcomes) if (o.status === 201) logger.info({ caseId: o.case!.id, group: o.case!.group, source }, 'case received');
    return outcomes;
  }

  // ---------------------------------------------------------------- chat

  /**
   * One chat message from any adapter. Ordinary chat is ignored; commands act or get a one-line answer.
   * In a chat that is not bound to a group only 绑定 and 帮助 are answered.
   */
  async function handleMessage(msg: IncomingMessage, opts: HandleOptions = {}): Promise<CommandResult | null> {
    const parsed = parseCommand(msg.text, { botUsername: deps.botUsername });
    if (parsed.kind === 'none') return null;
    const group = msg.group ?? store.groupForChat(msg.platform, msg.chatId);
    const here = group ?? chatAddress(msg.platform, msg.chatId);
    if (!group || msg.isPrivate) {
      const allowed = parsed.kind === 'command' && (parsed.command.name === 'bind' || parsed.command.name === 'help');
      if (!allowed) return null;
    }
    /** A refusal: posted in the chat, or only returned when the adapter shows it itself (a button's toast). */
    const refuse = async (text: string, caseId: number | null = null): Promise<CommandResult> => {
      if (!opts.quietRefusals) await reply(here, text, caseId);
      return { ok: false, message: text, caseId };
    };
    const answer = async (text: string, caseId: number | null = null): Promise<CommandResult> => {
      await reply(here, text, caseId);
      return { ok: true, message: text.split('\n')[0]!, caseId };
    };
    if (parsed.kind === 'refusal') return refuse(parsed.message);
    const actor = resolveActor(msg.platform, msg.sender);
    const cmd = parsed.command;
    switch (cmd.name) {
      case 'help':
        return answer(helpText());
      case 'bind':
        return bindChat(msg, here, actor, cmd, refuse, answer);
      case 'list':
        return answer(listCases(here, cmd.filter, actor));
      case 'new':
        return newFromChat(here, actor, cmd, refuse, answer);
      default:
        return caseCommand(msg, here, actor, cmd, refuse);
    }
  }

  /** 绑定: a one-time code (or being an admin already, or a chat admin on the platform) binds this chat to a group key. */
  async function bindChat(msg: IncomingMessage, here: string, actor: Actor, cmd: Extract<Command, { name: 'bind' }>, refuse: Reply, answer: Reply): Promise<CommandResult> {
    if (msg.platform === 'console') return refuse('控制台里每个群都已存在，无需绑定。');
    if (msg.isPrivate) return refuse('请在要绑定的群里发送绑定命令。');
    let group: string = cmd.target;
    if (cmd.target === 'community') {
      const wanted = cmd.community!;
      const community = config.communities.find((c) => c.key === wanted.toLowerCase() || c.name === wanted || c.name === `${wanted}社区`);
      if (!community) return refuse(`没有社区「${wanted}」。可选：${config.communities.map((c) => c.name).join('、') || '（配置里没有社区）'}`);
      group = community.key;
    }
    const now = clock();
    const mayBind = actor.role === 'admin' || msg.senderIsChatAdmin === true;
    if (!mayBind) {
      if (!cmd.code) return refuse('请带上绑定码（机器人启动日志里有，或运行 npm run bind-code 生成）。格式：绑定 会商/街道/社区 [社区名] 绑定码');
      if (!store.useBindingCode(cmd.code, `${msg.platform}:${msg.sender.id}`, now)) return refuse('绑定码不对或已用过。请运行 npm run bind-code 生成新的。');
    }
    const previous = store.groupForChat(msg.platform, msg.chatId);
    store.transaction(() => {
      store.bindChat(msg.platform, msg.chatId, group, msg.sender.id, now);
      if (actor.role !== 'admin') store.upsertMember(msg.platform, msg.sender.id, msg.sender.name, 'admin', now);
    });
    logger.info({ platform: msg.platform, chatId: msg.chatId, group, previous }, 'chat bound');
    const name = config.groupNames[group] ?? group;
    const text = `已绑定为「${name}」${previous && previous !== group ? `（原为「${config.groupNames[previous] ?? previous}」）` : ''}。${msg.sender.name} 是本机器人的管理员。发送「帮助」查看命令。`;
    await reply(group, text);
    return { ok: true, message: text, caseId: null };
  }

  function listCases(here: string, filter: Extract<Command, { name: 'list' }>['filter'], actor: Actor): string {
    const now = clock();
    const { cases, total } = store.listOpenCases({ group: here === 'consult' ? null : here, filter, ownerId: actor.id, now, limit: LIST_LIMIT });
    const title = { all: '未办结案件', mine: `${actor.name} 的案件`, overdue: '逾期案件', unclaimed: '未认领案件' }[filter];
    return listText(title, cases.map((c) => listLine(c, config, now)), total);
  }

  async function newFromChat(here: string, actor: Actor, cmd: Extract<Command, { name: 'new' }>, refuse: Reply, answer: Reply): Promise<CommandResult> {
    if (!['dispatcher', 'leader', 'admin'].includes(actor.role)) return refuse('只有调度员或领导可以新建案件。');
    const outcome = await handleIntake({ hotlineNo: newHotlineNo(clock()), content: cmd.text, address: cmd.address ?? undefined }, 'chat');
    if (outcome.status === 400) return refuse(`新建失败：${(outcome.body as { error: string }).error}`);
    const c = outcome.case!;
    const text = `已新建 #${c.id}，派往「${config.groupNames[c.group] ?? c.group}」。`;
    if (c.group !== here) return answer(text, c.id);
    return { ok: true, message: text, caseId: c.id };
  }

  async function caseCommand(msg: IncomingMessage, here: string, actor: Actor, cmd: Extract<Command, { caseId: number | null }>, refuse: Reply): Promise<CommandResult> {
    let caseId = cmd.caseId;
    if (caseId === null && msg.quotedMessageId) caseId = store.caseIdForMessage(msg.platform, msg.chatId, msg.quotedMessageId);
    if (caseId === null && msg.quotedCaseId) caseId = msg.quotedCaseId;
    if (caseId === null) {
      const example = { claim: '认领 12', contact: '已联系 12', note: '进展 12 文字', done: '办结 12 结果', status: '状态 12' }[cmd.name];
      return refuse(msg.quotedMessageId || msg.quotedCaseId === null ? `引用的消息不是案件卡片，请写明案件号，例如「${example}」。` : `请写明案件号，例如「${example}」，或引用案件卡片回复。`);
    }
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const now = clock();
      const before = store.findCase(caseId);
      if (!before) return refuse(`没有 #${caseId} 这个案件，请核对案件号（「列表」可查看）。`);
      const ctx: DecideContext = { ...baseContext(now), actor, group: here };
      const decision = decideCaseCommand(before, { ...cmd, caseId }, ctx, cmd.name === 'status' ? store.listEvents(caseId) : []);
      if (!decision.ok) return refuse(decision.message, caseId);
      const applied = commit(before, decision, now);
      if (applied) {
        await handOff(applied.rows, applied.after ? [{ before, after: applied.after }] : []);
        if (decision.events[0]) logger.info({ caseId, kind: decision.events[0].kind, group: here }, 'case event');
        const first = decision.effects.find((e) => e.type === 'send');
        return { ok: true, message: first ? first.text.split('\n')[0]! : '', caseId };
      }
      // Lost a race (another claim landed first): decide again on the fresh row.
    }
    return refuse(`#${caseId} 正在被其他人操作，请稍后再试。`, caseId);
  }

  /** Writes a decision in one transaction. Null when the case changed underneath (version check). */
  function commit(before: Case, decision: Decision, now: number): { rows: { id: number; group: string }[]; after: Case | null } | null {
    return store.transaction(() => {
      let after: Case | null = null;
      if (Object.keys(decision.patch).length > 0) {
        if (!store.updateCase(before.id, before.version, decision.patch)) return null;
        after = { ...before, ...decision.patch, version: before.version + 1 };
      }
      store.appendEvents(before.id, decision.events);
      return { rows: queueEffects(decision.effects, now), after };
    });
  }

  // ---------------------------------------------------------------- deadlines

  /**
   * A deadline job fired. It re-reads the case: a job for a milestone or version that is no longer
   * the case's pending one does nothing. Returns whether it acted.
   */
  async function handleDue(job: { caseId: number; kind: MilestoneKind; dueAt: number; version: number }): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const now = clock();
      const before = store.findCase(job.caseId);
      if (!before || before.version !== job.version) return false;
      const decision = decideDue(before, { kind: job.kind, dueAt: job.dueAt }, baseContext(now));
      if (!decision) return false;
      const applied = commit(before, decision, now);
      if (applied) {
        await handOff(applied.rows, applied.after ? [{ before, after: applied.after }] : []);
        logger.info({ caseId: job.caseId, milestone: job.kind }, 'deadline milestone');
        return true;
      }
    }
    return false;
  }

  return { handleMessage, handleIntake, handleIntakeBatch, handleDue, notify: reply, store, config };
}

/** The outbox address of a chat that is not bound to a group: `@<platform>:<chatId>`. */
export function chatAddress(platform: string, chatId: string): string {
  return `@${platform}:${chatId}`;
}

/** Inverse of {@link chatAddress}; null for a group key. */
export function parseChatAddress(address: string): { platform: string; chatId: string } | null {
  const m = /^@([^:]+):(.+)$/.exec(address);
  return m ? { platform: m[1]!, chatId: m[2]! } : null;
}

export function intakeResponse(c: Case, timeZone: string): IntakeResponse {
  return { id: c.id, hotlineNo: c.hotlineNo, status: c.status, group: c.group, respondBy: isoInZone(c.respondBy, timeZone), resolveBy: isoInZone(c.resolveBy, timeZone) };
}

/** A log-safe summary of an error: name, code and message, never the payload. */
export function errorSummary(err: unknown): { name: string; code?: string; message: string } {
  if (err instanceof Error) return { name: err.name, code: (err as { code?: string }).code, message: err.message };
  return { name: 'unknown', message: String(err) };
}
