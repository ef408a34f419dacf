import type { ConversationSummary } from '../../../shared/conversations';
import type { Grounding, ToolCallInfo } from '../../../shared/tools';
import { languageName } from '../../../shared/languages';
import type { TranscriptEntry } from '../../../shared/types';

const pad = (n: number) => String(n).padStart(2, '0');
/** Local time, the way the transcript window shows it, but unambiguous in a file. */
export const localDate = (at: number): string => {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
export const localTime = (at: number): string => {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

const stateNote: Partial<Record<TranscriptEntry['state'], string>> = {
  interrupted: ' _(interrupted)_',
  failed: ' _(not delivered)_',
};

/**
 * Conversation text made inert where the file is viewed: what the model says (or a prompt
 * injection makes it say) cannot load an image (`![…](…)`, `![…][…]`, an Obsidian `![[…]]`)
 * or render HTML or an autolink (`<img …>`, `<script>`, `<https://…>`), which would send the
 * conversation to whoever serves it. A backslash before `[` and `<` turns each into plain text
 * in every CommonMark viewer and reads naturally in a text editor; lists, emphasis and links
 * (which need a click) stay as written; only inside code spans does the backslash show. Where
 * the backslashes already before the character escape it (an odd run), it is left alone.
 */
export function inertMarkdown(text: string): string {
  return text.replace(/(?<!\\)((?:\\\\)*)(!\[|<)/g, (_match, backslashes: string, opener: string) =>
    opener === '<' ? `${backslashes}\\<` : `${backslashes}!\\[`,
  );
}

/** A conversation as a Markdown document: a heading, whose it was, then each side of each turn with its time. */
export function conversationMarkdown(summary: ConversationSummary, entries: readonly TranscriptEntry[]): string {
  const turns = `${summary.turnCount} ${summary.turnCount === 1 ? 'turn' : 'turns'}`;
  const lines = [
    `# ${inertMarkdown(summary.title) || 'Parley conversation'}`,
    '',
    `Parley conversation with ${inertMarkdown(summary.profile.name)}, ${localDate(summary.startedAt)} ${localTime(summary.startedAt).slice(0, 5)}, ${turns}.`,
  ];
  for (const entry of entries) {
    if (entry.tool) {
      lines.push('', ...toolCallLines(entry.tool, entry.at));
      continue;
    }
    if (!entry.text.trim() && !entry.note && !entry.grounding && !entry.pictures?.length) continue;
    const who = entry.role === 'user' ? 'You' : 'Gemini';
    // English names: the export is read anywhere, and the code stays exact beside the name.
    const language = entry.language ? ` · ${languageName(entry.language, 'en')}` : '';
    lines.push('', `**${who}**${language} · ${localTime(entry.at)}${stateNote[entry.state] ?? ''}`, '');
    if (entry.text.trim()) lines.push(inertMarkdown(entry.text.trim()));
    if (entry.grounding) lines.push('', ...groundingLines(entry.grounding));
    if (entry.pictures?.length) lines.push('', picturesLine(entry.pictures.length));
    if (entry.note) lines.push('', `> ${inertMarkdown(entry.note)}`);
  }
  return `${lines.join('\n')}\n`;
}

const toolStates: Record<ToolCallInfo['state'], string> = {
  approval: 'waiting for approval',
  running: 'running',
  done: 'done',
  denied: 'denied',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** A tool call on lines of its own: the tool, its state and duration, then its arguments and result as code. */
function toolCallLines(tool: ToolCallInfo, at: number): string[] {
  const server = tool.server ? ` from ${inertMarkdown(tool.server)}` : '';
  const took = tool.ms === undefined ? '' : `, ${(tool.ms / 1000).toFixed(1)} s`;
  const lines = [`**Tool** · ${localTime(at)} · ${codeSpan(tool.tool)}${server}: ${toolStates[tool.state]}${took}`, ''];
  lines.push('Arguments:', '', ...codeBlock(tool.args, 'json'));
  if (tool.result !== undefined) lines.push('', 'Result:', '', ...codeBlock(tool.result));
  return lines;
}

/** What Google Search looked for, and the pages the reply drew on, as links. */
function groundingLines(grounding: Grounding): string[] {
  const lines: string[] = [];
  if (grounding.queries.length > 0) lines.push(`Searched: ${inertMarkdown(grounding.queries.join(', '))}`);
  if (grounding.sources.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Sources:', '', ...grounding.sources.map((source) => `- ${sourceLink(source)}`));
  }
  return lines;
}

/** A link only to a web page, with a title that cannot close it early; anything else stays plain text. */
function sourceLink({ title, uri }: Grounding['sources'][number]): string {
  const text = inertMarkdown((title || uri).replace(/[[\]\\]/g, '\\$&'));
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${text} (${inertMarkdown(uri)})`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${text} (${inertMarkdown(uri)})`;
  return `[${text}](${url.href.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))})`;
}

/** Untrusted text as code: the fence is longer than any run of backticks inside, so nothing can close it. */
function codeBlock(text: string, language = ''): string[] {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return [`${fence}${language}`, text, fence];
}

function codeSpan(text: string): string {
  const ticks = '`'.repeat(longestBacktickRun(text) + 1);
  return `${ticks} ${text} ${ticks}`;
}

const longestBacktickRun = (text: string) => Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));

/** A file name that says what is in it and is valid on every desktop file system. */
export function markdownFileName(summary: ConversationSummary): string {
  const title = summary.title
    .replace(/…$/, '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what file names cannot hold
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40)
    .trim();
  const when = `${localDate(summary.startedAt)} ${localTime(summary.startedAt).slice(0, 5).replace(':', '.')}`;
  return `Parley ${when}${title ? ` ${title}` : ''}.md`;
}

/** The pictures themselves stay in Parley: the export says they were sent, and where to see them. */
function picturesLine(count: number): string {
  const pictures = count === 1 ? 'A picture of the screen' : `${count} pictures of the screen`;
  return `_${pictures} went to Gemini with this turn; Parley keeps ${count === 1 ? 'it' : 'them'} with the conversation (History)._`;
}
