import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PublicChannel } from '../../core/ports';
import { maskForPublic } from '../../core/privacy';

/**
 * The public side on the embedded default: each result is a Markdown file under `<dataDir>/public/`
 * (`case-12.md`), written atomically (temp file + rename) so a crash never leaves half a file.
 * Texts arrive masked from core; the public mask runs once more here (it is idempotent), so a text that
 * reached the outbox by another path still names no citizen and shows no number — the file is public.
 */
export class FilePublicChannel implements PublicChannel {
  readonly dir: string;
  private readonly maskRoomNumbers: boolean;

  /** `maskRoomNumbers`: StreetConfig.maskRoomNumbers (default false: core has already applied it). */
  constructor(dataDir: string, opts: { maskRoomNumbers?: boolean } = {}) {
    this.dir = join(dataDir, 'public');
    this.maskRoomNumbers = opts.maskRoomNumbers ?? false;
  }

  async publish(item: { outboxId: number; caseId: number | null; title: string; text: string }): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = item.caseId !== null ? `case-${item.caseId}.md` : `item-${item.outboxId}.md`;
    const file = join(this.dir, name);
    const tmp = `${file}.${item.outboxId}.tmp`;
    const mask = (t: string) => maskForPublic(t, { maskRoomNumbers: this.maskRoomNumbers });
    await writeFile(tmp, `# ${mask(item.title)}\n\n${mask(item.text)}\n`, 'utf8');
    await rename(tmp, file);
  }
}
