import type { Actor, Case } from '../types';

/**
 * The one place that says who may act on a case. A role sticks to a platform user id (the bot
 * resolves it); here it is only read. Bot admins manage bindings and roles and have no case
 * authority of their own: an admin who is also a leader is a leader because of the leader role.
 */

/** What a command needs. */
export type Permission =
  /** Anyone in a bound group. */
  | 'anyone'
  /** The owner, the 包案 leader, a leader or the dispatcher. */
  | 'owner'
  /** The owner, a co-handler, the 包案 leader, a leader or the dispatcher. */
  | 'handler'
  /** The owner, co-handlers and leaders (the citizen's contact details). */
  | 'contact-info'
  /** A leader. */
  | 'leader'
  /** A leader or the dispatcher. */
  | 'manager'
  /** The dispatcher or a leader (回访 is the dispatcher's call; a leader may stand in). */
  | 'dispatcher'
  /** A bot admin (bindings and roles). */
  | 'admin'
  /** A department summoned on the case. */
  | 'department'
  /** The owner, or anyone typing in the case's own group (退单). */
  | 'returner';

/** Who each permission means, for refusals: 只有{WHO}可以… */
export const WHO_ZH: Record<Permission, string> = {
  anyone: '群成员',
  owner: '负责人、领导或调度',
  handler: '负责人、协办人、领导或调度',
  'contact-info': '负责人、协办人或领导',
  leader: '领导',
  manager: '领导或调度员',
  dispatcher: '调度员或领导',
  admin: '机器人管理员',
  department: '被吹哨的部门',
  returner: '负责人或本群成员',
};

export const isLeader = (a: Actor) => a.role === 'leader';
export const isManager = (a: Actor) => a.role === 'leader' || a.role === 'dispatcher';
export const isOwner = (c: Case, a: Actor) => c.ownerId !== null && c.ownerId === a.id;
export const isPackageLeader = (c: Case, a: Actor) => c.leaderId !== null && c.leaderId === a.id;
export const isCoHandler = (c: Case, a: Actor) => c.coHandlers.some((p) => p.id === a.id);

/** The department the actor reports for on this case, if summoned. */
export function summonedDepartment(c: Case | null, a: Actor, groupDepartments: string[]): string | null {
  if (!c) return null;
  const names = new Set(groupDepartments);
  if (a.department) names.add(a.department);
  return c.whistle.find((w) => names.has(w.department))?.department ?? null;
}

export interface AccessContext {
  /** The group the command was typed in. */
  group: string;
  /** Departments whose bound group is the one the command was typed in. */
  groupDepartments: string[];
}

/** Whether `actor` may do what `permission` names on case `c` (null for commands about no case). */
export function can(actor: Actor, permission: Permission, c: Case | null, ctx: AccessContext): boolean {
  switch (permission) {
    case 'anyone':
      return true;
    case 'admin':
      return actor.admin === true;
    case 'leader':
      return isLeader(actor);
    case 'manager':
    case 'dispatcher':
      return isManager(actor);
    case 'owner':
      return isManager(actor) || (c !== null && (isOwner(c, actor) || isPackageLeader(c, actor)));
    case 'handler':
      return isManager(actor) || (c !== null && (isOwner(c, actor) || isPackageLeader(c, actor) || isCoHandler(c, actor)));
    case 'contact-info':
      return isLeader(actor) || (c !== null && (isOwner(c, actor) || isPackageLeader(c, actor) || isCoHandler(c, actor)));
    case 'department':
      return summonedDepartment(c, actor, ctx.groupDepartments) !== null;
    case 'returner':
      return c !== null && (isOwner(c, actor) || ctx.group === c.group || isManager(actor));
  }
}
