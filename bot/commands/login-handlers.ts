import { privateAddress } from '../../core/practices/basic';
import { send } from '../../core/decide';
import type { AppHandler } from './app-handlers';

/**
 * 登录: a single-use link to the web console, always sent privately (console: `@<sender> << …`); in a
 * group only the note that it was sent. Where a private message cannot be delivered, the group is told
 * how to open a private chat — never the link.
 */
export const LOGIN_HANDLERS: Record<string, AppHandler> = {
  login: async (env) => {
    const web = env.services.webLogin;
    if (!web) return env.refuse('本机器人没有开启网页控制台。');
    const { msg } = env;
    const url = await web.linkFor({ platform: msg.platform, id: msg.sender.id, name: msg.sender.name });
    const minutes = Math.round(web.linkTtlMs / 60_000);
    const text = `网页控制台登录链接（${minutes} 分钟内有效，只能用一次，请勿转发）：\n${url}`;
    const privately = { ...send('reply', privateAddress(msg.platform, msg.sender.id), text, null, [msg.sender]), ...(env.group ? { fallbackGroup: env.group } : {}) };
    if (msg.isPrivate) {
      await env.post([privately]);
      return { ok: true, message: '登录链接已发送', caseId: null };
    }
    await env.post([privately, send('reply', env.here, `${msg.sender.name}：登录链接已私信发送。`, null)]);
    return { ok: true, message: '登录链接已私信发送', caseId: null };
  },
};
