import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { builtPreload } from './paths';

/**
 * What Electron gives a sandboxed preload, and nothing more: a `require`
 * that only knows 'electron', whose `contextBridge` and `ipcRenderer` are
 * routed to the Node-side IPC port through Playwright bindings.
 */
const electronShim = `(() => {
  ${bytesCodec('encodeBytes', 'decodeBytes')}
  const listeners = new Map();
  // Sends made in one task cross the bridge together, in order, right after it (a busy page queues many tasks:
  // one crossing per task would fall further behind), and always before a later invoke, as in Electron.
  const pendingSends = [];
  const flushSends = () => {
    if (pendingSends.length > 0) void window.__parleyIpcSend(pendingSends.splice(0));
  };
  const afterTask = new MessageChannel();
  afterTask.port1.onmessage = flushSends;
  const ipcRenderer = {
    invoke: (channel, payload) => {
      flushSends();
      return window.__parleyIpcInvoke(channel, encodeBytes(payload)).then(decodeBytes);
    },
    send: (channel, payload) => {
      if (pendingSends.push([channel, encodeBytes(payload)]) === 1) afterTask.port2.postMessage(null);
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  // Main's events, in order; a listener that throws is reported as uncaught, as in Electron, and the rest still run.
  Object.defineProperty(window, '__parleyIpcDispatch', {
    value: (events) => {
      for (const [channel, payload] of events) {
        const decoded = decodeBytes(payload);
        for (const listener of listeners.get(channel) ?? []) {
          try {
            listener({ sender: ipcRenderer }, decoded);
          } catch (error) {
            setTimeout(() => {
              throw error;
            });
          }
        }
      }
    },
  });
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true });
    },
  };
  const module = { exports: {} };
  window.__parleyPreloadScope = {
    require(name) {
      if (name === 'electron') return { contextBridge, ipcRenderer };
      throw new Error('a sandboxed preload cannot require ' + name);
    },
    module,
    exports: module.exports,
  };
})();`;

/**
 * Electron's IPC carries typed arrays by structured clone; Playwright's
 * bindings carry JSON. Bytes cross as {__bytes: base64} and are rebuilt on
 * the other side (test plumbing only: shipped code never sees base64).
 */
function bytesCodec(encodeName: string, decodeName: string): string {
  return `const ${encodeName} = (value) => {
    if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
      const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { __bytes: btoa(binary) };
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ${encodeName}(v)]));
    }
    return value;
  };
  const ${decodeName} = (value) => {
    if (value && typeof value === 'object' && typeof value.__bytes === 'string') {
      return Uint8Array.from(atob(value.__bytes), (c) => c.charCodeAt(0));
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ${decodeName}(v)]));
    }
    return value;
  };`;
}

/** The Node side of the same codec. */
export function encodeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return { __bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeBytes(inner)]));
  }
  return value;
}

export function decodeBytes(value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as { __bytes?: unknown }).__bytes === 'string') {
    return new Uint8Array(Buffer.from((value as { __bytes: string }).__bytes, 'base64'));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decodeBytes(inner)]));
  }
  return value;
}

/**
 * The built preload runs verbatim (plus a sourceURL, so coverage maps back
 * to it) with the shim's `require`/`module`/`exports` in scope.
 */
export function preloadInitScripts(): string[] {
  const source = readFileSync(builtPreload, 'utf8');
  const scoped = `with (window.__parleyPreloadScope) {${source}\n}\ndelete window.__parleyPreloadScope;\n//# sourceURL=${pathToFileURL(builtPreload).href}`;
  return [electronShim, scoped];
}
