import { can, isManager } from '../../../core/access/roles';
import type { CaseStore } from '../../../core/ports';
import { EVENT_ZH, STATUS_ZH, URGENCY_ZH } from '../../../core/texts';
import type { Actor, Case, CaseEvent } from '../../../core/types';

/**
 * What the web console shows of cases, and to whom. Leaders and the dispatcher see every case; anyone
 * else the cases of the groups they have written in — all of them once they have written in consult
 * (as 列表 there lists every case).
 */

/** The groups a person may see: null = every case. */
export type Scope = ReadonlySet<string> | null;

export function scopeFor(actor: Actor, groupsWritten: readonly string[]): Scope {
  if (isManager(actor) || groupsWritten.includes('consult')) return null;
  return new Set(groupsWritten);
}

export function mayView(c: Pick<Case, 'group'>, scope: Scope): boolean {
  return scope === null || scope.has(c.group);
}

/** The deadline a case runs against now: first contact until the citizen was reached, then the result. */
export function nextDeadline(c: Case): { kind: 'respond' | 'resolve'; at: number; from: number } {
  if (c.contactedAt === null && (c.status === 'new' || c.status === 'claimed')) return { kind: 'respond', at: c.respondBy, from: c.reportedAt };
  return { kind: 'resolve', at: c.resolveBy, from: c.reportedAt };
}

/** Open past a deadline: the response deadline while nobody reached the citizen, or the resolution deadline. */
export function isOverdue(c: Case, now: number): boolean {
  const open = c.status === 'new' || c.status === 'claimed' || c.status === 'contacted' || c.status === 'reopened' || c.status === 'returned';
  return open && now > nextDeadline(c).at;
}

/** One board row (no citizen's name or phone). */
export function boardRow(c: Case, groupNames: Record<string, string>, now: number): object {
  const d = nextDeadline(c);
  return {
    id: c.id,
    hotlineNo: c.hotlineNo,
    status: c.status,
    statusZh: STATUS_ZH[c.status],
    group: c.group,
    groupName: groupNames[c.group] ?? c.group,
    category: c.category,
    urgency: c.urgency,
    urgencyZh: URGENCY_ZH[c.urgency],
    owner: c.ownerName,
    leader: c.leaderName,
    whistled: c.whistle.length > 0,
    repeatCount: c.repeatCount,
    address: c.address,
    content: c.content.length > 120 ? `${c.content.slice(0, 119)}…` : c.content,
    reportedAt: c.reportedAt,
    deadline: { kind: d.kind, at: d.at, from: d.from },
    overdue: isOverdue(c, now),
  };
}

/** Open cases this scope may see, nearest deadline first. */
export function boardRows(store: CaseStore, scope: Scope, groupNames: Record<string, string>, now: number, limit = 2000): { rows: object[]; total: number } {
  const { cases } = store.listOpenCases({ group: null, filter: 'all', now, limit });
  const visible = cases.filter((c) => mayView(c, scope));
  return { rows: visible.map((c) => boardRow(c, groupNames, now)), total: visible.length };
}

/** One event of the ledger, as the timeline shows it. */
function eventJson(e: CaseEvent, groupNames: Record<string, string>): object {
  return { kind: e.kind, kindZh: EVENT_ZH[e.kind] ?? e.kind, actor: e.actorName, at: e.at, text: e.text, group: e.group ? (groupNames[e.group] ?? (e.group.startsWith('~') ? '私聊' : e.group)) : null };
}

/**
 * A case's page: the card, participants, the ledger, deadlines with their milestones, repeat links,
 * and what this person may do from the page. The citizen's name and phone only for those 联系方式 allows.
 */
export function caseDetail(store: CaseStore, c: Case, actor: Actor, groupNames: Record<string, string>, repeatWindowDays: number, now: number): object {
  const events = store.listEvents(c.id);
  const windowMs = repeatWindowDays * 86_400_000;
  const repeats = c.placeKey ? store.casesAtPlace(c.placeKey, c.category, c.reportedAt - windowMs, c.reportedAt + windowMs).filter((r) => r.id !== c.id) : [];
  const contact = can(actor, 'contact-info', c, { group: c.group, groupDepartments: [] });
  const milestones: { at: number; label: string; done: boolean }[] = [
    { at: c.reportedAt, label: '接件', done: true },
    ...(c.claimedAt !== null ? [{ at: c.claimedAt, label: `认领（${c.ownerName ?? ''}）`, done: true }] : []),
    { at: c.respondBy, label: '响应时限', done: c.contactedAt !== null },
    ...(c.contactedAt !== null ? [{ at: c.contactedAt, label: '已联系', done: true }] : []),
    ...c.extensions.filter((x) => x.status === 'approved' && x.decidedAt !== null).map((x) => ({ at: x.decidedAt!, label: `批准延期 ${x.days} 天`, done: true })),
    ...c.nodes.map((n) => ({ at: n.due, label: `节点${n.no}：${n.text}`, done: n.doneAt !== null })),
    { at: c.resolveBy, label: '办结时限', done: c.resolvedAt !== null },
    ...(c.resolvedAt !== null ? [{ at: c.resolvedAt, label: '办结', done: true }] : []),
    ...(c.closedAt !== null ? [{ at: c.closedAt, label: '关闭', done: true }] : []),
  ].sort((a, b) => a.at - b.at);
  const manager = isManager(actor);
  return {
    ...boardRow(c, groupNames, now),
    content: c.content,
    section: c.section,
    type: c.type,
    source: c.source,
    urgencyReason: c.urgencyReason,
    respondBy: c.respondBy,
    resolveBy: c.resolveBy,
    claimedAt: c.claimedAt,
    contactedAt: c.contactedAt,
    resolvedAt: c.resolvedAt,
    closedAt: c.closedAt,
    result: c.result,
    citizen: contact ? { name: c.citizenName, phone: c.citizenPhone } : null,
    participants: {
      owner: c.ownerName,
      leader: c.leaderName,
      coHandlers: c.coHandlers.map((p) => p.name),
      whistle: c.whistle.map((w) => ({ department: w.department, summonedAt: w.summonedAt, reportedAt: w.reportedAt, reportedBy: w.reportedBy })),
    },
    extensions: c.extensions.map((x) => ({ days: x.days, reason: x.reason, status: x.status, requestedBy: x.requestedBy, requestedAt: x.requestedAt, decidedBy: x.decidedBy })),
    nodes: c.nodes.map((n) => ({ no: n.no, due: n.due, text: n.text, doneAt: n.doneAt })),
    rating: c.rating,
    repeatOf: c.repeatOf,
    repeatCount: c.repeatCount,
    repeats: repeats.map((r) => ({ id: r.id, reportedAt: r.reportedAt, status: r.status, statusZh: STATUS_ZH[r.status] })),
    milestones,
    events: events.map((e) => eventJson(e, groupNames)),
    actions: {
      approve: actor.role === 'leader' && c.extensions.some((x) => x.status === 'requested'),
      own: actor.role === 'leader' && c.leaderId === null,
      whistle: actor.role === 'leader',
      assign: manager,
      route: manager,
    },
  };
}

/**
 * The command text an action on the case page stands for — the same words as typed in chat, so the
 * same command definition decides and the group is told exactly as if typed there. Null: not an action.
 */
export function actionText(caseId: number, body: Record<string, unknown>): string | null {
  const word = (v: unknown) => (typeof v === 'string' ? v.replace(/[\r\n]+/g, ' ').trim().slice(0, 200) : '');
  switch (body.action) {
    case 'approve':
      return `批准 ${caseId}`;
    case 'reject':
      return `驳回 ${caseId}${word(body.reason) ? ` ${word(body.reason)}` : ''}`;
    case 'own':
      return `包案 ${caseId}`;
    case 'whistle':
      return word(body.departments) ? `吹哨 ${caseId} ${word(body.departments)}` : null;
    case 'assign': {
      const who = word(body.person).replace(/^@/, '');
      return who && !/\s/.test(who) ? `转派 ${caseId} @${who}` : null;
    }
    case 'route':
      return word(body.group) ? `改派 ${caseId} ${word(body.group)}` : null;
    default:
      return null;
  }
}
