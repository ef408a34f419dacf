import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { builtPreload } from './paths';

/**
 * What Electron gives a sandboxed preload, and nothing more: a `require`
 * that only knows 'electron', whose `contextBridge` and `ipcRenderer` are
 * routed to the Node-side IPC port through Playwright bindings.
 */
const electronShim = `(() => {
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, payload) => window.__parleyIpcInvoke(channel, payload),
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
  Object.defineProperty(window, '__parleyIpcDispatch', {
    value: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer }, payload);
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
 * The built preload runs verbatim (plus a sourceURL, so coverage maps back
 * to it) with the shim's `require`/`module`/`exports` in scope.
 */
export function preloadInitScripts(): string[] {
  const source = readFileSync(builtPreload, 'utf8');
  const scoped = `with (window.__parleyPreloadScope) {${source}\n}\ndelete window.__parleyPreloadScope;\n//# sourceURL=${pathToFileURL(builtPreload).href}`;
  return [electronShim, scoped];
}
