/**
 * P1 intake: cases/s through the real path (validate → case + event + outbox in one transaction →
 * deadline job → card job), single process, one at a time (handleIntake) and batched
 * (handleIntakeBatch), and beside it the LIMIT: raw better-sqlite3 inserts of the same rows (case,
 * event, outbox, one transaction per batch) plus raw BullMQ addBulk of the same jobs.
 */
import { Redis } from 'ioredis';
import { Queue, type JobsOptions } from 'bullmq';
import { createIntakeServer } from '../adapters/intake/http-intake-server';
import { decideIntakeEffects, firstMilestone } from '../core/decide';
import { newCaseFromIntake, validateIntake } from '../core/intake';
import type { StreetConfig } from '../core/street-config';
import type { Case, SendEffect } from '../core/types';
import { DEADLINES_QUEUE, OUTBOUND_QUEUE, deadlineJobId, outboxJobId } from '../bot/bullmq-work-dispatcher';
import { nowMs, round } from './stats';
import { intakeBodies, type IntakeBody } from './workload';
import { loadStreet, silentLogger, startBenchApp, type BenchApp } from './wiring';

/** The dispatcher's job options (bot/bullmq-work-dispatcher.ts), so the limit writes the same jobs. */
const OUTBOUND_JOB: JobsOptions = { attempts: 12, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: true };
const DEADLINE_JOB: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: true };

export interface RunResult {
  path: 'limit-batched' | 'limit-single' | 'real-batched' | 'real-single' | 'http-batched';
  cases: number;
  batch: number;
  seconds: number;
  casesPerSecond: number;
  /** Stage split (ms) when profiled. */
  stages?: Record<string, number>;
}

export async function flushRedis(url: string): Promise<void> {
  const r = new Redis(url);
  await r.flushall();
  r.disconnect();
}

/** The rows and jobs the real path writes for these bodies, computed untimed (ids from 1 on an empty database). */
interface PreparedCase {
  row: Omit<Case, 'id'>;
  event: ReturnType<typeof decideIntakeEffects>['events'][number];
  sends: SendEffect[];
}

function prepare(bodies: IntakeBody[], config: StreetConfig, now: number): PreparedCase[] {
  const known = new Set(Object.keys(config.groupNames));
  const routing = { communities: config.communities, sections: config.sections };
  const ctx = { policy: config.policy, timeZone: config.timeZone, groupNames: config.groupNames, leaders: config.people.filter((p) => p.role === "leader").map((p) => ({ id: p.ids["*"] ?? p.name, name: p.name })), maskRoomNumbers: config.maskRoomNumbers, now };
  return bodies.map((b, i) => {
    const v = validateIntake(b, known);
    if (!v.ok) throw new Error(`bench body ${i} invalid: ${v.error}`);
    const draft = newCaseFromIntake(v.value, '12345', config.policy, routing, now);
    const first = firstMilestone({ ...draft, id: 0 }, config.policy, now);
    const row = { ...draft, nextDueKind: first?.kind ?? null, nextDueAt: first?.dueAt ?? null };
    const { events, effects } = decideIntakeEffects({ ...row, id: i + 1 }, ctx);
    return { row, event: events[0]!, sends: effects.filter((e): e is SendEffect => e.type === 'send') };
  });
}

/** Raw better-sqlite3 prepared statements + raw Queue.addBulk: what the real path could cost at best. */
export async function runLimit(redisUrl: string, n: number, batch: number, tag: string): Promise<RunResult> {
  await flushRedis(redisUrl);
  const b = await startBenchApp(redisUrl, { name: 'limit' });
  try {
    const now = Date.now();
    const prepared = prepare(intakeBodies(tag, n), b.config, now);
    const db = b.sqlite;
    const insCase = db.prepare(`INSERT INTO cases (hotline_no,status,group_key,section,category,urgency,type,address,content,source,citizen_name,citizen_phone,owner_id,owner_name,reported_at,posted_at,claimed_at,contacted_at,resolved_at,respond_by,resolve_by,result,version,next_due_kind,next_due_at)
      VALUES (@hotlineNo,@status,@group,@section,@category,@urgency,@type,@address,@content,@source,@citizenName,@citizenPhone,@ownerId,@ownerName,@reportedAt,@postedAt,@claimedAt,@contactedAt,@resolvedAt,@respondBy,@resolveBy,@result,@version,@nextDueKind,@nextDueAt)`);
    const insEvent = db.prepare('INSERT INTO case_events (case_id,kind,actor_id,actor_name,group_key,at,text,from_status,to_status) VALUES (?,?,?,?,?,?,?,?,?)');
    const insOutbox = db.prepare("INSERT INTO outbox (channel,group_key,text,meta,case_id,created_at) VALUES ('chat',?,?,?,?,?)");
    const outbound = new Queue(OUTBOUND_QUEUE, { connection: b.redis, prefix: b.prefix });
    const deadlines = new Queue(DEADLINES_QUEUE, { connection: b.redis, prefix: b.prefix });
    const writeBatch = db.transaction((items: PreparedCase[]) => {
      const out: { caseId: number; row: PreparedCase['row']; outbox: { id: number; group: string }[] }[] = [];
      for (const p of items) {
        const caseId = Number(insCase.run(p.row).lastInsertRowid);
        const e = p.event;
        insEvent.run(caseId, e.kind, e.actorId, e.actorName, e.group, e.at, e.text, e.fromStatus, e.toStatus);
        const ob = p.sends.map((s) => ({ id: Number(insOutbox.run(s.group, s.text, JSON.stringify({ mentions: s.mentions, kind: s.kind }), caseId, now).lastInsertRowid), group: s.group }));
        out.push({ caseId, row: p.row, outbox: ob });
      }
      return out;
    });
    const t0 = nowMs();
    for (let i = 0; i < n; i += batch) {
      const written = writeBatch(prepared.slice(i, i + batch));
      const t = Date.now();
      // The same jobs as the dispatcher: one delivery job per group for the batch, naming its latest row.
      const latest = new Map<string, number>();
      for (const w of written) for (const o of w.outbox) latest.set(o.group, Math.max(o.id, latest.get(o.group) ?? 0));
      await outbound.addBulk([...latest].map(([group, id]) => ({ name: 'deliver', data: { group, uptoId: id }, opts: { ...OUTBOUND_JOB, jobId: outboxJobId(id) } })));
      await deadlines.addBulk(
        written.map((w) => ({
          name: 'due',
          data: { caseId: w.caseId, kind: w.row.nextDueKind!, dueAt: w.row.nextDueAt!, version: 1 },
          opts: { ...DEADLINE_JOB, jobId: deadlineJobId({ caseId: w.caseId, kind: w.row.nextDueKind!, version: 1 }), delay: Math.max(0, w.row.nextDueAt! - t) },
        })),
      );
    }
    const seconds = (nowMs() - t0) / 1000;
    await outbound.close();
    await deadlines.close();
    return { path: batch === 1 ? 'limit-single' : 'limit-batched', cases: n, batch, seconds: round(seconds, 3), casesPerSecond: Math.round(n / seconds) };
  } finally {
    await b.close();
  }
}

/**
 * The real path. `keep` leaves the app running (P5 and P3 continue on its 100,000 open cases).
 * `profile` wraps the store and dispatcher to split the time by stage.
 */
export async function runReal(redisUrl: string, n: number, batch: number, tag: string, opts: { keep?: boolean; profile?: boolean; store?: Parameters<typeof startBenchApp>[1]['store']; config?: StreetConfig } = {}): Promise<{ result: RunResult; bench: BenchApp | null }> {
  await flushRedis(redisUrl);
  const b = await startBenchApp(redisUrl, { name: 'real', store: opts.store, config: opts.config });
  const stages = opts.profile ? instrument(b) : undefined;
  const bodies = intakeBodies(tag, n);
  let created = 0;
  const t0 = nowMs();
  if (batch === 1) {
    for (const body of bodies) if ((await b.app.handleIntake(body, '12345')).status === 201) created++;
  } else {
    for (let i = 0; i < n; i += batch) {
      for (const o of await b.app.handleIntakeBatch(bodies.slice(i, i + batch), '12345')) if (o.status === 201) created++;
    }
  }
  const seconds = (nowMs() - t0) / 1000;
  if (created !== n) throw new Error(`real path created ${created} of ${n}`);
  const result: RunResult = { path: batch === 1 ? 'real-single' : 'real-batched', cases: n, batch, seconds: round(seconds, 3), casesPerSecond: Math.round(n / seconds) };
  if (stages) result.stages = stages.report(seconds * 1000);
  if (opts.keep) return { result, bench: b };
  await b.close();
  return { result, bench: null };
}

/** Batched HTTP: POST /api/cases with JSON arrays of `batch`, one request at a time, on loopback. */
export async function runHttp(redisUrl: string, n: number, batch: number, tag: string): Promise<RunResult> {
  await flushRedis(redisUrl);
  const b = await startBenchApp(redisUrl, { name: 'http' });
  const server = createIntakeServer({ app: b.app, token: null, redisHealthy: async () => true, logger: silentLogger });
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    const bodies = intakeBodies(tag, n);
    let created = 0;
    const t0 = nowMs();
    for (let i = 0; i < n; i += batch) {
      const res = await fetch(`http://127.0.0.1:${port}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies.slice(i, i + batch)) });
      const json = (await res.json()) as { results: { status: number }[] };
      created += json.results.filter((r) => r.status === 201).length;
    }
    const seconds = (nowMs() - t0) / 1000;
    if (created !== n) throw new Error(`HTTP path created ${created} of ${n}`);
    return { path: 'http-batched', cases: n, batch, seconds: round(seconds, 3), casesPerSecond: Math.round(n / seconds) };
  } finally {
    await server.close();
    await b.close();
  }
}

/**
 * Wraps the store's and the dispatcher's methods with timers. Inside a transaction the time not
 * spent in store calls is core work (validation, classification, routing, deadlines, card text).
 */
function instrument(b: BenchApp): { report(totalMs: number): Record<string, number> } {
  const t: Record<string, number> = {};
  const wrap = <O extends object>(obj: O, names: string[], label: string) => {
    for (const name of names) {
      const rec = obj as unknown as Record<string, (...a: unknown[]) => unknown>;
      const inner = rec[name]!.bind(obj);
      rec[name] = (...args: unknown[]) => {
        const s = nowMs();
        const r = inner(...args);
        if (r instanceof Promise) return r.finally(() => (t[`${label}.${name}`] = (t[`${label}.${name}`] ?? 0) + nowMs() - s));
        t[`${label}.${name}`] = (t[`${label}.${name}`] ?? 0) + nowMs() - s;
        return r;
      };
    }
  };
  wrap(b.store, ['transaction', 'findCaseByHotlineNo', 'insertCase', 'appendEvents', 'addOutbox'], 'sqlite');
  wrap(b.dispatcher, ['deliver', 'schedule'], 'redis');
  return {
    report(totalMs) {
      const inStore = ['findCaseByHotlineNo', 'insertCase', 'appendEvents', 'addOutbox'].reduce((s, k) => s + (t[`sqlite.${k}`] ?? 0), 0);
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(t)) if (k !== 'sqlite.transaction') out[k] = round(v, 1);
      // Inside the transaction but outside the store calls: core work (validate, classify, route, deadlines, card text) + BEGIN/COMMIT.
      out['core+commit'] = round((t['sqlite.transaction'] ?? 0) - inStore, 1);
      out.total = round(totalMs, 1);
      return out;
    },
  };
}

/** Validation alone and card/event decision alone, on the same bodies (µs per case): core's share. */
export function coreMicro(n: number, tag: string, config: StreetConfig = loadStreet()): Record<string, number> {
  const bodies = intakeBodies(tag, n);
  const known = new Set(Object.keys(config.groupNames));
  const routing = { communities: config.communities, sections: config.sections };
  const now = Date.now();
  let t0 = nowMs();
  const valid = bodies.map((b) => validateIntake(b, known));
  const validateUs = ((nowMs() - t0) * 1000) / n;
  t0 = nowMs();
  const drafts = valid.map((v) => (v.ok ? newCaseFromIntake(v.value, '12345', config.policy, routing, now) : null)!);
  const classifyUs = ((nowMs() - t0) * 1000) / n;
  t0 = nowMs();
  const ms = drafts.map((d) => firstMilestone({ ...d, id: 0 }, config.policy, now));
  const milestoneUs = ((nowMs() - t0) * 1000) / n;
  const ctx = { policy: config.policy, timeZone: config.timeZone, groupNames: config.groupNames, leaders: [], maskRoomNumbers: config.maskRoomNumbers, now };
  t0 = nowMs();
  drafts.forEach((d, i) => decideIntakeEffects({ ...d, id: i + 1, nextDueKind: ms[i]?.kind ?? null, nextDueAt: ms[i]?.dueAt ?? null }, ctx));
  const cardUs = ((nowMs() - t0) * 1000) / n;
  return { validateUs: round(validateUs), classifyRouteUs: round(classifyUs), firstMilestoneUs: round(milestoneUs), cardTextUs: round(cardUs) };
}
