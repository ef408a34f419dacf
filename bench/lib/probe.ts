import type { Page } from 'playwright-core';
import type { Instrumentation } from '../../test/harness/harness';

/**
 * The bench's instruments in the audio page, set up by the harness before the
 * page loads (the app knows nothing of them):
 *
 * - a probe worklet in each audio context, fed by the microphone source
 *   (16 kHz capture context) and by the master gain (24 kHz output context).
 *   Rendered in the same render call as Parley's own worklets, it records per
 *   128-sample quantum the context frame, `Date.now()` (the only clock an
 *   AudioWorkletGlobalScope has: the system clock, shared by every process)
 *   and the quantum's peak;
 * - a listener on Parley's capture worklet port, recording each frame's audio
 *   time and length, and each turn's "live" mark.
 */
const probeName = 'parley-bench-probe';
const probePath = '/__bench/probe-worklet.js';

// Four quanta per message keeps the page's main thread, which also carries Parley's audio messages, light.
// A context suspended mid-batch posts the rest when it runs again: nothing is lost, only late.
const workletSource = `class BenchProbe extends AudioWorkletProcessor {
  batch = [];
  process(inputs) {
    const samples = inputs[0] && inputs[0][0];
    let peak = 0;
    if (samples) for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
    this.batch.push([currentFrame, Date.now(), peak]);
    if (this.batch.length === 4) {
      this.port.postMessage(this.batch);
      this.batch = [];
    }
    return true;
  }
}
registerProcessor('${probeName}', BenchProbe);`;

const pageScript = `(() => {
  const records = { capture: [], output: [], port: [] };
  const probes = new Map();
  const connect = AudioNode.prototype.connect;
  const probeFor = (context, into) => {
    if (!probes.has(context)) {
      probes.set(context, context.audioWorklet.addModule('${probePath}').then(() => {
        const node = new AudioWorkletNode(context, '${probeName}', { numberOfInputs: 1, numberOfOutputs: 0 });
        node.port.onmessage = (event) => into.push(...event.data);
        return node;
      }));
    }
    return probes.get(context);
  };
  AudioNode.prototype.connect = function (target, ...rest) {
    const result = connect.call(this, target, ...rest);
    if (this instanceof MediaStreamAudioSourceNode) {
      void probeFor(this.context, records.capture).then((probe) => connect.call(this, probe));
    } else if (target instanceof AudioDestinationNode && !probes.has(this.context)) {
      // The first node to reach the speakers is Parley's master gain.
      void probeFor(this.context, records.output).then((probe) => connect.call(this, probe));
    }
    return result;
  };
  const NativeWorkletNode = AudioWorkletNode;
  window.AudioWorkletNode = class extends NativeWorkletNode {
    constructor(context, name, options) {
      super(context, name, options);
      if (name !== 'parley-capture') return;
      this.port.addEventListener('message', ({ data }) => {
        if (data.type === 'frame') records.port.push({ type: 'frame', time: data.time, samples: data.pcm.byteLength / 2 });
        if (data.type === 'live') records.port.push({ type: 'live', time: data.time });
      });
    }
  };
  window.__benchProbe = {
    take: () => ({ capture: records.capture.splice(0), output: records.output.splice(0), port: records.port.splice(0) }),
    outputLatency: () => [...probes.keys()].filter((c) => c.sampleRate === 24000).map((c) => ({ base: c.baseLatency, output: c.outputLatency })),
  };
})();`;

/** The worklet is served from the renderer's own origin: the CSP allows worklets from nowhere else. */
export const probeInstrumentation: Instrumentation = { scripts: { [probePath]: workletSource }, pageScript };

/** One render quantum as the probe saw it: context frame, system-clock ms (integer), peak. */
export type Quantum = [frame: number, dateNow: number, peak: number];

/** What Parley's capture worklet told its page, in order; times are audio-clock seconds. */
export type CapturePortEvent =
  /** A turn's first live block. */
  | { type: 'live'; time: number }
  /** A frame sent to main: its first sample's time, and its length. */
  | { type: 'frame'; time: number; samples: number };

export interface ProbeRecords {
  capture: Quantum[];
  output: Quantum[];
  port: CapturePortEvent[];
}

interface ProbeWindow {
  __benchProbe: { take(): ProbeRecords; outputLatency(): { base: number; output: number }[] };
}

/** Everything recorded since the last take, removed from the page. */
export function takeProbeRecords(page: Page): Promise<ProbeRecords> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__benchProbe.take());
}

/** What Chromium says the output adds after the master gain: baseLatency and outputLatency, in seconds. */
export async function outputLatency(page: Page): Promise<{ base: number; output: number }> {
  const [first] = await page.evaluate(() => (window as unknown as ProbeWindow).__benchProbe.outputLatency());
  if (!first) throw new Error('the probe found no output context');
  return first;
}
