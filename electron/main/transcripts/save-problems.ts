/** What went wrong writing to the disk, in the user's words, and when saving can work again. */
function explain(error: unknown): { what: string; until: string } {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return { what: 'the disk is full', until: 'there is room again' };
    case 'EROFS':
      return { what: 'the folder is read-only', until: 'it can be written again' };
    case 'EACCES':
    case 'EPERM':
      return { what: 'Parley is not allowed to write to the folder', until: 'it is allowed again' };
    default:
      return { what: error instanceof Error ? error.message : String(error), until: 'it can be' };
  }
}

/** Told once when saving stops working: nothing said so far is lost while Parley runs. */
export function cannotSave(error: unknown, dir: string): string {
  const { what, until } = explain(error);
  return (
    `Conversations cannot be saved: ${what} (${dir}). ` +
    `The conversation stays in the window while Parley runs, and is saved as soon as ${until}.`
  );
}

export const savedAgain = 'Conversations are saved again.';

export function cannotDelete(error: unknown): string {
  return `The conversation could not be deleted: ${explain(error).what}.`;
}
