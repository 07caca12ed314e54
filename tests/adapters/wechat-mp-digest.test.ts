/**
 * The weekly digest from a week of seeded cases: Markdown and HTML files under DATA_DIR/public, the
 * cover upload (multipart PNG), the draft and its publication on the fake Official Account API, the
 * one-line notice in consult. And the demo: the seed article's cases resolved with their outcomes
 * read like the seed article's list.
 */
import { readFileSync } from 'node:fs';
import { noPractice } from '../../core/case/practice-defaults';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWechatMp } from '../../adapters/public/wechat-mp/wechat-mp';
import { FileDigestPublisher } from '../../bot/digest-files';
import { runDigest } from '../../bot/digest';
import type { Case } from '../../core/types';
import { FakeMpServer } from '../helpers/fake-mp-server';
import { say, silentLogger, startHarness, type Harness } from '../helpers/harness';

const H = 3_600_000;
const DAY = 24 * H;
/** Sunday 2026-11-29 10:00 in Beijing. */
const NOW = Date.parse('2026-11-29T10:00:00+08:00');

let h: Harness;
let fake: FakeMpServer | null = null;
afterEach(async () => {
  await h?.close();
  await fake?.close();
  fake = null;
});

function seed(over: Partial<Case> & { hotlineNo: string }): Case {
  return h.store.insertCase({
    status: 'resolved', group: 'zhangyi', section: null, category: '路灯照明', urgency: 'ordinary', type: null, address: null, content: '路灯不亮',
    source: '12345', citizenName: null, citizenPhone: null, ownerId: '王芳', ownerName: '王芳', reportedAt: NOW - 3 * DAY, postedAt: NOW - 3 * DAY,
    claimedAt: NOW - 3 * DAY, contactedAt: null, resolvedAt: NOW - 2 * DAY, respondBy: NOW, resolveBy: NOW + DAY, result: '已修复', version: 1, nextDueKind: null, nextDueAt: null,
    ...noPractice(),
    ...over,
  });
}

/** A week: five solved cases, one solved too long ago, one still open, and street-vendor reports. */
function seedWeek(): void {
  seed({ hotlineNo: 'W-1', category: '群租房', address: '鹏润家园4号楼B座5层3门501室', content: '鹏润家园4号楼B座5层3门501室属于群租房，非常扰民，且存在安全隐患。', citizenName: '李建华', result: '上门查看，张贴整改通知，联系负责人立即整改，李建华表示满意。' });
  seed({ hotlineNo: 'W-2', category: '供水', address: '东大街西里11号楼', content: '院内自来水管爆裂，污水四溢，电话13911112222。', reportedAt: Date.parse('2026-11-24T21:30:00+08:00'), result: '联系产权单位及自来水公司抢修，漏水得到有效控制。' });
  seed({ hotlineNo: 'W-3', category: '私装地桩', address: '东王佐卫生院红绿灯北侧公共区域', content: '公共区域被私装铁质地桩。', result: '核实后立即拆除。' });
  seed({ hotlineNo: 'W-4', category: '路灯照明', address: '张仪村4号院南院', content: '南院路灯都不亮。', result: '协调物业更换灯泡，恢复全部照明。', status: 'closed' });
  seed({ hotlineNo: 'W-5', category: '建筑垃圾', address: '云岗北里甲7号楼外侧', content: '楼外侧积存建筑垃圾。', result: '责令物业公司清理。', resolvedAt: NOW - 6 * DAY });
  seed({ hotlineNo: 'OLD-1', category: '井盖', address: '槐房西路', content: '井盖塌陷。', result: '已维修。', resolvedAt: NOW - 10 * DAY });
  seed({ hotlineNo: 'OPEN-1', category: '交通秩序', address: '假日风景小区', content: '停车混乱。', status: 'claimed', resolvedAt: null, result: null });
  const vendor = (n: string, address: string, at: string) => seed({ hotlineNo: n, category: '游商', address, content: '街头游商占道。', status: 'new', resolvedAt: null, result: null, reportedAt: Date.parse(at) });
  vendor('V-1', '望园东里小区周边', '2026-11-20T10:00:00+08:00');
  vendor('V-2', '望园东里小区周边', '2026-11-22T15:00:00+08:00');
  vendor('V-3', '望园东里小区周边', '2026-11-25T09:30:00+08:00');
  vendor('V-4', '望园东里小区周边', '2026-11-26T11:00:00+08:00');
  vendor('V-5', '巴庄子139号门前', '2026-11-21T21:00:00+08:00');
  vendor('V-6', '巴庄子139号门前', '2026-11-23T22:30:00+08:00');
  vendor('V-7', '巴庄子139号门前', '2026-11-27T02:00:00+08:00');
  vendor('V-8', '嘉园一里南门', '2026-11-27T21:00:00+08:00');
  vendor('V-9', '嘉园一里南门', '2026-11-28T21:00:00+08:00');
  vendor('V-10', '丽泽景园小区东门外', '2026-10-01T10:00:00+08:00');
  vendor('V-11', '丽泽景园小区东门外', '2026-10-02T10:00:00+08:00');
  vendor('V-12', '丽泽景园小区东门外', '2026-11-28T10:00:00+08:00');
}

async function mpPublishers(publish: boolean) {
  fake = await new FakeMpServer().start();
  const env = { MP_APP_ID: fake.creds.appId, MP_APP_SECRET: fake.creds.secret, MP_TOKEN: 't0ken', MP_API_ROOT: fake.url, MP_PUBLISH: publish ? '1' : '0' };
  const mp = createWechatMp({ env, street: h.config, store: h.store, app: h.app, redis: h.redis, redisPrefix: h.prefix, logger: silentLogger, clock: () => NOW, retryDelaysMs: [10] });
  return [new FileDigestPublisher(h.dataDir), mp.digest];
}

describe('weekly digest', () => {
  it('is written as files, uploaded with a cover, saved as a draft and published; consult is told', async () => {
    h = await startHarness({ name: 'mp-digest', clock: () => NOW });
    seedWeek();
    const report = await runDigest({ store: h.store, config: h.config, publishers: await mpPublishers(true), notify: h.app.notify, logger: silentLogger, clock: () => NOW });
    expect(report.failed).toEqual([]);
    expect(report.article.itemCount).toBe(5);

    const md = readFileSync(join(h.dataDir, 'public', 'digest-2026-11-29.md'), 'utf8');
    const html = readFileSync(join(h.dataDir, 'public', 'digest-2026-11-29.html'), 'utf8');
    expect(md.split('\n')[0]).toBe('# 卢沟桥街道接诉即办周报（11月22日—11月29日）');
    expect(md).toContain('### 用心用情用功解决好群众诉求');
    expect(md.match(/^#### /gm)).toHaveLength(5);
    expect(md).toContain('#### 鹏润家园群租房，督促整改');
    expect(md).toContain('11月24日晚，市民拨打12345热线反映，东大街西里11号楼，院内自来水管爆裂');
    expect(md).not.toMatch(/井盖|停车混乱/);
    // Masked for the public: the room hidden whole, the phone, the citizen's name.
    expect(md).toContain('3门***室');
    expect(md).not.toMatch(/501室|13911112222|李建华/);
    // 曝光点位: day and night lists, the 2-report place and the old reports left out.
    const hot = md.slice(md.indexOf('### 曝光点位'));
    expect(hot).toMatch(/近期，游商诉求反复出现，举报集中点位如下：\n {2}1\. 望园东里小区周边（4次）/);
    expect(hot).toMatch(/夜间时段游商诉求集中的点位如下：\n {2}1\. 巴庄子139号门前（3次）/);
    expect(hot).not.toMatch(/嘉园一里|丽泽景园/);
    expect(html).toContain('<h4>鹏润家园群租房，督促整改</h4>');
    expect(html).toMatch(/^<!doctype html>/);

    const upload = fake!.callsTo('/cgi-bin/material/add_material')[0]!;
    expect(upload.query.get('type')).toBe('image');
    expect(upload.upload!.contentType).toBe('image/png');
    expect(upload.upload!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(upload.answer.media_id).toMatch(/^MEDIA-/);
    const draft = fake!.callsTo('/cgi-bin/draft/add')[0]!;
    const article = (draft.body!.articles as Record<string, unknown>[])[0]!;
    expect(article).toMatchObject({ title: '卢沟桥街道接诉即办周报（11月22日—11月29日）', author: '卢沟桥街道', thumb_media_id: upload.answer.media_id, digest: '本周办结群众诉求 5 件，曝光点位 2 处。' });
    expect(article.content).toContain('<h3>用心用情用功解决好群众诉求</h3>');
    expect(article.content).not.toMatch(/501室|13911112222|李建华|<html/);
    expect(fake!.published).toEqual([draft.answer.media_id]);

    await h.chat.waitFor((s) => s.some((m) => m.group === 'consult' && m.text.includes('公众号周报')), 10_000, 'notice in consult');
    const notice = h.chat.inGroup('consult').find((m) => m.text.includes('公众号周报'))!.text;
    expect(notice).toBe('公众号周报《卢沟桥街道接诉即办周报（11月22日—11月29日）》已生成：办结诉求 5 件，曝光点位 2 处；已存入公众号草稿箱并提交发布。');
    expect(notice.split('\n')).toHaveLength(1);
  });

  it('without MP_PUBLISH it stops at the draft; a failing API still leaves the files and says so', async () => {
    h = await startHarness({ name: 'mp-digest-draft', clock: () => NOW });
    seedWeek();
    const publishers = await mpPublishers(false);
    const first = await runDigest({ store: h.store, config: h.config, publishers, notify: h.app.notify, logger: silentLogger, clock: () => NOW });
    expect(first.notice).toContain('已存入公众号草稿箱。');
    expect(fake!.drafts.size).toBe(1);
    expect(fake!.callsTo('/cgi-bin/freepublish/submit')).toHaveLength(0);

    fake!.script('/cgi-bin/draft/add', [-1, -1, -1]);
    const second = await runDigest({ store: h.store, config: h.config, publishers, notify: h.app.notify, logger: silentLogger, clock: () => NOW });
    expect(second.failed).toEqual([{ publisher: 'wechat-mp', code: '-1', message: expect.stringContaining('-1') }]);
    expect(second.notice).toContain('wechat-mp 发布失败（-1）');
    expect(fake!.callsTo('/cgi-bin/draft/add').map((c) => c.answer.errcode ?? 0)).toEqual([0, -1, -1]);
    expect(readFileSync(join(h.dataDir, 'public', 'digest-2026-11-29.md'), 'utf8')).toContain('#### ');
  });
});

describe('the demo: the seed article cases, resolved with their outcomes', () => {
  it('make a digest that reads like the seed article list', async () => {
    h = await startHarness({ name: 'mp-digest-demo', workers: false });
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'seed-cases.json'), 'utf8')) as { cases: Record<string, unknown>[] };
    const outcomes = await h.app.handleIntakeBatch(fixture.cases.map(({ outcome: _o, street: _s, satisfaction: _sa, note: _n, ...rest }) => rest), 'import');
    expect(outcomes.every((o) => o.status === 201)).toBe(true);
    let resolved = 0;
    for (const [i, row] of fixture.cases.entries()) {
      if (typeof row.outcome !== 'string') continue;
      const id = outcomes[i]!.case!.id;
      expect((await say(h, 'consult', '汪书记', `认领 ${id}`))?.ok).toBe(true);
      expect((await say(h, 'consult', '汪书记', `已联系 ${id}`))?.ok).toBe(true);
      expect((await say(h, 'consult', '汪书记', `办结 ${id} ${row.outcome}`))?.ok).toBe(true);
      resolved++;
    }
    const file = new FileDigestPublisher(h.dataDir);
    const report = await runDigest({ store: h.store, config: h.config, publishers: [file], notify: h.app.notify, logger: silentLogger, clock: () => Date.now() + 1000 });
    expect(report.article.itemCount).toBe(resolved);
    const md = readFileSync(file.files(report.article.date).markdown, 'utf8');
    const titles = md.match(/^#### .+$/gm)!;
    expect(titles).toHaveLength(10);
    expect(titles.slice(0, 4)).toEqual(['#### 鹏润家园群租房，督促整改', '#### 东大街西里供水，及时抢修', '#### 东王佐卫生院私装地桩，及时拆除', '#### 洋桥北里消防安全，消除隐患']);
    expect(md).toContain('5月1日晚，市民拨打12345热线反映，东大街西里11号楼，院内自来水管爆裂，污水四溢。卢沟桥街道接到诉求后，街道立即赶往现场');
    expect(md).not.toMatch(/501室|13911112222|李先生.*13|010-63812345/);
    process.stdout.write(`\n--- demo digest (first lines) ---\n${md.split('\n').slice(0, 14).join('\n')}\n---\n`);
  });
});
