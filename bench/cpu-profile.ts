/**
 * With PROFILE_DIR set, `profiled(name)` wraps a bench's timed part in the V8 CPU profiler (in this
 * process, via the inspector) and writes `<PROFILE_DIR>/<name>-<ms>.cpuprofile`; the setup before it
 * stays out of the profile. Without PROFILE_DIR it only runs the part.
 * Read a profile with `npx tsx bench/profile-intake.ts summarize <file>`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export type Around = <T>(timed: () => Promise<T>) => Promise<T>;

const profileDir = process.env.PROFILE_DIR;
let session: Session | null = null;

export function profiled(name: string): Around {
  return async <T>(timed: () => Promise<T>): Promise<T> => {
    if (!profileDir) return timed();
    if (!session) {
      mkdirSync(profileDir, { recursive: true });
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
    }
    await session.post('Profiler.start');
    try {
      return await timed();
    } finally {
      const { profile } = await session.post('Profiler.stop');
      const file = join(profileDir, `${name}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`profile: ${file}\n`);
    }
  };
}
