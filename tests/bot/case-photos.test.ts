/**
 * Photos as evidence on the console harness: kept with the case the quote or caption names, under
 * DATA_DIR/media/<caseId>/<sha256>.<ext>, the hash in the ledger, counted by 状态, never public unless
 * a leader marks one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../core/ports';
import { say, startHarness, type Harness } from '../helpers/harness';

/** A tiny JPEG-like payload (the bot keeps bytes as they come; it does not decode them). */
const PHOTO_A = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('现场照片 A'), 0xff, 0xd9]);
const PHOTO_B = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('现场照片 B'), 0xff, 0xd9]);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function photo(hh: Harness, group: string, sender: string, bytes: Uint8Array, text = '', quotedMessageId?: string) {
  const msg: IncomingMessage = { platform: 'console', chatId: group, group, sender: { id: sender, name: sender }, text, quotedMessageId, media: { bytes, mime: 'image/jpeg' } };
  return hh.app.handleMessage(msg);
}

async function withCase(name: string): Promise<{ h: Harness; id: number; cardId: string }> {
  h = await startHarness({ name });
  const out = await h.app.handleIntake({ hotlineNo: `PH-${name}`, content: '楼道堆放杂物', address: '张仪村4号院', urgency: 'ordinary' }, '12345');
  const id = out.case!.id;
  await h.chat.waitFor((sent) => sent.some((m) => m.group === 'zhangyi' && m.caseId === id), 20_000, 'the card');
  const cardId = String(h.chat.inGroup('zhangyi').find((m) => m.caseId === id)!.outboxId);
  return { h, id, cardId };
}

describe('photos as evidence', () => {
  it('a photo quoting the card is kept under DATA_DIR/media/<case>/<sha256>.jpg, hashed in the ledger, counted by 状态', async () => {
    const { h, id, cardId } = await withCase('photo-quote');
    await say(h, 'zhangyi', '王芳', `认领 ${id}`);
    const r = await photo(h, 'zhangyi', '王芳', PHOTO_A, '', cardId);
    expect(r).toMatchObject({ ok: true, caseId: id });
    const file = join(h.dataDir, 'media', String(id), `${sha(PHOTO_A)}.jpg`);
    expect(existsSync(file)).toBe(true);
    expect(new Uint8Array(readFileSync(file))).toEqual(PHOTO_A);
    expect(h.store.findCase(id)!.mediaCount).toBe(1);
    const ev = h.store.listEvents(id).find((e) => e.kind === 'media')!;
    expect(ev).toMatchObject({ actorName: '王芳', group: 'zhangyi' });
    expect(ev.text).toContain(`sha256:${sha(PHOTO_A)}`);
    expect(h.media.listPhotos(id)).toEqual([{ no: 1, sha256: sha(PHOTO_A), path: file, mime: 'image/jpeg', isPublic: false }]);
    await h.chat.waitFor((s) => s.some((m) => m.text.includes(`#${id} 已存照片（第 1 张`)), 20_000, 'the confirmation');

    await say(h, 'zhangyi', '赵磊', `状态 ${id}`);
    await h.chat.waitFor((s) => s.some((m) => m.kind === 'reply' && m.text.includes('照片：1 张')), 20_000, 'the status card with the count');
  });

  it('a caption naming the case stores the photo and runs the command as typed: 办结 12 已清理', async () => {
    const { h, id } = await withCase('photo-caption');
    await say(h, 'zhangyi', '王芳', `认领 ${id}`);
    await say(h, 'zhangyi', '王芳', `已联系 ${id}`);
    const r = await photo(h, 'zhangyi', '王芳', PHOTO_B, `办结 ${id} 已清理`);
    expect(r?.ok).toBe(true);
    const c = h.store.findCase(id)!;
    expect(c).toMatchObject({ status: 'resolved', result: '已清理', mediaCount: 1 });
    expect(h.store.listEvents(id).map((e) => e.kind).slice(-2)).toEqual(['media', 'resolved']);
    expect(existsSync(join(h.dataDir, 'media', String(id), `${sha(PHOTO_B)}.jpg`))).toBe(true);
    // The caption's own answer is the only one: no separate "已存照片" line.
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('已清理')), 20_000, 'the 办结 announcement');
    expect(h.chat.sent.some((m) => m.text.includes('已存照片'))).toBe(false);
  });

  it('the same photo twice is kept once; a second photo counts', async () => {
    const { h, id, cardId } = await withCase('photo-dup');
    await say(h, 'zhangyi', '王芳', `认领 ${id}`);
    await photo(h, 'zhangyi', '王芳', PHOTO_A, '', cardId);
    // The duplicate is refused; the caption's note is still recorded.
    const again = await photo(h, 'zhangyi', '王芳', PHOTO_A, `进展 ${id} 再拍一张`);
    expect(again?.ok).toBe(true);
    expect(h.store.listEvents(id).at(-1)).toMatchObject({ kind: 'note', text: '再拍一张' });
    expect(h.store.findCase(id)!.mediaCount).toBe(1);
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('已有这张照片')), 20_000, 'the duplicate refusal');
    await photo(h, 'zhangyi', '王芳', PHOTO_B, '', cardId);
    expect(h.store.findCase(id)!.mediaCount).toBe(2);
    expect(readdirSync(join(h.dataDir, 'media', String(id))).sort()).toEqual([`${sha(PHOTO_A)}.jpg`, `${sha(PHOTO_B)}.jpg`].sort());
  });

  it('a photo that names no case is ordinary chat: nothing kept', async () => {
    const { h } = await withCase('photo-none');
    expect(await photo(h, 'zhangyi', '王芳', PHOTO_A, '大家看看这个')).toBeNull();
    expect(existsSync(join(h.dataDir, 'media'))).toBe(false);
  });

  it("a photo for a case from a group that does not work it is refused with where to send it", async () => {
    const { h, id } = await withCase('photo-elsewhere');
    const r = await photo(h, 'jiari', '孙强', PHOTO_A, `进展 ${id} 现场`);
    expect(h.store.findCase(id)!.mediaCount).toBe(0);
    expect(r?.ok).toBe(false);
    await h.chat.waitFor((s) => s.some((m) => m.group === 'jiari' && m.text.includes('照片请发到「张仪村社区」')), 20_000, 'the refusal');
  });

  it('never public unless a leader marks one: 公开照片 12 1', async () => {
    const { h, id, cardId } = await withCase('photo-public');
    await say(h, 'zhangyi', '王芳', `认领 ${id}`);
    await say(h, 'zhangyi', '王芳', `已联系 ${id}`);
    await photo(h, 'zhangyi', '王芳', PHOTO_A, '', cardId);
    await say(h, 'zhangyi', '王芳', `办结 ${id} 杂物已清走`);
    // The result reached the public side (files) without the photo.
    const publicDir = join(h.dataDir, 'public');
    await h.chat.waitFor((s) => s.some((m) => m.text.includes('杂物已清走')), 20_000, 'the result');
    const published = existsSync(publicDir) ? readdirSync(publicDir, { recursive: true }).map(String).map((f) => readFileSync(join(publicDir, f), 'utf8')).join('\n') : '';
    expect(published).not.toContain(sha(PHOTO_A));
    expect(published).not.toContain('media');

    const member = await say(h, 'zhangyi', '王芳', `公开照片 ${id} 1`);
    expect(member).toMatchObject({ ok: false, message: `只有领导可以「公开照片」。格式：公开照片 ${id} 1` });
    const wrong = await say(h, 'consult', '汪书记', `公开照片 ${id} 2`);
    expect(wrong?.message).toBe(`#${id} 没有第 2 张照片（共 1 张），格式：公开照片 ${id} 1`);
    expect(h.media.listPhotos(id)[0]!.isPublic).toBe(false);
    const leader = await say(h, 'consult', '汪书记', `公开照片 ${id} 1`);
    expect(leader?.ok).toBe(true);
    expect(h.media.listPhotos(id)[0]!.isPublic).toBe(true);
    expect(h.store.listEvents(id).at(-1)).toMatchObject({ kind: 'media', text: '公开照片1', actorName: '汪书记' });
  });
});
