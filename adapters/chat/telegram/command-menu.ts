import type { BotCommand } from 'grammy/types';
import type { CommandName } from '../../../core/commands';

/**
 * The command menu registered with `setMyCommands` on start: one entry per command the parser
 * knows (keyed by core's names, so a new command fails the type check until it is described here).
 */
const DESCRIPTIONS: Record<CommandName, string> = {
  claim: '认领案件：/claim 12，或引用卡片回复 /claim',
  contact: '已联系市民：/contact 12 备注',
  note: '记录进展：/note 12 文字',
  done: '办结：/done 12 办理结果',
  status: '查看案件状态：/status 12',
  list: '本群未办结案件：/list [mine/overdue/unclaimed]',
  new: '新建案件（调度/领导）：/new 地址 | 内容',
  bind: '绑定本群：/bind consult|street|community 社区名 绑定码',
  help: '命令说明',
};

/** Menu order: the everyday commands first. */
const ORDER: CommandName[] = ['claim', 'contact', 'note', 'done', 'status', 'list', 'new', 'bind', 'help'];

/** The commands for `setMyCommands` (Telegram: lower-case names, 1–256 character descriptions). */
export function commandMenu(): BotCommand[] {
  return ORDER.map((command) => ({ command, description: DESCRIPTIONS[command] }));
}
