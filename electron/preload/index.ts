/**
 * Sandboxed preload: exposes `window.parley`, one named method per contract
 * entry the page's window may use. Renderers never see `ipcRenderer` or an IPC
 * event object.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { windowKindOfPage } from '../../shared/windows';
import { buildParleyApi } from './parley-api';

/** The page this preload runs for (the preload is type-checked with main, which has no DOM). */
declare const location: { readonly pathname: string };

contextBridge.exposeInMainWorld('parley', buildParleyApi(ipcRenderer, windowKindOfPage(location.pathname)));
