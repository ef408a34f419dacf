import { explainWriteError as explain } from '../storage/write-problems';

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
