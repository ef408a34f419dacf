import type { Tool } from '../tool';

/** `get_current_time`: the local date and time, so "what time is it in…" starts from the truth. */
export function clockTool(now: () => Date = () => new Date()): Tool {
  return {
    name: 'get_current_time',
    title: 'get_current_time',
    description:
      "Returns the user's local date, time, weekday and time zone (IANA name and UTC offset). Use it whenever the answer depends on the current date or time.",
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    readOnly: true,
    scheduling: 'WHEN_IDLE',
    run: () => Promise.resolve(localTime(now())),
  };
}

export function localTime(at: Date): Record<string, string> {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`,
    weekday: at.toLocaleDateString('en-US', { weekday: 'long' }),
    timeZone,
    utcOffset: utcOffset(at),
  };
}

/** "+02:00", "-05:30": getTimezoneOffset counts minutes the other way round. */
function utcOffset(at: Date): string {
  const minutes = -at.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
