// The journey against a stock v0.23 build (`sim --stock`): custom code's buffer never comes back
// (spec §5.2), so the app says so and offers the action's own log form, a script derived from its
// code that prints the same record (reading the same memory), instead of waiting for records that
// cannot come; with it, process names arrive as on a patched build, through the app's output sink
// (spec §6.4). No other action is offered. A code action asks for confirmation first, with the
// evidence (NX pool, spec §5.6); cancelled, nothing happens; confirmed, it bug-checks the
// simulated machine: the session is lost with the cause named and every record kept.
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import { payloadToRecordScript } from '../../shared/hyperdbg/recordScript';
import {
  GUEST_PROCESS_NAMES,
  journeySteps,
  logCount,
  selectAction,
  shot,
  shownNames,
  useStudio,
  waitBuild,
  waitSession,
} from './studio';

const s = useStudio(['--sim-pacing', 'fast', '--sim-stock', '--sim-seed', '3'], { ready: true });
let page: Page;

/**
 * The action's log form on the default 1909 guest: one HDBG2 line (buffer-records.md §2a) with
 * ImageFileName's 15 bytes as two words read at $proc + 0x450 (KTHREAD.ApcState.Process is what
 * $proc reads; EPROCESS.ImageFileName is +0x450 on 1909), numbered per core in its buffer.
 */
const LOG_FORM_LINE = `!syscall buffer 200 script {${payloadToRecordScript({
  length: 0xf,
  words: ['dq($proc+0x450)', 'dq($proc+0x458)'],
  origin: 'derived',
})}}`;

beforeAll(async () => {
  page = s.page;
  // Event 0 is the app's build probe (applied and cleared at connect): wait until it is done.
  await waitBuild(page);
});

describe.skipIf(!chromiumAvailable())('the journey on a stock build', () => {
  const step = journeySteps();

  step('says up front that custom-code buffers never come back', async () => {
    await expect
      .poll(() => page.getByTestId('session-notice').allTextContents())
      .toContainEqual(
        expect.stringMatching(
          /stock HyperDbg build: custom code runs but its returned buffer never comes back/,
        ),
      );
    expect(await page.getByTestId('simulated-badge').isVisible()).toBe(true);
  });

  step(
    "offers the action's own log form instead of its code, and records arrive with it",
    async () => {
      await selectAction(page, 'Current process ImageFileName');
      await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
      const notice = page.getByTestId('stock-notice');
      await expect.poll(() => notice.textContent()).toMatch(/will produce no records/);
      await expect
        .poll(() => notice.textContent())
        .toMatch(/Its log form \(derived from its code\) prints the same record/);
      expect(await page.getByTestId('use-log-form').textContent()).toBe('Use its log form');
      await shot(page, 'stock-offer-log-form');
      await page.getByTestId('use-log-form').click();
      await expect
        .poll(() => page.getByTestId('command-preview').textContent())
        .toBe(LOG_FORM_LINE);
      expect(await page.getByTestId('stock-notice').count()).toBe(0);
      // Sent with the app's record sink (docs/hyperdbg-v0.23.md §6.4), and the header says so.
      expect(await page.getByTestId('records-channel').textContent()).toBe(
        'records: forwarded (tcp)',
      );
      expect(await page.getByTestId('command-sent').textContent()).toMatch(
        /^!syscall buffer 200 output \{hds_[0-9a-f]{8}\} script \{eq\(\$buffer .* printf\("HDBG2 /,
      );
      await page.getByTestId('apply-binding').click();
      await expect
        .poll(() => page.getByTestId('toast').last().textContent())
        .toMatch(/Event 1 registered/);

      await expect
        .poll(() => logCount(page, 'log-count-total'), { timeout: 20_000 })
        .toBeGreaterThan(50);
      const seen = new Set<string>();
      await expect
        .poll(async () => {
          for (const n of await shownNames(page)) seen.add(n);
          return seen.size;
        })
        .toBeGreaterThan(2);
      for (const n of seen) expect(GUEST_PROCESS_NAMES, `'${n}'`).toContain(n);
      await shot(page, 'stock-records');
    },
  );

  step(
    'a code action asks first: what will happen, why, which machine, and what instead',
    async () => {
      await selectAction(page, 'Current process ImageFileName');
      await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
      // Bind the code itself this time, not its log form.
      if ((await page.getByTestId('binder-use-log-form').count()) > 0)
        await page.getByTestId('binder-use-log-form').uncheck();
      await expect
        .poll(() => page.getByTestId('command-preview').textContent())
        .toMatch(/^!syscall buffer 18 code \{/);
      await page.getByTestId('apply-binding').click();
      const dialog = page.getByTestId('nx-confirm');
      await dialog.waitFor();
      // The evidence of docs/hyperdbg-v0.23.md §5.6: the allocation, the bug check, the machine.
      expect(await dialog.getByTestId('nx-what').textContent()).toMatch(
        /bug check 0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY, or a hang/,
      );
      expect(await dialog.getByTestId('nx-why').textContent()).toMatch(
        /ExAllocatePool2\(POOL_FLAG_NON_PAGED\), which is non-executable memory, and calls the code there in place \(docs\/hyperdbg-v0\.23\.md §5\.6\)/,
      );
      expect(await dialog.getByTestId('nx-where').textContent()).toMatch(
        /In local VMI mode the target is this machine: Windows, HyperDbg and this app go down/,
      );
      expect(await dialog.getByTestId('nx-use-log-form').textContent()).toBe(
        'Use its log form instead',
      );
      await shot(page, 'stock-nx-confirm');
      // Cancel: nothing is sent, the session goes on and records keep coming.
      await dialog.getByTestId('nx-cancel').click();
      expect(await page.getByTestId('nx-confirm').count()).toBe(0);
      const atCancel = await logCount(page, 'log-count-total');
      await expect
        .poll(() => logCount(page, 'log-count-total'), { timeout: 10_000 })
        .toBeGreaterThan(atCancel);
      expect(await page.getByTestId('session-state').getAttribute('data-status')).toBe('ready');
      await page.getByTestId('tab-events').click();
      // Only the log form's event: the code action's was never sent (event 0 is the build probe).
      await expect
        .poll(() =>
          page
            .getByTestId('event-row')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id'))),
        )
        .toEqual(['0', '1']);
      await page.getByTestId('tab-log').click();
    },
  );

  step(
    'confirmed, it bug-checks the stock target: the session is lost with the cause named, every record kept',
    async () => {
      const before = await logCount(page, 'log-count-total');
      expect(before).toBeGreaterThan(0);
      await page.getByTestId('apply-binding').click();
      await page.getByTestId('nx-apply-anyway').click();
      // v0.23 runs custom code from non-executable pool: the first syscall bug-checks the machine
      // that runs the CLI (0xFC), which the simulator reports as its exit status.
      await waitSession(page, 'lost');
      const lost = page.getByTestId('session-lost');
      await expect
        .poll(() => lost.textContent())
        .toMatch(
          /the target bug-checked with 0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY right after event 2 with custom code triggered/,
        );
      expect(await lost.textContent()).toMatch(/exit code 252/);
      expect(await lost.textContent()).toMatch(/Everything received so far is kept/);
      expect(await logCount(page, 'log-count-total')).toBeGreaterThanOrEqual(before);
      await shot(page, 'stock-bugcheck-lost');
      expect(s.errors).toEqual([]);
    },
  );
});
