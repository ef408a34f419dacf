import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ScreenPicture } from '../../../shared/types';

/**
 * The pictures of the screen sent in a conversation, as the JPEGs Gemini got, in a folder next to
 * the conversation's file (`<id>.pictures/`), so the user can always see what was seen; removed
 * with the conversation.
 */
export class PictureFolder {
  /** Conversations deleted in this run: a write still on its way when one was deleted removes what it wrote. */
  private readonly removed = new Set<string>();

  constructor(private readonly dir: string) {}

  /** A fresh file name, for the transcript to refer to before the file is written. */
  newName(): string {
    return `${String(Date.now()).padStart(13, '0')}-${randomBytes(3).toString('hex')}.jpg`;
  }

  /** Writes in the background, so a turn's audio is never held up by the disk; rejects if it could not. */
  async write(conversationId: string, file: string, jpeg: Uint8Array): Promise<void> {
    if (this.removed.has(conversationId)) return;
    const folder = this.folderOf(conversationId);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, file), jpeg);
    if (this.removed.has(conversationId)) await rm(folder, { recursive: true, force: true });
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
    this.removed.add(conversationId);
    rmSync(this.folderOf(conversationId), { recursive: true, force: true });
  }

  private folderOf(conversationId: string): string {
    return join(this.dir, `${conversationId}.pictures`);
  }
}
