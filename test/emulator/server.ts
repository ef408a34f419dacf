// startEmulator(): a local stand-in for the Gemini Live WebSocket service
// that the real @google/genai SDK reaches through `httpOptions.baseUrl`.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { EmulatorConnection, type ConnectionInfo, type EmulatorState } from './connection';
import { ResumptionStore, type Turn } from './conversation';
import { parseEndpoint } from './endpoint';
import { DEFAULT_MODELS, ModelTable, type ModelCapabilities } from './models';
import { DEFAULT_PACING, type Pacing } from './pacing';
import { FrameRecorder, type Direction, type FrameFilter, type FrameOf, type RecordedFrame } from './recorder';
import { EMPTY_SCENARIO, loadScenarioFile, resolveScenario, type Scenario, type ScenarioInput } from './scenario';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Valid API keys (and "auth_tokens/..." ephemeral tokens). Default: ['test-key']. */
  apiKeys?: readonly string[];
  /** A scenario object, or the path of a scenario JSON file. */
  scenario?: ScenarioInput | string;
  pacing?: Partial<Pacing>;
  /** Extra models, or replacements for entries of the default table with the same name. */
  models?: readonly ModelCapabilities[];
  /** How long resumption handles stay valid. Default: 2 hours. */
  handleTtlMs?: number;
  /** Each connection gets goAway and then 1011 after this long; false for never. Default: 10 minutes, notice 50 s. */
  connectionLifetime?: { ms: number; goAwayNoticeMs: number } | false;
  /** One line per connection event (the CLI prints them). */
  log?: (line: string) => void;
}

export interface Emulator {
  /** http://127.0.0.1:PORT, for `httpOptions.baseUrl` (the SDK derives ws://…//ws/… from it). */
  readonly url: string;
  readonly port: number;
  /** Frames of every connection in order, optionally only one connection's or one direction's. */
  frames<D extends Direction | undefined = undefined>(filter?: FrameFilter<D>): FrameOf<D>[];
  /** The first frame, recorded or still to come, that matches. */
  waitForFrame(predicate: (frame: RecordedFrame) => boolean, timeoutMs?: number): Promise<RecordedFrame>;
  connections(): ConnectionInfo[];
  /** A connection by id (ids count from 0); the latest one when no id is given. */
  connection(id?: number): ConnectionInfo;
  /** The conversation a resumption handle stands for. */
  history(handle: string): readonly Turn[] | undefined;
  readonly pacing: Pacing;
  /** Applies to replies that start from now on. */
  setPacing(pacing: Partial<Pacing>): void;
  /** Applies to connections and turns from now on. */
  loadScenario(scenario: ScenarioInput | string): Promise<void>;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const TWO_HOURS_MS = 2 * 60 * 60 * 1000;
const DEFAULT_LIFETIME = { ms: 10 * 60 * 1000, goAwayNoticeMs: 50 * 1000 };

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  let scenario = options.scenario === undefined ? EMPTY_SCENARIO : await scenarioFrom(options.scenario);
  let pacing: Pacing = { ...DEFAULT_PACING, ...options.pacing };
  const recorder = new FrameRecorder();
  const resumption = new ResumptionStore(options.handleTtlMs ?? TWO_HOURS_MS);
  const connections: EmulatorConnection[] = [];
  const state: EmulatorState = {
    apiKeys: new Set(options.apiKeys ?? ['test-key']),
    models: new ModelTable([...DEFAULT_MODELS, ...(options.models ?? [])]),
    recorder,
    resumption,
    scenario: () => scenario,
    pacing: () => pacing,
    lifetime: options.connectionLifetime === false ? undefined : (options.connectionLifetime ?? DEFAULT_LIFETIME),
    log: options.log ?? (() => undefined),
  };

  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((_request, response) => response.writeHead(404).end());
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = request.url ?? '';
    const endpoint = parseEndpoint(target);
    if (!endpoint) {
      // The service answers unknown paths before the upgrade; clients see the handshake fail (1006).
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new EmulatorConnection(connections.length, target, endpoint, ws, state);
      connections.push(connection);
      state.log(`connection ${connection.id}: open ${target.replace(/([?&](key|access_token)=)[^&]*/, '$1…')}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, HOST, resolve);
  });
  const port = (http.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}`,
    port,
    frames: (filter) => recorder.list(filter),
    waitForFrame: (predicate, timeoutMs = 5000) => recorder.waitFor(predicate, timeoutMs),
    connections: () => [...connections],
    connection(id) {
      const connection = id === undefined ? connections.at(-1) : connections[id];
      if (!connection) throw new Error(id === undefined ? 'no connection yet' : `no connection ${id}`);
      return connection;
    },
    history: (handle) => resumption.history(handle),
    get pacing() {
      return pacing;
    },
    setPacing(change) {
      pacing = { ...pacing, ...change };
    },
    async loadScenario(input) {
      scenario = await scenarioFrom(input);
    },
    async close() {
      for (const connection of connections) connection.drop();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function scenarioFrom(input: ScenarioInput | string): Promise<Scenario> {
  return typeof input === 'string' ? loadScenarioFile(input) : resolveScenario(input);
}
