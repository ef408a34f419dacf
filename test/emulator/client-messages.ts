// Client frames: exactly one of the LiveClientMessage fields, each checked
// against its protobuf JSON shape.
import { z } from 'zod';
import { invalidArgument } from './protocol-error';
import { parseProtoJson } from './proto-json';

const blob = z.strictObject({ data: z.string(), mimeType: z.string() });

const realtimeInput = z.strictObject({
  mediaChunks: z.array(blob).optional(),
  audio: blob.optional(),
  audioStreamEnd: z.boolean().optional(),
  video: blob.optional(),
  text: z.string().optional(),
  activityStart: z.strictObject({}).optional(),
  activityEnd: z.strictObject({}).optional(),
});

const content = z.strictObject({
  role: z.string().optional(),
  parts: z.array(z.looseObject({ text: z.string().optional() })).optional(),
});

const clientContent = z.strictObject({
  turns: z.array(content).optional(),
  turnComplete: z.boolean().optional(),
});

const functionResponse = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  response: z.record(z.string(), z.unknown()).optional(),
  scheduling: z.enum(['SCHEDULING_UNSPECIFIED', 'SILENT', 'WHEN_IDLE', 'INTERRUPT']).optional(),
  willContinue: z.boolean().optional(),
});

const clientMessage = z.strictObject({
  setup: z.unknown().optional(),
  clientContent: clientContent.optional(),
  realtimeInput: realtimeInput.optional(),
  toolResponse: z.strictObject({ functionResponses: z.array(functionResponse) }).optional(),
  contextUpdate: z.looseObject({}).optional(),
});

export type RealtimeInput = z.infer<typeof realtimeInput>;
export type ClientContent = z.infer<typeof clientContent>;
export type FunctionResponse = z.infer<typeof functionResponse>;

export type ClientMessage =
  | { kind: 'setup'; setup: unknown }
  | { kind: 'realtimeInput'; input: RealtimeInput }
  | { kind: 'clientContent'; content: ClientContent }
  | { kind: 'toolResponse'; responses: FunctionResponse[] }
  | { kind: 'contextUpdate' };

/** JSON.parse, with the service's answer to anything that is not a JSON object. */
export function parseJsonFrame(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidArgument();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument();
  return value as Record<string, unknown>;
}

export function classifyClientMessage(json: Record<string, unknown>): ClientMessage {
  const message = parseProtoJson(clientMessage, json, []);
  // The fields form a protobuf oneof: a frame carries exactly one of them.
  if (Object.keys(message).length !== 1) throw invalidArgument();
  if (message.realtimeInput) return { kind: 'realtimeInput', input: message.realtimeInput };
  if (message.clientContent) return { kind: 'clientContent', content: message.clientContent };
  if (message.toolResponse) return { kind: 'toolResponse', responses: message.toolResponse.functionResponses };
  if (message.contextUpdate) return { kind: 'contextUpdate' };
  return { kind: 'setup', setup: message.setup };
}
