import { messageOf } from '../../../shared/error-message';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ToolApproval, ToolCallInfo, ToolCallState, ToolLimits } from '../../../shared/tools';
import { boundedOutput, CallSlots, shownAsText } from './call-limits';
import type { Permission } from './permissions';
import { ToolFailure, type Scheduling, type Tool } from './tool';

export interface FunctionCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** One answer for Gemini: `scheduling` only where the model did not wait for it. */
export interface FunctionResult {
  id: string;
  name: string;
  response: { output: unknown } | { error: string };
  scheduling?: Scheduling;
}

/**
 * What became of an answer: `sent`; `later`, when Gemini still expects it but there is no
 * connection now (it is sent again by `resend`); `gone`, when Gemini no longer expects it.
 */
export type Delivery = 'sent' | 'later' | 'gone';

export interface ToolCallsOptions<Origin> {
  /** The tools declared to the session. */
  tools: () => readonly Tool[];
  permission: (tool: Tool) => Permission;
  /** The user chose Always allow on a card. */
  allowAlways: (tool: Tool) => void;
  limits: () => ToolLimits;
  /** A call's transcript entry, on every change. */
  show: (turnId: number, info: ToolCallInfo) => void;
  /** A card now waits for the user. */
  approvalNeeded: (info: ToolCallInfo) => void;
  /** The answer for Gemini (sent once per call, never for one cancelled), with where the call came from. */
  respond: (result: FunctionResult, origin: Origin | undefined) => Delivery;
  /** How long a card waits before no answer counts as Deny. */
  approvalTimeoutMs: number;
  now?: () => number;
}

interface Call<Origin> {
  turnId: number;
  /** Where the call came from (the connection), handed back with its answer. */
  origin: Origin | undefined;
  call: FunctionCall;
  /** The model goes on while it runs: its result carries a scheduling. */
  nonBlocking: boolean;
  info: ToolCallInfo;
  abort: AbortController;
  startedAt?: number;
  decide?: (answer: ToolApproval['answer'] | 'timeout') => void;
  /** The answer, kept until a connection can take it. */
  held?: FunctionResult;
}

/**
 * Every call Gemini makes, from the request to the answer: the tool is found, its arguments
 * checked against its schema, the user asked where its permission says so, and the tool run
 * within the limits. Each call is answered exactly once, unless it was cancelled.
 */
export class ToolCalls<Origin = undefined> {
  private readonly calls = new Map<string, Call<Origin>>();
  private readonly slots: CallSlots;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly now: () => number;

  constructor(private readonly options: ToolCallsOptions<Origin>) {
    this.slots = new CallSlots(() => options.limits().maxConcurrentCalls);
    this.now = options.now ?? Date.now;
  }

  /** Calls not yet answered (or whose answer waits for a connection), cancelled or settled. */
  get outstanding(): number {
    return this.calls.size;
  }

  handle(calls: readonly FunctionCall[], turnId: number, nonBlocking: boolean, origin?: Origin): void {
    for (const call of calls) {
      if (this.calls.has(call.id)) continue;
      const info: ToolCallInfo = {
        callId: call.id,
        tool: call.name,
        args: shownAsText(call.args ?? {}),
        state: 'running',
      };
      const entry: Call<Origin> = { turnId, origin, call, nonBlocking, info, abort: new AbortController() };
      this.calls.set(call.id, entry);
      void this.run(entry);
    }
  }

  /** Compiles the tools' schemas ahead of their first call (a compile costs tens of milliseconds). */
  prepare(tools: readonly Tool[]): void {
    for (const tool of tools) this.validator(tool);
  }

  /** The user's answer on a card; false when the card is no longer waiting. */
  answer({ callId, answer }: ToolApproval): boolean {
    const decide = this.calls.get(callId)?.decide;
    decide?.(answer);
    return decide !== undefined;
  }

  /** Gemini no longer wants these calls, or the user cut the reply off: nothing of them is answered. */
  cancel(ids: readonly string[], reason: string): void {
    for (const id of ids) {
      const entry = this.calls.get(id);
      if (!entry) continue;
      this.calls.delete(id);
      entry.abort.abort(new Error(reason));
      entry.decide?.('deny');
      this.settle(entry, 'cancelled', reason);
    }
  }

  cancelAll(reason: string): void {
    this.cancel([...this.calls.keys()], reason);
  }

  /**
   * The connection went. A model that waited for its calls loses them with it; calls it went on
   * without are still expected by the Gemini session, so they run on and are answered once a
   * connection resumes it.
   */
  connectionLost(reason: string): void {
    this.cancel(
      [...this.calls.values()].filter((entry) => !entry.nonBlocking).map((entry) => entry.call.id),
      reason,
    );
  }

  /** A connection came: the answers that waited for one go now, or are cancelled if their session is gone. */
  resend(): void {
    for (const entry of [...this.calls.values()]) {
      if (entry.held) this.deliver(entry, entry.held);
    }
  }

  /** Everything up to the first wait happens at once, so the call's entry stands before the reply's words. */
  private async run(entry: Call<Origin>): Promise<void> {
    const tool = this.options.tools().find((candidate) => candidate.name === entry.call.name);
    if (!tool) return this.fail(entry, `Parley has no tool named "${entry.call.name}".`);
    entry.info = { ...entry.info, tool: tool.title, ...(tool.server !== undefined ? { server: tool.server } : {}) };
    const problem = this.argumentProblem(tool, entry.call.args ?? {});
    if (problem) return this.fail(entry, `The arguments do not fit ${tool.title}: ${problem}.`);
    const { permission } = this.options.permission(tool);
    if (permission === 'off') return this.fail(entry, `The user turned ${tool.title} off.`, 'denied');
    if (permission === 'ask' && !(await this.approved(entry, tool))) return;
    await this.execute(entry, tool);
  }

  /** Whether the user allows the call; a denied one is answered here. */
  private async approved(entry: Call<Origin>, tool: Tool): Promise<boolean> {
    const answer = await this.ask(entry);
    if (!this.calls.has(entry.call.id)) return false;
    if (answer === 'always') this.options.allowAlways(tool);
    if (answer === 'once' || answer === 'always') return true;
    const why =
      answer === 'timeout'
        ? `The user did not answer within ${Math.round(this.options.approvalTimeoutMs / 1000)} s, so the call was declined.`
        : 'The user declined this call.';
    this.fail(entry, why, 'denied');
    return false;
  }

  private ask(entry: Call<Origin>): Promise<ToolApproval['answer'] | 'timeout'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => entry.decide?.('timeout'), this.options.approvalTimeoutMs);
      entry.decide = (answer) => {
        clearTimeout(timer);
        entry.decide = undefined;
        resolve(answer);
      };
      this.update(entry, { state: 'approval', decideBy: this.now() + this.options.approvalTimeoutMs });
      this.options.approvalNeeded(entry.info);
    });
  }

  private async execute(entry: Call<Origin>, tool: Tool): Promise<void> {
    const { callTimeoutSeconds, resultMaxKb } = this.options.limits();
    const signal = AbortSignal.any([entry.abort.signal, AbortSignal.timeout(callTimeoutSeconds * 1000)]);
    this.update(entry, { state: 'running', decideBy: undefined });
    try {
      await this.slots.take(signal);
    } catch {
      return this.timedOutOrCancelled(entry, callTimeoutSeconds);
    }
    entry.startedAt = this.now();
    try {
      const output = await abortable(tool.run(entry.call.args ?? {}, { signal, turnId: entry.turnId }), signal);
      this.succeed(entry, tool, boundedOutput(output, resultMaxKb));
    } catch (error) {
      if (signal.aborted) return this.timedOutOrCancelled(entry, callTimeoutSeconds);
      this.fail(entry, error instanceof ToolFailure ? error.message : `${tool.title} failed: ${messageOf(error)}`);
    } finally {
      this.slots.release();
    }
  }

  private timedOutOrCancelled(entry: Call<Origin>, timeoutSeconds: number): void {
    // A cancelled call was settled by cancel(); only a timeout is left to answer.
    if (this.calls.has(entry.call.id)) this.fail(entry, `The tool did not finish within ${timeoutSeconds} s.`);
  }

  private argumentProblem(tool: Tool, args: Record<string, unknown>): string | undefined {
    const validate = this.validator(tool);
    if (typeof validate === 'string') return validate;
    if (validate(args)) return undefined;
    return this.ajv.errorsText(validate.errors, { dataVar: 'arguments' });
  }

  /** Compiled once per schema: MCP tools are rebuilt whenever their server's list is read. */
  private validator(tool: Tool): ValidateFunction | string {
    const key = JSON.stringify(tool.parameters);
    const known = this.validators.get(key);
    if (known) return known;
    try {
      const compiled = this.ajv.compile(tool.parameters);
      this.validators.set(key, compiled);
      return compiled;
    } catch (error) {
      return `its schema cannot be used (${messageOf(error)})`;
    }
  }

  private succeed(entry: Call<Origin>, tool: Tool, output: unknown): void {
    if (this.answerGemini(entry, { output }, tool.scheduling)) this.settle(entry, 'done', shownAsText(output));
  }

  private fail(entry: Call<Origin>, error: string, state: ToolCallState = 'failed'): void {
    if (this.answerGemini(entry, { error })) this.settle(entry, state, error);
  }

  /** False when the call was cancelled meanwhile, or its answer can no longer go: it is then cancelled. */
  private answerGemini(
    entry: Call<Origin>,
    response: FunctionResult['response'],
    scheduling: Scheduling = 'WHEN_IDLE',
  ): boolean {
    if (!this.calls.has(entry.call.id)) return false;
    const { id, name } = entry.call;
    return this.deliver(entry, { id, name, response, ...(entry.nonBlocking ? { scheduling } : {}) });
  }

  private deliver(entry: Call<Origin>, result: FunctionResult): boolean {
    const delivery = this.options.respond(result, entry.origin);
    if (delivery === 'later') {
      entry.held = result;
      return true;
    }
    this.calls.delete(entry.call.id);
    if (delivery === 'sent') return true;
    this.settle(entry, 'cancelled', 'Gemini no longer expects this result: the session it was for is gone.');
    return false;
  }

  private settle(entry: Call<Origin>, state: ToolCallState, result: string): void {
    const ms = entry.startedAt === undefined ? undefined : this.now() - entry.startedAt;
    this.update(entry, { state, result, decideBy: undefined, ...(ms !== undefined ? { ms } : {}) });
  }

  private update(entry: Call<Origin>, change: Partial<ToolCallInfo>): void {
    const next = { ...entry.info, ...change };
    if (next.decideBy === undefined) delete next.decideBy;
    entry.info = next;
    this.options.show(entry.turnId, next);
  }
}

/** A tool that ignores its signal still lets the call end when it is aborted. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    work.then(resolve, reject);
  });
}
