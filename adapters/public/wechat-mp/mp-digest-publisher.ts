import type { DigestArticle, DigestPublisher, Logger } from '../../../core/ports';
import type { MpApiClient } from './mp-api-client';
import { coverPng } from './png-cover';
import { PublicApiError } from './public-api-error';

/**
 * The weekly digest on the public account: the cover (`material/add_material`, a generated card with
 * the week's chart), the article as a draft (`draft/add`), and with MP_PUBLISH=1 the publication
 * (`freepublish/submit`). A transient error is tried again a few times here (the digest job itself
 * does not retry: that could leave a second draft).
 */
export class MpDigestPublisher implements DigestPublisher {
  readonly name = 'wechat-mp';

  constructor(
    private readonly o: {
      client: MpApiClient;
      /** Submit for publication after saving the draft (MP_PUBLISH=1). */
      publish: boolean;
      /** The article's author line (≤ 16 characters), e.g. the street. */
      author: string;
      logger: Logger;
      /** Waits before each retry of a transient failure, ms. Default [1000, 3000]. */
      retryDelaysMs?: number[];
    },
  ) {}

  async publishDigest(a: DigestArticle): Promise<{ note: string }> {
    const png = coverPng({ bars: a.categoryCounts.map((c) => c.count) });
    const cover = await this.retrying(() => this.o.client.addImageMaterial(png, `digest-${a.date}.png`));
    const draft = await this.retrying(() =>
      this.o.client.addDraft([
        {
          title: a.title,
          author: [...this.o.author].slice(0, 16).join(''),
          digest: [...a.summary].slice(0, 120).join(''),
          content: a.htmlBody,
          thumb_media_id: cover.media_id,
          need_open_comment: 0,
          only_fans_can_comment: 0,
        },
      ]),
    );
    this.o.logger.info({ draft: draft.media_id, publish: this.o.publish }, 'digest saved as a public-account draft');
    if (!this.o.publish) return { note: '已存入公众号草稿箱' };
    const sub = await this.retrying(() => this.o.client.submitPublish(draft.media_id));
    this.o.logger.info({ publishId: sub.publish_id }, 'digest submitted for publication');
    return { note: '已存入公众号草稿箱并提交发布' };
  }

  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    const delays = this.o.retryDelaysMs ?? [1000, 3000];
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        const transient = err instanceof PublicApiError && !err.permanent;
        if (!transient || attempt >= delays.length) throw err;
        await new Promise((r) => setTimeout(r, delays[attempt]));
      }
    }
  }
}
