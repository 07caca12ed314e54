import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DigestArticle, DigestPublisher } from '../core/ports';

/**
 * The digest as files a person can post by hand: `<dataDir>/public/digest-YYYY-MM-DD.md` and `.html`,
 * each written atomically (temp file + rename). Always on, whatever PUBLIC says.
 */
export class FileDigestPublisher implements DigestPublisher {
  readonly name = 'file';
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'public');
  }

  /** Paths of the two files for a digest date. */
  files(date: string): { markdown: string; html: string } {
    return { markdown: join(this.dir, `digest-${date}.md`), html: join(this.dir, `digest-${date}.html`) };
  }

  async publishDigest(article: DigestArticle): Promise<{ note: string }> {
    await mkdir(this.dir, { recursive: true });
    const files = this.files(article.date);
    await atomicWrite(files.markdown, article.markdown);
    await atomicWrite(files.html, article.htmlPage);
    return { note: '' };
  }
}

async function atomicWrite(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
}
