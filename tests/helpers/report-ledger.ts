/**
 * A fixed ledger for the report tests: eleven cases around November 2026 (Beijing time) whose figures
 * are worked out by hand in tests/storage/report-figures.test.ts. Period edges (00:00:00 on the 1st,
 * 23:59:59 on the 30th, 08:00 and 20:00 for day/night), a reopened case rated again in December, an
 * extended case resolved late, a case sent back to the hotline, a whistled case owned by a leader.
 */
import { noPractice } from '../../core/case/practice-defaults';
import type { CaseStore } from '../../core/ports';
import type { Case, CaseEvent, EventKind, Rating } from '../../core/types';

/** Beijing wall-clock time → epoch ms. */
export const bj = (s: string) => Date.parse(`${s}+08:00`);

/** When the report is made: Thursday 2026-12-03 10:00. */
export const NOW = bj('2026-12-03T10:00:00');

interface LedgerCase {
  no: string;
  group: string;
  section?: string;
  category: string;
  placeKey?: string;
  status: Case['status'];
  reportedAt: string;
  respondBy: string;
  resolveBy: string;
  claimedAt?: string;
  contactedAt?: string;
  resolvedAt?: string;
  owner?: string;
  leader?: string;
  returnCount?: number;
  rating?: Rating;
  ratedAt?: string;
  events?: [EventKind, string][];
}

const yes = (satisfaction: Rating['satisfaction'], solved: Rating['solved'], contacted = true): Rating => ({ satisfaction, solved, contacted, note: null });

/** #1 … #11 in this order. */
export const LEDGER: LedgerCase[] = [
  // A #1: the first instant of November (night); on time all the way; 满意 已解决 on 11-06.
  { no: 'A', group: 'zhangyi', category: '路灯照明', placeKey: '张仪村|4号院', status: 'closed', reportedAt: '2026-11-01T00:00:00', respondBy: '2026-11-02T00:00:00', resolveBy: '2026-11-08T00:00:00', claimedAt: '2026-11-01T01:00:00', contactedAt: '2026-11-01T02:00:00', resolvedAt: '2026-11-05T10:00:00', owner: '王芳', rating: yes('满意', '已解决'), ratedAt: '2026-11-06T10:00:00' },
  // B #2: the last second of November (night); contacted on time on 12-01, still open, deadline in December.
  { no: 'B', group: 'zhangyi', category: '路灯照明', placeKey: '张仪村|4号院', status: 'contacted', reportedAt: '2026-11-30T23:59:59', respondBy: '2026-12-01T23:59:59', resolveBy: '2026-12-07T23:59:59', claimedAt: '2026-12-01T09:00:00', contactedAt: '2026-12-01T10:00:00', owner: '王芳' },
  // C #3: the first instant of December — not November; open past its deadline now.
  { no: 'C', group: 'zhangyi', category: '路灯照明', placeKey: '张仪村|4号院', status: 'new', reportedAt: '2026-12-01T00:00:00', respondBy: '2026-12-01T12:00:00', resolveBy: '2026-12-02T00:00:00' },
  // D #4: contacted late; extension approved (deadline 11-20 09:00), resolved late 11-21; 基本满意 部分解决 on 11-22.
  { no: 'D', group: 'jiari', category: '垃圾清运', status: 'closed', reportedAt: '2026-11-10T09:00:00', respondBy: '2026-11-11T09:00:00', resolveBy: '2026-11-20T09:00:00', claimedAt: '2026-11-10T09:30:00', contactedAt: '2026-11-11T10:00:00', resolvedAt: '2026-11-21T09:00:00', owner: '赵磊', rating: yes('基本满意', '部分解决'), ratedAt: '2026-11-22T10:00:00', events: [['extension-requested', '2026-11-12T10:00:00'], ['extension-approved', '2026-11-12T11:00:00']] },
  // E #5: rated 不满意 11-15 → reopened with a new deadline 11-22 10:00, resolved 11-20, rated 满意 已解决 on 12-02 (a December follow-up).
  { no: 'E', group: 'jiari', category: '垃圾清运', status: 'closed', reportedAt: '2026-11-12T14:00:00', respondBy: '2026-11-13T14:00:00', resolveBy: '2026-11-22T10:00:00', claimedAt: '2026-11-12T15:00:00', contactedAt: '2026-11-12T16:00:00', resolvedAt: '2026-11-20T10:00:00', owner: '赵磊', rating: yes('满意', '已解决'), ratedAt: '2026-12-02T10:00:00', events: [['resolved', '2026-11-14T10:00:00'], ['rated', '2026-11-15T10:00:00'], ['reopened', '2026-11-15T10:00:00'], ['resolved', '2026-11-20T10:00:00'], ['rated', '2026-12-02T10:00:00']] },
  // F #6: a 城管科 case at 21:00 (night), never claimed, 包案 and 吹哨, open past its deadline.
  { no: 'F', group: 'street', section: '城管科', category: '占道经营', status: 'new', reportedAt: '2026-11-15T21:00:00', respondBy: '2026-11-16T21:00:00', resolveBy: '2026-11-22T21:00:00', leader: '汪书记', events: [['leader-owned', '2026-11-16T09:00:00'], ['whistled', '2026-11-16T09:10:00']] },
  // G #7: 08:00:00 sharp (day); a 平安办 case returned, then sent back to the hotline — not overdue.
  { no: 'G', group: 'street', section: '平安办', category: '群租房', status: 'closed', reportedAt: '2026-11-20T08:00:00', respondBy: '2026-11-21T08:00:00', resolveBy: '2026-11-27T08:00:00', returnCount: 1, events: [['returned', '2026-11-20T09:00:00'], ['returned-to-hotline', '2026-11-20T10:00:00']] },
  // H #8: 19:59:59 (day); on time; 满意 已解决 but 未联系 on 11-28.
  { no: 'H', group: 'yueyuan', category: '路灯照明', placeKey: '阅园|一区', status: 'closed', reportedAt: '2026-11-25T19:59:59', respondBy: '2026-11-26T19:59:59', resolveBy: '2026-12-02T19:59:59', claimedAt: '2026-11-25T20:30:00', contactedAt: '2026-11-26T10:00:00', resolvedAt: '2026-11-27T10:00:00', owner: '孙丽', rating: yes('满意', '已解决', false), ratedAt: '2026-11-28T10:00:00' },
  // I #9: 20:00:00 sharp (night); claimed, never contacted, open past its deadline.
  { no: 'I', group: 'yueyuan', category: '路灯照明', placeKey: '阅园|一区', status: 'claimed', reportedAt: '2026-11-25T20:00:00', respondBy: '2026-11-25T22:00:00', resolveBy: '2026-11-26T20:00:00', claimedAt: '2026-11-25T20:10:00', owner: '孙丽' },
  // J #10: received in October (23:59:59 on 10-31), resolved late, its follow-up (满意 已解决) on 11-04 counts in November.
  { no: 'J', group: 'xifeng', category: '其他', status: 'closed', reportedAt: '2026-10-31T23:59:59', respondBy: '2026-11-01T23:59:59', resolveBy: '2026-11-02T00:00:00', claimedAt: '2026-11-01T08:00:00', contactedAt: '2026-11-01T09:00:00', resolvedAt: '2026-11-03T10:00:00', owner: '钱多', rating: yes('满意', '已解决'), ratedAt: '2026-11-04T10:00:00' },
  // K #11: closed as 未评价 (no 回访): not a follow-up.
  { no: 'K', group: 'zhangyi', category: '路灯照明', placeKey: '张仪村|4号院', status: 'closed', reportedAt: '2026-11-03T10:00:00', respondBy: '2026-11-04T10:00:00', resolveBy: '2026-11-10T10:00:00', claimedAt: '2026-11-03T10:10:00', contactedAt: '2026-11-03T11:00:00', resolvedAt: '2026-11-04T10:00:00', owner: '王芳', rating: { satisfaction: '未评价', solved: null, contacted: true, note: null } },
];

const ev = (kind: EventKind, at: string): CaseEvent => ({ kind, actorId: null, actorName: null, group: null, at: bj(at), text: null, fromStatus: null, toStatus: null });
const opt = (s: string | undefined) => (s === undefined ? null : bj(s));

/** Writes the ledger through the store (ratings through updateCase, which fills the rating columns). */
export function writeLedger(store: CaseStore): void {
  store.transaction(() => {
    for (const l of LEDGER) {
      const c = store.insertCase({
        hotlineNo: `R-${l.no}`, status: l.status, group: l.group, section: l.section ?? null, category: l.category, urgency: 'ordinary', type: '求助',
        address: null, content: `案件 ${l.no}`, source: '12345', citizenName: null, citizenPhone: null,
        ownerId: l.owner ?? null, ownerName: l.owner ?? null, reportedAt: bj(l.reportedAt), postedAt: bj(l.reportedAt),
        claimedAt: opt(l.claimedAt), contactedAt: opt(l.contactedAt), resolvedAt: opt(l.resolvedAt), respondBy: bj(l.respondBy), resolveBy: bj(l.resolveBy),
        result: null, version: 1, nextDueKind: null, nextDueAt: null,
        ...noPractice(), leaderId: l.leader ?? null, leaderName: l.leader ?? null, placeKey: l.placeKey ?? null, returnCount: l.returnCount ?? 0,
      });
      store.appendEvents(c.id, [ev('received', l.reportedAt), ...(l.events ?? []).map(([k, at]) => ev(k, at))]);
      if (l.rating) store.updateCase(c.id, c.version, { rating: l.rating, ratedAt: opt(l.ratedAt) });
    }
  });
}
