/** Where the Gemini API key came from; the key itself never leaves main. */
export interface ApiKeySource {
  key: string;
  origin: 'GEMINI_API_KEY' | 'GOOGLE_API_KEY';
}

/** The environment overrides any stored key (the settings store arrives with issue 4/6). */
export function apiKeyFromEnv(env: Readonly<Record<string, string | undefined>>): ApiKeySource | undefined {
  for (const origin of ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const) {
    const key = env[origin]?.trim();
    if (key) return { key, origin };
  }
  return undefined;
}
