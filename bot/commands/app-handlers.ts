import { helpText, type Command } from '../../core/commands';
import type { BindTarget, ListFilter, RoleWord } from '../../core/commands/app-commands';
import type { CaseStore, IncomingMessage, Logger } from '../../core/ports';
import type { StreetConfig } from '../../core/street-config';
import { listLine, listText } from '../../core/texts';
import type { Actor, Case, CaseSource, Effect } from '../../core/types';
import type { People } from '../people';
import type { AppServices } from '../services';

/**
 * The commands the application carries out itself, one handler per registry name. Each gets the
 * message, where it was typed, who typed it and the app's services.
 */
export interface AppCommandEnv {
  msg: IncomingMessage;
  /** Outbox address of the chat: group key, `@platform:chat` when unbound, `~platform:user` when private. */
  here: string;
  /** The group the chat is bound to (null: unbound or private). */
  group: string | null;
  actor: Actor;
  store: CaseStore;
  config: StreetConfig;
  people: People;
  logger: Logger;
  clock: () => number;
  refuse(text: string, caseId?: number | null): Promise<CommandResult>;
  answer(text: string, caseId?: number | null): Promise<CommandResult>;
  reply(group: string, text: string, caseId?: number | null): Promise<void>;
  post(effects: Effect[]): Promise<void>;
  handleIntake(raw: unknown, source: CaseSource): Promise<{ status: number; body: unknown; case?: Case }>;
  newHotlineNo(now: number): string;
  /** Optional services (reports, roster, web sign-in…), see bot/services.ts. */
  services: AppServices;
}

export interface CommandResult {
  ok: boolean;
  message: string;
  caseId: number | null;
}

export type AppHandler = (env: AppCommandEnv, cmd: Command) => Promise<CommandResult>;

/** 列表 shows at most this many lines; the rest are counted. */
const LIST_LIMIT = 20;
/** A binding code works this long after it was printed. */
export const BINDING_CODE_TTL_MS = 24 * 3_600_000;
/** Failed 绑定 attempts a sender may make in an hour before being refused outright. */
export const BIND_FAILURES_PER_HOUR = 5;

const ROLE_ZH: Record<string, string> = { leader: '领导', dispatcher: '调度', department: '部门', member: '成员' };

function listCases(env: AppCommandEnv, filter: ListFilter, title: string, opts: { leaderId?: string } = {}): string {
  const now = env.clock();
  const { cases, total } = env.store.listOpenCases({ group: env.here === 'consult' || opts.leaderId ? null : env.here, filter, ownerId: env.actor.id, leaderId: opts.leaderId, now, limit: LIST_LIMIT });
  return listText(title, cases.map((c) => listLine(c, env.config, now)), total);
}

function chatAdminsMayBind(config: StreetConfig, platform: string): boolean {
  const section = config.platforms[platform];
  return typeof section === 'object' && section !== null && (section as { chatAdminsMayBind?: unknown }).chatAdminsMayBind === true;
}

/** Handlers of the core commands; bot/commands/index.ts joins them with the practices' own. */
export const CORE_HANDLERS: Record<string, AppHandler> = {
  help: async (env) => env.answer(helpText()),

  list: async (env, cmd) => {
    const filter = cmd.filter as ListFilter;
    const title = { all: '未办结案件', mine: `${env.actor.name} 的案件`, overdue: '逾期案件', unclaimed: '未认领案件' }[filter];
    return env.answer(listCases(env, filter, title));
  },

  /** 包案 with no number: the cases this leader owns. */
  own: async (env) => {
    if (env.actor.role !== 'leader') return env.refuse('只有领导可以包案。格式：包案 12');
    return env.answer(listCases(env, 'all', `${env.actor.name} 包案的案件`, { leaderId: env.actor.id }));
  },

  new: async (env, cmd) => {
    if (env.actor.role !== 'leader' && env.actor.role !== 'dispatcher') return env.refuse('只有调度员或领导可以新建案件。格式：新建 地址｜内容');
    const outcome = await env.handleIntake({ hotlineNo: env.newHotlineNo(env.clock()), content: cmd.text, address: cmd.address ?? undefined }, 'chat');
    if (outcome.status === 400) return env.refuse(`新建失败：${(outcome.body as { error: string }).error}`);
    const c = outcome.case!;
    const text = `已新建 #${c.id}，派往「${env.config.groupNames[c.group] ?? c.group}」。`;
    if (c.group !== env.here) return env.answer(text, c.id);
    return { ok: true, message: text, caseId: c.id };
  },

  /** 绑定: a one-time code (or being an admin already) binds this chat to a group key. */
  bind: async (env, cmd) => {
    const { msg, actor, store, config } = env;
    if (msg.platform === 'console') return env.refuse('控制台里每个群都已存在，无需绑定。');
    if (msg.isPrivate) return env.refuse('请在要绑定的群里发送绑定命令。');
    const target = cmd.target as BindTarget;
    let group: string = target;
    if (target === 'community') {
      const wanted = cmd.community as string;
      const community = config.communities.find((c) => c.key === wanted.toLowerCase() || c.name === wanted || c.name === `${wanted}社区`);
      if (!community) return env.refuse(`没有社区「${wanted}」。可选：${config.communities.map((c) => c.name).join('、') || '（配置里没有社区）'}`);
      group = community.key;
    }
    const now = env.clock();
    const mayBind = actor.admin === true || (msg.senderIsChatAdmin === true && chatAdminsMayBind(config, msg.platform));
    if (!mayBind) {
      const code = cmd.code as string | null;
      if (store.bindFailuresSince(msg.platform, msg.sender.id, now - 3_600_000) >= BIND_FAILURES_PER_HOUR) {
        env.people.refused('bind: too many failed attempts', msg.platform, msg.sender.id);
        return env.refuse('绑定失败次数太多，请一小时后再试。');
      }
      if (!code) return env.refuse('请带上绑定码（机器人启动日志里有，或运行 npm run bind-code 生成）。格式：绑定 会商/街道/社区 [社区名] 绑定码');
      const used = store.useBindingCode(code, `${msg.platform}:${msg.sender.id}`, now, BINDING_CODE_TTL_MS);
      if (used !== 'ok') {
        store.recordBindFailure(msg.platform, msg.sender.id, now);
        env.people.refused(`bind: ${used} code`, msg.platform, msg.sender.id);
        return env.refuse(used === 'expired' ? '绑定码已过期（24 小时有效）。请运行 npm run bind-code 生成新的。' : '绑定码不对、已用过或已被新码替换。请运行 npm run bind-code 生成新的。');
      }
    }
    const previous = store.groupForChat(msg.platform, msg.chatId);
    store.transaction(() => {
      store.bindChat(msg.platform, msg.chatId, group, msg.sender.id, now);
      if (!actor.admin) store.upsertMember(msg.platform, msg.sender.id, msg.sender.name, store.findMember(msg.platform, msg.sender.id)?.role ?? 'member', now, { isAdmin: true });
    });
    env.logger.info({ platform: msg.platform, chatId: msg.chatId, group, previous }, 'chat bound');
    const name = config.groupNames[group] ?? group;
    const text = `已绑定为「${name}」${previous && previous !== group ? `（原为「${config.groupNames[previous] ?? previous}」）` : ''}。${msg.sender.name} 是本机器人的管理员（管理绑定和角色）。发送「帮助」查看命令。`;
    await env.reply(group, text);
    return { ok: true, message: text, caseId: null };
  },

  unbind: async (env) => {
    const { msg, actor, store } = env;
    if (!actor.admin) return env.refuse('只有机器人管理员可以解绑。格式：解绑');
    if (msg.platform === 'console') return env.refuse('控制台里的群不能解绑。');
    const group = store.groupForChat(msg.platform, msg.chatId);
    if (!group || !store.unbindChat(msg.platform, msg.chatId)) return env.refuse('本群没有绑定。');
    env.logger.info({ platform: msg.platform, chatId: msg.chatId, group }, 'chat unbound');
    const text = `已解除绑定（原为「${env.config.groupNames[group] ?? group}」），机器人不再在本群发消息。`;
    await env.reply(`@${msg.platform}:${msg.chatId}`, text);
    return { ok: true, message: text, caseId: null };
  },

  /** 角色: an admin gives roles by platform id; alone, it lists who holds which role. */
  role: async (env, cmd) => {
    const { msg, actor, store, config } = env;
    if (!actor.admin) return env.refuse('只有机器人管理员可以设置角色。格式：角色 @某人 领导/调度/部门 名/成员');
    const role = cmd.role as RoleWord | null;
    if (role === null) {
      const lines = [
        ...config.people.filter((p) => p.role !== 'member' || p.admin).map((p) => `· ${p.name}：${ROLE_ZH[p.role] ?? p.role}${p.department ? ` ${p.department}` : ''}${p.admin ? '、管理员' : ''}（配置）`),
        ...store.listMembers().filter((m) => m.platform === msg.platform).map((m) => `· ${m.displayName}：${ROLE_ZH[m.role] ?? m.role}${m.department ? ` ${m.department}` : ''}${m.isAdmin ? '、管理员' : ''}（id ${m.userId}）`),
      ];
      return env.answer(lines.length > 0 ? `角色：\n${lines.join('\n')}` : '还没有设置角色。格式：角色 @某人 领导/调度/部门 名/成员');
    }
    const targets = env.people.resolveMentions(msg.platform, msg.mentions, cmd.names as string[]);
    if (targets.length === 0) return env.refuse('请 @ 要设置的人（他需要先在群里说过话）。格式：角色 @某人 领导');
    const department = (cmd.department as string | null) ?? null;
    if (role === 'department' && config.departments.length > 0 && !config.departments.some((d) => d.name === department)) {
      return env.refuse(`没有部门「${department}」。可选：${config.departments.map((d) => d.name).join('、')}`);
    }
    const now = env.clock();
    store.transaction(() => {
      for (const t of targets) store.upsertMember(msg.platform, t.id, t.name, role, now, { department: role === 'department' ? department : null });
    });
    env.logger.info({ platform: msg.platform, role, count: targets.length }, 'roles given');
    return env.answer(`已设置 ${targets.map((t) => t.name).join('、')} 为「${ROLE_ZH[role]}${department ? ` ${department}` : ''}」。`);
  },
};
