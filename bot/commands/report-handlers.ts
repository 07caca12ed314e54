import { resolvePeriodWord } from '../../core/reports/periods';
import type { AppHandler } from './app-handlers';

/**
 * 统计 [今日/昨日/本周/上周/本月/上月/2026-11]: the report of a period, scoped to the group it is
 * typed in (consult: the whole street), with its chart as a picture.
 */
export const REPORT_HANDLERS: Record<string, AppHandler> = {
  stats: async (env, cmd) => {
    const reports = env.services.reports;
    if (!reports) return env.refuse('本机器人没有开启统计功能。');
    const now = env.clock();
    const period = resolvePeriodWord(cmd.period as string, now, reports.settings);
    if (!period) return env.refuse('没有这个时间段。格式：统计 [今日/昨日/本周/上周/本月/上月/2026-11]');
    if (period.from > now) return env.refuse('这个时间段还没开始。格式：统计 [今日/昨日/本周/上周/本月/上月/2026-11]');
    const scope = env.here === 'consult' ? null : env.group;
    const message = await reports.message({ period, scope, to: env.here, now, kind: 'reply' });
    await env.post([message]);
    return { ok: true, message: message.text.split('\n')[0]!, caseId: null };
  },
};
