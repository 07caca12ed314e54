/**
 * Binding chats of a real platform to group keys with a one-time code; unbound chats are ignored
 * except 绑定 and 帮助; a chat the bot was removed from is unbound and consult is told.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { issueBindingCode } from '../../bot/binding-codes';
import type { OutgoingMessage, PlatformChat } from '../../core/ports';
import { BINDING_CODE } from '../../core/commands';
import { loadTestStreet, startHarness, type Harness } from '../helpers/harness';

/** A fake group-chat platform: records sends per chat; a chat in `gone` answers "kicked". */
class FakePlatform implements PlatformChat {
  readonly platform = 'fake';
  readonly sent: { chatId: string; msg: OutgoingMessage; messageId: string }[] = [];
  readonly gone = new Set<string>();
  private seq = 100;
  async sendTo(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.gone.has(chatId)) throw Object.assign(new Error('bot was kicked from the group chat'), { permanent: true, chatGone: true });
    const messageId = String(++this.seq);
    this.sent.push({ chatId, msg, messageId });
    return { messageId };
  }
}

let h: Harness;
let fake: FakePlatform;
afterEach(async () => h?.close());

const say = (chatId: string, sender: string, text: string, extra: { quotedMessageId?: string; senderIsChatAdmin?: boolean } = {}) =>
  h.app.handleMessage({ platform: 'fake', chatId, sender: { id: `id-${sender}`, name: sender }, text, ...extra });

async function until(pred: () => boolean, what: string) {
  await expect.poll(pred, { timeout: 10_000, message: what }).toBe(true);
}

describe('binding chats', () => {
  it('binds with a one-time code, makes the binder an admin, and routes cards to the bound chat', async () => {
    fake = new FakePlatform();
    h = await startHarness({ name: 'bind', platforms: [fake] });
    const code = issueBindingCode(h.store, Date.now());
    expect(code).toMatch(BINDING_CODE);

    await say('room-z', '王芳', '认领 1'); // unbound: ignored
    await say('room-z', '王芳', '绑定 社区 张仪村社区 WRNG-CODE');
    await until(() => fake.sent.some((s) => s.chatId === 'room-z' && s.msg.text.includes('绑定码不对')), 'wrong code refused');
    await say('room-z', '王芳', `绑定 社区 张仪村社区 ${code}`);
    await until(() => fake.sent.some((s) => s.chatId === 'room-z' && s.msg.text.includes('已绑定为「张仪村社区」')), 'bound');
    expect(h.store.groupForChat('fake', 'room-z')).toBe('zhangyi');
    expect(h.store.findMember('fake', 'id-王芳')).toMatchObject({ isAdmin: true, role: 'member' });
    // The code is spent.
    await say('room-c', '张三', `/bind consult ${code}`);
    await until(() => fake.sent.some((s) => s.chatId === 'room-c' && s.msg.text.includes('已用过')), 'spent code refused');
    // An admin binds more chats without a code; a display name proves nothing, the platform id does.
    await say('room-c', '王芳', '/bind consult');
    await until(() => h.store.groupForChat('fake', 'room-c') === 'consult', 'admin bound consult');
    await h.app.handleMessage({ platform: 'fake', chatId: 'room-s', sender: { id: 'someone-else', name: '王芳' }, text: '绑定 街道' });
    await until(() => fake.sent.some((s) => s.chatId === 'room-s' && s.msg.text.includes('请带上绑定码')), 'impostor asked for a code');
    expect(h.store.groupForChat('fake', 'room-s')).toBeNull();

    await h.app.handleIntake({ hotlineNo: 'B-1', content: '张仪村路灯不亮', address: '张仪村' }, '12345');
    await until(() => fake.sent.some((s) => s.chatId === 'room-z' && s.msg.kind === 'card' && s.msg.text.includes('新案件 #1')), 'card in the bound room');
    const card = fake.sent.find((s) => s.chatId === 'room-z' && s.msg.kind === 'card')!;
    await say('room-z', '李四', '认领', { quotedMessageId: card.messageId });
    await until(() => h.store.findCase(1)?.ownerName === '李四', 'quote claim on the platform');
    expect(h.store.findCase(1)?.ownerId).toBe('id-李四');
  });

  it('a platform chat admin binds without a code only where the YAML allows it; a chat the bot was removed from is unbound', async () => {
    fake = new FakePlatform();
    h = await startHarness({ name: 'bind2', platforms: [fake] });
    await say('tg-1', '赵管理', '/bind community jiari', { senderIsChatAdmin: true });
    await until(() => fake.sent.some((s) => s.chatId === 'tg-1' && s.msg.text.includes('请带上绑定码')), 'chat admin asked for a code');
    expect(h.store.groupForChat('fake', 'tg-1')).toBeNull();
    await h.close();
    fake = new FakePlatform();
    h = await startHarness({ name: 'bind2b', platforms: [fake], config: { ...loadTestStreet(), platforms: { fake: { chatAdminsMayBind: true } } } });
    await say('tg-1', '赵管理', '/bind community jiari', { senderIsChatAdmin: true });
    await until(() => h.store.groupForChat('fake', 'tg-1') === 'jiari', 'chat admin bound');
    fake.gone.add('tg-1');
    await h.app.handleIntake({ hotlineNo: 'B-2', content: '假日风景停车乱', address: '假日风景' }, '12345');
    await until(() => h.store.groupForChat('fake', 'tg-1') === null, 'unbound after kick');
    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('已解除绑定')), 10_000, 'consult told');
  });

  it('answers 帮助 in an unbound chat and ignores every other command there', async () => {
    fake = new FakePlatform();
    h = await startHarness({ name: 'bind3', platforms: [fake] });
    await say('x', '路人', '列表');
    await say('x', '路人', '帮助');
    await until(() => fake.sent.some((s) => s.chatId === 'x' && s.msg.text.includes('可用命令')), 'help answered');
    expect(fake.sent.filter((s) => s.chatId === 'x')).toHaveLength(1);
  });
});
