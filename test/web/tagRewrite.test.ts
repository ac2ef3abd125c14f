// The seed's first example end to end: a log action prints the pool tag that
// nt!ExAllocatePoolWithTag receives in r8; binding the built-in tag rewrite to the same hook
// (the seed's own command line) makes every later HDBG arrive as HDB2, because the newer
// event's code runs first and rewrites Regs->r8 (the seed, buffer-records.md §6; spec §5.3, §8).
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import {
  journeySteps,
  logCount,
  selectAction,
  setEditorText,
  shot,
  shownNames,
  useStudio,
  waitBuild,
} from './studio';

const s = useStudio(['--sim-pacing', 'fast', '--sim-seed', '5'], { ready: true });
let page: Page;

/** A stock-compatible record of the 4-byte tag (buffer-records.md §2: one word for 4 bytes). */
const TAG_SCRIPT = 'printf("HDBG1 %x %x %llx %x %llx\\n", $event_id, $core, $context, 4, @r8);';

beforeAll(async () => {
  page = s.page;
  // Event 0 is the app's build probe; the events here are 1 and 2.
  await waitBuild(page);
});

async function filterTag(p: Page, tag: string): Promise<void> {
  await p.getByTestId('tab-log').click();
  if ((await p.getByTestId('log-chip').count()) > 0)
    await p.getByTestId('log-filter-clear').click();
  await p.getByTestId('log-filter-field').selectOption('Tag');
  await p.getByTestId('log-filter-value').fill(tag);
  await p.getByTestId('log-filter-add').click();
}

describe.skipIf(!chromiumAvailable())('the tag rewrite on !epthook2', () => {
  const step = journeySteps();

  step('logs the tags ExAllocatePoolWithTag receives, with a new log action', async () => {
    await page.getByRole('button', { name: 'New ▾' }).click();
    await page.getByRole('menuitem', { name: 'Log (script)' }).click();
    await expect
      .poll(() => page.getByTestId('action-editor').getAttribute('aria-label'))
      .toBe('Edit New log (script) action');
    await page.getByLabel('Name', { exact: true }).fill('Pool tag in r8');
    await setEditorText(page, 'script-editor', TAG_SCRIPT);
    await page.getByLabel('Field 1 name').fill('Tag');
    await page.getByLabel('Field 1 type').fill('cstr[4]');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('action-version').textContent()).toBe('v2');

    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await page.getByTestId('binder-kind').selectOption('!epthook2');
    await page.getByTestId('binder-arg-0').fill('nt!ExAllocatePoolWithTag');
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toBe(`!epthook2 nt!ExAllocatePoolWithTag script {${TAG_SCRIPT}}`);
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 1 registered/);

    await filterTag(page, 'HDBG');
    await expect
      .poll(() => logCount(page, 'log-count-shown'), { timeout: 20_000 })
      .toBeGreaterThan(3);
    await expect
      .poll(async () => new Set(await shownNames(page, 'Tag')))
      .toEqual(new Set(['HDBG']));
    await shot(page, 'tag-rewrite-before');
  });

  step("binds the seed's rewrite with the seed's own command line; HDBG becomes HDB2", async () => {
    await selectAction(page, 'Rewrite pool tag HDBG to HDB2');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await expect.poll(() => page.getByTestId('binder-kind').inputValue()).toBe('!epthook2');
    await page.getByTestId('binder-arg-0').fill('fffff800`4ed6f010');
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toBe('!epthook2 fffff800`4ed6f010 code {488B5A404881FB484442477402EB0848C7424048444232C3}');
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 2 registered/);

    // From now on the older script sees the rewritten r8: HDBG stops, HDB2 arrives.
    await page.waitForTimeout(500);
    const hdbg = await logCount(page, 'log-count-shown');
    await filterTag(page, 'HDB2');
    await expect
      .poll(() => logCount(page, 'log-count-shown'), { timeout: 20_000 })
      .toBeGreaterThan(3);
    await expect
      .poll(async () => new Set(await shownNames(page, 'Tag')))
      .toEqual(new Set(['HDB2']));
    await shot(page, 'tag-rewrite-after');
    await filterTag(page, 'HDBG');
    await page.waitForTimeout(1500);
    expect(await logCount(page, 'log-count-shown')).toBeLessThanOrEqual(hdbg + 2);

    // The rewrite prints nothing: the event list shows a dash, not a count that never moves.
    await page.getByTestId('tab-events').click();
    const rewrite = page.locator('[data-testid="event-row"][data-event-id="2"]');
    await expect.poll(() => rewrite.getByTestId('event-hits').textContent()).toBe('—');
    expect(await rewrite.locator('td').nth(3).textContent()).toBe('Rewrite pool tag HDBG to HDB2');
    const logger = page.locator('[data-testid="event-row"][data-event-id="1"]');
    expect(
      Number((await logger.getByTestId('event-hits').textContent())?.replace(/,/g, '')),
    ).toBeGreaterThan(0);
    await shot(page, 'tag-rewrite-events');
    expect(s.errors).toEqual([]);
  });
});
