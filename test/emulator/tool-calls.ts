// The function calls of a conversation: which are still expected to get a
// result, and which ended (answered, cancelled, or lost with a connection).
// A conversation keeps one book across resumed connections: the service still
// expects the result of a NON_BLOCKING call after a reconnect.
import type { FunctionResponse } from './client-messages';
import type { FunctionBehavior, ModelCapabilities } from './models';
import type { FunctionCall } from './wire';

export interface IssuedCall extends FunctionCall {
  behavior: FunctionBehavior;
  /** The turn whose reply made the call; its result reply shares the index. */
  turnIndex: number;
  /** 0 for the first call, n for the nth call again after an empty result. */
  attempt: number;
}

export type CallEnd = 'answered' | 'cancelled' | 'lost with its connection';

export class CallBook {
  private readonly pending = new Map<string, IssuedCall>();
  private readonly ended = new Map<string, CallEnd>();

  issue(call: IssuedCall): void {
    this.pending.set(call.id, call);
  }

  pendingCall(id: string): IssuedCall | undefined {
    return this.pending.get(id);
  }

  /** Why a call that is no longer pending ended; undefined for an id never issued. */
  endOf(id: string): CallEnd | undefined {
    return this.ended.get(id);
  }

  end(id: string, why: CallEnd): void {
    if (this.pending.delete(id)) this.ended.set(id, why);
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** The given calls that still wait for a result. */
  unanswered(ids: Iterable<string>): string[] {
    return [...ids].filter((id) => this.pending.has(id));
  }

  /** A connection ended: its BLOCKING calls go with it; NON_BLOCKING ones still expect their result. */
  loseBlockingCalls(): void {
    for (const call of [...this.pending.values()]) {
      if (call.behavior === 'BLOCKING') this.end(call.id, 'lost with its connection');
    }
  }
}

/**
 * An empty result: no response, `{}`, or an `output` with nothing in it and no `error`. Any other
 * object is a result, since the service takes a response without `output` or `error` as the output.
 */
export function isEmptyResult(response: FunctionResponse['response']): boolean {
  if (response === undefined || Object.keys(response).length === 0) return true;
  if (response.error !== undefined || !('output' in response)) return false;
  const output = response.output;
  return (
    output === null ||
    output === undefined ||
    output === '' ||
    (typeof output === 'object' && Object.keys(output as object).length === 0)
  );
}

/** The same call again with a new id, if the model calls again after this empty result. */
export function callAgain(
  call: IssuedCall,
  response: FunctionResponse,
  model: ModelCapabilities,
): IssuedCall | undefined {
  if (!isEmptyResult(response.response) || call.attempt >= model.recallsOnEmptyResult) return undefined;
  const attempt = call.attempt + 1;
  const firstId = call.attempt === 0 ? call.id : call.id.replace(/-again-\d+$/, '');
  return { ...call, id: `${firstId}-again-${attempt}`, attempt };
}

export function wireCall({ id, name, args }: IssuedCall): FunctionCall {
  return { id, name, args };
}
