// Security policy of the Electron shell, as plain data and functions (type-only `electron`
// imports) so tests can assert it without an Electron binary.
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** The renderer is served from this privileged scheme, never from file:// or http://. */
export const APP_SCHEME = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Hosts that external links may open in the user's browser; https only. */
export const EXTERNAL_ALLOW_LIST: readonly string[] = [
  'docs.hyperdbg.org',
  'hyperdbg.org',
  'github.com',
];

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 720,
    minHeight: 480,
    title: 'HyperDbg Studio',
    show: false,
    backgroundColor: '#14161a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === 'https:' &&
      u.username === '' &&
      u.password === '' &&
      EXTERNAL_ALLOW_LIST.includes(u.hostname)
    );
  } catch {
    return false;
  }
}

/** The subset of WebContents the hardening needs; tests pass a recording stand-in. */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * No navigation away from the app, no new windows; allow-listed https links go to the user's
 * browser instead.
 */
export function hardenWebContents(
  contents: HardenableContents,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      if (isAllowedExternalUrl(url)) openExternal(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * The one permission the app's own page uses: writing the clipboard (copying a command line in
 * the event binder). Everything else (camera, notifications, USB, serial, HID, file system,
 * geolocation, ...) is denied, whoever asks.
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

function appOrigin(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

/** The subset of Session the hardening needs; tests pass a recording stand-in. */
export type HardenableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Permission requests and checks denied by default; device access (USB, serial, HID) never. */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(APP_PERMISSIONS.has(permission) && appOrigin(details.requestingUrl)),
  );
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      APP_PERMISSIONS.has(permission) && appOrigin(requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
