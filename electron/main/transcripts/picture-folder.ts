import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ScreenPicture } from '../../../shared/types';

/**
 * The pictures of the screen sent in a conversation, as the JPEGs Gemini got, in a folder next to
 * the conversation's file (`<id>.pictures/`), so the user can always see what was seen; removed
 * with the conversation.
 */
export class PictureFolder {
  constructor(private readonly dir: string) {}

  /**
   * Names the picture at once (the transcript refers to it) and writes it in the background, so the
   * turn's audio is never held up by the disk. Resolves once it is written; rejects if it could not be.
   */
  keep(conversationId: string, jpeg: Uint8Array): { file: string; written: Promise<void> } {
    const file = `${String(Date.now()).padStart(13, '0')}-${randomBytes(3).toString('hex')}.jpg`;
    const folder = this.folderOf(conversationId);
    const written = mkdir(folder, { recursive: true }).then(() => writeFile(join(folder, file), jpeg));
    return { file, written };
  }

  /** The picture's bytes, or undefined when it is not there (never written, or removed). */
  async read(conversationId: string, file: string): Promise<Uint8Array | undefined> {
    // The name comes from a renderer: only a name of the form Parley gives can reach the disk.
    if (!ScreenPicture.shape.file.safeParse(file).success) return undefined;
    try {
      return new Uint8Array(await readFile(join(this.folderOf(conversationId), file)));
    } catch {
      return undefined;
    }
  }

  /** Throws if the folder is there and cannot be removed. */
  remove(conversationId: string): void {
    rmSync(this.folderOf(conversationId), { recursive: true, force: true });
  }

  private folderOf(conversationId: string): string {
    return join(this.dir, `${conversationId}.pictures`);
  }
}
