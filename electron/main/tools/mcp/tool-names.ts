/**
 * The names MCP tools are declared to Gemini under. Gemini accepts a function name that starts
 * with a letter or `_`, then `a-zA-Z0-9_.:-`, at most 128 characters; MCP servers name their tools
 * freely and two servers may both have a `search`. Each tool becomes `server__tool`, sanitised,
 * and names that still collide get a numbered suffix, so the mapping back is one to one.
 */

export interface ToolKey {
  server: string;
  tool: string;
}

export interface NamedTool extends ToolKey {
  geminiName: string;
}

const maxLength = 128;
/** The server part is cut shorter so that a long server name still leaves room for the tool's. */
const maxServerPartLength = 40;
const separator = '__';

/** Letters with accents lose them (é → e); every other character Gemini refuses becomes `_`. */
function sanitize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-zA-Z0-9_.:-]/g, '_');
}

function baseName({ server, tool }: ToolKey): string {
  const name = `${sanitize(server).slice(0, maxServerPartLength)}${separator}${sanitize(tool)}`;
  // A server named "1password" or "-x" would start with a character Gemini refuses.
  return (/^[a-zA-Z_]/.test(name) ? name : `_${name}`).slice(0, maxLength);
}

function withSuffix(name: string, number: number): string {
  const suffix = `_${number}`;
  return `${name.slice(0, maxLength - suffix.length)}${suffix}`;
}

function isUntouched(key: ToolKey): boolean {
  return baseName(key) === `${key.server}${separator}${key.tool}`;
}

/** Names that needed no change first (a valid name is never renamed because of a sanitised one), then by server and tool. */
function collisionOrder(a: ToolKey, b: ToolKey): number {
  const untouched = Number(isUntouched(b)) - Number(isUntouched(a));
  if (untouched !== 0) return untouched;
  if (a.server !== b.server) return a.server < b.server ? -1 : 1;
  return a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0;
}

/**
 * A Gemini name for each tool, in the order given. Collisions are settled in `collisionOrder`
 * (not the order given), so the same set of tools always gets the same names.
 */
export function nameTools(tools: readonly ToolKey[]): NamedTool[] {
  const taken = new Set<string>();
  const assigned = new Map<ToolKey, string>();
  for (const key of [...tools].sort(collisionOrder)) {
    const base = baseName(key);
    let name = base;
    for (let number = 2; taken.has(name); number++) name = withSuffix(base, number);
    taken.add(name);
    assigned.set(key, name);
  }
  return tools.map((key) => ({ server: key.server, tool: key.tool, geminiName: assigned.get(key)! }));
}
