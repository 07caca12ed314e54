/**
 * P7 the practice's hot paths through handleMessage, measured like P2 (a fixed number in flight,
 * shuffled, latency per call): 报到 (every summoned department checks in on cases under 吹哨), 批准
 * (a leader approves a pending 延期), 回访 (the dispatcher records the follow-up on a resolved case,
 * which closes it). The cases are set up first, untimed: one batched intake, then the commands that
 * bring each case to the state the workload needs. Afterwards each case is checked: every check-in
 * recorded once, every extension approved once, every case rated and closed once.
 */
import type { Around } from './cpu-profile';
import type { BenchApp } from './wiring';
import { runInFlight, shuffle } from './in-flight';
import { flushRedis } from './p1-intake';
import { summary } from './stats';
import { intakeBodies } from './workload';
import { loadStreet, startBenchApp } from './wiring';

export type PracticeWorkload = '报到' | '批准' | '回访';
export const PRACTICE_WORKLOADS: readonly PracticeWorkload[] = ['报到', '批准', '回访'];

const LEADER = '汪书记';
const DISPATCHER = '李调度';
/** Five departments, each in its own group with one person who checks in for it. */
const DEPARTMENTS = [
  { name: '区水务局', group: 'shuiwu', person: '赵工' },
  { name: '交通支队', group: 'jiaotong', person: '钱队' },
  { name: '市政排水集团', group: 'paishui', person: '孙经理' },
  { name: '燃气公司', group: 'ranqi', person: '李师傅' },
  { name: '城管执法队', group: 'chengguan', person: '周队' },
];

/** The demo street with the five departments and their people (the console matches people by name). */
export function practiceStreet() {
  return loadStreet({}, {
    people: [
      { name: LEADER, role: 'leader' },
      { name: DISPATCHER, role: 'dispatcher' },
      ...DEPARTMENTS.map((d) => ({ name: d.person, role: 'department', department: d.name })),
    ],
    departments: DEPARTMENTS.map((d) => ({ name: d.name, people: [d.person], group: d.group })),
  });
}

export interface PracticeResult {
  workload: PracticeWorkload;
  calls: number;
  cases: number;
  concurrency: number;
  seconds: number;
  callsPerSecond: number;
  /** CPU time of the process during the timed calls, µs per call. */
  cpuUsPerCall: number;
  latencyMs: ReturnType<typeof summary>;
  /** Timed calls that were refused (none should be). */
  refused: number;
  firstRefusal: string | null;
  /** Cases whose stored row and ledger show the workload's step done exactly as often as asked. */
  casesCorrect: number;
}

interface Job {
  caseId: number;
  group: string;
  who: string;
  text: string;
}

const say = (b: BenchApp, job: Job) => b.app.handleMessage({ platform: 'console', chatId: job.group, group: job.group, sender: { id: job.who, name: job.who }, text: job.text });

/** Untimed setup: every command must succeed. */
async function drive(b: BenchApp, jobs: Job[], concurrency: number): Promise<void> {
  const run = await runInFlight(jobs, concurrency, (job) => say(b, job));
  const failed = run.results.find((r) => !r.ok);
  if (failed) throw new Error(`P7 setup: 「${failed.text}」 refused: ${failed.message}`);
}

const owner = (caseId: number) => `社工${caseId}`;
const perCase = (workload: PracticeWorkload) => (workload === '报到' ? DEPARTMENTS.length : 1);

/** The steps before the timed one, in order; each a list of commands (one per case, or per case and department). */
function setupSteps(workload: PracticeWorkload, ids: number[]): Job[][] {
  const inGroup = (text: (id: number) => string) => ids.map((id) => ({ caseId: id, group: 'zhangyi', who: owner(id), text: text(id) }));
  switch (workload) {
    case '报到':
      return [ids.map((id) => ({ caseId: id, group: 'consult', who: LEADER, text: `吹哨 ${id} ${DEPARTMENTS.map((d) => d.name).join(' ')} 现场会商` }))];
    case '批准':
      return [inGroup((id) => `认领 ${id}`), inGroup((id) => `延期 ${id} 3天 等待更换配件`)];
    case '回访':
      return [inGroup((id) => `认领 ${id}`), inGroup((id) => `已联系 ${id}`), inGroup((id) => `办结 ${id} 已处理完毕`)];
  }
}

function timedJobs(workload: PracticeWorkload, ids: number[]): Job[] {
  switch (workload) {
    case '报到':
      return ids.flatMap((id) => DEPARTMENTS.map((d) => ({ caseId: id, group: d.group, who: d.person, text: `报到 ${id}` })));
    case '批准':
      return ids.map((id) => ({ caseId: id, group: 'consult', who: LEADER, text: `批准 ${id}` }));
    case '回访':
      return ids.map((id) => ({ caseId: id, group: 'consult', who: DISPATCHER, text: `回访 ${id} 满意 已解决` }));
  }
}

/** Whether the case shows the workload's step done exactly once (per department for 报到). */
function correct(b: BenchApp, workload: PracticeWorkload, id: number): boolean {
  const c = b.store.findCase(id);
  if (!c) return false;
  const count = (kind: string) => b.store.listEvents(id).filter((e) => e.kind === kind).length;
  switch (workload) {
    case '报到':
      return count('checked-in') === DEPARTMENTS.length && c.whistle.length === DEPARTMENTS.length && DEPARTMENTS.every((d) => c.whistle.some((w) => w.department === d.name && w.reportedAt !== null && w.reportedBy === d.person));
    case '批准':
      return count('extension-approved') === 1 && c.extensions.length === 1 && c.extensions[0]!.status === 'approved' && c.resolveBy === c.extensions[0]!.newResolveBy;
    case '回访':
      return count('rated') === 1 && count('closed') === 1 && c.status === 'closed' && c.rating?.satisfaction === '满意';
  }
}

/**
 * `calls` timed commands of one workload (for 报到, calls ÷ 5 cases with five departments each), at
 * most `concurrency` in flight, shuffled. `around` wraps only the timed part (a profiler, say).
 */
export async function runPractice(redisUrl: string, workload: PracticeWorkload, calls: number, concurrency: number, tag: string, around: Around = (timed) => timed()): Promise<PracticeResult> {
  await flushRedis(redisUrl);
  const b = await startBenchApp(redisUrl, { name: 'practice', config: practiceStreet() });
  try {
    const cases = Math.ceil(calls / perCase(workload));
    // Every case in 张仪村 (group zhangyi), as in P2.
    const bodies = intakeBodies(tag, cases).map((body) => ({ ...body, address: '张仪村4号院', urgency: undefined, category: undefined }));
    const ids: number[] = [];
    for (let i = 0; i < bodies.length; i += 500) {
      for (const o of await b.app.handleIntakeBatch(bodies.slice(i, i + 500), '12345')) ids.push(o.case!.id);
    }
    for (const step of setupSteps(workload, ids)) await drive(b, shuffle(step), concurrency);
    const run = await around(() => runInFlight(shuffle(timedJobs(workload, ids)), concurrency, (job) => say(b, job)));
    const refusals = run.results.filter((r) => !r.ok);
    return {
      workload,
      calls: run.results.length,
      cases,
      concurrency,
      seconds: Math.round(run.seconds * 1000) / 1000,
      callsPerSecond: Math.round(run.results.length / run.seconds),
      cpuUsPerCall: run.cpuUsPerCall,
      latencyMs: summary(run.latencies),
      refused: refusals.length,
      firstRefusal: refusals[0]?.message ?? null,
      casesCorrect: ids.filter((id) => correct(b, workload, id)).length,
    };
  } finally {
    await b.close();
  }
}
