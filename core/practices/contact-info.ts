import { bad, defineCommand, ok, refuse } from '../commands/spec';
import { contactDetailsTo } from './basic';
import { send } from './effects';

/** 联系方式: the citizen's name and phone, privately, to the people working the case. */
export const contactInfo = defineCommand<Record<string, never>>({
  kind: 'case',
  name: 'contact-info',
  latin: ['contactinfo', 'contact_info'],
  zh: ['联系方式'],
  usage: '联系方式 12',
  help: '私信获取市民联系方式（负责人/协办/领导）',
  menu: '私信获取市民联系方式：/contact_info 12',
  permission: 'contact-info',
  inPrivate: true,
  parse: (rest) => (rest === '' ? ok({}) : bad('格式：联系方式 12')),
  decide(c, _args, ctx) {
    const details = contactDetailsTo(c, ctx, ctx.actor);
    if (details.length === 0) return refuse(`#${c.id} 工单上没有市民的姓名和电话。`);
    const effects = [...details];
    if (!ctx.group.startsWith('~')) effects.push(send('reply', ctx.group, `🔒 #${c.id} 的联系方式已私信 ${ctx.actor.name}。`, c.id));
    return { ok: true, patch: {}, events: [], effects };
  },
});
