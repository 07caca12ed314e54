import { and, asc, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaStore } from '../core/ports';
import type { Db } from './open-database';
import { caseMedia } from './schema';

/**
 * Photos kept as evidence: the file under `<dir>/<caseId>/<sha256>.<ext>` (dir = DATA_DIR/media),
 * a `case_media` row on the case store's connection (so it commits with the case change).
 */

/** File extensions by MIME type; anything else is kept as `.bin`. */
const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/heic': 'heic', 'image/bmp': 'bmp' };

export function extensionFor(mime: string): string {
  return EXT[mime.toLowerCase()] ?? 'bin';
}

export class SqliteMediaStore implements MediaStore {
  constructor(
    private readonly db: Db,
    /** DATA_DIR/media. */
    private readonly dir: string,
  ) {}

  saveFile(caseId: number, bytes: Uint8Array, mime: string): { sha256: string; path: string } {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const folder = join(this.dir, String(caseId));
    const path = join(folder, `${sha256}.${extensionFor(mime)}`);
    if (!existsSync(path)) {
      mkdirSync(folder, { recursive: true });
      // Written aside and renamed: a crash never leaves a half photo under its hash.
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    }
    return { sha256, path };
  }

  hasPhoto(caseId: number, sha256: string): boolean {
    return this.db.select({ id: caseMedia.id }).from(caseMedia).where(and(eq(caseMedia.caseId, caseId), eq(caseMedia.sha256, sha256))).get() !== undefined;
  }

  addPhoto(p: { caseId: number; sha256: string; path: string; mime: string; addedBy: string | null; addedAt: number }): void {
    this.db.insert(caseMedia).values(p).run();
  }

  markPublic(caseId: number, no: number): boolean {
    const photo = this.listPhotos(caseId)[no - 1];
    if (!photo) return false;
    this.db.update(caseMedia).set({ isPublic: true }).where(and(eq(caseMedia.caseId, caseId), eq(caseMedia.sha256, photo.sha256))).run();
    return true;
  }

  listPhotos(caseId: number): { no: number; sha256: string; path: string; mime: string; isPublic: boolean }[] {
    return this.db
      .select({ sha256: caseMedia.sha256, path: caseMedia.path, mime: caseMedia.mime, isPublic: caseMedia.isPublic })
      .from(caseMedia)
      .where(eq(caseMedia.caseId, caseId))
      .orderBy(asc(caseMedia.id))
      .all()
      .map((r, i) => ({ no: i + 1, ...r }));
  }
}
