/**
 * CPU profile of the batched intake path (P1), for finding its slowest step:
 *   node --cpu-prof --cpu-prof-dir=/tmp/jiesu-prof --import tsx bench/profile-intake.ts
 *   npx tsx bench/profile-intake.ts summarize /tmp/jiesu-prof/<file>.cpuprofile
 * The first runs 20,000 cases through handleIntakeBatch (500 a batch) on a private redis-server; the
 * second prints self time by package/folder and the heaviest functions. `... profile-intake.ts legacy`
 * runs the same with the store as it was before its hot statements were prepared once (drizzle built
 * and prepared each query on every call), to compare both in one run: `... profile-intake.ts compare`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { eq } from 'drizzle-orm';
import type { CaseEvent, Case } from '../core/types';
import type { NewOutboxRow } from '../core/ports';
import { cases, caseEvents, outbox } from '../storage/schema';
import { SqliteCaseStore } from '../storage/sqlite-case-store';
import type { Db } from '../storage/open-database';
import { runReal } from './p1-intake';

/** The store's hot methods as they were before (query built and prepared on every call), for comparison. */
class LegacyStore extends SqliteCaseStore {
  constructor(private readonly legacyDb: Db) {
    super(legacyDb);
  }
  override findCase(id: number): Case | null {
    return (this.legacyDb.select().from(cases).where(eq(cases.id, id)).get() as Case | undefined) ?? null;
  }
  override findCaseByHotlineNo(hotlineNo: string): Case | null {
    return (this.legacyDb.select().from(cases).where(eq(cases.hotlineNo, hotlineNo)).get() as Case | undefined) ?? null;
  }
  override insertCase(c: Omit<Case, 'id'>): Case {
    return this.legacyDb.insert(cases).values(c).returning().get() as Case;
  }
  override appendEvents(caseId: number, events: CaseEvent[]): void {
    if (events.length > 0) this.legacyDb.insert(caseEvents).values(events.map((e) => ({ ...e, caseId }))).run();
  }
  override addOutbox(rows: NewOutboxRow[]): number[] {
    if (rows.length === 0) return [];
    const values = rows.map((r) => ({ channel: r.channel, group: r.group, text: r.text, meta: JSON.stringify(r.channel === 'public' ? { title: r.title } : { mentions: r.mentions, kind: r.kind }), caseId: r.caseId, createdAt: r.createdAt }));
    return this.legacyDb.insert(outbox).values(values).returning({ id: outbox.id }).all().map((r) => r.id);
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarize(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const area = (url: string) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1]!;
    const own = /\/work\/[^/]+\/[^/]+\/((?:core|bot|storage|adapters|bench)\/[^/]+)/.exec(url) ?? /((?:core|bot|storage|adapters|bench)\/[^/]+)$/.exec(url);
    if (own) return own[1]!;
    return url.startsWith('node:') ? 'node:internal' : url === '' ? '(native/gc/idle)' : url;
  };
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    if (!t) continue;
    const a = area(n.callFrame.url);
    byArea.set(a, (byArea.get(a) ?? 0) + t);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${a}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  }
  const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
  console.log(`total sampled ${(total / 1000).toFixed(0)} ms\n\nself time by area:`);
  for (const [a, t] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`${pct(t)}  ${a}`);
  console.log('\nheaviest functions (self):');
  for (const [f, t] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`${pct(t)}  ${f}`);
}

async function run(modes: ('current' | 'legacy')[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jiesu-prof-redis-'));
  const redis = await startPrivateRedis({ dir, appendOnly: false });
  try {
    for (const mode of modes) {
      const store = mode === 'legacy' ? (db: Db) => new LegacyStore(db) : undefined;
      const { result } = await runReal(redis.url, 20_000, 500, `PROF-${mode}`, { profile: true, store });
      console.log(mode, JSON.stringify(result));
    }
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const arg = process.argv[2];
if (arg === 'summarize') summarize(process.argv[3]!);
else await run(arg === 'legacy' ? ['legacy'] : arg === 'compare' ? ['legacy', 'current', 'legacy', 'current'] : ['current']);
