// Sandboxed preload, bundled to one CommonJS file: exposes window.studio and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('studio', createBridge(ipcRenderer));
