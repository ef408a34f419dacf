import playerWorkletUrl from './player-worklet.ts?worker&url';
import type { AudioOutput } from './audio-output';
import { parleyPipeline } from '../pipeline-parameters';
import {
  playerProcessorName,
  type PlaybackStats,
  type PlayerCommand,
  type PlayerEvent,
  type PlayerProcessorOptions,
} from './playback-protocol';

export type { PlaybackStats } from './playback-protocol';
export type PlayingListener = (playing: boolean) => void;

/**
 * Plays a reply's PCM16 mono chunks (at the output's 24 kHz) as they arrive,
 * through an AudioWorklet ring buffer into the output's replies gain.
 */
export class PcmPlayer {
  private readonly playingListeners = new Set<PlayingListener>();
  private readonly pendingStats: ((stats: PlaybackStats) => void)[] = [];
  private isPlaying = false;

  private constructor(
    private readonly output: AudioOutput,
    private readonly node: AudioWorkletNode,
  ) {
    node.port.onmessage = (event: MessageEvent<PlayerEvent>) => this.receive(event.data);
  }

  static async create(output: AudioOutput, parameters: PlayerProcessorOptions = parleyPipeline): Promise<PcmPlayer> {
    await output.context.audioWorklet.addModule(playerWorkletUrl);
    const { initialCushionMs, scheduleAheadMs, bargeInFadeMs } = parameters;
    const node = new AudioWorkletNode(output.context, playerProcessorName, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { initialCushionMs, scheduleAheadMs, bargeInFadeMs } satisfies PlayerProcessorOptions,
    });
    node.connect(output.replies);
    return new PcmPlayer(output, node);
  }

  /** Little-endian PCM16; the buffer is copied, so the caller keeps it. Playback starts after the cushion. */
  enqueue(pcm: ArrayBuffer): void {
    void this.output.resume();
    this.send({ type: 'chunk', pcm });
  }

  /** The reply has no more audio: it ends when the buffer drains, which is then not an underrun. */
  endOfReply(): void {
    this.send({ type: 'end-of-reply' });
  }

  /** Silences at once (barge-in): the buffered audio is dropped inside the worklet. */
  flush(): void {
    this.send({ type: 'flush' });
  }

  /** True from a reply's first audible sample until it drained or was flushed; underruns do not interrupt it. */
  onPlayingChange(listener: PlayingListener): () => void {
    this.playingListeners.add(listener);
    return () => this.playingListeners.delete(listener);
  }

  get playing(): boolean {
    return this.isPlaying;
  }

  /** A snapshot from the audio thread. */
  stats(): Promise<PlaybackStats> {
    return new Promise((resolve) => {
      this.pendingStats.push(resolve);
      this.send({ type: 'stats' });
    });
  }

  dispose(): void {
    this.send({ type: 'close' });
    this.node.disconnect();
  }

  private send(command: PlayerCommand): void {
    this.node.port.postMessage(command);
  }

  private receive(event: PlayerEvent): void {
    if (event.type === 'stats') {
      const { underruns, cushionMs, bufferedMs } = event;
      this.pendingStats.shift()?.({ underruns, cushionMs, bufferedMs });
      return;
    }
    this.isPlaying = event.playing;
    if (event.playing) this.output.hold();
    else this.output.release();
    this.playingListeners.forEach((listener) => listener(event.playing));
  }
}
