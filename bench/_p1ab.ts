import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../adapters/redis/private-redis-server';
import { runLimit, runReal } from './p1-intake';
const redis = await startPrivateRedis({ dir: mkdtempSync(join(tmpdir(), 'p1ab-')), appendOnly: false });
for (const n of (process.env.NS ?? '10000,100000').split(',').map(Number)) {
  const c0 = process.cpuUsage();
  const real = (await runReal(redis.url, n, 500, `R${n}`)).result;
  const c1 = process.cpuUsage(c0);
  const c2 = process.cpuUsage();
  const lim = await runLimit(redis.url, n, 500, `L${n}`);
  const c3 = process.cpuUsage(c2);
  console.log(n, 'real', real.casesPerSecond, 'limit', lim.casesPerSecond, 'ratio', Math.round((100 * real.casesPerSecond) / lim.casesPerSecond), '% realCPU µs/case', Math.round((c1.user + c1.system) / n), 'limitCPU', Math.round((c3.user + c3.system) / n));
}
await redis.stop();
