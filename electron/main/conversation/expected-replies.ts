import type { LiveConnection } from '../live/live-connection';

/** One turn sent on a connection, whose reply the server will stream there, in the order the turns went out. */
export interface ExpectedReply {
  turnId: number;
  /** False once the user moved on (barge-in, a later turn): what the server still sends of it is dropped. */
  wanted: boolean;
}

/**
 * Which turn the server is answering right now. A connection answers the
 * turns sent on it one after another, each ending with `turnComplete`
 * (after `interrupted` if it was cut off), so the oldest turn not yet
 * complete owns every reply message. A reply belongs to the connection that
 * produced it: on another connection, nothing is expected until a turn goes
 * out there.
 */
export class ExpectedReplies {
  private connection: LiveConnection | undefined;
  private queue: ExpectedReply[] = [];

  /** A turn went out in full on `connection`. */
  add(connection: LiveConnection, turnId: number, wanted: boolean): void {
    this.on(connection);
    this.queue.push({ turnId, wanted });
  }

  /** The reply the server is sending now on `connection`, if one is expected there. */
  current(connection: LiveConnection | undefined): ExpectedReply | undefined {
    return connection !== undefined && connection === this.connection ? this.queue[0] : undefined;
  }

  /** The server said the current reply is over. */
  complete(connection: LiveConnection | undefined): ExpectedReply | undefined {
    return this.current(connection) ? this.queue.shift() : undefined;
  }

  /** The user moved on: nothing still coming for the turns sent so far is wanted. */
  unwantAll(): void {
    for (const reply of this.queue) reply.wanted = false;
  }

  anyWanted(): boolean {
    return this.queue.some((reply) => reply.wanted);
  }

  /** The connection is gone: what it still owed will never come. */
  reset(): void {
    this.connection = undefined;
    this.queue = [];
  }

  private on(connection: LiveConnection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.queue = [];
  }
}
