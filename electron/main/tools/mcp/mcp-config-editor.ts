/**
 * The changes Settings makes to the list of MCP servers: add or edit a server from the form, remove
 * one, turn one on or off, add those of another app's config. Each takes the document as mcp.json
 * says it now and gives the next one, or the problems that leave it as it was. Fields Parley does
 * not know and entries it cannot read are carried along untouched.
 */
import {
  checkMcpServerDraft,
  type McpFieldProblem,
  type McpServerDraft,
  type McpValueEntry,
} from '../../../../shared/tools';
import type { ConfigProblem, McpConfigDocument, McpServerConfig } from './mcp-config';
import { SealError } from './sealed-values';

/** What mcp.json stores for a value the user typed: encrypted. Throws a SealError where it cannot. */
export type Seal = (plain: string) => Promise<string>;

export type Edit = { document: McpConfigDocument } | { problems: McpFieldProblem[] };

const refused = (message: string, field = ''): Edit => ({ problems: [{ field, message }] });

/** Whether a server has this name already, counting the entries Parley could not read. */
function nameTaken(document: McpConfigDocument, name: string): boolean {
  return (
    document.servers.some((server) => server.name === name) ||
    Object.keys(document.unreadable).some((key) => key.trim() === name)
  );
}

type ValueList = 'env' | 'headers';

/** The values a server stores in a list: a stdio server has variables, an HTTP one headers. */
function storedIn(server: McpServerConfig | undefined, list: ValueList): Record<string, string> {
  if (server?.transport === 'stdio' && list === 'env') return server.env;
  if (server?.transport === 'http' && list === 'headers') return server.headers;
  return {};
}

/** Adds a server from the form, or replaces the one it edits (in its place in the list). */
export async function saveServer(document: McpConfigDocument, draft: McpServerDraft, seal: Seal): Promise<Edit> {
  const original = document.servers.find((server) => server.name === draft.replaces);
  if (draft.replaces !== undefined && !original) {
    return refused(`"${draft.replaces}" is no longer in mcp.json (it was changed outside Parley); add it again.`);
  }
  const name = draft.name.trim();
  const list: ValueList = draft.transport === 'stdio' ? 'env' : 'headers';
  const entries = draft.transport === 'stdio' ? draft.env : draft.headers;
  const stored = storedIn(original, list);
  const problems = checkMcpServerDraft(draft);
  if (name !== draft.replaces && nameTaken(document, name)) {
    problems.push({ field: 'name', message: `Another server is already named "${name}".` });
  }
  entries.forEach((entry, index) => {
    if ('keep' in entry && stored[entry.keep] === undefined) {
      problems.push({ field: `${list}.${index}.value`, message: 'There is no stored value to keep; type one.' });
    }
  });
  if (problems.length > 0) return { problems };
  const values = await storeValues(entries, list, stored, seal);
  if ('problems' in values) return values;
  const common = { name, disabled: !draft.enabled, extra: extraOf(original, draft.transport) };
  const server: McpServerConfig =
    draft.transport === 'stdio'
      ? { ...common, transport: 'stdio', command: draft.command.trim(), args: draft.args, env: values.values }
      : { ...common, transport: 'http', url: draft.url.trim(), headers: values.values };
  const servers = original
    ? document.servers.map((kept) => (kept === original ? server : kept))
    : [...document.servers, server];
  return { document: { ...document, servers } };
}

/**
 * The values to store: a kept one as it was (encrypted, or as written by hand), a typed one
 * encrypted. An empty value holds no secret and stays empty.
 */
async function storeValues(
  entries: readonly McpValueEntry[],
  list: ValueList,
  stored: Record<string, string>,
  seal: Seal,
): Promise<{ values: Record<string, string> } | { problems: McpFieldProblem[] }> {
  const values: Record<string, string> = {};
  for (const [index, entry] of entries.entries()) {
    if ('keep' in entry) values[entry.name] = stored[entry.keep]!;
    else if (entry.value === '') values[entry.name] = '';
    else {
      try {
        values[entry.name] = await seal(entry.value);
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        return { problems: [{ field: `${list}.${index}.value`, message: error.message }] };
      }
    }
  }
  return { values };
}

/** Other apps' fields of the server edited; its `type` goes when the server changes transport, as it named the old one. */
function extraOf(
  original: McpServerConfig | undefined,
  transport: McpServerConfig['transport'],
): Record<string, unknown> {
  if (!original) return {};
  if (original.transport === transport) return original.extra;
  const { type: _type, ...rest } = original.extra;
  return rest;
}

export function removeServer(document: McpConfigDocument, name: string): Edit {
  if (!document.servers.some((server) => server.name === name)) return refused(`"${name}" is no longer in mcp.json.`);
  return { document: { ...document, servers: document.servers.filter((server) => server.name !== name) } };
}

export function setServerEnabled(document: McpConfigDocument, name: string, enabled: boolean): Edit {
  if (!document.servers.some((server) => server.name === name)) return refused(`"${name}" is no longer in mcp.json.`);
  const servers = document.servers.map((server) => (server.name === name ? { ...server, disabled: !enabled } : server));
  return { document: { ...document, servers } };
}

export interface Imported {
  document: McpConfigDocument;
  imported: string[];
  skipped: { name: string; reason: string }[];
  /** Set when the values could not be encrypted and were kept as the file had them. */
  note?: string;
}

/**
 * Adds the servers read from another app's config after those there are. A name already taken is
 * skipped, never overwritten; so is an entry that could not be read, with its problem. Their
 * variables and headers are encrypted like typed ones (the other app's file keeps its own copy);
 * where the system cannot encrypt, they are kept as that file had them, and `note` says so.
 */
export async function importServers(
  document: McpConfigDocument,
  found: { servers: McpServerConfig[]; problems: ConfigProblem[] },
  seal: Seal,
): Promise<Imported> {
  const skipped = found.problems.map(({ server = '', message }) => ({
    name: server,
    // mcp-config names the entry in its message; the summary names it already.
    reason: message.replace(`Server "${server}": `, ''),
  }));
  const servers = [...document.servers];
  const imported: string[] = [];
  let unencrypted = false;
  const sealAll = async (values: Record<string, string>) => {
    const sealed: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      try {
        sealed[name] = value === '' ? value : await seal(value);
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        unencrypted = true;
        sealed[name] = value;
      }
    }
    return sealed;
  };
  for (const server of found.servers) {
    if (nameTaken({ ...document, servers }, server.name)) {
      skipped.push({ name: server.name, reason: 'a server of that name is already in Parley' });
      continue;
    }
    servers.push(
      server.transport === 'stdio'
        ? { ...server, env: await sealAll(server.env) }
        : { ...server, headers: await sealAll(server.headers) },
    );
    imported.push(server.name);
  }
  return {
    document: { ...document, servers },
    imported,
    skipped,
    ...(unencrypted
      ? {
          note: 'This system cannot encrypt, so their variables and headers are kept in mcp.json as the file had them.',
        }
      : {}),
  };
}
