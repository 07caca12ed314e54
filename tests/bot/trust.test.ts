/**
 * Who may act (issue 9), on a platform with real user ids: a display name proves nothing, a bot admin
 * is no case authority, roles are given by id in chat, binding codes are limited, 状态 stays where the
 * case is worked, and the citizen's details travel only privately.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { issueBindingCode } from '../../bot/binding-codes';
import type { OutgoingMessage, PlatformChat } from '../../core/ports';
import { parseStreetConfig } from '../../core/street-config';
import { loadTestStreet, startHarness, type Harness } from '../helpers/harness';

/** A group-chat platform with ids: records group and private sends; `closedDms` cannot be written to privately. */
class IdPlatform implements PlatformChat {
  readonly platform = 'fake';
  readonly sent: { chatId: string; msg: OutgoingMessage; private: boolean }[] = [];
  readonly closedDms = new Set<string>();
  private seq = 100;
  async sendTo(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    this.sent.push({ chatId, msg, private: false });
    return { messageId: String(++this.seq) };
  }
  async sendPrivate(userId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.closedDms.has(userId)) throw Object.assign(new Error('Forbidden: bot can\'t initiate conversation with a user'), { permanent: true });
    this.sent.push({ chatId: userId, msg, private: true });
    return { messageId: String(++this.seq) };
  }
  texts(chatId: string, priv = false): string[] {
    return this.sent.filter((s) => s.chatId === chatId && s.private === priv).map((s) => s.msg.text);
  }
}

let h: Harness;
let fake: IdPlatform;
afterEach(async () => h?.close());

const say = (chatId: string, id: string, name: string, text: string, extra: { mentions?: { id: string; name: string }[]; isPrivate?: boolean } = {}) =>
  h.app.handleMessage({ platform: 'fake', chatId, sender: { id, name }, text, ...extra });
const until = (pred: () => boolean, what: string) => expect.poll(pred, { timeout: 10_000, message: what }).toBe(true);

function street() {
  const base = loadTestStreet();
  const r = parseStreetConfig({
    communities: base.communities.map((c) => ({ key: c.key, name: c.name, places: c.places })),
    people: [{ name: '汪书记', role: 'leader', ids: { fake: '111' } }, { name: '李调度', role: 'dispatcher' }],
    deadlines: { ordinary: { respond: '1h', resolve: '7d' }, unclaimed: { ordinary: '1h' } },
  });
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

async function boundStreet(): Promise<void> {
  fake = new IdPlatform();
  h = await startHarness({ name: 'trust', platforms: [fake], config: street() });
  for (const [chat, target] of [['g-consult', '会商'], ['g-zhangyi', '社区 张仪村社区'], ['g-jiari', '社区 假日风景社区']] as const) {
    const code = issueBindingCode(h.store, Date.now());
    await say(chat, 'admin-1', '管理员', `绑定 ${target} ${code}`);
  }
  await until(() => h.store.groupForChat('fake', 'g-jiari') === 'jiari', 'all bound');
}

async function newCase(): Promise<number> {
  const r = await h.app.handleIntake({ hotlineNo: `T-${Date.now()}-${Math.random()}`, content: '张仪村4号院路灯不亮', address: '张仪村4号院', citizen: { name: '王建国', phone: '13911112222' } }, '12345');
  return r.case!.id;
}

describe('trust: who may act', () => {
  it('a display name proves nothing: only the pinned id is the leader', async () => {
    await boundStreet();
    const id = await newCase();
    await say('g-zhangyi', 'u-2', '王芳', `认领 ${id}`);
    await say('g-zhangyi', 'u-2', '王芳', `已联系 ${id}`);
    // Someone renamed to 汪书记 is still a member.
    const impostor = await say('g-zhangyi', 'u-666', '汪书记', `办结 ${id} 已处理`);
    expect(impostor?.ok).toBe(false);
    expect(impostor?.message).toMatch(/由 王芳 负责，只有负责人、领导或调度可以「办结」/);
    expect((await say('g-consult', 'u-666', '汪书记', `包案 ${id}`))?.ok).toBe(false);
    // The pinned id is the leader whatever the name shown.
    expect((await say('g-consult', '111', '老汪', `包案 ${id}`))?.ok).toBe(true);
    expect(h.store.findCase(id)).toMatchObject({ leaderId: '111', leaderName: '老汪' });
    // A YAML person without ids is nobody off the console until an admin gives the role.
    expect((await say('g-consult', 'u-li', '李调度', `新建 张仪村｜路灯`))?.ok).toBe(false);
  });

  it('a bot admin manages bindings and roles but has no case authority; roles are stored by id', async () => {
    await boundStreet();
    const id = await newCase();
    await say('g-zhangyi', 'u-2', '王芳', `认领 ${id}`);
    await say('g-zhangyi', 'u-2', '王芳', `已联系 ${id}`);
    expect((await say('g-zhangyi', 'admin-1', '管理员', `办结 ${id} 我来结`))?.ok).toBe(false);
    // Non-admins may not give roles.
    expect((await say('g-consult', 'u-2', '王芳', '角色 @李调度 调度', { mentions: [{ id: 'u-li', name: '李调度' }] }))?.ok).toBe(false);
    expect((await say('g-consult', 'admin-1', '管理员', '角色 @李调度 调度', { mentions: [{ id: 'u-li', name: '李调度' }] }))?.ok).toBe(true);
    expect(h.store.findMember('fake', 'u-li')).toMatchObject({ role: 'dispatcher', isAdmin: false });
    expect((await say('g-consult', 'u-li', '李调度', '新建 张仪村5号院｜楼道灯坏了'))?.ok).toBe(true);
    const list = await say('g-consult', 'admin-1', '管理员', '角色');
    expect(list?.message).toContain('角色');
    await until(() => fake.texts('g-consult').some((t) => t.includes('李调度：调度') && t.includes('id u-li')), 'roles listed with ids');
    // 解绑 by the admin; afterwards the chat is ignored.
    expect((await say('g-jiari', 'u-2', '王芳', '解绑'))?.ok).toBe(false);
    expect((await say('g-jiari', 'admin-1', '管理员', '解绑'))?.ok).toBe(true);
    expect(h.store.groupForChat('fake', 'g-jiari')).toBeNull();
    expect(await say('g-jiari', 'u-2', '王芳', '列表')).toBeNull();
  });

  it('binding codes: a newer code replaces the older, failures are limited per sender', async () => {
    fake = new IdPlatform();
    h = await startHarness({ name: 'trust-codes', platforms: [fake], config: street() });
    const old = issueBindingCode(h.store, Date.now());
    const fresh = issueBindingCode(h.store, Date.now());
    expect((await say('g-x', 'u-9', '路人', `绑定 会商 ${old}`))?.message).toMatch(/已被新码替换/);
    for (let i = 0; i < 4; i++) await say('g-x', 'u-9', '路人', '绑定 会商 AAAA-BBBB');
    // Five failures in the hour: even the right code is refused now.
    expect((await say('g-x', 'u-9', '路人', `绑定 会商 ${fresh}`))?.message).toMatch(/失败次数太多/);
    expect(h.store.groupForChat('fake', 'g-x')).toBeNull();
    // Another sender with the right code binds.
    expect((await say('g-x', 'u-10', '张三', `绑定 会商 ${fresh}`))?.ok).toBe(true);
  });

  it('状态 answers only where the case is worked', async () => {
    await boundStreet();
    const id = await newCase();
    expect((await say('g-jiari', 'u-3', '赵磊', `状态 ${id}`))?.message).toMatch(/不在本群办理/);
    expect((await say('g-consult', 'u-3', '赵磊', `状态 ${id}`))?.ok).toBe(true);
    expect((await say('g-zhangyi', 'u-3', '赵磊', `状态 ${id}`))?.ok).toBe(true);
  });

  it('the citizen\'s details go to the owner privately only; an unreachable owner is told in the group how to open a chat', async () => {
    await boundStreet();
    const id = await newCase();
    await say('g-zhangyi', 'u-2', '王芳', `认领 ${id}`);
    await until(() => fake.texts('u-2', true).some((t) => t.includes('13911112222') && t.includes('王建国')), 'private details to the owner');
    // 联系方式 by someone else: refused; by the owner in the group: privately, the group only hears it was sent.
    expect((await say('g-zhangyi', 'u-3', '赵磊', `联系方式 ${id}`))?.ok).toBe(false);
    expect((await say('g-zhangyi', 'u-2', '王芳', `联系方式 ${id}`))?.ok).toBe(true);
    await until(() => fake.texts('g-zhangyi').some((t) => t.includes('已私信')), 'group told it went privately');
    await until(() => fake.texts('u-2', true).filter((t) => t.includes('13911112222')).length === 2, 'second private message');
    // Also answered in a private chat with the bot.
    expect((await say('dm-u-2', 'u-2', '王芳', `联系方式 ${id}`, { isPrivate: true }))?.ok).toBe(true);
    // An owner who never opened a chat with the bot: the group gets how to open one, nothing personal.
    const id2 = await newCase();
    fake.closedDms.add('u-4');
    await say('g-zhangyi', 'u-4', '孙丽', `认领 ${id2}`);
    await until(() => fake.texts('g-zhangyi').some((t) => t.includes('@孙丽 私信发不出去')), 'unreachable told');
    const groupTexts = fake.sent.filter((s) => !s.private).map((s) => s.msg.text).join('\n');
    expect(groupTexts).not.toContain('13911112222');
    expect(groupTexts).not.toContain('王建国');
  });
});
