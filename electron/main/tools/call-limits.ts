/** Calls running at once, at most `limit()`; the others wait their turn, or give up when aborted. */
export class CallSlots {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly limit: () => number) {}

  async take(signal: AbortSignal): Promise<void> {
    if (this.running < this.limit()) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener('abort', giveUp);
        this.running++;
        resolve();
      };
      const giveUp = () => {
        this.waiting = this.waiting.filter((waiter) => waiter !== wake);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', giveUp, { once: true });
      this.waiting.push(wake);
    });
  }

  release(): void {
    this.running--;
    if (this.running < this.limit()) this.waiting.shift()?.();
  }
}

const emptyResult = { status: 'no_results', message: 'The tool finished and returned nothing.' };

/**
 * What goes back to Gemini as the output: never empty (an empty result makes Gemini call the tool
 * again), and never longer than the limit (cut, with a note saying so).
 */
export function boundedOutput(output: unknown, maxKb: number): unknown {
  if (output === undefined || output === null || output === '' || isEmptyObject(output)) return emptyResult;
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  const maxBytes = maxKb * 1024;
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return output;
  // Cut on a character, not a byte, so the text stays valid.
  const cut = Buffer.from(text)
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}\n[Cut: the result was ${Math.ceil(bytes / 1024)} KB; Parley passes at most ${maxKb} KB.]`;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** How a result or an argument list reads in the transcript. */
export function shownAsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
