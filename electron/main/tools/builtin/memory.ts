import { ToolFailure, type Tool } from '../tool';
import type { MemoryStore } from '../memory-store';

const noteSchema = {
  type: 'object',
  properties: { note: { type: 'string', minLength: 1, maxLength: 1000, description: 'The note, as one sentence.' } },
  required: ['note'],
  additionalProperties: false,
};

/** `remember` and `forget`: the notes Parley keeps across conversations. */
export function memoryTools(memory: MemoryStore): Tool[] {
  return [
    {
      name: 'remember',
      title: 'remember',
      description:
        'Keeps a short note for every future conversation (a fact about the user, a preference, something to recall later). Use it only when the user asks you to remember something.',
      parameters: noteSchema,
      readOnly: false,
      scheduling: 'SILENT',
      run: ({ note }) => {
        const added = memory.add(String(note));
        if (!added.ok) throw new ToolFailure(added.reason);
        return Promise.resolve({ status: 'remembered', note: added.note, notes: memory.notes.length });
      },
    },
    {
      name: 'forget',
      title: 'forget',
      description:
        'Removes a note kept with remember. Give the note as it was kept, or words that identify it. Use it when the user asks you to forget something.',
      parameters: noteSchema,
      readOnly: false,
      scheduling: 'SILENT',
      run: ({ note }) => {
        const removed = memory.remove(String(note));
        if (removed.length === 0) throw new ToolFailure(`No kept note matches "${String(note)}".`);
        return Promise.resolve({ status: 'forgotten', notes: removed });
      },
    },
  ];
}
