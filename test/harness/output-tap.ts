import type { Page } from 'playwright-core';

/**
 * A probe on the wire to the speakers: whatever node feeds the destination of
 * a 24 kHz context (Parley's master gain) is also fed to a recorder, block by
 * block, with wall-clock times (performance.timeOrigin based, as in Node).
 * Test instrumentation injected by the harness; the app knows nothing of it.
 */
export const outputTapScript = `(() => {
  const blocks = [];
  const connect = AudioNode.prototype.connect;
  const tapped = new WeakSet();
  AudioNode.prototype.connect = function (target, ...rest) {
    const result = connect.call(this, target, ...rest);
    if (target instanceof AudioDestinationNode && this.context.sampleRate === 24000 && !tapped.has(this)) {
      tapped.add(this);
      const recorder = this.context.createScriptProcessor(256, 1, 1);
      recorder.onaudioprocess = (event) => {
        blocks.push({ at: performance.timeOrigin + performance.now(), samples: Float32Array.from(event.inputBuffer.getChannelData(0)) });
        if (blocks.length > 24000) blocks.splice(0, 12000);
      };
      connect.call(this, recorder);
      connect.call(recorder, this.context.destination);
    }
    return result;
  };
  const rms = (samples) => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));
  window.__parleyTap = {
    levels: (since) => blocks.filter((b) => b.at >= since).map((b) => ({ at: b.at, rms: rms(b.samples) })),
    samples: (since) => {
      const chosen = blocks.filter((b) => b.at >= since);
      const out = new Int16Array(chosen.reduce((n, b) => n + b.samples.length, 0));
      let offset = 0;
      for (const b of chosen) for (const s of b.samples) out[offset++] = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
      return Array.from(out);
    },
  };
})();`;

export interface TapLevel {
  at: number;
  rms: number;
}

interface TapWindow {
  __parleyTap: { levels(since: number): TapLevel[]; samples(since: number): number[] };
}

/** Block levels heard since `since` (epoch ms). */
export function tapLevels(page: Page, since: number): Promise<TapLevel[]> {
  return page.evaluate((from) => (window as unknown as TapWindow).__parleyTap.levels(from), since);
}

/** The 24 kHz PCM heard since `since` (epoch ms). */
export async function tapSamples(page: Page, since: number): Promise<Int16Array> {
  return Int16Array.from(
    await page.evaluate((from) => (window as unknown as TapWindow).__parleyTap.samples(from), since),
  );
}

/** Epoch ms with sub-millisecond precision, comparable with the tap's times. */
export const wallClock = (): number => performance.timeOrigin + performance.now();
