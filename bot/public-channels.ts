import type { PublicChannel } from '../core/ports';

/**
 * Several public-side channels at once (`PUBLIC=file,wechat-mp`). Every channel gets every item;
 * a retry after a partial failure repeats the item on the channels that already had it, so each
 * channel must take a repeated `outboxId` as a no-op (the file channel overwrites the same file;
 * the WeChat channel remembers what it delivered).
 */
export class CompositePublicChannel implements PublicChannel {
  constructor(private readonly channels: PublicChannel[]) {}

  async publish(item: Parameters<PublicChannel['publish']>[0]): Promise<void> {
    for (const c of this.channels) await c.publish(item);
  }
}
