import { z } from 'zod';
import { composeDigest, renderDigestHtml, type Digest } from '../core/digest';
import type { CaseStore, DigestArticle, DigestPublisher, Logger } from '../core/ports';
import type { StreetConfig } from '../core/street-config';
import { errorSummary } from './app';

/**
 * The weekly digest: compose the article of the 7 days ending now (core/digest.ts), hand it to every
 * publisher (the files always; the public account's draft when configured), and tell `consult` in one
 * line. `npm run digest` and the weekly job scheduler both call {@link runDigest}.
 */

const DAY_MS = 86_400_000;

/** `publicAccount.digest` in the street's YAML; the rest of `publicAccount` belongs to the MP adapter. */
const digestSectionSchema = z
  .object({
    /** Cron pattern (5 or 6 fields) in the street's time zone. Default Monday 09:00. */
    cron: z
      .string()
      .trim()
      .regex(/^(\S+\s+){4,5}\S+$/, 'cron 表达式应为 5 或 6 段，如 "0 9 * * 1"（周一 9:00）')
      .default('0 9 * * 1'),
    /** Days of solved cases in one digest. Default 7. */
    days: z.number().int().min(1).max(31).default(7),
    /** A place + category reported this often in 30 days is a hotspot. Default 3. */
    hotspotMin: z.number().int().min(2).max(100).default(3),
  })
  .strict();

export interface DigestSettings {
  cron: string;
  windowMs: number;
  hotspotMinReports: number;
}

/** Reads `publicAccount.digest` (every key optional); throws an Error saying what is wrong and where. */
export function digestSettings(publicAccount: unknown): DigestSettings {
  const section = publicAccount && typeof publicAccount === 'object' ? (publicAccount as { digest?: unknown }).digest : undefined;
  const parsed = digestSectionSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`publicAccount.digest.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { cron: parsed.data.cron, windowMs: parsed.data.days * DAY_MS, hotspotMinReports: parsed.data.hotspotMin };
}

export interface DigestDeps {
  store: CaseStore;
  config: StreetConfig;
  publishers: DigestPublisher[];
  /** Posts one line in a group (app.notify). */
  notify: (group: string, text: string) => Promise<void>;
  logger: Logger;
  clock: () => number;
  settings?: DigestSettings;
}

export interface DigestReport {
  digest: Digest;
  article: DigestArticle;
  /** Publishers that failed, with the error's code and message (the others still ran). */
  failed: { publisher: string; code?: string; message: string }[];
  notice: string;
}

/** Composes the digest ending now, publishes it everywhere it goes, and tells consult. */
export async function runDigest(deps: DigestDeps): Promise<DigestReport> {
  const settings = deps.settings ?? digestSettings(deps.config.publicAccount);
  const now = deps.clock();
  const resolved = deps.store.listResolvedBetween(now - settings.windowMs, now);
  const reports = deps.store.listReportedBetween(now - 30 * DAY_MS, now);
  const digest = composeDigest(resolved, reports, {
    street: deps.config.street,
    timeZone: deps.config.timeZone,
    now,
    windowMs: settings.windowMs,
    hotspotMinReports: settings.hotspotMinReports,
    maskRoomNumbers: deps.config.maskRoomNumbers,
    groupNames: deps.config.groupNames,
  });
  const article = toArticle(digest, resolved.filter((c) => c.resolvedAt !== null && c.resolvedAt >= digest.from).map((c) => c.category));
  const notes: string[] = [];
  const failed: DigestReport['failed'] = [];
  for (const p of deps.publishers) {
    try {
      const { note } = await p.publishDigest(article);
      if (note) notes.push(note);
    } catch (err) {
      const e = errorSummary(err);
      failed.push({ publisher: p.name, code: e.code === undefined ? undefined : String(e.code), message: e.message });
      notes.push(`${p.name} 发布失败（${e.code ?? e.name}）`);
      deps.logger.error({ publisher: p.name, err: e }, 'digest publisher failed');
    }
  }
  const notice = `公众号周报《${digest.title}》已生成：办结诉求 ${article.itemCount} 件，曝光点位 ${article.hotspotCount} 处${notes.length > 0 ? `；${notes.join('；')}` : ''}。`;
  await deps.notify('consult', notice);
  deps.logger.info({ title: digest.title, items: article.itemCount, hotspots: article.hotspotCount, failed: failed.length }, 'digest composed');
  return { digest, article, failed, notice };
}

function toArticle(d: Digest, categories: string[]): DigestArticle {
  const counts = new Map<string, number>();
  for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1);
  return {
    title: d.title,
    date: d.date,
    summary: d.summary,
    markdown: d.markdown,
    htmlBody: renderDigestHtml(d),
    htmlPage: renderDigestHtml(d, { page: true, maxChars: Number.MAX_SAFE_INTEGER }),
    itemCount: d.items.length,
    hotspotCount: new Set(d.hotspots.flatMap((h) => [...h.day, ...h.night].map((p) => `${p.category}|${p.place}`))).size,
    categoryCounts: [...counts.entries()].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count),
  };
}
