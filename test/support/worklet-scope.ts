/**
 * Just enough of the AudioWorkletGlobalScope to run Parley's processors in
 * Node: their module registers a class, tests construct it, post commands to
 * its port and call process() with real sample blocks, as the audio thread would.
 */
export interface WorkletPort {
  onmessage: ((event: { data: unknown }) => void) | null;
  readonly sent: unknown[];
  postMessage(message: unknown): void;
}

export interface Processor {
  readonly port: WorkletPort;
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}

type ProcessorClass = new (options?: { processorOptions?: unknown }) => Processor;

const registered = new Map<string, ProcessorClass>();
const scope = globalThis as unknown as Record<string, unknown>;

export function installWorkletScope(sampleRate: number): { setTime(seconds: number): void } {
  scope.sampleRate = sampleRate;
  scope.currentTime = 0;
  scope.AudioWorkletProcessor = class {
    readonly port: WorkletPort = {
      onmessage: null,
      sent: [],
      postMessage(message: unknown) {
        this.sent.push(message);
      },
    };
  };
  scope.registerProcessor = (name: string, processor: ProcessorClass) => registered.set(name, processor);
  return { setTime: (seconds) => (scope.currentTime = seconds) };
}

/** As `new AudioWorkletNode(context, name, { processorOptions })` has the audio thread construct it. */
export function createProcessor(name: string, processorOptions?: unknown): Processor {
  const Processor = registered.get(name);
  if (!Processor) throw new Error(`no processor registered as ${name}`);
  return new Processor(processorOptions === undefined ? undefined : { processorOptions });
}

/** What the node's owner does: post a command to the processor. */
export function command(processor: Processor, message: unknown): void {
  processor.port.onmessage?.({ data: message });
}

/** Render quanta are 128 frames long. */
export const quantum = 128;

/** Renders `quanta` blocks through a processor and returns what reached its output. */
export function renderQuanta(processor: Processor, quanta: number): Float32Array {
  const out = new Float32Array(quanta * quantum);
  for (let q = 0; q < quanta; q++) {
    const block = new Float32Array(quantum);
    processor.process([], [[block]]);
    out.set(block, q * quantum);
  }
  return out;
}
