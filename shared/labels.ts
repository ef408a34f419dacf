import type { ConnectionState } from './types';

/** Type-only import: renderers must not pull the schema library into their bundles. */
export const connectionStateLabels: Record<ConnectionState, string> = {
  'no-api-key': 'no API key',
  idle: 'idle',
  connecting: 'connecting',
  reconnecting: 'reconnecting…',
  listening: 'listening',
  thinking: 'thinking',
  speaking: 'speaking',
  error: 'error',
};
