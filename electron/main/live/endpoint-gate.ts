import type { Confirmation } from '../ports';
import { endpointProblem, readEndpoint, rewriteNote, type ReadEndpoint } from '../security/endpoint-policy';
import type { EndpointSource } from './live-endpoint';

type Env = Readonly<Record<string, string | undefined>>;

export interface EndpointGateDeps {
  env: Env;
  /** The endpoint saved in Settings, if any. */
  configured: () => string | undefined;
  /**
   * A packaged app asks the user before the key goes to a host that the environment or the
   * settings file names; a development build trusts both, so developers keep their emulators.
   */
  isPackaged: boolean;
  confirm(question: Confirmation): Promise<boolean>;
  /** Launch's questions about the endpoints it names are answered; `refusals` says what is not used and why. */
  answered(refusals: string[]): void;
}

/** Where sessions go now, and why. */
export interface EndpointChoice {
  /** undefined: Google's own endpoint, as the SDK knows it. */
  baseUrl: string | undefined;
  from: EndpointSource;
  /** Each endpoint passed over, and why: a bad URL, clear text, a host the user did not confirm. */
  passedOver: string[];
  /** How a ws:// or wss:// endpoint is used. */
  rewrite: string | undefined;
}

/** A change of the endpoint setting that may be saved (in the form to save), or why not. */
export type EndpointChange = { ok: true; url: string | undefined } | { ok: false; problem: string };

interface Candidate {
  from: Exclude<EndpointSource, 'default'>;
  text: string;
}

const described: Record<Candidate['from'], string> = {
  PARLEY_LIVE_URL: 'PARLEY_LIVE_URL in the environment',
  settings: 'The endpoint in Settings',
};

/**
 * Decides which Live endpoint gets the API key. The environment wins over Settings (as it does
 * for the key), so a launcher can pin it; either is passed over when the key may not go there.
 * Google's endpoint and this computer always may; any other host once the user confirmed it in
 * a native dialog (asked by main, never by a window), for as long as Parley runs; clear text
 * to another computer never.
 */
export class EndpointGate {
  /** Hosts the user confirmed (or, in development, that the launch named). */
  private readonly confirmed = new Set<string>();
  /** Hosts the user refused: named as such while launch still asks about the next candidate. */
  private readonly refused = new Set<string>();
  private readonly asking = new Map<string, Promise<boolean>>();
  private launchAnswered: boolean;
  private readonly launchChecked: Promise<void>;
  private lastRewrite: { url: string; note: string } | undefined;

  constructor(private readonly deps: EndpointGateDeps) {
    this.launchAnswered = !deps.isPackaged;
    if (!deps.isPackaged) {
      for (const candidate of this.candidates()) {
        const endpoint = readEndpoint(candidate.text);
        if (endpoint) this.confirmed.add(endpoint.host);
      }
    }
    this.launchChecked = deps.isPackaged ? this.confirmAtLaunch() : Promise.resolve();
  }

  /** Where sessions go, once the user has answered what launch asked. */
  async settled(): Promise<EndpointChoice> {
    await this.launchChecked;
    return this.choice();
  }

  /** Where sessions go now, and what was passed over. */
  choice(): EndpointChoice {
    const passedOver: string[] = [];
    const rewrite = this.savedRewrite();
    for (const candidate of this.candidates()) {
      const endpoint = readEndpoint(candidate.text);
      const refusal = this.refusal(candidate, endpoint);
      if (endpoint && !refusal) {
        return { baseUrl: endpoint.url, from: candidate.from, passedOver, rewrite: rewrite ?? rewriteNote(endpoint) };
      }
      if (refusal) passedOver.push(refusal);
    }
    return { baseUrl: undefined, from: 'default', passedOver, rewrite };
  }

  /**
   * A window asks to change the endpoint setting: clear text only to this computer, and another
   * host only if the user confirms it now. Not a URL at all is left to the settings schema.
   */
  async change(text: string | undefined): Promise<EndpointChange> {
    const endpoint = text === undefined ? undefined : readEndpoint(text);
    if (!endpoint) return { ok: true, url: text };
    const problem = endpointProblem(endpoint);
    if (problem) return { ok: false, problem };
    if (!(await this.mayReceiveKey(endpoint, changeQuestion(endpoint)))) {
      return { ok: false, problem: `you did not confirm that ${endpoint.host} may have your API key.` };
    }
    const note = rewriteNote(endpoint);
    this.lastRewrite = note ? { url: endpoint.url, note } : undefined;
    return { ok: true, url: endpoint.url };
  }

  private candidates(): Candidate[] {
    const fromEnv = this.deps.env.PARLEY_LIVE_URL?.trim();
    const configured = this.deps.configured();
    return [
      ...(fromEnv ? [{ from: 'PARLEY_LIVE_URL' as const, text: fromEnv }] : []),
      ...(configured ? [{ from: 'settings' as const, text: configured }] : []),
    ];
  }

  /** Why a candidate is not used; undefined when the key may go there. */
  private refusal(candidate: Candidate, endpoint: ReadEndpoint | undefined): string | undefined {
    const what = described[candidate.from];
    if (!endpoint)
      return `${what} (${candidate.text}) is not an http(s):// or ws(s):// URL, so Parley does not use it.`;
    if (!this.deps.isPackaged) return undefined;
    const problem = endpointProblem(endpoint);
    if (problem) return `${what} is not used: ${problem}`;
    if (endpoint.owner !== 'other' || this.confirmed.has(endpoint.host)) return undefined;
    return this.launchAnswered || this.refused.has(endpoint.host)
      ? `${what} (${endpoint.host}) is not used: you did not confirm that it may have your API key.`
      : `Parley is asking whether ${endpoint.host} (${what.toLowerCase()}) may have your API key.`;
  }

  /** Asks about the first candidate that needs it; the next only if the user refuses. */
  private async confirmAtLaunch(): Promise<void> {
    for (const candidate of this.candidates()) {
      const endpoint = readEndpoint(candidate.text);
      if (!endpoint || endpointProblem(endpoint)) continue;
      if (await this.mayReceiveKey(endpoint, launchQuestion(candidate, endpoint))) break;
    }
    this.launchAnswered = true;
    if (this.candidates().length > 0) this.deps.answered(this.choice().passedOver);
  }

  /** Google and this computer may; another host once confirmed (one question at a time per host). */
  private async mayReceiveKey(endpoint: ReadEndpoint, question: Confirmation): Promise<boolean> {
    if (endpoint.owner !== 'other' || this.confirmed.has(endpoint.host)) return true;
    let answer = this.asking.get(endpoint.host);
    if (!answer) {
      answer = this.deps.confirm(question).catch(() => false);
      this.asking.set(endpoint.host, answer);
    }
    const confirmed = await answer;
    this.asking.delete(endpoint.host);
    (confirmed ? this.confirmed : this.refused).add(endpoint.host);
    return confirmed;
  }

  private savedRewrite(): string | undefined {
    return this.lastRewrite && this.deps.configured() === this.lastRewrite.url ? this.lastRewrite.note : undefined;
  }
}

const whatItMeans = (host: string) =>
  `Whoever runs ${host} receives your Gemini API key and everything you say to Gemini. ` +
  'Confirm only if you set up this server yourself (a proxy or a regional endpoint) or trust who did.';

function changeQuestion(endpoint: ReadEndpoint): Confirmation {
  return {
    message: `Send your Gemini API key to ${endpoint.host}?`,
    detail: `Parley's settings were asked to send sessions to ${endpoint.url} instead of Google's Live API. ${whatItMeans(endpoint.host)}`,
    confirmLabel: `Use ${endpoint.host}`,
  };
}

function launchQuestion(candidate: Candidate, endpoint: ReadEndpoint): Confirmation {
  const why =
    candidate.from === 'PARLEY_LIVE_URL'
      ? `Parley was started with PARLEY_LIVE_URL=${endpoint.url}, which sends sessions there instead of Google's Live API.`
      : `Parley's settings send sessions to ${endpoint.url} instead of Google's Live API.`;
  return {
    message: `Send your Gemini API key to ${endpoint.host}?`,
    detail: `${why} ${whatItMeans(endpoint.host)} If you cancel, Parley does not use it.`,
    confirmLabel: `Use ${endpoint.host}`,
  };
}
