/** What went wrong writing to the disk, in the user's words, and when saving can work again. */
export function explainWriteError(error: unknown, folder = 'the folder'): { what: string; until: string } {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return { what: 'the disk is full', until: 'there is room again' };
    case 'EROFS':
      return { what: `${folder} is read-only`, until: 'it can be written again' };
    case 'EACCES':
    case 'EPERM':
      return { what: `Parley is not allowed to write to ${folder}`, until: 'it is allowed again' };
    default:
      return { what: error instanceof Error ? error.message : String(error), until: 'it can be' };
  }
}
