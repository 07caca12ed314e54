/**
 * The domain's vocabulary: cases, people, events and the effects that `bot/` carries out.
 * Times are epoch milliseconds (UTC instants); formatting to Beijing time happens in texts.
 */

/** Case lifecycle. `reopened` behaves like `claimed` (same owner). */
export type CaseStatus = 'new' | 'claimed' | 'contacted' | 'resolved' | 'closed' | 'returned' | 'reopened';

/** Deadline class (SPEC "Deadlines"). */
export type Urgency = 'urgent' | 'utility' | 'ordinary' | 'complex' | 'consult';
export const URGENCIES: readonly Urgency[] = ['urgent', 'utility', 'ordinary', 'complex', 'consult'];

/** The regulation's five kinds of request. */
export type RequestType = '咨询' | '求助' | '投诉' | '举报' | '建议';
export const REQUEST_TYPES: readonly RequestType[] = ['咨询', '求助', '投诉', '举报', '建议'];

/** Where a case came from. */
export type CaseSource = '12345' | 'mp' | 'chat' | 'import';

/**
 * What a person may do on cases. `admin` is kept for the YAML's sake: an admin manages bindings and
 * roles (see {@link Actor.admin}) and acts on cases only as a member.
 */
export type Role = 'admin' | 'leader' | 'dispatcher' | 'member' | 'department';

/** A person as a case knows them: platform user id and the name shown in the group. */
export interface Person {
  id: string;
  name: string;
}

/** Someone who typed something: platform user id plus the name shown in the group. */
export interface Actor {
  /** Stable platform id (console: the display name itself). */
  id: string;
  name: string;
  /** Case authority: leader, dispatcher, department or member (never `admin`: that is {@link admin}). */
  role: Role;
  /** Manages bindings and roles (绑定、角色、解绑); says nothing about cases. */
  admin?: boolean;
  /** The department this person reports for (吹哨报到), when role is `department`. */
  department?: string | null;
}

/** A department summoned by a whistle (吹哨) and whether it has reported (报到). */
export interface WhistleEntry {
  department: string;
  summonedAt: number;
  reportedAt: number | null;
  reportedBy: string | null;
  /** When the bot reminded the department (then its leader) about checking in. */
  remindedAt: number | null;
  escalatedAt: number | null;
}

/** A dated checkpoint of a hard case (节点), followed up by the bot. */
export interface TimeNode {
  /** 1-based number people type: 节点 12 完成 1. */
  no: number;
  due: number;
  text: string;
  doneAt: number | null;
  /** When the bot asked about it at its due time. */
  askedAt: number | null;
}

/** One extension request (延期) and its decision. */
export interface Extension {
  days: number;
  reason: string;
  status: 'requested' | 'approved' | 'rejected';
  requestedAt: number;
  requestedBy: string;
  decidedAt: number | null;
  decidedBy: string | null;
  /** The resolution deadline the approval set. */
  newResolveBy: number | null;
}

export type Satisfaction = '满意' | '基本满意' | '不满意' | '未评价';
export type Solved = '已解决' | '未解决' | '部分解决';

/** The follow-up call's three answers (回访). */
export interface Rating {
  satisfaction: Satisfaction;
  solved: Solved | null;
  contacted: boolean;
  note: string | null;
}

/** A case as the domain sees it. */
export interface Case {
  /** Short number people type (`#12`). */
  id: number;
  hotlineNo: string;
  status: CaseStatus;
  /** Group key the case lives in (`consult`, `street` or a community key). */
  group: string;
  /** Street section responsible, when routed by category. */
  section: string | null;
  category: string;
  urgency: Urgency;
  type: RequestType | null;
  address: string | null;
  content: string;
  source: CaseSource;
  citizenName: string | null;
  citizenPhone: string | null;
  /**
   * The citizen's openid on the public account (cases that came in through it), for telling them the
   * result. Personal data: never logged, never public. Absent or null for every other source.
   */
  citizenOpenId?: string | null;
  ownerId: string | null;
  ownerName: string | null;
  reportedAt: number;
  /** When the card was first posted (start of the unclaimed window). */
  postedAt: number;
  claimedAt: number | null;
  contactedAt: number | null;
  resolvedAt: number | null;
  /** Response deadline: first contact with the citizen. */
  respondBy: number;
  /** Resolution deadline (办理时限). */
  resolveBy: number;
  result: string | null;
  /** Optimistic-concurrency version; bumped by every change of the row. */
  version: number;
  /** The one pending deadline milestone of this case, null when none (closed cases). */
  nextDueKind: MilestoneKind | null;
  nextDueAt: number | null;

  // ------------------------------------------------ participants and practice (every write is version-checked)
  /** The leader who took the case as 包案. */
  leaderId: string | null;
  leaderName: string | null;
  /** 协办: may add notes, reminded with the owner. */
  coHandlers: Person[];
  /** Departments summoned by 吹哨, with their check-ins. */
  whistle: WhistleEntry[];
  /** 节点: dated checkpoints. */
  nodes: TimeNode[];
  /** 延期 requests, oldest first. */
  extensions: Extension[];
  /** The follow-up (回访), when recorded. */
  rating: Rating | null;
  ratedAt: number | null;
  /** When the bot asks the dispatcher to call back (set at 办结). */
  followUpAt: number | null;
  closedAt: number | null;
  /** The earlier case at the same place with the same category (重复诉求), and which time this is (1 = first). */
  repeatOf: number | null;
  repeatCount: number;
  /** Normalised place (community + road/compound/building, not the room): repeats and hotspots. */
  placeKey: string | null;
  /** How many times the case was returned (退单). */
  returnCount: number;
  /** Why the case was judged urgent (`井盖丢失`), shown on the card. */
  urgencyReason: string | null;
  /** Photos stored as evidence. */
  mediaCount: number;
}

/** Kinds of ledger event. */
export type EventKind =
  | 'received'
  | 'claimed'
  | 'contacted'
  | 'note'
  | 'resolved'
  | 'reminder'
  | 'overdue'
  | 'escalated'
  /** The public account refused to deliver the result to the citizen (unsubscribed, window closed…). */
  | 'public-failed'
  | 'extension-requested'
  | 'extension-approved'
  | 'extension-rejected'
  | 'returned'
  | 'rerouted'
  | 'returned-to-hotline'
  | 'assigned'
  | 'co-handler-added'
  | 'leader-owned'
  | 'whistled'
  | 'checked-in'
  | 'node-set'
  | 'node-done'
  | 'rated'
  | 'reopened'
  | 'closed'
  | 'corrected'
  | 'media';

/** One row of the append-only ledger (台账). */
export interface CaseEvent {
  kind: EventKind;
  actorId: string | null;
  actorName: string | null;
  /** Group the event happened in (null for system events with no group). */
  group: string | null;
  at: number;
  text: string | null;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
}

/**
 * A file sent with a message: a report's chart (image) or a ledger spreadsheet (file), already saved
 * under DATA_DIR (reports/). Platforms that take files send it with the text (Telegram sendPhoto /
 * sendDocument, WeChat FileBox); the console prints the saved path.
 */
export interface Attachment {
  kind: 'image' | 'file';
  /** Absolute path of the saved file. */
  path: string;
  /** File name shown to people (`月报-2026-11.png`). */
  name: string;
}

/** A chat message the bot decided to send. */
export interface SendEffect {
  type: 'send';
  /** Group key, or a private address (`~<platform>:<userId>`, see core/address.ts). */
  group: string;
  text: string;
  /** card: a new case's card; update: a state change of a case; alarm: reminder or overdue; reply: an answer. */
  kind: 'card' | 'update' | 'alarm' | 'reply';
  /** People to @-mention (platform ids and names); adapters render them. */
  mentions: { id: string; name: string }[];
  /** The case this message is about (lets a quote-reply find its case). */
  caseId: number | null;
  /**
   * For a private message: the group to tell (without anything personal) when the person cannot be
   * reached privately (never opened a chat with the bot).
   */
  fallbackGroup?: string | null;
  /** A file that goes with the text, in order with it. */
  attachment?: Attachment | null;
}

/** A text for the public side (公众号 / files), already masked. */
export interface PublishEffect {
  type: 'publish';
  caseId: number;
  title: string;
  text: string;
}

/** A leader let one of a case's photos go to the public side (公开照片): the bot marks it where photos are kept. */
export interface MediaPublicEffect {
  type: 'media-public';
  caseId: number;
  /** 1-based, in the order the case's photos were added. */
  no: number;
}

export type Effect = SendEffect | PublishEffect | MediaPublicEffect;

/** Deadline milestones; one is pending per open case. */
export type MilestoneKind =
  | 'unclaimed-remind'
  | 'unclaimed-escalate'
  | 'respond-50'
  | 'respond-90'
  | 'respond-overdue'
  | 'resolve-50'
  | 'resolve-90'
  | 'resolve-overdue'
  /** A summoned department has not reported within whistle.checkInWithin; then its leader is told. */
  | 'checkin-remind'
  | 'checkin-escalate'
  /** A time node (节点) is due: ask the responsible, tell consult. */
  | 'node-due'
  /** A resolved case waits for its follow-up call (回访); after followUp.closeAfter it closes as 未评价. */
  | 'followup-remind'
  | 'followup-close';

export interface Milestone {
  kind: MilestoneKind;
  dueAt: number;
}

/** An expected failure: a user-facing Chinese line, nothing changed. */
export interface Refusal {
  ok: false;
  message: string;
}

export const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'claimed', 'contacted', 'reopened'];
export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
