/**
 * The environment a stdio MCP server is started with: the safe base every child of Parley gets
 * (security/child-environment.ts), the PATH of the user's login shell, and the variables the
 * user's config gives that server, except any that could carry Parley's or Google's credentials.
 */
import { apiKeyVariables } from '../../credentials/api-key';
import { childEnvironment } from '../../security/child-environment';

/**
 * Never handed to a server, even when the config lists them: the Gemini key lives under these
 * prefixes, and a third-party server must not be able to ask for it by name.
 */
const withheldPrefixes = /^(GEMINI_|GOOGLE_|PARLEY_)/i;

function isWithheld(name: string): boolean {
  return withheldPrefixes.test(name) || apiKeyVariables.some((variable) => variable === name.toUpperCase());
}

export interface ServerEnvironment {
  env: Record<string, string>;
  /** Names from the config that were not passed on, for the server's state in Settings. */
  withheld: string[];
}

export function serverEnvironment(options: {
  configured: Readonly<Record<string, string>>;
  parentEnv: Readonly<Record<string, string | undefined>>;
  platform: string;
  /** The login shell's PATH, when it differs from Parley's own. */
  path?: string;
}): ServerEnvironment {
  const env = childEnvironment(options.parentEnv, options.platform);
  if (options.path) env[pathVariableName(env, options.platform)] = options.path;
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(options.configured)) {
    if (isWithheld(name)) withheld.push(name);
    else env[name] = value;
  }
  return { env, withheld };
}

/** Windows spells it `Path`; setting `PATH` beside it would leave two. */
function pathVariableName(env: Record<string, string>, platform: string): string {
  if (platform !== 'win32') return 'PATH';
  return Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
}
