import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../adapters/chat/console-chat';
import type { IncomingMessage } from '../../core/ports';

const dir = mkdtempSync(join(tmpdir(), 'jiesu-console-photo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

async function run(lines: string[]): Promise<{ got: IncomingMessage[]; bad: string[] }> {
  const got: IncomingMessage[] = [];
  const bad: string[] = [];
  const input = new PassThrough();
  const c = new ConsoleChat({ input, output: new PassThrough(), groups: new Set(['zhangyi', 'consult']), onMessage: async (m) => void got.push(m), onBadLine: (t) => void bad.push(t) });
  c.start();
  input.end(`${lines.join('\n')}\n`);
  await c.inputEnded();
  return { got, bad };
}

describe('ConsoleChat: a photo line', () => {
  it('`[图片 /path.jpg] 办结 12 已清理` reads the file and hands it in with the caption as the text', async () => {
    const file = join(dir, '现场.jpg');
    writeFileSync(file, JPEG);
    const { got, bad } = await run([`zhangyi 王芳: [图片 ${file}] 办结 12 已清理`, `zhangyi 王芳 > 7: [photo ${file}]`]);
    expect(bad).toEqual([]);
    expect(got[0]).toMatchObject({ group: 'zhangyi', sender: { name: '王芳' }, text: '办结 12 已清理', media: { mime: 'image/jpeg' } });
    expect(Buffer.from(got[0]!.media!.bytes)).toEqual(JPEG);
    expect(got[1]).toMatchObject({ text: '', quotedMessageId: '7', media: { mime: 'image/jpeg' } });
  });

  it('a PNG by its extension; a missing file or a non-image is explained on stderr and not handed in', async () => {
    const png = join(dir, 'a.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const { got, bad } = await run([`zhangyi 王芳: [图片 ${png}] 进展 3 现场`, `zhangyi 王芳: [图片 ${join(dir, 'none.jpg')}] 进展 3 现场`, `zhangyi 王芳: [图片 ${join(dir, 'a.txt')}] 进展 3`]);
    expect(got).toHaveLength(1);
    expect(got[0]!.media!.mime).toBe('image/png');
    expect(bad[0]).toMatch(/读不到图片.*ENOENT/);
    expect(bad[1]).toMatch(/不是图片/);
  });

  it('a line without the photo form carries no media', async () => {
    const { got } = await run(['zhangyi 王芳: 进展 3 [图片] 稍后补']);
    expect(got[0]!.media).toBeUndefined();
  });
});
