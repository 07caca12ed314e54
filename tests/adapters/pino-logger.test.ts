/** Logs are JSON on the given stream, and no phone number, ID number or citizen field reaches them. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/log/pino-logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('masks personal data in messages and fields and redacts citizen fields', async () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    log.warn({ err: { message: 'send to 13911112222 failed' }, citizen: { name: '王建国', phone: '13911112222' }, note: '身份证 110101199003071234' }, 'call 010-63812345 back');
    log.info({ caseId: 3 }, 'case received');
    await new Promise((r) => setImmediate(r));
    const text = lines.join('\n');
    for (const secret of ['13911112222', '63812345', '110101199003071234', '王建国']) expect(text).not.toContain(secret);
    const first = JSON.parse(lines[0]!);
    expect(first.citizen).toBe('[masked]');
    expect(first.err.message).toContain('139****2222');
    expect(JSON.parse(lines[1]!)).toMatchObject({ caseId: 3, msg: 'case received', level: 30 });
  });
});
