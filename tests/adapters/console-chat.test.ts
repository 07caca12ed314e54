import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../adapters/chat/console-chat';
import type { IncomingMessage } from '../../core/ports';

function chat() {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString('utf8')));
  const got: IncomingMessage[] = [];
  const input = new PassThrough();
  const c = new ConsoleChat({ input, output, groups: new Set(['zhangyi', 'consult']), onMessage: async (m) => void got.push(m), onBadLine: () => {} });
  return { c, input, got, printed: () => printed };
}

describe('ConsoleChat', () => {
  it('prints a private message as `@<person> << [n] …`, never under a group key', async () => {
    const { c, printed } = chat();
    await c.sendPrivate('王芳', { outboxId: 7, group: '~console:王芳', text: '🔒 #3 市民联系方式：王建国 13911112222\n地址：张仪村', kind: 'reply', mentions: [{ id: '王芳', name: '王芳' }], caseId: 3 });
    expect(printed()).toBe('@王芳 << [7] 🔒 #3 市民联系方式：王建国 13911112222\n@王芳 << 地址：张仪村\n');
  });

  it('prints a picture or file as the saved path on a last line `<group> << 📎 <path>`', async () => {
    const { c, printed } = chat();
    await c.sendTo('consult', { outboxId: 12, group: 'consult', text: '📊 2026年11月 月报\n受理 3 件', kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'image', path: '/data/reports/月报-2026-11.png', name: '月报-2026-11.png' } });
    await c.sendTo('consult', { outboxId: 13, group: 'consult', text: '已导出 2 件', kind: 'reply', mentions: [], caseId: null, attachment: { kind: 'file', path: '/data/reports/台账-2026-11.xlsx', name: '台账-2026-11.xlsx' } });
    await c.sendTo('consult', { outboxId: 14, group: 'consult', text: '无附件', kind: 'reply', mentions: [], caseId: null, attachment: null });
    expect(printed()).toBe(
      'consult << [12] 📊 2026年11月 月报\nconsult << 受理 3 件\nconsult << 📎 /data/reports/月报-2026-11.png\n' +
        'consult << [13] 已导出 2 件\nconsult << 📎 /data/reports/台账-2026-11.xlsx\n' +
        'consult << [14] 无附件\n',
    );
  });

  it('hands @name words in as mentions (on the console a person is their name)', async () => {
    const { c, input, got } = chat();
    c.start();
    input.end('consult 汪书记: 转派 3 @李雷\n');
    await c.inputEnded();
    expect(got[0]).toMatchObject({ group: 'consult', sender: { id: '汪书记', name: '汪书记' }, mentions: [{ id: '李雷', name: '李雷' }] });
  });
});
