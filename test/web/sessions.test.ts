// The sessions journey in Chromium, against the real web host and simulator: records captured in
// one run of the host stay a document; the host restarts on the same data folder, the Sessions
// view lists the old session, opens it read-only, filters it to one process, shows Counts of what
// the filter matches, and exports it. The expected numbers come from the old run's raw
// transcript, parsed by `hyperdbg-studio parse` (not from the session database under test).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/paths';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';
import { logCount, openStudio, selectAction, shot, waitSession } from './studio';

const BIN = join(repoRoot, 'bin/hyperdbg-studio.mjs');
const HOST_ARGS = ['--sim-pacing', 'fast', '--sim-seed', '23', '--sim-rate', '3000'];
const WANTED = 'explorer.exe';
const LOGOPEN = join(repoRoot, 'test/fixtures/sessions/analyst-syscalls.logopen');
/** The analyst's own log action (with its schema), imported into the library from their export. */
const ACTION_LOG = 'analyst-names';
const ACTION_LOG_FILE = join(repoRoot, 'test/fixtures/sessions/analyst-log-action.json');

const dataDir = tempDir('hds-sessions-web-');
let browser: Browser;
let host: RunningWebHost | undefined;
let page: Page;
let errors: string[] = [];
/** ImageFileName of every record of the first run, in order, from its transcript. */
let firstRunNames: string[] = [];
let oldId = '';
/** The first run's transcripts: the console's and its record sink's (`-sink-<name>.log`). */
let firstRunLogs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** `cstr[15] @ 0` of a record's bytes (hex), as the seed action's schema decodes it. */
function imageFileName(hex: string): string {
  const bytes = Buffer.from(hex, 'hex').subarray(0, 15);
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul < 0 ? bytes.length : nul).toString('latin1');
}

/** Record names of a transcript, through the CLI's `parse` (the parser's JSON items). */
function transcriptNames(file: string): string[] {
  const r = spawnSync(process.execPath, [BIN, 'parse'], {
    input: readFileSync(file),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  expect(r.status).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"type":"record"'))
    .map((l) => imageFileName((JSON.parse(l) as { bytes: string }).bytes));
}

const opened = (): Locator => page.getByTestId('session-opened');
const inSession = (id: string) => opened().getByTestId(id);
const sessionCount = async (id: string) =>
  Number(((await inSession(id).textContent()) ?? '').replace(/[^0-9]/g, ''));

describe.skipIf(!chromiumAvailable())('sessions as documents', () => {
  it('a first run of the host captures records', async () => {
    host = await startWebHost(HOST_ARGS, dataDir);
    const s = await openStudio(browser, host);
    page = s.page;
    errors = s.errors;
    await waitSession(page, 'ready');
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => logCount(page, 'log-count-total'), { timeout: 30_000 })
      .toBeGreaterThan(600);
    expect(errors).toEqual([]);
    await page.close();
    await host.stop();
    host = undefined;
    // One console transcript, and the record sink's beside it when records were forwarded
    // (the app's record channel): records are in one or the other, never both.
    firstRunLogs = readdirSync(join(dataDir, 'sessions'))
      .filter((n) => n.endsWith('.log'))
      .sort();
    expect(firstRunLogs.filter((n) => !n.includes('-sink-')).length).toBe(1);
    firstRunNames = firstRunLogs.flatMap((n) => transcriptNames(join(dataDir, 'sessions', n)));
    expect(firstRunNames.length).toBeGreaterThan(600);
    expect(firstRunNames).toContain(WANTED);
  });

  it('after a restart on the same data folder, the Sessions view lists the old session', async () => {
    host = await startWebHost(HOST_ARGS, dataDir);
    const s = await openStudio(browser, host);
    page = s.page;
    errors = s.errors;
    await waitSession(page, 'ready');
    await page.getByTestId('tab-sessions').click();
    const rows = page.getByTestId('sessions-row');
    await expect.poll(() => rows.count()).toBe(2);
    const old = page.locator('[data-testid="sessions-row"][data-live="false"]');
    oldId = (await old.getAttribute('data-session')) ?? '';
    expect(oldId).toMatch(/^session-/);
    // Every record the CLI printed in the first run is in its session.
    await expect
      .poll(async () =>
        Number(((await old.getByTestId('sessions-records').textContent()) ?? '').replace(/,/g, '')),
      )
      .toBe(firstRunNames.length);
    expect(await old.textContent()).toMatch(/Simulator/);
    expect(await old.textContent()).toMatch(/vmi/);
    expect(await old.textContent()).toMatch(/ended/);
    const live = page.locator('[data-testid="sessions-row"][data-live="true"]');
    expect(await live.textContent()).toMatch(/running \(this app\)/);
    expect(await live.locator('input[type="checkbox"]').isDisabled()).toBe(true);
    await shot(page, 'sessions-list');
  });

  it('opens the old session read-only with its records, filters it, and Counts follow the filter', async () => {
    await page
      .locator(`[data-testid="sessions-row"][data-session="${oldId}"]`)
      .getByTestId('sessions-open')
      .click();
    await expect.poll(() => opened().getAttribute('data-session')).toBe(oldId);
    expect(await inSession('session-readonly').textContent()).toMatch(/read-only/i);
    await expect.poll(() => sessionCount('log-count-total')).toBe(firstRunNames.length);
    await expect.poll(() => sessionCount('log-count-shown')).toBe(firstRunNames.length);

    await inSession('log-filter-field').selectOption('ImageFileName');
    await inSession('log-filter-value').fill(WANTED);
    await inSession('log-filter-add').click();
    const want = firstRunNames.filter((n) => n === WANTED).length;
    await expect.poll(() => sessionCount('log-count-shown')).toBe(want);
    await expect
      .poll(async () => [...new Set(await inSession('cell-ImageFileName').allTextContents())])
      .toEqual([WANTED]);
    await shot(page, 'sessions-opened-filtered');

    await inSession('session-tab-counts').click();
    await inSession('counts-field').selectOption('ImageFileName');
    await expect
      .poll(() => inSession('counts-scope').textContent())
      .toBe(
        // HDBG1 records (returned buffers) carry no sequence number: loss cannot be told.
        `counts of ${want.toLocaleString('en-US')} delivered records matching ImageFileName == "${WANTED}"; loss unknown (records without sequence numbers)`,
      );
    await expect.poll(() => inSession('counts-row').count()).toBe(1);
    expect(await inSession('counts-row').first().locator('td').first().textContent()).toBe(WANTED);
    await shot(page, 'sessions-opened-counts');

    // Without the filter, the counts are of every record: the transcript's tally.
    await inSession('session-tab-log').click();
    await inSession('log-filter-clear').click();
    await inSession('session-tab-counts').click();
    await expect
      .poll(() => inSession('counts-scope').textContent())
      .toBe(
        `counts of ${firstRunNames.length.toLocaleString('en-US')} delivered records matching all records; loss unknown (records without sequence numbers)`,
      );
    const tally = new Map<string, number>();
    for (const n of firstRunNames) tally.set(n, (tally.get(n) ?? 0) + 1);
    const top = [...tally.entries()].sort((a, b) => b[1] - a[1])[0] as [string, number];
    await expect
      .poll(async () =>
        (await inSession('counts-row').first().locator('td').allTextContents()).slice(0, 1),
      )
      .toEqual([top[0]]);
  });

  it('exports the filtered records of the old session', async () => {
    await inSession('session-tab-log').click();
    await inSession('log-filter-field').selectOption('ImageFileName');
    await inSession('log-filter-value').fill(WANTED);
    await inSession('log-filter-add').click();
    const want = firstRunNames.filter((n) => n === WANTED).length;
    await expect.poll(() => sessionCount('log-count-shown')).toBe(want);
    await inSession('log-export-csv').click();
    await expect.poll(() => inSession('log-export-result').count()).toBe(1);
    const path = (await inSession('log-export-path').textContent()) ?? '';
    // CSV rows end in CRLF (RFC 4180).
    const lines = readFileSync(path, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(
      /^seq,time,generation,event,core,context,action,length,ImageFileName,hex$/,
    );
    expect(lines.length - 1).toBe(want);
    for (const l of lines.slice(1)) expect(l.split(',')[8]).toBe(WANTED);
  });

  it('never deletes the running session; deletes the old one once it is closed', async () => {
    await inSession('session-back').click();
    const old = page.locator(`[data-testid="sessions-row"][data-session="${oldId}"]`);
    await old.locator('input[type="checkbox"]').check();
    await page.getByTestId('sessions-delete-checked').click();
    await page.getByTestId('sessions-confirm-delete').click();
    // Still open (Back keeps it open): refused, and the file stays.
    await expect
      .poll(() => page.getByTestId('sessions-notice').textContent())
      .toMatch(/Deleted 0 sessions\. Kept .*it is open; close it first/);
    const file = join(dataDir, 'sessions', `${oldId}.sqlite3`);
    expect(existsSync(file)).toBe(true);

    await old.getByTestId('sessions-open').click();
    await inSession('session-close').click();
    await old.locator('input[type="checkbox"]').check();
    await page.getByTestId('sessions-delete-checked').click();
    await page.getByTestId('sessions-confirm-delete').click();
    await expect
      .poll(() => page.getByTestId('sessions-notice').textContent())
      .toMatch(/Deleted 1 session\./);
    await expect.poll(() => page.getByTestId('sessions-row').count()).toBe(1);
    expect(existsSync(file)).toBe(false);
    // Its transcripts went with it; the running session's console transcript stays.
    const left = readdirSync(join(dataDir, 'sessions')).filter((n) => n.endsWith('.log'));
    for (const n of firstRunLogs) expect(left).not.toContain(n);
    expect(left.filter((n) => !n.includes('-sink-')).length).toBe(1);
    expect(errors).toEqual([]);
  });

  it('imports a .logopen file picked in the browser, with a choice for the event no action matched', async () => {
    // The analyst's log action, whose script the .logopen's event 1 ran, is in the library.
    await page.getByTestId('import-file').setInputFiles(ACTION_LOG_FILE);
    await page.locator(`[data-testid="action-row"][data-action-name="${ACTION_LOG}"]`).waitFor();
    await page.getByTestId('tab-sessions').click();
    await page.getByTestId('sessions-import').click();
    const dialog = page.getByTestId('sessions-import-dialog');
    await dialog.getByTestId('sessions-import-file').setInputFiles(LOGOPEN);
    await expect.poll(() => dialog.getByTestId('sessions-import-records').textContent()).toBe('80');
    const row = (id: string) =>
      dialog.locator(`[data-testid="sessions-import-event"][data-event="${id}"]`);
    expect(await row('1').textContent()).toMatch(/its script/);
    expect(await row('2').textContent()).toMatch(/no library action has its code or script/);
    await row('2').getByTestId('sessions-import-action').selectOption({ label: ACTION_LOG });
    await dialog.getByTestId('sessions-import-label').fill('analyst box');
    await shot(page, 'sessions-import-plan');
    await dialog.getByTestId('sessions-import-go').click();
    await expect
      .poll(() => dialog.getByTestId('sessions-import-done').textContent())
      .toMatch(/Imported 80 records \(1 malformed lines\)/);
    expect(await dialog.getByTestId('sessions-import-notes').textContent()).toMatch(
      /event 0: 10 records stay hex/,
    );
    await dialog.getByTestId('sessions-import-open').click();
    await expect.poll(() => sessionCount('log-count-total')).toBe(80);
    await inSession('log-filter-action').selectOption({ label: ACTION_LOG });
    await expect.poll(() => sessionCount('log-count-shown')).toBe(70);
    expect(errors).toEqual([]);
  });
});
