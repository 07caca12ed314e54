import { resolvePeriodWord } from '../../core/reports/periods';
import type { AppHandler } from './app-handlers';

const USAGE = '格式：导出 [本月/上月/2026-11] [csv]';

/**
 * 导出 [本月/上月/2026-11] [csv]: the ledger (台账) of a period as a spreadsheet, sent into consult as
 * a file with one line saying how many cases it holds. The ledger carries the citizens' words and
 * addresses, so only the consultation group may ask for it.
 */
export const EXPORT_HANDLERS: Record<string, AppHandler> = {
  export: async (env, cmd) => {
    if (env.group !== 'consult') return env.refuse('台账含个人信息，只有会商群可以导出。');
    const exports = env.services.exports;
    if (!exports) return env.refuse('本机器人没有开启台账导出。');
    const now = env.clock();
    const period = resolvePeriodWord(cmd.period as string, now, exports.settings);
    if (!period) return env.refuse(`没有这个时间段。${USAGE}`);
    if (period.from > now) return env.refuse(`这个时间段还没开始。${USAGE}`);
    const format = cmd.csv === true ? 'csv' : 'xlsx';
    const file = await exports.export(period, format, now);
    const text = `📄 台账 ${file.title}：共 ${file.cases} 件（${format.toUpperCase()}）`;
    await env.post([{ type: 'send', group: env.here, text, kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'file', path: file.path, name: file.name } }]);
    return { ok: true, message: text, caseId: null };
  },
};
