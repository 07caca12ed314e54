import { readFileSync } from 'node:fs';
const [file, fn] = [process.argv[2]!, process.argv[3]!];
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
for (const s of p.samples) self.set(s, (self.get(s) ?? 0) + 1);
const agg = new Map<string, number>();
let total = 0;
for (const [id, cnt] of self) {
  const n = byId.get(id);
  if (n.callFrame.functionName !== fn) continue;
  total += cnt;
  // chain of 4 ancestors
  const chain: string[] = [];
  let cur = parent.get(id);
  while (cur !== undefined && chain.length < 5) { const c = byId.get(cur).callFrame; chain.push(`${c.functionName}@${c.url.split('/').slice(-1)[0]}:${c.lineNumber}`); cur = parent.get(cur); }
  const k = chain.join(' < ');
  agg.set(k, (agg.get(k) ?? 0) + cnt);
}
console.log('total samples', total, 'of', p.samples.length);
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(v, k);
