import type { CaseStore, Logger, PublicChannel } from '../../../core/ports';
import { maskForPublic } from '../../../core/privacy';
import { zonedParts } from '../../../core/time-zone';
import type { Case } from '../../../core/types';
import type { MpApiClient } from './mp-api-client';
import type { TemplateSettings, TemplateSource } from './mp-config';
import { PublicApiError, refusalText } from './public-api-error';

/**
 * Results to the citizen on the public account. Only a case that came in through the account has an
 * openid; every other case is left to the digest. With a template id the result goes as a template
 * message (fields from `publicAccount.template`), otherwise as a customer-service text (WeChat allows
 * those for 48 hours after the citizen last wrote).
 * - A permanent refusal (unsubscribed, bad template, window closed) is written to the case's events and
 *   the delivery counts as done: it is not retried.
 * - Anything else (-1 busy, 45009 quota, network) throws, and the outbound queue retries with backoff.
 * - Exactly once: what was delivered is recorded by outbox id in SQLite; a retry finds it and stops.
 */

export const MP_CHANNEL = 'wechat-mp';

export interface MpResultChannelOptions {
  client: MpApiClient;
  store: CaseStore;
  logger: Logger;
  clock: () => number;
  /** MP_TEMPLATE_ID; null sends customer-service text. */
  templateId: string | null;
  template: TemplateSettings;
  street: string;
  timeZone: string;
  /** StreetConfig.maskRoomNumbers for the second, defensive public mask (default false: core has applied it). */
  maskRoomNumbers?: boolean;
}

type Item = Parameters<PublicChannel['publish']>[0];

export class WechatMpResultChannel implements PublicChannel {
  constructor(private readonly o: MpResultChannelOptions) {}

  async publish(item: Item): Promise<void> {
    if (item.caseId === null) return;
    const { store } = this.o;
    if (store.publicDelivery(MP_CHANNEL, item.outboxId)) return;
    const c = store.findCase(item.caseId);
    const openId = c?.citizenOpenId;
    if (!c || !openId) return;
    try {
      if (this.o.templateId) {
        await this.o.client.sendTemplate({
          touser: openId,
          template_id: this.o.templateId,
          ...(this.o.template.url ? { url: this.o.template.url } : {}),
          data: this.templateData(c, item),
          client_msg_id: `jiesu-outbox-${item.outboxId}`,
        });
      } else {
        await this.o.client.sendCustomText(openId, this.customText(c, item));
      }
    } catch (err) {
      if (!(err instanceof PublicApiError) || !err.permanent) throw err;
      const now = this.o.clock();
      const reason = refusalText(err.code, err.message);
      store.transaction(() => {
        store.appendEvents(c.id, [
          { kind: 'public-failed', actorId: null, actorName: '公众号', group: null, at: now, text: `结果未能告知市民：${reason}（${err.code}）`, fromStatus: null, toStatus: null },
        ]);
        store.recordPublicDelivery({ channel: MP_CHANNEL, outboxId: item.outboxId, caseId: c.id, outcome: 'refused', at: now });
      });
      this.o.logger.warn({ caseId: c.id, outboxId: item.outboxId, code: err.code }, 'public account refused the result; noted on the case');
      return;
    }
    store.recordPublicDelivery({ channel: MP_CHANNEL, outboxId: item.outboxId, caseId: c.id, outcome: 'sent', at: this.o.clock() });
    this.o.logger.info({ caseId: c.id, outboxId: item.outboxId, via: this.o.templateId ? 'template' : 'custom' }, 'result sent to the citizen');
  }

  /**
   * The template's fields, each masked for the public and only then cut to what WeChat takes for its kind
   * (thing ≤ 20, character_string ≤ 32 …): a cut first could leave half a number no rule finds.
   */
  templateData(c: Case, item: Item): Record<string, { value: string }> {
    const data: Record<string, { value: string }> = {};
    for (const [key, source] of Object.entries(this.o.template.fields)) {
      const value = this.value(source, c, item);
      data[key] = { value: limitFor(key, FREE_TEXT.has(source) ? this.mask(c, value) : value) };
    }
    return data;
  }

  /** The public mask again (idempotent): the citizen named nowhere, numbers hidden whole. */
  private mask(c: Case, text: string): string {
    return maskForPublic(text, { names: [c.citizenName], phones: [c.citizenPhone], maskRoomNumbers: this.o.maskRoomNumbers ?? false });
  }

  private value(source: TemplateSource, c: Case, item: Item): string {
    if (source.startsWith('text:')) return source.slice(5);
    switch (source) {
      case 'title':
        return item.title;
      case 'result':
        return resultOf(item.text);
      case 'caseNo':
        return `#${c.id}`;
      case 'hotlineNo':
        return c.hotlineNo;
      case 'category':
        return c.category;
      case 'resolvedAt':
        return formatFull(c.resolvedAt ?? this.o.clock(), this.o.timeZone);
      case 'street':
        return this.o.street;
      case 'notice':
        return `您反映的诉求 #${c.id} 已办结`;
      default:
        return '';
    }
  }

  /** The customer-service text: number, what, result, who. */
  customText(c: Case, item: Item): string {
    const text = `您反映的诉求（编号 #${c.id}：${this.mask(c, item.title)}）已办结。\n办理结果：${this.mask(c, resultOf(item.text))}\n感谢您对${this.o.street}工作的支持。`;
    return text.length > 600 ? `${text.slice(0, 599)}…` : text;
  }
}

/** Template sources that carry free text (a person may have typed anything into them); the others are ours. */
const FREE_TEXT = new Set<TemplateSource>(['title', 'result']);

/** The result line of a published text (`诉求：…\n办理结果：…`), or the whole text. */
function resultOf(text: string): string {
  const m = /办理结果：([\s\S]*)$/.exec(text);
  return (m ? m[1]! : text).trim();
}

function limitFor(key: string, value: string): string {
  const max = key.startsWith('thing') ? 20 : key.startsWith('character_string') ? 32 : key.startsWith('phrase') ? 5 : key.startsWith('time') ? 30 : 200;
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}

/** `2026年11月29日 10:30` in the street's zone. */
function formatFull(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${p.year}年${p.month}月${p.day}日 ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
