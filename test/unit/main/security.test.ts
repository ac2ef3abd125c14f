// Security defaults of the Electron shell, asserted without an Electron binary.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP, RENDERER_CSP_META } from '../../../shared/contract/csp';
import {
  hardenSession,
  hardenWebContents,
  isAllowedExternalUrl,
  isAppUrl,
  windowOptions,
  type HardenableContents,
  type HardenableSession,
} from '../../../electron/main/security';
import { isTrustedFrame } from '../../../electron/main/ipc';
import { distDir } from '../../helpers/paths';

describe('window options', () => {
  it('isolate, sandbox and deny node in the renderer', () => {
    const prefs = windowOptions('/p/preload.cjs').webPreferences ?? {};
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.preload).toBe('/p/preload.cjs');
  });
});

describe('content security policy', () => {
  it("restricts everything to 'self' and forbids inline scripts", () => {
    const directives = new Map(
      RENDERER_CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval/);
  });

  it('is written into the built index.html as a meta tag: the header minus header-only directives', () => {
    const html = readFileSync(join(distDir, 'renderer/index.html'), 'utf8');
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(m?.[1]).toBe(RENDERER_CSP_META);
    expect(RENDERER_CSP_META).not.toContain('frame-ancestors');
    expect(RENDERER_CSP.startsWith(RENDERER_CSP_META.slice(0, 60))).toBe(true);
  });
});

describe('navigation and windows', () => {
  function contents() {
    const handlers = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const c = {
      on: (name: string, fn: never) => {
        handlers.set(name, fn);
        return c;
      },
      setWindowOpenHandler: (fn: never) => {
        openHandler = fn;
      },
    };
    const navigate = (url: string, name = 'will-navigate') => {
      let prevented = false;
      handlers.get(name)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return {
      c: c as unknown as HardenableContents,
      navigate,
      open: (url: string) => openHandler?.({ url }),
    };
  }

  it('prevents navigation away from the app and opens only allow-listed https links', () => {
    const opened: string[] = [];
    const { c, navigate, open } = contents();
    hardenWebContents(c, (u) => opened.push(u));
    expect(navigate('studio://app/index.html')).toBe(false);
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('https://docs.hyperdbg.org/x')).toBe(true);
    expect(navigate('http://localhost:1234/', 'will-redirect')).toBe(true);
    expect(open('https://github.com/HyperDbg/HyperDbg')).toEqual({ action: 'deny' });
    expect(open('http://github.com/')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.hyperdbg.org/x', 'https://github.com/HyperDbg/HyperDbg']);
  });

  it('classifies URLs strictly', () => {
    expect(isAppUrl('studio://app/x.js')).toBe(true);
    expect(isAppUrl('studio://other/x.js')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
    expect(isTrustedFrame({ url: 'studio://app/index.html', parent: null })).toBe(true);
    expect(
      isTrustedFrame({ url: 'studio://app/index.html', parent: { url: 'x', parent: null } }),
    ).toBe(false);
  });
});

describe('permissions', () => {
  /** Everything Chromium can ask for (Electron's permission names), a page of ours or not. */
  const PERMISSIONS = [
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'geolocation',
    'idle-detection',
    'media',
    'mediaKeySystem',
    'midi',
    'midiSysex',
    'notifications',
    'pointerLock',
    'keyboardLock',
    'openExternal',
    'speaker-selection',
    'storage-access',
    'top-level-storage-access',
    'window-management',
    'unknown',
    'fileSystem',
    'hid',
    'serial',
    'usb',
  ];

  function session() {
    let request:
      | ((wc: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl?: string }) => void)
      | null = null;
    let check: ((wc: unknown, p: string, origin: string) => boolean) | null = null;
    let device: ((d: unknown) => boolean) | null = null;
    const s = {
      setPermissionRequestHandler: (fn: never) => void (request = fn),
      setPermissionCheckHandler: (fn: never) => void (check = fn),
      setDevicePermissionHandler: (fn: never) => void (device = fn),
    };
    hardenSession(s as unknown as HardenableSession);
    const asked = (p: string, url: string) => {
      let answer: boolean | undefined;
      request?.(null, p, (ok) => (answer = ok), { requestingUrl: url });
      return answer;
    };
    return {
      asked,
      checked: (p: string, origin: string) => check?.(null, p, origin),
      device: () => device?.({}),
    };
  }

  it('denies every permission request and check, except writing the clipboard from the app', () => {
    const { asked, checked, device } = session();
    for (const p of PERMISSIONS) {
      const mayAsk = p === 'clipboard-sanitized-write';
      expect(asked(p, 'studio://app/index.html'), p).toBe(mayAsk);
      expect(checked(p, 'studio://app'), p).toBe(mayAsk);
      expect(asked(p, 'https://evil.example/'), p).toBe(false);
      expect(checked(p, 'https://evil.example'), p).toBe(false);
      expect(checked(p, 'file://'), p).toBe(false);
    }
    expect(device()).toBe(false);
  });
});
