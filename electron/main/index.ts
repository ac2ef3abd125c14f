// Electron main process: the thin shell. Single instance, the app:// protocol serving the built
// renderer with its CSP, one secure window, the menu, and the contract on ipcMain. Everything
// else lives in ../host, shared with the web host.
import { app, BrowserWindow, ipcMain, Menu, protocol, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import { RENDERER_CSP } from '../../shared/contract/csp';
import { createHost, type Host } from '../host/composition';
import { installFatalHandlers } from '../host/fatal';
import { loadStatic } from '../host/staticFiles';
import { registerIpc } from './ipc';
import { menuTemplate } from './menu';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  hardenSession,
  hardenWebContents,
  isAllowedExternalUrl,
  windowOptions,
} from './security';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function openExternal(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

let mainWindow: BrowserWindow | undefined;
let host: Host | undefined;

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(preloadPath));
  mainWindow = win;
  hardenWebContents(win.webContents, openExternal);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = undefined;
  });
  void win.loadURL(APP_ENTRY_URL);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Any webContents created later (devtools excepted) gets the same hardening.
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, openExternal));

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      const file = url.host === 'app' ? await loadStatic(rendererDir, url.pathname) : undefined;
      if (file === undefined) return new Response('not found', { status: 404 });
      return new Response(new Uint8Array(file.body), {
        headers: {
          'Content-Type': file.contentType,
          'Content-Security-Policy': RENDERER_CSP,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    });
    host = await createHost({
      hostKind: 'electron',
      dataDir: app.getPath('userData'),
      appVersion: pkg.version,
    });
    const created = host;
    for (const problem of host.storageProblems) console.error(`HyperDbg Studio: ${problem}`);
    installFatalHandlers({ flushSync: () => created.flushSync() });
    registerIpc(ipcMain, host.handlers, host.hub);
    const hub = host.hub;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(
          process.platform === 'darwin',
          (command) => hub.publish('app:menu', { command }),
          openExternal,
        ),
      ),
    );
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void host?.dispose());
}
