/** Where the Gemini API key came from; the key itself never leaves main. */
export interface ApiKeySource {
  key: string;
  origin: 'GEMINI_API_KEY' | 'GOOGLE_API_KEY' | 'settings';
}

/** The environment overrides a stored key. */
export function apiKeyFromEnv(env: Readonly<Record<string, string | undefined>>): ApiKeySource | undefined {
  for (const origin of ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const) {
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
