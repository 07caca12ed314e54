/**
 * P5's steady state, in a process of its own (what a street office runs): opens a data dir whose
 * database holds the open cases, starts the app and its workers the way main.ts does, runs one
 * reconcile pass (after a FLUSHALL it rebuilds every deadline job), then prints one JSON line
 * ({@link SteadyResult}). Started by bench/p5-footprint.ts; by hand:
 *   node --expose-gc --import tsx bench/p5-steady.ts <dataDir> <redisUrl> <prefix>
 * Milestones must not be due yet (the workers would fire them during the measurement).
 */
import { readFileSync } from 'node:fs';
import { reconcile } from '../bot/reconciler';
import { nowMs, round } from './stats';
import { silentLogger, startBenchApp } from './wiring';

export interface SteadyResult {
  /** RSS once started, before the pass (after a full GC). */
  startRssMb: number;
  /** Highest RSS of the process (the pass's peak). */
  peakRssMb: number;
  /** RSS right after the pass, after a full GC. */
  afterPassRssMb: number;
  /** RSS after {@link IDLE_MS} idle and a full GC: the figure (V8 gives heap pages back when idle). */
  idleRssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** Resident anonymous (heaps, malloc) and file-backed (code) memory at idle, Linux only. */
  anonMb: number | null;
  fileMb: number | null;
  reconcileSeconds: number;
  /** This process's CPU time during the pass (all threads), the figure that the machine's load does not inflate much. */
  reconcileCpuSeconds: number;
  checked: number;
  restored: number;
}

const IDLE_MS = 10_000;
const mb = (n: number) => round(n / 2 ** 20, 1);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

function residentKb(field: 'RssAnon' | 'RssFile'): number | null {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? round(Number(kb) / 1024, 1) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const [dataDir, redisUrl, prefix] = process.argv.slice(2);
  if (!dataDir || !redisUrl || !prefix) throw new Error('usage: p5-steady.ts <dataDir> <redisUrl> <prefix>');
  const b = await startBenchApp(redisUrl, { name: 'steady', prefix, dataDir });
  const workers = b.startWorkers();
  gc();
  const start = process.memoryUsage.rss();
  const cpu0 = process.cpuUsage();
  const t0 = nowMs();
  const report = await reconcile({ store: b.store, dispatcher: b.dispatcher, redis: b.redis, logger: silentLogger });
  const seconds = (nowMs() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peak = process.resourceUsage().maxRSS * 1024;
  gc();
  const afterPass = process.memoryUsage.rss();
  await new Promise((r) => setTimeout(r, IDLE_MS));
  gc();
  const idle = process.memoryUsage();
  const result: SteadyResult = {
    startRssMb: mb(start), peakRssMb: mb(peak), afterPassRssMb: mb(afterPass), idleRssMb: mb(idle.rss),
    heapUsedMb: mb(idle.heapUsed), heapTotalMb: mb(idle.heapTotal), externalMb: mb(idle.external), anonMb: residentKb('RssAnon'), fileMb: residentKb('RssFile'),
    reconcileSeconds: round(seconds, 2), reconcileCpuSeconds: round((cpu.user + cpu.system) / 1e6, 2), checked: report.openCasesChecked, restored: report.deadlinesRestored,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await workers.close();
  await b.close();
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  await main();
  process.exit(0);
}
