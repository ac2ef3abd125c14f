// What the workflow browser tests share: one set-up per file (web host, Chromium, a page on the
// app), journeys whose steps stop at the first failure, the session's state as the header shows
// it, finding the simulator process the host started (to kill it as a crash would), and named
// screenshots. Test side.
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { artifactPath } from '../helpers/paths';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';

export interface StudioPage {
  readonly page: Page;
  /** Uncaught page errors and console errors, for a final `toEqual([])`. */
  readonly errors: string[];
}

export async function openStudio(
  browser: Browser,
  host: Pick<StudioHost, 'url'>,
  viewport = { width: 1440, height: 900 },
): Promise<StudioPage> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(host.url);
  return { page, errors };
}

/** What a browser test needs of a host: where the app is, and how to stop it. */
export interface StudioHost {
  readonly url: string;
  stop(): Promise<void>;
}

/** A file's host, browser and page, usable in its tests and hooks once set up. */
export interface StudioSuite<H extends StudioHost = RunningWebHost> extends StudioPage {
  readonly host: H;
  readonly browser: Browser;
}

export interface StudioSetup {
  /** Wait until the session is `ready` (first run connects the simulator) before any test. */
  readonly ready?: boolean;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Open no page: the file's tests open their own (`openStudio`). */
  readonly noPage?: boolean;
}

/**
 * The one set-up of a browser test file: starts the host (the built web host with these
 * arguments, or what `startHost` starts), Chromium, and a page on the app before the file's
 * tests (beforeAll), and stops them after (afterAll). Reading a field before the set-up finished,
 * or after it failed, says so instead of failing somewhere unrelated on an undefined page.
 */
export function useStudio(hostArgs: readonly string[], setup?: StudioSetup): StudioSuite;
export function useStudio<H extends StudioHost>(
  startHost: () => Promise<H>,
  setup?: StudioSetup,
): StudioSuite<H>;
export function useStudio(
  how: readonly string[] | (() => Promise<StudioHost>),
  setup: StudioSetup = {},
): StudioSuite<StudioHost> {
  let host: StudioHost | undefined;
  let browser: Browser | undefined;
  let opened: StudioPage | undefined;
  let failure = 'the set-up has not run yet';
  const need = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`no ${what}: ${failure}`);
    return x;
  };
  beforeAll(async () => {
    try {
      host = typeof how === 'function' ? await how() : await startWebHost(how);
      browser = await launchChromium();
      if (setup.noPage === true) {
        failure = 'this file opens its own pages (noPage)';
        return;
      }
      opened = await openStudio(browser, host, setup.viewport);
      if (setup.ready === true) await waitSession(opened.page, 'ready');
    } catch (e) {
      failure = `the set-up failed (${e instanceof Error ? e.message : String(e)})`;
      throw e;
    }
  });
  afterAll(async () => {
    failure = 'the set-up was torn down';
    await browser?.close();
    await host?.stop();
  });
  return {
    get host() {
      return need(host, 'web host');
    },
    get browser() {
      return need(browser, 'browser');
    },
    get page() {
      return need(opened, 'page').page;
    },
    get errors() {
      return need(opened, 'page').errors;
    },
  };
}

/**
 * A journey's steps, each one test that builds on the ones before it. After a step fails, the
 * later ones are skipped with the name of the step that failed, rather than failing in turn for
 * reasons that have nothing to do with them.
 */
export function journeySteps(): (name: string, fn: () => Promise<void>, timeout?: number) => void {
  let failed: string | undefined;
  return (name, fn, timeout) =>
    it(
      name,
      async (ctx) => {
        if (failed !== undefined) ctx.skip(`an earlier step of this journey failed: "${failed}"`);
        try {
          await fn();
        } catch (e) {
          failed = name;
          throw e;
        }
      },
      timeout,
    );
}

/** Waits until the header says the session is `status` (data-status attribute). */
export async function waitSession(page: Page, status: string, timeout = 20_000): Promise<void> {
  await page.locator(`[data-testid="session-state"][data-status="${status}"]`).waitFor({ timeout });
}

/**
 * Waits until the header names the target's Windows build: the app's one-shot build probe
 * (event 0 of a VMI session, cleared once it answered) is done, so the user's events start at 1.
 */
export async function waitBuild(page: Page, timeout = 20_000): Promise<void> {
  await page.locator('[data-testid="target-build"]:not([data-build=""])').waitFor({ timeout });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifactPath(`${name}.png`) });
}

/** Pids of the simulator processes whose parent is `parentPid` (the web host). */
export function simulatorPids(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the parenthesised name) is the parent pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parentPid) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('sim/index.mjs')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Selects the library action whose name starts with `prefix`. */
export async function selectAction(page: Page, prefix: string): Promise<void> {
  await page.locator(`[data-testid="action-row"][data-action-name^="${prefix}"]`).first().click();
  await expect
    .poll(() => page.getByTestId('action-editor').getAttribute('aria-label'))
    .toMatch(new RegExp(`^Edit ${prefix.replace(/[()]/g, '\\$&')}`));
}

/** The text of CodeMirror line `n` (1-based) in the editor with this test id. */
export function editorLine(page: Page, testId: string, n: number) {
  return page
    .getByTestId(testId)
    .locator('.cm-line')
    .nth(n - 1);
}

/** Replaces the whole text of a CodeMirror editor as a user would (select all, type). */
export async function setEditorText(page: Page, testId: string, text: string): Promise<void> {
  const content = page.getByTestId(testId).locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * ImageFileName of every process in the simulated guest (electron/sim/emulator/windowsGuest.ts,
 * PROCESS_TEMPLATES, plus Idle and System): Windows keeps 14 characters and a NUL in its
 * 15-byte ImageFileName, so longer names come back cut, as Task Manager's details show them.
 */
export const GUEST_PROCESS_NAMES: ReadonlySet<string> = new Set([
  'Idle',
  'System',
  'Registry',
  'smss.exe',
  'csrss.exe',
  'wininit.exe',
  'winlogon.exe',
  'services.exe',
  'lsass.exe',
  'svchost.exe',
  'MsMpEng.exe',
  'dwm.exe',
  'explorer.exe',
  'SearchIndexer.',
  'MicrosoftEdgeU',
  'cmd.exe',
  'conhost.exe',
  'notepad.exe',
]);

/** A number the log's status bar shows (`1,234 records` -> 1234). */
export async function logCount(page: Page, testId: string): Promise<number> {
  return Number(((await page.getByTestId(testId).textContent()) ?? '').replace(/[^0-9]/g, ''));
}

/** Every ImageFileName cell the log shows now. */
export async function shownNames(page: Page, field = 'ImageFileName'): Promise<string[]> {
  return page.getByTestId(`cell-${field}`).allTextContents();
}
