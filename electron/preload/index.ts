/**
 * Sandboxed preload: exposes `window.parley`, one named method per contract
 * entry. Renderers never see `ipcRenderer` or an IPC event object.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildParleyApi } from './parley-api';

contextBridge.exposeInMainWorld('parley', buildParleyApi(ipcRenderer));
