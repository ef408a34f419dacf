// A conversation's turns, which outlive a connection: session resumption
// hands them to the next connection through a handle.
import { randomBytes, randomUUID } from 'node:crypto';
import type { PcmAudio } from '../support/audio';
import type { FunctionResponse } from './client-messages';
import { CallBook } from './tool-calls';
import { NO_TOKENS, type TokenTally } from './usage';
import type { VideoFrame } from './video-input';
import type { FunctionCall } from './wire';

export interface TurnInput {
  /** 'toolResult': no user input; the model speaks about a NON_BLOCKING call's result. */
  source: 'audio' | 'text' | 'clientContent' | 'toolResult';
  /** The turn's audio as received, at the client's sample rate; empty for text turns. */
  audio: PcmAudio;
  text: string;
  /** The video frames the turn took, in the order received (see `video` in models.ts). */
  frames: VideoFrame[];
  /** The input transcription the emulator sent for it. */
  transcript: string;
  startedAt: number;
  endedAt: number;
}

export interface TurnReply {
  text: string;
  /** Output transcription as sent (cut short on interruption). */
  transcript: string;
  /** Exactly the 24 kHz audio that was sent. */
  audio: Int16Array;
  interrupted: boolean;
  functionCalls: FunctionCall[];
  functionResponses: FunctionResponse[];
  startedAt: number;
  endedAt: number;
}

export interface Turn {
  /**
   * Position among the conversation's user (and history) turns, counting earlier (resumed)
   * connections; the scenario's turns[index] scripts it. A tool-result reply has the index of the
   * turn whose call it answers.
   */
  index: number;
  connectionId: number;
  input: TurnInput;
  /** Undefined until the model has answered (or for history seeded by clientContent). */
  reply: TurnReply | undefined;
}

/** A turn seeded by clientContent: user text, or a model answer, with no audio. */
export function historyTurn(index: number, connectionId: number, role: 'user' | 'model', text: string): Turn {
  const now = performance.now();
  const noAudio = new Int16Array(0);
  return {
    index,
    connectionId,
    input: {
      source: 'clientContent',
      audio: { sampleRate: 16_000, samples: noAudio },
      text: role === 'user' ? text : '',
      frames: [],
      transcript: '',
      startedAt: now,
      endedAt: now,
    },
    reply:
      role === 'model'
        ? {
            text,
            transcript: text,
            audio: noAudio,
            interrupted: false,
            functionCalls: [],
            functionResponses: [],
            startedAt: now,
            endedAt: now,
          }
        : undefined,
  };
}

export class Conversation {
  readonly turns: Turn[];

  constructor(
    readonly id: string = randomUUID(),
    earlierTurns: readonly Turn[] = [],
    /** Tokens in the model's context so far (after any sliding-window compression). */
    public context: TokenTally = NO_TOKENS,
    /** Shared by every connection that resumes the conversation. */
    readonly calls: CallBook = new CallBook(),
  ) {
    this.turns = [...earlierTurns];
  }

  /** The index of the next user turn: tool-result replies do not count. */
  nextIndex(): number {
    return this.turns.filter((turn) => turn.input.source !== 'toolResult').length;
  }
}

interface Snapshot {
  conversationId: string;
  turns: readonly Turn[];
  context: TokenTally;
  calls: CallBook;
  expiresAt: number;
}

export class ResumptionStore {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly ttlMs: number) {}

  /** A handle for the conversation as it stands; call only between turns. */
  issue(conversation: Conversation): string {
    const handle = randomBytes(24).toString('base64url');
    this.snapshots.set(handle, {
      conversationId: conversation.id,
      turns: [...conversation.turns],
      context: conversation.context,
      calls: conversation.calls,
      expiresAt: performance.now() + this.ttlMs,
    });
    return handle;
  }

  /** The conversation to continue, or undefined for an unknown or expired handle. */
  resume(handle: string): Conversation | undefined {
    const snapshot = this.snapshots.get(handle);
    if (!snapshot || performance.now() > snapshot.expiresAt) return undefined;
    return new Conversation(snapshot.conversationId, snapshot.turns, snapshot.context, snapshot.calls);
  }

  /** The turns a handle stands for (also after it expired). */
  history(handle: string): readonly Turn[] | undefined {
    return this.snapshots.get(handle)?.turns;
  }
}
