/**
 * Shared inputs for the core tests: a case builder, actors, a decide context and fixed instants.
 * Pure data — no clock, no I/O.
 */
import { noPractice } from '../../core/case/practice-defaults';
import { commandSpec } from '../../core/commands';
import { decideCaseCommand, type DecideContext, type Decision, type DueContext } from '../../core/decide';
import { DEFAULT_POLICY, type DeadlinePolicy } from '../../core/street-config';
import type { Actor, Case, CaseEvent, Refusal } from '../../core/types';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** 2026-11-29 09:00 Beijing time. */
export const T0 = Date.parse('2026-11-29T09:00:00+08:00');

export const GROUP_NAMES: Record<string, string> = {
  consult: '接诉即办会商群',
  street: '街道接诉即办工作群',
  zhangyi: '张仪村社区',
  jiari: '假日风景社区',
  yueyuan: '阅园社区',
  xifeng: '西丰社区',
};

export const ACTORS = {
  owner: { id: 'u-wangfang', name: '王芳', role: 'member' },
  member: { id: 'u-zhaolei', name: '赵磊', role: 'member' },
  leader: { id: 'u-wang', name: '汪书记', role: 'leader' },
  dispatcher: { id: 'u-li', name: '李调度', role: 'dispatcher' },
  admin: { id: 'u-admin', name: '管理员', role: 'admin' },
  department: { id: 'u-water', name: '区水务局', role: 'department' },
} satisfies Record<string, Actor>;
export type ActorKey = keyof typeof ACTORS;

export const LEADERS = [{ id: 'u-wang', name: '汪书记' }];

/** An ordinary case #12 in 张仪村社区, reported and posted at T0, in the given state. */
export function makeCase(overrides: Partial<Case> = {}): Case {
  const base: Case = {
    id: 12,
    hotlineNo: 'DEMO-0005',
    status: 'new',
    group: 'zhangyi',
    section: '城建科',
    category: '路灯照明',
    urgency: 'ordinary',
    type: '求助',
    address: '张仪村4号院南院',
    content: '南院里几乎所有路灯都不亮，天黑后存在安全隐患。',
    source: '12345',
    citizenName: '周建国',
    citizenPhone: '18600003333',
    ownerId: null,
    ownerName: null,
    reportedAt: T0,
    postedAt: T0,
    claimedAt: null,
    contactedAt: null,
    resolvedAt: null,
    respondBy: T0 + DEFAULT_POLICY.windows.ordinary.respondMs,
    resolveBy: T0 + DEFAULT_POLICY.windows.ordinary.resolveMs,
    result: null,
    version: 1,
    nextDueKind: null,
    nextDueAt: null,
    ...noPractice(),
  };
  return { ...base, ...overrides };
}

/** The fields a case has in each state (owner 王芳, claimed at +5 min, contacted at +1 h, resolved at +2 d). */
export function caseIn(status: Case['status'], overrides: Partial<Case> = {}): Case {
  const owned = { ownerId: ACTORS.owner.id, ownerName: ACTORS.owner.name, claimedAt: T0 + 5 * MIN };
  const byStatus: Record<Case['status'], Partial<Case>> = {
    new: {},
    claimed: owned,
    contacted: { ...owned, contactedAt: T0 + HOUR },
    resolved: { ...owned, contactedAt: T0 + HOUR, resolvedAt: T0 + 2 * DAY, result: '已更换灯泡' },
    closed: { ...owned, contactedAt: T0 + HOUR, resolvedAt: T0 + 2 * DAY, result: '已更换灯泡' },
    returned: {},
    reopened: { ...owned, contactedAt: T0 + HOUR, resolvedAt: null },
  };
  return makeCase({ status, ...byStatus[status], ...overrides });
}

export const DEPARTMENTS = [
  { name: '区水务局', group: null, people: [{ id: 'u-water', name: '赵工' }] },
  { name: '市政排水集团', group: 'paishui', people: [] },
];
export const DISPATCHERS = [{ id: 'u-li', name: '李调度' }];

export function decideContext(actor: Actor, group: string, now: number, policy: DeadlinePolicy = DEFAULT_POLICY, extra: Partial<DecideContext> = {}): DecideContext {
  return {
    ...systemContext(now, policy),
    actor,
    group,
    platform: 'console',
    mentions: [],
    practice: { extensionsMax: 1, extensionsMaxDays: 15 },
    events: [],
    addDays: (start, days) => start + days * DAY,
    deadlineFrom: (start, urgency, which) => start + policy.windows[urgency][which === 'respond' ? 'respondMs' : 'resolveMs'],
    followUpAt: (at) => at + DAY,
    groupDepartments: [],
    ...extra,
  };
}

export function systemContext(now: number, policy: DeadlinePolicy = DEFAULT_POLICY): DueContext {
  return { timeZone: 'Asia/Shanghai', groupNames: GROUP_NAMES, policy, now, leaders: LEADERS, dispatchers: DISPATCHERS, departments: DEPARTMENTS, maskRoomNumbers: true };
}

/** Decides a parsed command (name + caseId + its arguments) with its registry spec, as the bot does. */
export function decideCmd(c: Case, cmd: { name: string } & Record<string, unknown>, ctx: DecideContext, events: CaseEvent[] = []): Decision | Refusal {
  const spec = commandSpec(cmd.name);
  if (!spec || spec.kind !== 'case') throw new Error(`not a case command: ${cmd.name}`);
  const { name: _n, caseId: _c, hotlineNo: _h, ...args } = cmd;
  return decideCaseCommand(spec, c, args, { ...ctx, events });
}
