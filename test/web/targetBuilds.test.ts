// Actions that fit the target, in Chromium against the simulator: the same portable ImageFileName
// action on a 1909 (18363) and a 2004 (19041) guest, its fields resolved for each build and real
// process names arriving on both; a dry run from the binder; an action with the seed's 1909
// offset on a 2004 guest flagged by the listing and, once applied, by decode sanity within
// seconds; and an unknown build without symbols refused on Apply with a clear message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';
import {
  GUEST_PROCESS_NAMES,
  logCount,
  openStudio,
  selectAction,
  setEditorText,
  shot,
  shownNames,
  waitBuild,
  waitSession,
  type StudioPage,
} from './studio';

/** EPROCESS.ImageFileName per build (Vergilius Project, resources/windows-builds.json). */
const IMAGE_FILE_NAME: Readonly<
  Record<number, { offset: string; bytes: string; release: string }>
> = {
  18363: {
    offset: '0x450',
    bytes: '65488B042588010000488B80B8000000480550040000C3',
    release: 'Windows 10 1909',
  },
  19041: {
    offset: '0x5a8',
    bytes: '65488B042588010000488B80B80000004805A8050000C3',
    release: 'Windows 10 2004',
  },
};

async function studioOn(args: readonly string[]): Promise<{
  host: RunningWebHost;
  browser: Browser;
  s: StudioPage;
}> {
  const host = await startWebHost(['--sim-pacing', 'fast', '--sim-seed', '5', ...args]);
  const browser = await launchChromium();
  const s = await openStudio(browser, host);
  await waitSession(s.page, 'ready');
  await waitBuild(s.page);
  return { host, browser, s };
}

describe.skipIf(!chromiumAvailable()).each([18363, 19041])(
  'the ImageFileName journey on build %i',
  (build) => {
    let host: RunningWebHost;
    let browser: Browser;
    let s: StudioPage;
    let page: Page;
    const want = IMAGE_FILE_NAME[build] as (typeof IMAGE_FILE_NAME)[number];
    beforeAll(async () => {
      ({ host, browser, s } = await studioOn(['--sim-os-build', String(build)]));
      page = s.page;
    });
    afterAll(async () => {
      await browser?.close();
      await host?.stop();
    });

    it('shows the build in the header', async () => {
      expect(await page.getByTestId('target-build').textContent()).toBe(
        `${want.release} · build ${build}`,
      );
    });

    it("binds the one portable action with the build's offsets, from the target's symbols", async () => {
      await selectAction(page, 'Current process ImageFileName');
      await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
      await expect
        .poll(() => page.getByTestId('command-preview').textContent())
        .toBe(`!syscall buffer 18 code {${want.bytes}}`);
      const fields = page.getByTestId('binder-fields');
      expect(await fields.textContent()).toContain(
        `EPROCESS.ImageFileName = ${want.offset} (symbols: dt nt!_EPROCESS)`,
      );
      expect(await fields.textContent()).toContain(
        `Structure fields resolved for ${want.release} (build ${build})`,
      );
      await shot(page, `builds-${build}-binder`);
    });

    it('dry-runs it on a guest of that build: the sampled processes’ names', async () => {
      await page.getByTestId('binder-dry-run').click();
      const report = page.getByTestId('dry-run-report');
      await expect
        .poll(() => report.getByTestId('dry-run-field-ImageFileName').first().textContent(), {
          timeout: 20_000,
        })
        .toBe('notepad.exe');
      expect(await report.getByTestId('dry-run-target').textContent()).toContain(
        `Windows build ${build}`,
      );
      expect(await report.getByTestId('dry-run-access').nth(1).textContent()).toMatch(
        /\+ 0xb8 \(ApcState\.Process\)/,
      );
      await shot(page, `builds-${build}-dry-run`);
      await report.getByRole('button', { name: 'Close the dry run' }).click();
    });

    it('applies it: real process names arrive, and nothing looks wrong', async () => {
      await page.getByTestId('apply-binding').click();
      await expect
        .poll(() => page.getByTestId('toast').last().textContent())
        .toMatch(/Event 1 registered/);
      await expect
        .poll(() => logCount(page, 'log-count-total'), { timeout: 20_000 })
        .toBeGreaterThan(100);
      const seen = new Set<string>();
      await expect
        .poll(async () => {
          for (const n of await shownNames(page)) seen.add(n);
          return seen.size;
        })
        .toBeGreaterThan(3);
      for (const n of seen) expect(GUEST_PROCESS_NAMES, `'${n}'`).toContain(n);
      expect(await page.getByTestId('decode-warning').count()).toBe(0);
      await shot(page, `builds-${build}-records`);
      expect(s.errors).toEqual([]);
    });
  },
);

describe.skipIf(!chromiumAvailable())('a deliberately wrong offset', () => {
  let host: RunningWebHost;
  let browser: Browser;
  let s: StudioPage;
  let page: Page;
  beforeAll(async () => {
    ({ host, browser, s } = await studioOn(['--sim-os-build', '19041']));
    page = s.page;
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('the listing says +0x450 is ImageFileName on other builds than the target', async () => {
    await page.getByRole('button', { name: 'New ▾' }).click();
    await page.getByRole('menuitem', { name: 'Custom code' }).click();
    // The new action is in the editor before it is named (a name typed earlier would be
    // replaced by the default one when the editor loads it).
    await expect
      .poll(() => page.getByLabel('Name', { exact: true }).inputValue())
      .toMatch(/^New custom code action/);
    await page.getByLabel('Name', { exact: true }).fill('ImageFileName, 1909 offsets');
    // The seed document's action as written for 1909: a number where the field should be named.
    await setEditorText(
      page,
      'code-editor',
      'mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0xb8]\nadd rax, 0x450\nret',
    );
    await page.getByTestId('buffer-size-field').locator('input').fill('18');
    await page.getByRole('button', { name: /Add field/ }).click();
    await page.getByLabel('Field 1 name').fill('ImageFileName');
    await page.getByLabel('Field 1 type').fill('cstr[15]');
    await expect
      .poll(() => page.getByTestId('code-listing-diagnostics').textContent())
      .toMatch(
        /EPROCESS \+ 0x450 is EPROCESS\.ImageFileName on builds 17763-18363, not on the target \(Windows 10 2004 \(build 19041\)/,
      );
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('action-version').textContent()).toBe('v2');
  });

  it('applied anyway, decode sanity flags it in the log and the event list within seconds', async () => {
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await page.getByTestId('binder-kind').selectOption('!syscall');
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toBe('!syscall buffer 18 code {65488B042588010000488B80B8000000480550040000C3}');
    const applied = Date.now();
    await page.getByTestId('apply-binding').click();
    await page.getByTestId('tab-log').click();
    await expect
      .poll(() => page.getByTestId('decode-warning').textContent(), { timeout: 10_000 })
      .toMatch(
        /Event 1 \(ImageFileName, 1909 offsets\): ImageFileName is (blank|not text) in \d+ of the first \d+ records: the action probably reads structure offsets of another Windows build/,
      );
    expect(Date.now() - applied).toBeLessThan(10_000);
    await shot(page, 'builds-wrong-offset-log');
    await page.getByTestId('tab-events').click();
    await expect
      .poll(() =>
        page
          .locator('[data-testid="event-row"][data-event-id="1"]')
          .getByTestId('event-decode-warning')
          .textContent(),
      )
      .toMatch(/another Windows build/);
    expect(s.errors).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable())('an unknown build without symbols', () => {
  let host: RunningWebHost;
  let browser: Browser;
  let s: StudioPage;
  let page: Page;
  beforeAll(async () => {
    ({ host, browser, s } = await studioOn(['--sim-os-build', '20000', '--sim-symbols', 'none']));
    page = s.page;
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('is refused on Apply with a message naming the build, the field and what to do', async () => {
    expect(await page.getByTestId('target-build').textContent()).toBe('Windows · build 20000');
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    const error = page
      .getByTestId('event-binder')
      .locator('.field')
      .filter({ has: page.getByTestId('binder-code') })
      .locator('.field-error');
    await expect
      .poll(() => error.textContent(), { timeout: 20_000 })
      .toMatch(
        /'Current process ImageFileName' cannot be bound to this target: .*build 20000 is not in the table of known Windows builds .* and the target's symbols did not give it \(hyperdbg-cli has no symbol path\): load the target's symbols \(\.sym reload\) or use a known build/,
      );
    expect(await page.getByTestId('apply-binding').isDisabled()).toBe(true);
    expect(await page.getByTestId('command-preview').count()).toBe(0);
    // Ctrl+Enter applies nothing either: only the build probe's event exists.
    await page.getByTestId('binder-kind').focus();
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('tab-events').click();
    await expect
      .poll(() =>
        page
          .getByTestId('event-row')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id'))),
      )
      .toEqual(['0']);
    await shot(page, 'builds-unknown-refused');
    expect(s.errors).toEqual([]);
  });
});
