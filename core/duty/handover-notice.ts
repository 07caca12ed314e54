import { dateKeyOf, formatMinute, minuteOfDay } from '../time/wall-clock';
import { URGENCY_ZH } from '../texts';
import type { Case } from '../types';
import type { Handover } from './roster';

/**
 * The 交班 notice posted in consult at each handover of the duty roster: who takes over, and the open
 * urgent and overdue cases they inherit. Pure text; the bot finds the handover and the cases.
 */

/** Cases listed per kind; the rest are counted. */
export const HANDOVER_LIST_LIMIT = 10;

/** The `sent_reports` key of a handover: one notice per instant, whatever restarts (`handover-2026-12-03T09:30:00.000Z`). */
export function handoverKey(at: number): string {
  return `handover-${new Date(at).toISOString()}`;
}

function caseLine(c: Case, timeZone: string, now: number): string {
  const late = c.resolveBy <= now ? '·逾期' : '';
  const who = c.ownerName ?? '无人认领';
  return `#${c.id} ${c.category}（${URGENCY_ZH[c.urgency]}${late}）${who} 限${dateKeyOf(c.resolveBy, timeZone).slice(5)} ${formatMinute(minuteOfDay(c.resolveBy, timeZone))}`;
}

/**
 * `open` are the open cases at the handover; the notice lists the urgent ones and the overdue ones
 * (resolution deadline passed), each case once, urgent first.
 */
export function handoverText(h: Handover, open: readonly Case[], timeZone: string): string {
  const when = `${dateKeyOf(h.at, timeZone).slice(5)} ${formatMinute(minuteOfDay(h.at, timeZone))}`;
  const lines = [`🔄 交班 ${when}：${h.people.length > 0 ? `${h.people.join('、')} 接班` : '此后无人值班'}${h.previous.length > 0 ? `（${h.previous.join('、')} 交班）` : ''}`];
  const urgent = open.filter((c) => c.urgency === 'urgent');
  const overdue = open.filter((c) => c.urgency !== 'urgent' && c.resolveBy <= h.at);
  if (urgent.length === 0 && overdue.length === 0) {
    lines.push('没有未办结的紧急或逾期案件。');
    return lines.join('\n');
  }
  const section = (title: string, list: readonly Case[]) => {
    if (list.length === 0) return;
    lines.push(`${title} ${list.length} 件：`);
    for (const c of list.slice(0, HANDOVER_LIST_LIMIT)) lines.push(caseLine(c, timeZone, h.at));
    if (list.length > HANDOVER_LIST_LIMIT) lines.push(`……另有 ${list.length - HANDOVER_LIST_LIMIT} 件，「列表 逾期」查看`);
  };
  section('未办结紧急', urgent);
  section('逾期未办结', overdue);
  return lines.join('\n');
}
