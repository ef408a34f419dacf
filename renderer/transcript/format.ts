/** A date and time as the user's locale writes them. */
export const when = (at: number): string =>
  new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

export const turnsLabel = (count: number): string => `${count} ${count === 1 ? 'turn' : 'turns'}`;
