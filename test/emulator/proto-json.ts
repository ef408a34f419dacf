// The service parses frames as protobuf JSON: an unknown field name or a value
// of the wrong type fails the whole frame with a 1007 naming the field by its
// proto path (snake_case). These helpers turn zod issues into those errors.
import type { z } from 'zod';
import { invalidValue, unknownField, type ProtocolError } from './protocol-error';

export function parseProtoJson<T>(schema: z.ZodType<T>, value: unknown, root: readonly string[]): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw protocolErrorFor(result.error.issues, root);
}

function protocolErrorFor(issues: readonly z.core.$ZodIssue[], root: readonly string[]): ProtocolError {
  // Unknown names are reported first, as the proto parser stops at the first one.
  const unknown = issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown) return unknownField(unknown.keys[0] ?? '', protoPath([...root, ...unknown.path]));
  const first = issues[0];
  return invalidValue(protoPath([...root, ...(first?.path ?? [])]));
}

export function protoPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += (out === '' ? '' : '.') + snakeCase(String(key));
  }
  return out;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
