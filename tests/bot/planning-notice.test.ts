/**
 * The 研判 notice on a fixed ledger: on the 25th consult gets last year's cases of the coming month,
 * grouped by place and category with their count and how many were solved — once per month.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../bot/app';
import { startDutySchedule } from '../../bot/duty-schedule';
import { createRosterService } from '../../bot/roster-service';
import { DEFAULT_PLANNING, planningDue, planningText } from '../../core/planning/planning-notice';
import type { WorkDispatcher } from '../../core/ports';
import { parseStreetConfig } from '../../core/street-config';
import type { Effect, SendEffect } from '../../core/types';
import { openDatabase } from '../../storage/open-database';
import { SqliteCaseStore } from '../../storage/sqlite-case-store';
import { SqliteDutyStore } from '../../storage/sqlite-duty-store';
import { silentLogger, TEST_STREET_YAML } from '../helpers/harness';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const nullDispatcher: WorkDispatcher = { deliver: async () => undefined, schedule: async () => undefined, cancel: async () => undefined };

/** January 2026 (and its edges) at three places (rooms of one building are one place): what the notice of 2026-12-25 looks back on. */
async function ledger() {
  const r = parseStreetConfig(parseYaml(readFileSync(TEST_STREET_YAML, 'utf8')));
  if (!r.ok) throw new Error(r.error);
  const config = r.config;
  const database = openDatabase(':memory:');
  const store = new SqliteCaseStore(database.db);
  const app = createApp({ store, config, dispatcher: nullDispatcher, logger: silentLogger, clock: () => at('2026-12-01T10:00:00') });
  const rows: [string, string, string, string][] = [
    // hotlineNo, reportedAt, address, category
    ['L-1', '2026-01-05T10:00:00', '张仪村4号院3号楼', '路灯照明'],
    ['L-2', '2026-01-12T21:00:00', '张仪村4号院3号楼1单元302', '路灯照明'],
    ['L-3', '2026-01-20T08:00:00', '张仪村4号院3号楼2单元501室', '路灯照明'],
    ['L-4', '2026-01-08T09:00:00', '张仪村4号院', '环境卫生'],
    ['L-5', '2026-01-31T23:59:00', '西丰路12号', '施工扰民'],
    ['L-6', '2026-01-01T00:00:00', '西丰路12号', '施工扰民'],
    ['L-7', '2025-12-31T23:59:00', '西丰路12号', '施工扰民'],
    ['L-8', '2026-02-01T00:00:00', '西丰路12号', '施工扰民'],
  ];
  const out = await app.handleIntakeBatch(rows.map(([hotlineNo, reportedAt, address, category]) => ({ hotlineNo, reportedAt: `${reportedAt}+08:00`, content: `${address}${category}问题`, address, category })), '12345');
  const id = (no: string) => out[rows.findIndex((x) => x[0] === no)]!.case!;
  const resolve = (no: string, solved: '已解决' | '未解决' | null = null) => {
    const c = id(no);
    store.updateCase(c.id, c.version, { status: solved ? 'closed' : 'resolved', resolvedAt: c.reportedAt + 86_400_000, ...(solved ? { rating: { satisfaction: solved === '已解决' ? '满意' : '不满意', solved, contacted: true, note: null } } : {}) });
  };
  resolve('L-1', '已解决');
  resolve('L-3');
  resolve('L-4');
  resolve('L-5', '未解决');
  resolve('L-6', '已解决');
  return { database, store, config, duty: new SqliteDutyStore(database.sqlite) };
}

describe('研判 notice', () => {
  it('groups last year\'s coming month by place and category, with counts and solved', async () => {
    const { database, duty, config } = await ledger();
    const due = planningDue(at('2026-12-25T09:00:00'), DEFAULT_PLANNING, TZ)!;
    expect(due).toMatchObject({ key: 'planning-2027-01', month: '2027-01', lastYear: '2026-01' });
    const text = planningText(due, duty.planningRows(due), config.groupNames);
    expect(text.split('\n')).toEqual([
      '📅 研判：去年1月（2026-01）的诉求，供 2027-01 提前谋划',
      '共 6 件（已解决 4 件），3 个点位·类别：',
      '张仪村社区 张仪村4号院3号楼·路灯照明：3 件，已解决 2 件',
      '西丰社区 西丰路12号·施工扰民：2 件，已解决 1 件',
      '张仪村社区 张仪村4号院·环境卫生：1 件，已解决',
    ]);
    database.close();
  });

  it('is due from the 25th at 09:00 (configurable) and sent once per month by the schedule', async () => {
    const { database, duty, store, config } = await ledger();
    expect(planningDue(at('2026-12-25T08:59:00'), DEFAULT_PLANNING, TZ)).toBeNull();
    expect(planningDue(at('2026-12-24T23:00:00'), DEFAULT_PLANNING, TZ)).toBeNull();
    expect(planningDue(at('2026-12-20T07:00:00'), { day: 20, atMin: 7 * 60, enabled: true }, TZ)?.key).toBe('planning-2027-01');
    expect(planningDue(at('2026-12-28T10:00:00'), { ...DEFAULT_PLANNING, enabled: false }, TZ)).toBeNull();

    let now = at('2026-12-25T08:59:00');
    const posted: Effect[][] = [];
    const postOnce = async (claim: () => boolean, effects: Effect[]) => (claim() ? (posted.push(effects), true) : false);
    const roster = createRosterService({ duty: config.duty, timeZone: TZ, store: duty });
    const deps = { roster, notices: duty, store, timeZone: TZ, groupNames: config.groupNames, planning: { queries: duty, config: config.planning }, postOnce, clock: () => now, logger: silentLogger };
    const schedule = startDutySchedule(deps, { everyMs: 0 });
    expect(await schedule.tick()).toEqual([]);
    now = at('2026-12-25T09:00:00');
    expect(await schedule.tick()).toEqual(['planning-2027-01']);
    now = at('2026-12-26T09:00:00');
    expect(await schedule.tick()).toEqual([]);
    // A restart later in the month: still once.
    expect(await startDutySchedule(deps, { everyMs: 0 }).tick()).toEqual([]);
    expect(posted).toHaveLength(1);
    const msg = posted[0]![0] as SendEffect;
    expect(msg.group).toBe('consult');
    expect(msg.text.split('\n')[1]).toBe('共 6 件（已解决 4 件），3 个点位·类别：');
    database.close();
  });

  it('a month with no cases last year says so; the YAML key is validated', async () => {
    const { database, duty, config } = await ledger();
    const due = planningDue(at('2026-11-25T09:00:00'), DEFAULT_PLANNING, TZ)!;
    expect(planningText(due, duty.planningRows(due), config.groupNames)).toBe('📅 研判：去年12月（2025-12）的诉求，供 2026-12 提前谋划\n共 1 件（已解决 0 件），1 个点位·类别：\n西丰社区 西丰路12号·施工扰民：1 件，未解决');
    const none = planningDue(at('2026-09-25T09:00:00'), DEFAULT_PLANNING, TZ)!;
    expect(planningText(none, duty.planningRows(none), config.groupNames)).toBe('📅 研判：去年10月（2025-10）的诉求，供 2026-10 提前谋划\n去年同月没有诉求记录。');
    expect(parseStreetConfig({ planning: { day: 31 } })).toEqual({ ok: false, error: 'planning.day: 应为 1–28（每个月都有的日子）' });
    expect(parseStreetConfig({ planning: { at: '25:00' } })).toMatchObject({ ok: false, error: expect.stringContaining('planning.at') });
    const ok = parseStreetConfig({ planning: { day: 20, at: '08:30' } });
    expect(ok.ok && ok.config.planning).toEqual({ day: 20, atMin: 510, enabled: true });
    database.close();
  });
});
