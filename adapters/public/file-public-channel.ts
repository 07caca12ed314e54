import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PublicChannel } from '../../core/ports';

/**
 * The public side on the embedded default: each result is a Markdown file under `<dataDir>/public/`
 * (`case-12.md`), written atomically (temp file + rename) so a crash never leaves half a file.
 * Texts arrive masked from core; this channel only writes.
 */
export class FilePublicChannel implements PublicChannel {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'public');
  }

  async publish(item: { outboxId: number; caseId: number | null; title: string; text: string }): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = item.caseId !== null ? `case-${item.caseId}.md` : `item-${item.outboxId}.md`;
    const file = join(this.dir, name);
    const tmp = `${file}.${item.outboxId}.tmp`;
    await writeFile(tmp, `# ${item.title}\n\n${item.text}\n`, 'utf8');
    await rename(tmp, file);
  }
}
