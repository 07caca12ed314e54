import { rmSync } from 'node:fs';
import { noPractice } from '../core/case/practice-defaults';
import { openDatabase } from '../storage/open-database';
import { SqliteCaseStore } from '../storage/sqlite-case-store';
for (const cache of [0, -65536]) {
  rmSync('/tmp/ins.sqlite', { force: true }); rmSync('/tmp/ins.sqlite-wal', { force: true });
  const d = openDatabase('/tmp/ins.sqlite');
  if (cache) d.sqlite.pragma(`cache_size = ${cache}`);
  const s = new SqliteCaseStore(d.db);
  const now = Date.now();
  for (const N of [20000, 20000, 20000]) {
    const t = performance.now();
    for (let b = 0; b < N; b += 500) s.transaction(() => {
      for (let i = b; i < b + 500; i++) s.insertCase({ hotlineNo: `H${cache}-${performance.now()}-${i}`, status: 'new', group: 'zhangyi', section: null, category: ['路灯照明', '井盖'][i % 2]!, urgency: 'ordinary', type: null, address: '张仪村4号院南院', content: '小区路灯不亮，天黑后存在安全隐患（工单 1）', source: '12345', citizenName: '王建国', citizenPhone: '13912345678', ownerId: null, ownerName: null, reportedAt: now + i, postedAt: now + i, claimedAt: null, contactedAt: null, resolvedAt: null, respondBy: now + 3600000, resolveBy: now + 86400000 * 3, result: null, version: 1, nextDueKind: 'unclaimed-remind', nextDueAt: now + 600000, ...noPractice(), placeKey: `zhangyi:${i % 8}` });
    });
    console.log('cache', cache, 'µs/insert', ((performance.now() - t) * 1000 / N).toFixed(1));
  }
  d.close();
}
{
  const d = openDatabase('/tmp/ins.sqlite');
  const s = new SqliteCaseStore(d.db);
  const now = Date.now();
  for (const k of [] as string[]) {
    const q = (s as any).hot[k].getQuery();
    console.log(k, d.sqlite.prepare('EXPLAIN QUERY PLAN ' + q.sql).all(...q.params.map((x: unknown, i: number) => [ 'zhangyi:3', '井盖', now - 30 * 86400000, now + 1e9, 100][i] ?? x)).map((r: any) => r.detail));
  }
  let t = performance.now();
  for (let i = 0; i < 2000; i++) s.repeatAtPlace(`zhangyi:${i % 8}`, ['路灯照明', '井盖'][i % 2]!, now - 30 * 86400000, now + 1e9);
  console.log('repeatAtPlace µs', ((performance.now() - t) * 1000 / 2000).toFixed(1));
  t = performance.now();
  for (let i = 0; i < 2000; i++) (s as any).hot.repeatAtPlace.get({ placeKey: `zhangyi:${i % 8}`, category: ['路灯照明', '井盖'][i % 2]!, fromMs: now - 30 * 86400000, toMs: now + 1e9 });
  console.log('latest µs', ((performance.now() - t) * 1000 / 2000).toFixed(1));
  const raw = d.sqlite.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM cases WHERE place_key = ? AND category = ? AND reported_at BETWEEN ? AND ? LIMIT 100)');
  t = performance.now();
  for (let i = 0; i < 2000; i++) raw.get(`zhangyi:${i % 8}`, ['路灯照明', '井盖'][i % 2]!, now - 30 * 86400000, now + 1e9);
  console.log('raw count µs', ((performance.now() - t) * 1000 / 2000).toFixed(1));
}
