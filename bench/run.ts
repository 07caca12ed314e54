/**
 * npm run bench — figures against the machine's own limit, measured in the same run.
 * Starts its own redis-server (no AOF, temp dir) and touches nothing else. Prints a table with the
 * targets and writes bench/results/<timestamp>.json and bench/results/latest.json.
 *
 * Environment: BENCH_SINGLE_100K=0 skips the 100,000-case one-at-a-time run (the longest, 2–4 min);
 * BENCH_STRETCH=1 adds P3 with 1,000,000 pending deadlines (BENCH_STRETCH=only runs just that, writes nothing).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { coreMicro, runHttp, runLimit, runReal, type RunResult } from './p1-intake';
import { runClaims } from './p2-claim';
import { addFarDeadlines, redisUsedMemoryMb, runLateness } from './p3-lateness';
import { PRACTICE_WORKLOADS, runPractice, type PracticeResult } from './p7-practice';
import { runClassify } from './p6-classify';
import { runReportBench } from './p4-report';
import { runFootprint } from './p5-footprint';
import { round } from './stats';
import { cardsDelivered, ROOT, streetWithHourWindows } from './wiring';

const BATCH = 500;
const started = Date.now();
const log = (s: string) => process.stderr.write(`[bench +${Math.round((Date.now() - started) / 1000)}s] ${s}\n`);

function machine() {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    nproc: Number(sh('nproc')),
    cpu: cpus()[0]?.model ?? 'unknown',
    memGb: round(totalmem() / 2 ** 30, 1),
    freeMemGb: round(freemem() / 2 ** 30, 1),
    node: process.version,
    redis: sh('redis-server --version').replace(/^Redis server v=(\S+).*$/, '$1'),
    os: sh('uname -sr'),
    loadAvg: sh('cat /proc/loadavg').split(' ').slice(0, 3).join(' '),
  };
}

async function main(): Promise<void> {
  const redisDir = mkdtempSync(join(tmpdir(), 'jiesu-bench-redis-'));
  const redis = await startPrivateRedis({ dir: redisDir, appendOnly: false });
  // Ctrl-C stops our redis-server too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void redis.stop().finally(() => {
        rmSync(redisDir, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }
  log(`private redis-server at ${redis.url}`);
  const runs: RunResult[] = [];
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), machine: machine() };
  if (process.env.BENCH_STRETCH === 'only') {
    try {
      log('P3 stretch only: 1,000,000 pending');
      process.stdout.write(`${JSON.stringify(await stretch(redis.url), null, 2)}\n`);
    } finally {
      await redis.stop();
      rmSync(redisDir, { recursive: true, force: true });
    }
    return;
  }
  try {
    // ---- P1: each size measures its limit right beside the real path.
    for (const n of [10_000, 100_000]) {
      log(`P1 ${n}: limit (batched)`);
      runs.push(await runLimit(redis.url, n, BATCH, `L${n}`));
      if (n === 10_000) {
        log(`P1 ${n}: limit (one per transaction)`);
        runs.push(await runLimit(redis.url, n, 1, `LS${n}`));
      }
      if (n === 10_000 || process.env.BENCH_SINGLE_100K !== '0') {
        log(`P1 ${n}: real path, one at a time (handleIntake)`);
        runs.push((await runReal(redis.url, n, 1, `S${n}`)).result);
      }
      if (n === 10_000) {
        log('P1 10000: HTTP batched');
        runs.push(await runHttp(redis.url, n, BATCH, `H${n}`));
        log('P1 10000: real path batched, profiled by stage');
        const profiled = (await runReal(redis.url, n, BATCH, `P${n}`, { profile: true })).result;
        result.p1Profile = { ...profiled.stages, casesPerSecondWhileProfiled: profiled.casesPerSecond, core: coreMicro(n, `M${n}`) };
      }
      log(`P1 ${n}: real path batched (handleIntakeBatch, ${BATCH})`);
      const { result: r, bench } = await runReal(redis.url, n, BATCH, `B${n}`, { keep: n === 100_000 });
      runs.push(r);
      if (bench) {
        // ---- P5 on the 100,000 open cases the batched run left.
        log('P5: footprint and reconcile after FLUSHALL');
        result.p5 = await runFootprint(bench);
        // ---- P3 on the deadlines the reconciler just rebuilt.
        log('P3: 1,000 due in the next seconds beside 100,000 pending');
        result.p3 = await runLateness(bench, 1000, 'D');
        await bench.close();
      }
    }
    const find = (path: RunResult['path'], n: number) => runs.find((r) => r.path === path && r.cases === n);
    const batched = find('real-batched', 100_000)!;
    const limit = find('limit-batched', 100_000)!;
    const single = find('real-single', 100_000) ?? find('real-single', 10_000)!;
    const limitSingle = find('limit-single', 10_000)!;
    result.p1 = {
      casesPerSecond: batched.casesPerSecond,
      limitCasesPerSecond: limit.casesPerSecond,
      ratio: round(batched.casesPerSecond / limit.casesPerSecond, 3),
      single: { casesPerSecond: single.casesPerSecond, cases: single.cases, limitCasesPerSecond: limitSingle.casesPerSecond, ratio: round(single.casesPerSecond / limitSingle.casesPerSecond, 3) },
      at10k: { casesPerSecond: find('real-batched', 10_000)!.casesPerSecond, limitCasesPerSecond: find('limit-batched', 10_000)!.casesPerSecond, ratio: round(find('real-batched', 10_000)!.casesPerSecond / find('limit-batched', 10_000)!.casesPerSecond, 3) },
      http: find('http-batched', 10_000),
      runs,
    };

    // ---- P2 on a fresh database.
    log('P2: 200 concurrent claims on one case');
    const one = await runClaims(redis.url, 1, 200, 200, 'C1');
    log('P2: 10,000 claims over 1,000 cases (200 in flight)');
    const many = await runClaims(redis.url, 1000, 10, 200, 'C2');
    result.p2 = { p50Ms: many.latencyMs.p50, p99Ms: many.latencyMs.p99, oneCase: one, manyCases: many };

    // ---- P7 right after P2, on fresh databases: the practice's commands beside a claim.
    const p7: PracticeResult[] = [];
    for (const w of PRACTICE_WORKLOADS) {
      log(`P7: 5,000 ${w} (200 in flight)`);
      p7.push(await runPractice(redis.url, w, 5000, 200, `G${p7.length}`));
    }
    result.p7 = p7;

    log('P6: classify 1,000 real texts (jieba loaded once)');
    result.p6 = runClassify(1000);

    log('P4: monthly report over 1,000,000 cases (ledger generated once, cached) and its chart');
    result.p4 = await runReportBench();

    if (process.env.BENCH_STRETCH === '1') {
      log('P3 stretch: 1,000,000 pending');
      result.p3Stretch = await stretch(redis.url);
    }
  } finally {
    await redis.stop();
    rmSync(redisDir, { recursive: true, force: true });
  }
  result.seconds = Math.round((Date.now() - started) / 1000);
  const table = render(result);
  result.table = table;
  process.stdout.write(`${table}\n`);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(join(dir, `${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(dir, 'latest.json'), json);
  log(`wrote bench/results/latest.json (${result.seconds} s)`);
}

/** P3 with 1,000,000 pending: 900,000 more delayed deadline jobs added raw beside 100,000 cases. */
async function stretch(url: string): Promise<unknown> {
  // As bench/profile-lateness.ts: first milestones an hour away, the cards delivered, then the 900,000.
  const { bench } = await runReal(url, 100_000, BATCH, 'X100000', { keep: true, config: streetWithHourWindows() });
  const b = bench!;
  await cardsDelivered(b);
  await addFarDeadlines(b, 900_000);
  const r = await runLateness(b, 1000, 'DX');
  const usedMemoryMb = await redisUsedMemoryMb(b);
  await b.close();
  return { ...r, redisUsedMemoryMb: usedMemoryMb };
}

type Row = [figure: string, value: string, target: string, met: string];

function render(r: Record<string, unknown>): string {
  const p1 = r.p1 as { casesPerSecond: number; limitCasesPerSecond: number; ratio: number; single: { casesPerSecond: number; cases: number; limitCasesPerSecond: number; ratio: number }; at10k: { casesPerSecond: number; limitCasesPerSecond: number; ratio: number }; http?: RunResult };
  const p2 = r.p2 as { p50Ms: number; p99Ms: number; oneCase: Awaited<ReturnType<typeof runClaims>>; manyCases: Awaited<ReturnType<typeof runClaims>> };
  const p3 = r.p3 as Awaited<ReturnType<typeof runLateness>>;
  const p5 = r.p5 as Awaited<ReturnType<typeof runFootprint>>;
  const p6 = r.p6 as ReturnType<typeof runClassify> | undefined;
  const p4 = r.p4 as Awaited<ReturnType<typeof runReportBench>> | undefined;
  const p7 = (r.p7 as PracticeResult[] | undefined) ?? [];
  const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const rows: Row[] = [
    ['P1 intake, batched 500, 100k cases (p1.casesPerSecond)', `${p1.casesPerSecond} cases/s`, '≥ 2,000 cases/s', yes(p1.casesPerSecond >= 2000)],
    ['P1 limit: raw SQLite + raw addBulk, 100k (p1.limitCasesPerSecond)', `${p1.limitCasesPerSecond} cases/s`, '—', ''],
    ['P1 ratio batched / limit (p1.ratio)', `${Math.round(p1.ratio * 100)} %`, '≥ 80 %', yes(p1.ratio >= 0.8)],
    ['P1 at 10k: batched / limit', `${p1.at10k.casesPerSecond} / ${p1.at10k.limitCasesPerSecond} = ${Math.round(p1.at10k.ratio * 100)} %`, '≥ 80 %', yes(p1.at10k.ratio >= 0.8)],
    [`P1 one at a time, ${p1.single.cases / 1000}k (p1.single.casesPerSecond)`, `${p1.single.casesPerSecond} cases/s`, '—', ''],
    ['P1 one at a time / its limit (one txn + addBulk per case)', `${p1.single.casesPerSecond} / ${p1.single.limitCasesPerSecond} = ${Math.round(p1.single.ratio * 100)} %`, '≥ 50 %', yes(p1.single.ratio >= 0.5)],
  ];
  if (p1.http) rows.push(['P1 HTTP POST /api/cases, arrays of 500, 10k', `${p1.http.casesPerSecond} cases/s`, '≥ 2,000 cases/s', yes(p1.http.casesPerSecond >= 2000)]);
  rows.push(
    ['P2 200 claims on one case: p50 / p99', `${p2.oneCase.latencyMs.p50} / ${p2.oneCase.latencyMs.p99} ms`, 'one owner', yes(p2.oneCase.casesWithOneOwner === 1 && p2.oneCase.losersToldOwner === p2.oneCase.losers)],
    ['P2 10k claims over 1k cases: p50 / p99 (p2.p50Ms / p2.p99Ms)', `${p2.p50Ms} / ${p2.p99Ms} ms (${Math.round(p2.manyCases.claims / p2.manyCases.seconds)} claims/s, CPU ${p2.manyCases.cpuUsPerCall} µs a claim)`, 'p99 ≤ 15 ms', yes(p2.p99Ms <= 15)],
    ['P2 owners / cases; losers told the owner', `${p2.manyCases.casesWithOneOwner} / ${p2.manyCases.cases}; ${p2.manyCases.losersToldOwner} / ${p2.manyCases.losers}`, 'all', yes(p2.manyCases.casesWithOneOwner === p2.manyCases.cases && p2.manyCases.losersToldOwner === p2.manyCases.losers)],
    ...p7.flatMap((w): Row[] => [
      [`P7 ${w.workload}: p50 / p99 (p7[].latencyMs), ${w.calls} calls, 200 in flight`, `${w.latencyMs.p50} / ${w.latencyMs.p99} ms (${w.callsPerSecond} calls/s, CPU ${w.cpuUsPerCall} µs a call)`, `p99 ≤ 2 × P2 p99 = ${round(2 * p2.p99Ms, 1)} ms`, yes(w.latencyMs.p99 <= 2 * p2.p99Ms)],
      [`P7 ${w.workload}: cases done once; refused`, `${w.casesCorrect} / ${w.cases}; ${w.refused}`, 'all; 0', yes(w.casesCorrect === w.cases && w.refused === 0)],
    ]),
    ['P3 pending deadlines (p3.pending)', `${p3.pending}`, '≥ 100,000', yes(p3.pending >= 100_000)],
    ['P3 lateness of 1,000 due: p50 / p99 / max (p3.p99LatenessMs)', `${p3.latenessMs.p50} / ${p3.latenessMs.p99} / ${p3.latenessMs.max} ms (${p3.fired} fired)`, 'p99 ≤ 100 ms, all fire', yes(p3.latenessMs.p99 <= 100 && p3.fired === p3.due)],
    ['P5 bot process RSS with 100k open cases, idle after reconcile (p5.rssMb)', `${p5.rssMb} MB (V8 heap used ${p5.steady.heapUsedMb} of ${p5.steady.heapTotalMb} MB; peak in the pass ${p5.steady.peakRssMb} MB)`, '≤ 200 MB', yes(p5.rssMb <= 200)],
    ['P5 bench process RSS right after the 100k import / its peak', `${p5.import.rssMb} / ${p5.import.peakRssMb} MB (V8 heap used ${p5.import.heapUsedMb} of ${p5.import.heapTotalMb} MB)`, '—', ''],
    ['P5 Redis used_memory per pending deadline (p5.redisBytesPerDeadline)', `${p5.redisBytesPerDeadline} B (${p5.redisUsedMemoryMb} MB total)`, '≤ 1,024 B', yes(p5.redisBytesPerDeadline <= 1024)],
    ['P5 reconcile 100k open cases after FLUSHALL (p5.reconcileSeconds)', `${p5.reconcileSeconds} s, CPU ${p5.reconcileCpuSeconds} s (${p5.reconcileRestored} / ${p5.reconcileChecked} rebuilt)`, '≤ 10 s, all rebuilt', yes(p5.reconcileSeconds <= 10 && p5.reconcileRestored === p5.openCases)],
  );
  if (p6) {
    rows.push(
      [`P6 classify 1,000 real texts, mean ${p6.meanChars} chars (p6.msPer1000)`, `${p6.msPer1000} ms (jieba load ${p6.segmenterLoadMs} ms, once)`, '≤ 100 ms', yes(p6.msPer1000 <= 100)],
      [`P6 classify 1,000 work-order texts, mean ${p6.shortMeanChars} chars`, `${p6.shortMsPer1000} ms`, '≤ 100 ms', yes(p6.shortMsPer1000 <= 100)],
    );
  }
  if (p4) {
    rows.push(
      [`P4 monthly report, ${p4.casesInMonth} of ${p4.cases / 1e6}M cases: p50 / max (p4.monthly)`, `${p4.monthly.p50} / ${p4.monthly.max} ms (CPU ${p4.monthlyCpu.p50} ms, load ${p4.loadAvg[0]})`, '≤ 1,000 ms', yes(p4.monthly.p50 <= 1000)],
      ['P4 chart beside it: PNG render p50 (p4.chart)', `${p4.chart.p50} ms (${p4.pngKb} KB, first ${p4.chartFirstMs} ms)`, '—', ''],
    );
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), ['figure', 'value', 'target', ''][i]!.length));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(['figure', 'value', 'target', '']), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// Exit when done: an ioredis client left reconnecting to the stopped server must not keep the run alive.
main().then(() => process.exit(0), (err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
