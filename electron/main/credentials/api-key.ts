/** Where the Gemini API key came from; the key itself never leaves main. */
export interface ApiKeySource {
  key: string;
  origin: 'GEMINI_API_KEY' | 'GOOGLE_API_KEY' | 'settings';
}

/** The variables a key is read from, first first; child processes never get them (security/child-environment.ts). */
export const apiKeyVariables = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;

/** The environment overrides a stored key. */
export function apiKeyFromEnv(env: Readonly<Record<string, string | undefined>>): ApiKeySource | undefined {
  for (const origin of apiKeyVariables) {
    const key = env[origin]?.trim();
    if (key) return { key, origin };
  }
  return undefined;
}

/** What the settings window may know about the key: where it comes from and its last four characters. */
export function describeKey(source: ApiKeySource | undefined): {
  origin: ApiKeySource['origin'] | 'none';
  last4?: string;
} {
  return source ? { origin: source.origin, last4: source.key.slice(-4) } : { origin: 'none' };
}
