import { describe, expect, it } from 'vitest';
import type { Command } from '../../core/commands';
import { decideDue, decideIntakeEffects, type Decision } from '../../core/decide';
import { nextMilestone } from '../../core/milestones';
import { DEFAULT_POLICY } from '../../core/street-config';
import type { Case, CaseEvent, CaseStatus, Effect, Milestone, Refusal, SendEffect } from '../../core/types';
import { ACTORS, caseIn, DAY, decideCmd, decideContext, HOUR, LEADERS, makeCase, MIN, systemContext, T0, type ActorKey } from './make-case';

type CaseCommand = Command & { caseId: number | null };

const CMD = {
  claim: { name: 'claim', caseId: 12 },
  contact: { name: 'contact', caseId: 12, text: '电话已联系市民' },
  note: { name: 'note', caseId: 12, text: '已到现场，正在处理' },
  done: { name: 'done', caseId: 12, text: '灯泡已全部更换' },
  status: { name: 'status', caseId: 12 },
} satisfies Record<string, CaseCommand>;
type CmdKey = keyof typeof CMD;

const NOW = T0 + 2 * HOUR;

function run(c: Case, cmd: CmdKey, actor: ActorKey, group = c.group, now = NOW): Decision | Refusal {
  return decideCmd(c, CMD[cmd], decideContext(ACTORS[actor], group, now), []);
}

function expectOk(result: Decision | Refusal): Decision {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result;
}

function expectRefused(result: Decision | Refusal): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.patch)}`);
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.message).not.toMatch(/[\r\n]/);
  return result.message;
}

const sends = (effects: Effect[]) => effects.filter((e): e is SendEffect => e.type === 'send');

describe('decideCaseCommand: transitions by status, actor and command', () => {
  /** [status, actor, command, group typed in, status after] */
  const allowed: [CaseStatus, ActorKey, CmdKey, string, CaseStatus][] = [
    ['new', 'member', 'claim', 'zhangyi', 'claimed'],
    ['new', 'owner', 'claim', 'zhangyi', 'claimed'],
    ['new', 'department', 'claim', 'zhangyi', 'claimed'],
    ['new', 'member', 'claim', 'consult', 'claimed'],
    ['new', 'leader', 'claim', 'consult', 'claimed'],
    ['claimed', 'owner', 'contact', 'zhangyi', 'contacted'],
    ['claimed', 'leader', 'contact', 'zhangyi', 'contacted'],
    ['claimed', 'dispatcher', 'contact', 'consult', 'contacted'],
    ['reopened', 'owner', 'contact', 'zhangyi', 'contacted'],
    ['claimed', 'owner', 'note', 'zhangyi', 'claimed'],
    ['contacted', 'owner', 'note', 'zhangyi', 'contacted'],
    ['contacted', 'leader', 'note', 'consult', 'contacted'],
    ['reopened', 'owner', 'note', 'zhangyi', 'reopened'],
    ['contacted', 'owner', 'done', 'zhangyi', 'resolved'],
    ['contacted', 'leader', 'done', 'zhangyi', 'resolved'],
    ['contacted', 'dispatcher', 'done', 'consult', 'resolved'],
    ['reopened', 'owner', 'done', 'zhangyi', 'resolved'],
  ];

  it.each(allowed)('%s case: %s may %s (in %s) → %s', (status, actor, cmd, group, after) => {
    const c = caseIn(status);
    const d = expectOk(run(c, cmd, actor, group));
    expect({ ...c, ...d.patch }.status).toBe(after);
    expect(d.effects.length).toBeGreaterThan(0);
    // The case's group always hears about it; the group it was typed in too when that is elsewhere.
    const groups = sends(d.effects).map((e) => e.group);
    expect(groups).toContain(c.group);
    expect(groups).toContain(group);
    expect(new Set(groups).size).toBe(groups.length);
    // A claim also sends the citizen's details to the new owner privately (`~platform:user`), never in a group.
    for (const e of sends(d.effects).filter((x) => !x.group.startsWith('~'))) expect(e).toMatchObject({ caseId: 12, kind: 'update' });

    expect(d.events).toHaveLength(1);
    const ev = d.events[0]!;
    expect(ev).toMatchObject({ actorId: ACTORS[actor].id, actorName: ACTORS[actor].name, group, at: NOW });
    if (cmd === 'note') {
      expect(ev).toMatchObject({ kind: 'note', fromStatus: null, toStatus: null, text: CMD.note.text });
      expect(d.patch).toEqual({});
    } else {
      const kinds: Record<CmdKey, CaseEvent['kind'] | null> = { claim: 'claimed', contact: 'contacted', done: 'resolved', note: 'note', status: null };
      expect(ev).toMatchObject({ kind: kinds[cmd], fromStatus: status, toStatus: after });
    }
  });

  /** [status, actor, command, group typed in, what the refusal must say] */
  const refused: [CaseStatus, ActorKey, CmdKey, string, RegExp][] = [
    ['claimed', 'member', 'claim', 'zhangyi', /王芳/],
    ['contacted', 'member', 'claim', 'zhangyi', /王芳/],
    ['reopened', 'leader', 'claim', 'consult', /王芳/],
    ['claimed', 'owner', 'claim', 'zhangyi', /你已认领 #12/],
    ['contacted', 'owner', 'claim', 'zhangyi', /你已认领/],
    ['returned', 'member', 'claim', 'zhangyi', /已退单/],
    ['new', 'member', 'claim', 'jiari', /张仪村社区/],
    ['new', 'leader', 'claim', 'street', /请在该群认领/],
    ['claimed', 'member', 'contact', 'zhangyi', /王芳 负责/],
    ['claimed', 'department', 'contact', 'zhangyi', /王芳 负责/],
    // A bot admin manages bindings and roles; it is no authority on cases.
    ['claimed', 'admin', 'contact', 'zhangyi', /王芳 负责/],
    ['contacted', 'admin', 'done', 'zhangyi', /王芳 负责/],
    // The response rate counts first contact: 办结 asks for 已联系 first.
    ['claimed', 'owner', 'done', 'zhangyi', /请先「已联系 12」/],
    ['contacted', 'owner', 'contact', 'zhangyi', /已记录联系市民/],
    ['contacted', 'leader', 'contact', 'zhangyi', /已记录联系市民/],
    ['new', 'member', 'contact', 'zhangyi', /认领 12/],
    ['new', 'leader', 'contact', 'zhangyi', /还没人认领/],
    ['resolved', 'owner', 'contact', 'zhangyi', /已办结/],
    ['claimed', 'member', 'note', 'zhangyi', /王芳 负责/],
    ['contacted', 'member', 'note', 'zhangyi', /王芳 负责/],
    ['new', 'leader', 'note', 'zhangyi', /还没人认领/],
    ['resolved', 'owner', 'note', 'zhangyi', /已办结/],
    ['closed', 'owner', 'note', 'zhangyi', /已关闭/],
    ['contacted', 'member', 'done', 'zhangyi', /王芳 负责/],
    ['new', 'member', 'done', 'zhangyi', /认领 12/],
    ['new', 'leader', 'done', 'zhangyi', /还没人认领/],
    ['new', 'dispatcher', 'done', 'consult', /还没人认领/],
    ['resolved', 'owner', 'done', 'zhangyi', /已办结/],
    ['returned', 'leader', 'done', 'consult', /已退单/],
  ];

  it.each(refused)('%s case: %s may not %s (in %s)', (status, actor, cmd, group, says) => {
    expect(expectRefused(run(caseIn(status), cmd, actor, group))).toMatch(says);
  });

  it.each<CaseStatus>(['new', 'claimed', 'contacted', 'resolved', 'closed', 'returned', 'reopened'])('status of a %s case: the card, nothing changed', (status) => {
    const c = caseIn(status);
    const events: CaseEvent[] = [
      { kind: 'received', actorId: null, actorName: null, group: 'zhangyi', at: T0, text: '来源 12345', fromStatus: null, toStatus: 'new' },
      { kind: 'note', actorId: ACTORS.owner.id, actorName: '王芳', group: 'zhangyi', at: T0 + HOUR, text: '已到现场', fromStatus: null, toStatus: null },
    ];
    const d = expectOk(decideCmd(c, CMD.status, decideContext(ACTORS.member, 'consult', NOW), events));
    expect(d.patch).toEqual({});
    expect(d.events).toEqual([]);
    expect(d.effects).toHaveLength(1);
    const card = sends(d.effects)[0]!;
    expect(card).toMatchObject({ type: 'send', kind: 'reply', group: 'consult', caseId: 12 });
    expect(card.text).toContain('#12');
    expect(card.text).toContain('DEMO-0005');
    expect(card.text).toContain({ new: '待认领', claimed: '已认领', contacted: '已联系', resolved: '已办结', closed: '已关闭', returned: '已退单', reopened: '重办' }[status]);
    expect(card.text).toContain(c.ownerName ?? '负责人：无');
    expect(card.text).toContain('已到现场');
  });
});

describe('decideCaseCommand: the whole way new → claimed → contacted → resolved', () => {
  it('each step patches status, owner, times and the next milestone', () => {
    let c = makeCase();
    const claimAt = T0 + 3 * MIN;
    const claim = expectOk(run(c, 'claim', 'owner', 'zhangyi', claimAt));
    expect(claim.patch).toMatchObject({ status: 'claimed', ownerId: 'u-wangfang', ownerName: '王芳', claimedAt: claimAt });
    // The owner is reminded at half of the response window first.
    expect(claim.patch).toMatchObject({ nextDueKind: 'respond-50', nextDueAt: T0 + 12 * HOUR });
    expect(sends(claim.effects)[0]!.text).toContain('王芳');
    c = { ...c, ...claim.patch };

    const contactAt = T0 + 40 * MIN;
    const contact = expectOk(run(c, 'contact', 'owner', 'zhangyi', contactAt));
    expect(contact.patch).toMatchObject({ status: 'contacted', contactedAt: contactAt, nextDueKind: 'resolve-50', nextDueAt: T0 + 3.5 * DAY });
    expect(contact.events[0]!.text).toBe('电话已联系市民');
    expect(sends(contact.effects)[0]!.text).not.toContain('已超响应时限');
    c = { ...c, ...contact.patch };

    const note = expectOk(run(c, 'note', 'owner', 'zhangyi', T0 + DAY));
    expect(note.patch).toEqual({});
    expect(sends(note.effects)[0]!.text).toContain('已到现场，正在处理');

    const doneAt = T0 + 2 * DAY;
    const done = expectOk(run(c, 'done', 'owner', 'zhangyi', doneAt));
    // Resolved, the case now waits for the follow-up call: the dispatcher is reminded (context: a day later).
    expect(done.patch).toMatchObject({ status: 'resolved', resolvedAt: doneAt, result: '灯泡已全部更换', followUpAt: doneAt + DAY, nextDueKind: 'followup-remind', nextDueAt: doneAt + DAY });
    expect(sends(done.effects)[0]!.text).not.toContain('超时办结');
    c = { ...c, ...done.patch };
    expect(nextMilestone(c, DEFAULT_POLICY, doneAt + DAY, doneAt + DAY)).toEqual({ kind: 'followup-close', dueAt: doneAt + DEFAULT_POLICY.followUpCloseMs });

    // A resolved case refuses everything but 状态.
    for (const cmd of ['claim', 'contact', 'note', 'done'] as const) expectRefused(run(c, cmd, 'owner'));
  });

  it.each([
    ['early', T0 + MIN, 'respond-50', T0 + 12 * HOUR],
    ['after the 50 % mark', T0 + 13 * HOUR, 'respond-90', T0 + Math.round(21.6 * HOUR)],
    ['after the response deadline', T0 + 25 * HOUR, 'resolve-50', T0 + 3.5 * DAY],
    ['after the resolution deadline', T0 + 7 * DAY + 5 * HOUR, 'resolve-overdue', T0 + 7 * DAY + 8 * HOUR],
  ])('a claim %s schedules the next future milestone', (_label, at, kind, dueAt) => {
    const d = expectOk(run(makeCase(), 'claim', 'owner', 'zhangyi', at));
    expect(d.patch).toMatchObject({ nextDueKind: kind, nextDueAt: dueAt });
  });

  it('a late contact or done says so', () => {
    const c = caseIn('claimed');
    const contact = expectOk(run(c, 'contact', 'owner', 'zhangyi', c.respondBy + MIN));
    expect(sends(contact.effects)[0]!.text).toContain('已超响应时限');
    const done = expectOk(run(caseIn('contacted'), 'done', 'owner', 'zhangyi', c.resolveBy + MIN));
    expect(sends(done.effects)[0]!.text).toContain('超时办结');
  });

  it('contact of a reopened case keeps the first contact time', () => {
    const c = caseIn('reopened');
    const d = expectOk(run(c, 'contact', 'owner', 'zhangyi', T0 + 3 * DAY));
    expect(d.patch.contactedAt).toBe(T0 + HOUR);
  });

  it('a claim from consult is announced in the case group and in consult', () => {
    const d = expectOk(run(makeCase(), 'claim', 'leader', 'consult'));
    // …and the citizen's details go to the new owner privately.
    expect(sends(d.effects).map((e) => e.group).sort()).toEqual(['consult', 'zhangyi', '~console:u-wang']);
    const priv = sends(d.effects).find((e) => e.group.startsWith('~'))!;
    expect(priv.text).toContain('18600003333');
    expect(sends(d.effects).filter((e) => !e.group.startsWith('~')).map((e) => e.text).join('\n')).not.toContain('18600003333');
    expect(d.events[0]!.group).toBe('consult');
  });
});

describe('decideCaseCommand: done publishes a masked result', () => {
  const personal = makeCase({
    status: 'contacted',
    ownerId: ACTORS.owner.id,
    ownerName: '王芳',
    contactedAt: T0 + HOUR,
    citizenName: '王建国',
    citizenPhone: '13812345678',
    address: '张仪村4号院3单元501室',
    content: '我是王建国，电话13812345678，身份证110101199003071234，家住张仪村4号院3单元501室，楼道灯不亮。',
  });
  const result = '已电话回复王建国（138-1234-5678，座机010-63812345），灯已修好。';

  function publishOf(c: Case, maskRoomNumbers: boolean) {
    const ctx = { ...decideContext(ACTORS.owner, c.group, NOW), maskRoomNumbers };
    const d = expectOk(decideCmd(c, { name: 'done', caseId: 12, text: result }, ctx, []));
    const pubs = d.effects.filter((e) => e.type === 'publish');
    expect(pubs).toHaveLength(1);
    return pubs[0]!;
  }

  it.each(['王建国', '13812345678', '138-1234-5678', '1234-5678', '110101199003071234', '010-63812345', '63812345', '501室'])(
    'title and text do not contain %j',
    (secret) => {
      const pub = publishOf(personal, true);
      expect(pub.caseId).toBe(12);
      expect(pub.title).not.toContain(secret);
      expect(pub.text).not.toContain(secret);
    },
  );

  it('keeps what the public may read', () => {
    const pub = publishOf(personal, true);
    expect(pub.title).toContain('路灯照明');
    expect(pub.text).toContain('楼道灯不亮');
    expect(pub.text).toContain('灯已修好');
    // The public side names no citizen at all, and hides a number whole.
    expect(pub.text).toContain('市民');
    expect(pub.text).not.toMatch(/王\*/);
    expect(pub.text).not.toMatch(/\d\*{4}\d/);
  });

  it('room numbers stay when the street turns room masking off', () => {
    const pub = publishOf(personal, false);
    expect(pub.text).toContain('501室');
    expect(pub.text).not.toContain('王建国');
    expect(pub.text).not.toContain('13812345678');
  });

  it('the chat announcement keeps the result as typed (the group is internal)', () => {
    const d = expectOk(decideCmd(personal, { name: 'done', caseId: 12, text: result }, decideContext(ACTORS.owner, 'zhangyi', NOW), []));
    expect(sends(d.effects)[0]!.text).toContain('灯已修好');
  });
});

describe('decideIntakeEffects', () => {
  const ctx = systemContext(T0);

  it.each<[string, Partial<Case>, string[]]>([
    ['urgent in a community: its group and consult', { urgency: 'urgent' }, ['zhangyi', 'consult']],
    ['urgent in street: street and consult', { urgency: 'urgent', group: 'street' }, ['street', 'consult']],
    ['urgent already in consult: once', { urgency: 'urgent', group: 'consult' }, ['consult']],
    ['ordinary: only its group', { urgency: 'ordinary' }, ['zhangyi']],
    ['utility: only its group', { urgency: 'utility', group: 'street' }, ['street']],
    ['complex: only its group', { urgency: 'complex' }, ['zhangyi']],
    ['consult class: only its group', { urgency: 'consult', group: 'consult' }, ['consult']],
  ])('%s', (_label, overrides, groups) => {
    const c = makeCase(overrides);
    const { events, effects } = decideIntakeEffects(c, ctx);
    const s = sends(effects);
    expect(s.map((e) => e.group)).toEqual(groups);
    for (const e of s) {
      expect(e).toMatchObject({ caseId: 12, kind: 'card' });
      expect(e.text).toContain('#12');
      expect(e.text).toContain('DEMO-0005');
      expect(e.text).toContain('认领 12');
      expect(e.mentions).toEqual(e.group === 'consult' && c.group !== 'consult' ? LEADERS : []);
    }
    expect(events).toEqual([{ kind: 'received', actorId: null, actorName: null, group: c.group, at: T0, text: '来源 12345', fromStatus: null, toStatus: 'new' }]);
  });

  it('the urgent card is marked', () => {
    const { effects } = decideIntakeEffects(makeCase({ urgency: 'urgent' }), ctx);
    expect(sends(effects)[0]!.text).toMatch(/紧急/);
  });
});

describe('decideDue', () => {
  const withDue = (c: Case, m: Milestone): Case => ({ ...c, nextDueKind: m.kind, nextDueAt: m.dueAt });

  it.each<[string, Partial<Case>]>([
    ['another kind is pending', { nextDueKind: 'unclaimed-escalate', nextDueAt: T0 + 10 * MIN }],
    ['the same kind at another time', { nextDueKind: 'unclaimed-remind', nextDueAt: T0 + 11 * MIN }],
    ['nothing is pending', { nextDueKind: null, nextDueAt: null }],
  ])('a stale job changes nothing: %s', (_label, pending) => {
    const c = makeCase(pending);
    expect(decideDue(c, { kind: 'unclaimed-remind', dueAt: T0 + 10 * MIN }, systemContext(T0 + 10 * MIN))).toBeNull();
  });

  it('a resolved case ignores its old milestone', () => {
    const c = caseIn('resolved', { nextDueKind: null, nextDueAt: null });
    expect(decideDue(c, { kind: 'resolve-90', dueAt: T0 + 6.3 * DAY }, systemContext(T0 + 6.3 * DAY))).toBeNull();
  });

  /** [label, case, milestone, groups with mentions, event kind, next milestone] */
  const rows: [string, Case, Milestone, [string, string[]][], CaseEvent['kind'], Milestone | null][] = [
    ['unclaimed-remind: the case group, nobody mentioned', makeCase(), { kind: 'unclaimed-remind', dueAt: T0 + 10 * MIN }, [['zhangyi', []]], 'reminder', { kind: 'unclaimed-escalate', dueAt: T0 + 20 * MIN }],
    ['unclaimed-escalate: consult, leaders mentioned', makeCase(), { kind: 'unclaimed-escalate', dueAt: T0 + 20 * MIN }, [['consult', ['汪书记']]], 'escalated', { kind: 'respond-overdue', dueAt: T0 + DAY }],
    ['respond-50: the owner', caseIn('claimed'), { kind: 'respond-50', dueAt: T0 + 12 * HOUR }, [['zhangyi', ['王芳']]], 'reminder', { kind: 'respond-90', dueAt: T0 + Math.round(21.6 * HOUR) }],
    ['respond-90: the owner', caseIn('claimed'), { kind: 'respond-90', dueAt: T0 + Math.round(21.6 * HOUR) }, [['zhangyi', ['王芳']]], 'reminder', { kind: 'respond-overdue', dueAt: T0 + DAY }],
    ['respond-overdue of a claimed case: group and consult', caseIn('claimed'), { kind: 'respond-overdue', dueAt: T0 + DAY }, [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]], 'overdue', { kind: 'resolve-50', dueAt: T0 + 3.5 * DAY }],
    ['respond-overdue of an unclaimed case: leaders only', makeCase(), { kind: 'respond-overdue', dueAt: T0 + DAY }, [['zhangyi', []], ['consult', ['汪书记']]], 'overdue', { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY }],
    ['resolve-50: the owner', caseIn('contacted'), { kind: 'resolve-50', dueAt: T0 + 3.5 * DAY }, [['zhangyi', ['王芳']]], 'reminder', { kind: 'resolve-90', dueAt: T0 + Math.round(6.3 * DAY) }],
    ['resolve-overdue: group and consult, owner and leaders', caseIn('contacted'), { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY }, [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]], 'overdue', { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 4 * HOUR }],
    ['a repeat of resolve-overdue: the next repeat', caseIn('contacted'), { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 8 * HOUR }, [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]], 'overdue', { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 12 * HOUR }],
    ['resolve-overdue of a consult case: once, in consult', caseIn('contacted', { group: 'consult' }), { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY }, [['consult', ['王芳', '汪书记']]], 'overdue', { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY + 4 * HOUR }],
    ['urgent resolve-overdue repeats hourly', caseIn('contacted', { urgency: 'urgent', respondBy: T0 + 30 * MIN, resolveBy: T0 + 2 * HOUR }), { kind: 'resolve-overdue', dueAt: T0 + 2 * HOUR }, [['zhangyi', ['王芳']], ['consult', ['王芳', '汪书记']]], 'overdue', { kind: 'resolve-overdue', dueAt: T0 + 3 * HOUR }],
  ];

  it.each(rows)('%s', (_label, c, due, expected, eventKind, next) => {
    const d = decideDue(withDue(c, due), due, systemContext(due.dueAt));
    expect(d).not.toBeNull();
    const s = sends(d!.effects);
    expect(s.map((e) => [e.group, e.mentions.map((m) => m.name)])).toEqual(expected);
    for (const e of s) {
      expect(e).toMatchObject({ caseId: 12, kind: 'alarm' });
      expect(e.text).toContain('#12');
    }
    expect(d!.events).toEqual([{ kind: eventKind, actorId: null, actorName: null, group: c.group, at: due.dueAt, text: due.kind, fromStatus: null, toStatus: null }]);
    expect(d!.patch).toEqual({ nextDueKind: next?.kind ?? null, nextDueAt: next?.dueAt ?? null });
    if (next) expect(next.dueAt).toBeGreaterThan(due.dueAt);
  });

  it('the overdue text names the owner', () => {
    const c = caseIn('contacted');
    const due: Milestone = { kind: 'resolve-overdue', dueAt: T0 + 7 * DAY };
    const d = decideDue(withDue(c, due), due, systemContext(due.dueAt + 4 * HOUR - MIN))!;
    for (const e of sends(d.effects)) expect(e.text).toMatch(/逾期.*王芳/);
  });

  it('a job that fires late schedules the latest missed milestone once, not each one', () => {
    const c = caseIn('claimed');
    const due: Milestone = { kind: 'respond-50', dueAt: T0 + 12 * HOUR };
    // The bot was down from +12 h until +3 d: respond-90 and respond-overdue both passed.
    const d = decideDue(withDue(c, due), due, systemContext(T0 + 3 * DAY))!;
    expect(d.patch).toEqual({ nextDueKind: 'respond-overdue', nextDueAt: T0 + DAY });
    // When that one fires (at once), the next is in the future again.
    const c2 = { ...c, ...d.patch };
    const d2 = decideDue(c2, { kind: 'respond-overdue', dueAt: T0 + DAY }, systemContext(T0 + 3 * DAY))!;
    expect(d2.patch).toEqual({ nextDueKind: 'resolve-50', nextDueAt: T0 + 3.5 * DAY });
  });
});
