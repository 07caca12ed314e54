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

  it('hands @name words in as mentions (on the console a person is their name)', async () => {
    const { c, input, got } = chat();
    c.start();
    input.end('consult 汪书记: 转派 3 @李雷\n');
    await c.inputEnded();
    expect(got[0]).toMatchObject({ group: 'consult', sender: { id: '汪书记', name: '汪书记' }, mentions: [{ id: '李雷', name: '李雷' }] });
  });
});
