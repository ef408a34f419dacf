/** A date and time as the user's locale writes them. */
export const when = (at: number): string =>
  new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

export const turnsLabel = (count: number): string => `${count} ${count === 1 ? 'turn' : 'turns'}`;

/** A duration the way a row shows it: "0.4 s", "12 s", "2 min 5 s". */
export function duration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** The host a link goes to, shown beside its title so the user sees where it leads. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
