import { COMMANDS, commandSpec, parseCommand, type Command } from '../core/commands';
import type { CaseCommandSpec, CommandSpec } from '../core/commands/spec';
import { mentionNames } from '../core/commands/parse-tools';
import { decideCaseCommand, decideDue, decideIntakeEffects, firstMilestone, send, type DecideContext, type Decision, type DueContext } from '../core/decide';
import type { Classifier } from '../core/classify';
import { newCaseFromIntake, validateIntake } from '../core/intake';
import { repeatSince } from '../core/repeat/place-key';
import { STATUS_ZH } from '../core/texts';
import { privateAddress } from '../core/practices/basic';
import type { CaseStore, IncomingMessage, JobRef, Logger, MediaStore, NewOutboxRow, ScheduleItem, StoredMember, WorkDispatcher } from '../core/ports';
import type { StreetConfig } from '../core/street-config';
import { formatIsoInZone as isoInZone, zonedParts, zonedTimeToMs } from '../core/time-zone';
import type { Actor, Case, CaseSource, Effect, MilestoneKind, Person, PublishEffect, SendEffect, Urgency } from '../core/types';
import { decidePhoto } from '../core/practices/media';
import { APP_HANDLERS, type AppCommandEnv } from './commands';
import type { AppServices } from './services';
import { errorSummary } from './error-summary';
import { createGroupCommit } from './group-commit';
import { People } from './people';
import { statusChangeRows, WEBHOOK_GROUP } from './status-webhook-rows';

export { errorSummary } from './error-summary';

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
  /** Reads category and urgency from the citizen's words (jieba in production); core's fallback segmenter by default. */
  classifier?: Classifier;
  /** Optional services for command handlers (reports, roster, web sign-in…). */
  services?: AppServices;
  /** Day arithmetic under the street's rule (working days when configured); calendar days by default. */
  calendar?: DayCalendar;
  /** Every change of status also goes to the hotline side's webhook (outbox channel `webhook`); set when DISPATCH_WEBHOOK_URL is. */
  statusWebhook?: boolean;
  /** Where photos sent as evidence are kept (DATA_DIR/media); without it photos are ignored. */
  media?: MediaStore;
  /** Called after a case's change (or a new case) is committed: the web console's live board listens. */
  onCaseChanged?: (caseId: number) => void;
  /** Called with every chat message before it is handled: the web console records who writes in which group. */
  onMessageSeen?: (msg: IncomingMessage) => void;
}

/** Adds days and windows under the street's day rule. */
export interface DayCalendar {
  addDays(start: number, days: number): number;
  /** The next working morning after an instant (回访 reminder). */
  nextWorkingMorning(at: number): number;
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

export interface IntakeResponse {
  id: number;
  hotlineNo: string;
  status: Case['status'];
  group: string;
  respondBy: string;
  resolveBy: string;
}

/** An outbox row written in a transaction, to hand to the delivery queue after the commit. */
type OutboxRef = { id: number; group: string };

/** How many times a command re-decides after losing a concurrent update (then reports a busy case). */
const MAX_RETRIES = 5;
const DAY_MS = 86_400_000;

export type App = ReturnType<typeof createApp>;

/** Calendar days, and the follow-up reminder the next morning at 09:00 in the street's zone. */
export function calendarDays(timeZone: string): DayCalendar {
  return {
    addDays: (start, days) => start + days * DAY_MS,
    nextWorkingMorning: (at) => {
      const next = zonedParts(at + DAY_MS, timeZone);
      return zonedTimeToMs(next.year, next.month, next.day, 9, 0, timeZone);
    },
  };
}

export function createApp(deps: AppDeps) {
  const { store, config, dispatcher, logger, clock } = deps;
  const calendar = deps.calendar ?? calendarDays(config.timeZone);
  const knownGroups = new Set(Object.keys(config.groupNames));
  const people = new People(store, config, logger);
  const routing = { communities: config.communities, sections: config.sections };
  let hotlineSeq = 0;
  const newHotlineNo = deps.newHotlineNo ?? ((now: number) => `CHAT-${now.toString(36).toUpperCase()}-${(++hotlineSeq).toString(36).toUpperCase()}`);
  /** The configured departments with their people as mentions (the configuration's, so built once). */
  const departments = config.departments.map((d) => ({ name: d.name, group: d.group, people: people.departmentPeople(d.people) }));
  /** The departments whose bound group is each group key, by group. */
  const departmentsInGroup = new Map<string, string[]>();
  const groupDepartments = (group: string) => {
    let names = departmentsInGroup.get(group);
    if (!names) departmentsInGroup.set(group, (names = config.departments.filter((d) => d.group !== null && d.group === group).map((d) => d.name)));
    return names;
  };
  const practice = { extensionsMax: config.extensions.max, extensionsMaxDays: config.extensions.maxDays };
  const followUpAt = (at: number) => calendar.nextWorkingMorning(at);

  /** A policy window's end under the street's day rule: whole days by the calendar, the rest clock time. */
  const windowEnd = (start: number, ms: number) => (ms > 0 && ms % DAY_MS === 0 ? calendar.addDays(start, ms / DAY_MS) : start + ms);
  const deadlineFrom = (start: number, urgency: Urgency, which: 'respond' | 'resolve') =>
    windowEnd(start, config.policy.windows[urgency][which === 'respond' ? 'respondMs' : 'resolveMs']);

  /** Who is on duty now (as mentions) and whether it is quiet hours, from the roster service when there is one. */
  const duty = (now: number): Pick<DueContext, 'onDuty' | 'quiet'> => {
    const roster = deps.services?.roster;
    if (!roster) return {};
    return { onDuty: people.departmentPeople(roster.onDutyAt(now)), quiet: roster.isQuiet(now) };
  };

  /**
   * The leaders and dispatchers (for @-mentions) are read from the members table only when a decision
   * asks for them, once per context: most commands (a claim's refusal) never do.
   */
  const dueContext = (now: number): DueContext => {
    let members: StoredMember[] | undefined;
    let leaders: Person[] | undefined;
    let dispatchers: Person[] | undefined;
    return {
      ...duty(now),
      policy: config.policy,
      timeZone: config.timeZone,
      groupNames: config.groupNames,
      get leaders() {
        return (leaders ??= people.withRole('leader', (members ??= store.listMembers())));
      },
      get dispatchers() {
        return (dispatchers ??= people.withRole('dispatcher', (members ??= store.listMembers())));
      },
      departments,
      maskRoomNumbers: config.maskRoomNumbers,
      now,
    };
  };

  /** Claims and replies of one turn of the event loop commit in one SQLite transaction (bot/group-commit.ts). */
  const grouped = createGroupCommit((fn) => store.transaction(fn));

  /** Writes effects as outbox rows (call inside a transaction); returns what to hand to the delivery queue. */
  function queueEffects(decided: Effect[], now: number): { id: number; group: string }[] {
    // 公开照片 marks the photo where photos are kept, in this same transaction; it is no message.
    const effects = decided.filter((e): e is SendEffect | PublishEffect => (e.type === 'media-public' ? (deps.media?.markPublic(e.caseId, e.no), false) : true));
    const rows: NewOutboxRow[] = effects.map((e) =>
      e.type === 'send'
        ? { channel: 'chat' as const, group: e.group, text: e.text, kind: e.kind, mentions: e.mentions, title: null, caseId: e.caseId, fallbackGroup: e.fallbackGroup ?? null, attachment: e.attachment ?? null, createdAt: now }
        : { channel: 'public' as const, group: 'public', text: e.text, kind: 'update' as const, mentions: [], title: e.title, caseId: e.caseId, createdAt: now },
    );
    return store.addOutbox(rows).map((id, i) => ({ id, group: rows[i]!.group }));
  }

  /**
   * After a commit: deliver the new outbox rows and (re)schedule the case's pending milestone. `firing`
   * is the deadline job being handled: it is not cancelled (it is running, so remove() would refuse it,
   * and it removes itself when it completes).
   */
  async function handOff(rows: { id: number; group: string }[], cases: { before: Case | null; after: Case }[], firing?: JobRef): Promise<void> {
    const schedule: ScheduleItem[] = [];
    const cancel: JobRef[] = [];
    for (const { before, after } of cases) {
      if (before && before.version === after.version) continue;
      const old = before?.nextDueKind ? { caseId: before.id, kind: before.nextDueKind, version: before.version } : null;
      if (after.nextDueKind !== null && after.nextDueAt !== null) {
        schedule.push({ caseId: after.id, kind: after.nextDueKind, dueAt: after.nextDueAt, version: after.version });
      }
      if (old && !(firing && old.caseId === firing.caseId && old.kind === firing.kind && old.version === firing.version)) cancel.push(old);
    }
    // Jobs are an optimisation over the database: if Redis is away, the reconciler catches up later.
    // Issued together: the dispatcher sends calls of one turn of the event loop as one batch.
    try {
      await Promise.all([dispatcher.deliver(rows), dispatcher.schedule(schedule), dispatcher.cancel(cancel)]);
    } catch (err) {
      logger.warn({ err: errorSummary(err) }, 'queue hand-off failed; the reconciler will retry');
    }
  }

  /** Writes messages (through the outbox, so each keeps its place in its group's order). */
  async function post(effects: Effect[]): Promise<void> {
    const now = clock();
    const rows = await grouped(() => queueEffects(effects, now));
    await handOff(rows, []);
  }

  /**
   * Writes messages only when `claim` (run inside the same transaction, e.g. an INSERT OR IGNORE of a
   * report's key) says this caller is the one to send them: of several processes, exactly one posts.
   */
  async function postOnce(claim: () => boolean, effects: Effect[]): Promise<boolean> {
    const now = clock();
    const rows = store.transaction(() => (claim() ? queueEffects(effects, now) : null));
    if (rows) await handOff(rows, []);
    return rows !== null;
  }

  /** One reply to a group or chat address. */
  async function reply(group: string, text: string, caseId: number | null = null): Promise<void> {
    await post([send('reply', group, text, caseId)]);
  }

  // ---------------------------------------------------------------- intake

  /** 重复诉求: the latest earlier case at the same place with the same category within repeat.windowDays. */
  function repeatOf(c: Omit<Case, 'id'>): Pick<Case, 'repeatOf' | 'repeatCount'> {
    if (!c.placeKey) return { repeatOf: null, repeatCount: 1 };
    const earlier = store.repeatAtPlace(c.placeKey, c.category, repeatSince(c.reportedAt, config.repeat.windowDays), c.reportedAt);
    return { repeatOf: earlier.latestId, repeatCount: earlier.count + 1 };
  }

  /**
   * Not every repeat at a busy place is news in consult: the first repeat, the time the leaders are asked
   * to take it (repeat.askLeaderAt), and every tenth after that. The card always says which time it is.
   */
  function repeatWorthTelling(count: number): boolean {
    return count === 2 || count === config.repeat.askLeaderAt || (count > config.repeat.askLeaderAt && count % 10 === 0);
  }

  /** The dispatcher hears of a repeat in consult; from repeat.askLeaderAt on, the leaders are asked to take it as 包案. */
  function repeatNotice(c: Case, leaders: { id: string; name: string }[]): Effect {
    const before = store.findCase(c.repeatOf!);
    const ask = c.repeatCount >= config.repeat.askLeaderAt;
    const text = `🔁 重复诉求 #${c.id} ${c.category}：本点位第${c.repeatCount}次，前次 #${c.repeatOf}${before ? `（${STATUS_ZH[before.status]}）` : ''}。${ask ? `请领导「包案 ${c.id}」。` : '请调度关注。'}`;
    return send('alarm', 'consult', text, c.id, ask ? leaders : []);
  }

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
    const ctx = dueContext(now);
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
        const fresh = newCaseFromIntake(v.value, source, config.policy, routing, now, deps.classifier, windowEnd);
        const draft = { ...fresh, ...repeatOf(fresh) };
        const first = firstMilestone({ ...draft, id: 0 }, config.policy, now);
        const c = store.insertCase({ ...draft, nextDueKind: first?.kind ?? null, nextDueAt: first?.dueAt ?? null });
        const { events, effects } = decideIntakeEffects(c, ctx);
        if (c.repeatOf !== null && repeatWorthTelling(c.repeatCount)) effects.push(repeatNotice(c, ctx.leaders));
        store.appendEvents(c.id, events);
        allEffects.push(...effects);
        created.push({ before: null, after: c });
        outcomes.push({ status: 201, body: intakeResponse(c, config.timeZone), case: c });
      }
      return queueEffects(allEffects, now);
    });
    await handOff(rows, created);
    for (const c of created) deps.onCaseChanged?.(c.after.id);
    for (const o of outcomes) if (o.status === 201) logger.info({ caseId: o.case!.id, group: o.case!.group, source }, 'case received');
    return outcomes;
  }

  // ---------------------------------------------------------------- chat

  /**
   * One chat message from any adapter. Ordinary chat is ignored; commands act or get a one-line answer.
   * In a chat that is not bound to a group only 绑定 and 帮助 are answered; in a private chat, the
   * commands that work there (帮助, 联系方式, 登录, 值班).
   */
  async function handleMessage(msg: IncomingMessage, opts: HandleOptions = {}): Promise<CommandResult | null> {
    deps.onMessageSeen?.(msg);
    const parsed = parseCommand(msg.text, { botUsername: deps.botUsername });
    // A photo is kept with the case its caption or quote names; its caption is then handled as if typed.
    const photo = msg.media && deps.media && !msg.isPrivate ? await keepPhoto(msg, parsed, opts) : null;
    if (parsed.kind === 'none') return photo;
    const group = msg.isPrivate ? null : (msg.group ?? store.groupForChat(msg.platform, msg.chatId));
    const here = msg.isPrivate ? privateAddress(msg.platform, msg.sender.id) : (group ?? chatAddress(msg.platform, msg.chatId));
    const spec = parsed.kind === 'command' ? commandSpec(parsed.command.name) : undefined;
    if (msg.isPrivate && !spec?.inPrivate) return null;
    if (!msg.isPrivate && !group && spec?.name !== 'bind' && spec?.name !== 'help') return null;
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
    const actor = people.resolveActor(msg.platform, msg.sender);
    const cmd = parsed.command;
    const env: AppCommandEnv = { msg, here, group, actor, store, config, people, logger, clock, refuse, answer, reply, post, handleIntake, newHotlineNo, services: deps.services ?? {} };
    if (!spec) throw new Error(`no spec for command ${cmd.name}`);
    if (spec.kind === 'case') {
      const noRef = cmd.caseId === null && !cmd.hotlineNo && !msg.quotedMessageId && !msg.quotedCaseId;
      if (!(spec.caseOptional && noRef)) return caseCommand(msg, here, actor, spec, cmd, refuse, opts.quietRefusals === true);
    }
    const handler = APP_HANDLERS[spec.name];
    if (!handler) throw new Error(`no handler for command ${spec.name}`);
    return handler(env, cmd);
  }

  /** The case a command names: its number, its hotline number, or the card it quotes. */
  function findCaseFor(msg: IncomingMessage, cmd: Command): { id: number } | { refusal: string } {
    if (cmd.caseId !== null && cmd.caseId !== undefined) return { id: cmd.caseId };
    if (cmd.hotlineNo) {
      const c = store.findCaseByHotlineNo(cmd.hotlineNo);
      return c ? { id: c.id } : { refusal: `没有工单号 ${cmd.hotlineNo} 的案件，请核对（「列表」可查看）。` };
    }
    const quoted = msg.quotedMessageId ? store.caseIdForMessage(msg.platform, msg.chatId, msg.quotedMessageId) : null;
    if (quoted !== null) return { id: quoted };
    if (msg.quotedCaseId) return { id: msg.quotedCaseId };
    return { refusal: '' };
  }

  async function caseCommand(msg: IncomingMessage, here: string, actor: Actor, spec: CaseCommandSpec, cmd: Command, refuse: (text: string, caseId?: number | null) => Promise<CommandResult>, quiet: boolean): Promise<CommandResult> {
    const found = findCaseFor(msg, cmd);
    if ('refusal' in found) {
      if (found.refusal) return refuse(found.refusal);
      const example = spec.usage.split('（')[0]!;
      return refuse(msg.quotedMessageId || msg.quotedCaseId === null ? `引用的消息不是案件卡片，请写明案件号，例如「${example}」。` : `请写明案件号，例如「${example}」，或引用案件卡片回复。`);
    }
    const caseId = found.id;
    const mentions = people.resolveMentions(msg.platform, msg.mentions, mentionNames(msg.text));
    // Read, decide and write in the group commit's savepoint: a claim that comes after another on the
    // same case in one batch reads the winner's row and is refused in the same batch (its reply
    // included), instead of failing its version check and waiting for the next turn.
    type Refused = { refusal: string; caseId: number | null; rows: OutboxRef[] };
    const outcome = await grouped((): Refused | { decision: Decision; before: Case; rows: OutboxRef[]; after: Case | null } => {
      const refusal = (text: string, now: number, id: number | null = caseId): Refused => ({ refusal: text, caseId: id, rows: quiet ? [] : queueEffects([send('reply', here, text, id)], now) });
      for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
        const now = clock();
        const before = store.findCase(caseId);
        if (!before) return refusal(`没有 #${caseId} 这个案件，请核对案件号（「列表」可查看）。`, now, null);
        const ctx = caseContext(msg, here, actor, mentions, spec.needsEvents ? store.listEvents(caseId) : [], now);
        const decision = decideCaseCommand(spec, before, commandArgs(cmd), ctx);
        if (!decision.ok) return refusal(decision.message, now);
        // Still version-checked: another process may have written the row since it was read.
        const applied = commit(before, decision, now);
        if (applied) return { decision, before, ...applied };
      }
      return refusal(`#${caseId} 正在被其他人操作，请稍后再试。`, clock());
    });
    if ('refusal' in outcome) {
      await handOff(outcome.rows, []);
      return { ok: false, message: outcome.refusal, caseId: outcome.caseId };
    }
    const { decision, before, rows, after } = outcome;
    await handOff(rows, after ? [{ before, after }] : []);
    if (decision.events[0]) logger.info({ caseId, kind: decision.events[0].kind, group: here }, 'case event');
    const first = decision.effects.find((e) => e.type === 'send');
    return { ok: true, message: first ? first.text.split('\n')[0]! : '', caseId };
  }

  /** What a decision about one case knows: the clock, who acts where, the street's settings. */
  function caseContext(msg: IncomingMessage, here: string, actor: Actor, mentions: DecideContext['mentions'], events: DecideContext['events'], now: number): DecideContext {
    // Assigned onto the due context, not spread: spreading would call its lazy getters.
    return Object.assign(dueContext(now), {
      actor,
      group: here,
      platform: msg.platform,
      mentions,
      practice,
      events,
      addDays: calendar.addDays,
      deadlineFrom,
      followUpAt,
      groupDepartments: groupDepartments(here),
    });
  }

  /**
   * A photo with a message: kept with the case the caption's command or the quoted card names (file
   * first, content-addressed; then the count, the `case_media` row and the ledger's hash in one
   * version-checked transaction). A photo that names no case is ordinary chat: null.
   */
  async function keepPhoto(msg: IncomingMessage, parsed: ReturnType<typeof parseCommand>, opts: HandleOptions): Promise<CommandResult | null> {
    const media = deps.media!;
    const group = msg.group ?? store.groupForChat(msg.platform, msg.chatId);
    if (!group) return null;
    const cmd = parsed.kind === 'command' && commandSpec(parsed.command.name)?.kind === 'case' ? parsed.command : ({ name: '', caseId: null } as Command);
    const found = findCaseFor(msg, cmd);
    if ('refusal' in found) return null;
    const actor = people.resolveActor(msg.platform, msg.sender);
    const file = media.saveFile(found.id, msg.media!.bytes, msg.media!.mime);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const now = clock();
      const before = store.findCase(found.id);
      if (!before) return null;
      const args = { sha256: file.sha256, mime: msg.media!.mime, duplicate: media.hasPhoto(before.id, file.sha256), announce: parsed.kind !== 'command' };
      const decision = decidePhoto(before, args, caseContext(msg, group, actor, [], [], now));
      if (!decision.ok) {
        if (!opts.quietRefusals) await reply(group, decision.message, before.id);
        return { ok: false, message: decision.message, caseId: before.id };
      }
      const applied = store.transaction(() => {
        const done = commit(before, decision, now);
        if (done) media.addPhoto({ caseId: before.id, sha256: file.sha256, path: file.path, mime: msg.media!.mime, addedBy: actor.name, addedAt: now });
        return done;
      });
      if (applied) {
        await handOff(applied.rows, applied.after ? [{ before, after: applied.after }] : []);
        logger.info({ caseId: before.id, kind: 'media' }, 'case event');
        return { ok: true, message: `#${before.id} 已存照片`, caseId: before.id };
      }
    }
    return null;
  }

  /** Writes a decision in one transaction. Null when the case changed underneath (version check). */
  function commit(before: Case, decision: Decision, now: number): { rows: { id: number; group: string }[]; after: Case | null } | null {
    const done = store.transaction(() => {
      let after: Case | null = null;
      if (Object.keys(decision.patch).length > 0) {
        if (!store.updateCase(before.id, before.version, decision.patch)) return null;
        after = { ...before, ...decision.patch, version: before.version + 1 };
      }
      store.appendEvents(before.id, decision.events);
      const rows = queueEffects(decision.effects, now);
      if (deps.statusWebhook) {
        const changes = statusChangeRows({ ...before, ...decision.patch }, decision.events, config.timeZone, now);
        rows.push(...store.addOutbox(changes).map((id) => ({ id, group: WEBHOOK_GROUP })));
      }
      return { rows, after };
    });
    if (done) deps.onCaseChanged?.(before.id);
    return done;
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
      const decision = decideDue(before, { kind: job.kind, dueAt: job.dueAt }, dueContext(now));
      if (!decision) return false;
      // Milestones falling due together (cases taken in together) commit together, like claims.
      const applied = await grouped(() => commit(before, decision, now));
      if (applied) {
        await handOff(applied.rows, applied.after ? [{ before, after: applied.after }] : [], job);
        logger.info({ caseId: job.caseId, milestone: job.kind }, 'deadline milestone');
        return true;
      }
    }
    return false;
  }

  return { handleMessage, handleIntake, handleIntakeBatch, handleDue, notify: reply, post, postOnce, store, config, people };
}

/** A command's own arguments (what its spec parsed), without the name and the case reference. */
function commandArgs(cmd: Command): unknown {
  const { name: _n, caseId: _c, hotlineNo: _h, ...args } = cmd;
  return args;
}

/** Every command spec, for adapters that list them. */
export function commandSpecs(): readonly CommandSpec[] {
  return COMMANDS;
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

/** Inverse of the private address `~<platform>:<userId>`; null for anything else. */
export function parsePrivateAddress(address: string): { platform: string; userId: string } | null {
  const m = /^~([^:]+):(.+)$/.exec(address);
  return m ? { platform: m[1]!, userId: m[2]! } : null;
}

export function intakeResponse(c: Case, timeZone: string): IntakeResponse {
  return { id: c.id, hotlineNo: c.hotlineNo, status: c.status, group: c.group, respondBy: isoInZone(c.respondBy, timeZone), resolveBy: isoInZone(c.resolveBy, timeZone) };
}
