import { pino, type DestinationStream } from 'pino';
import { maskPersonal } from '../../core/privacy';
import type { Logger } from '../../core/ports';

/**
 * Structured logs (JSON) to stderr — stdout belongs to the console chat. Every string that reaches
 * a log line passes the privacy mask, so a phone or ID number in an error message never lands in a log.
 */
export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const mask = (v: unknown, depth = 0): unknown => {
    if (typeof v === 'string') return maskPersonal(v, { maskRoomNumbers: false });
    if (depth > 4 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => mask(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x, depth + 1)]));
  };
  return pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      redact: { paths: ['citizen', '*.citizen', 'citizenName', 'citizenPhone', 'citizenOpenId', 'openid', 'openId', '*.citizenName', '*.citizenPhone', '*.citizenOpenId', '*.openid', '*.openId', 'phone', '*.phone'], censor: '[masked]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => mask(a)) as Parameters<typeof method>);
        },
      },
    },
    opts.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
