// Loss beside the records of a past session, in Chromium against the real web host: a session
// whose target lost records (gaps in the HDBG2 numbers, some records late) and that kept count
// tables is listed with its loss; opened, its header, its Log status line and its Counts header
// show the loss beside the record counts, Counts shows the kept count table, and Events lists
// what each event and core delivered and lost. A layout-1 file (test/fixtures/sessions) shows
// its loss as unknown, never 0. The expected figures come from the plan of what was delivered
// (test/helpers/numberedRecords.ts), not from the app.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LogService } from '../../electron/host/log/logService';
import { createStreamHub } from '../../shared/contract/hub';
import { formatLost } from '../../renderer/src/events/eventRows';
import { chromiumAvailable } from '../helpers/browser';
import { standardResolver } from '../helpers/inProcessHost';
import { eventTruth, numberedRecords, totalLost } from '../helpers/numberedRecords';
import { repoRoot, tempDir } from '../helpers/paths';
import { startWebHost } from '../helpers/webHost';
import { dropBursts } from '../integration/sessions/lossPlans';
import { shot, useStudio } from './studio';

const dataDir = tempDir('hds-session-loss-web-');
const LABEL = 'Simulator, local VMI';
const n = (x: number) => x.toLocaleString('en-US');

/** The past session: 3,000 records of events 1-3 on cores 0-3 with gaps, and count tables. */
function writePastSession() {
  const log = new LogService({ dataDir, hub: createStreamHub(), resolveSource: standardResolver });
  const t0 = 1_700_000_000_000;
  log.sessionStarted({ generation: 1, at: t0, targetLabel: LABEL });
  const { records, truth } = numberedRecords(0, 3000, { drop: dropBursts, lateEvery: 13 });
  log.records(records);
  const name = (s: string) =>
    Buffer.from(s.padEnd(8, '\0').slice(0, 8), 'latin1').readBigUInt64LE();
  for (const [seq, a, b] of [
    [1, 600, 400],
    [2, 1300, 700],
  ] as const)
    log.countTable({
      generation: 1,
      receivedAt: t0 + seq * 1000,
      table: {
        eventId: 1,
        seq,
        total: BigInt(a + b),
        other: 0n,
        entries: [
          { key: name('explorer.exe'), count: BigInt(a) },
          { key: name('svchost.exe'), count: BigInt(b) },
        ],
      },
    });
  log.sessionEnded({ generation: 1, at: t0 + 60_000, targetLabel: LABEL, reason: 'exit 0' });
  const id = (log.file.split('/').pop() as string).replace(/\.sqlite3$/, '');
  log.dispose();
  return { id, records: records.length, truth };
}

const past = writePastSession();
mkdirSync(join(dataDir, 'sessions'), { recursive: true });
copyFileSync(
  join(repoRoot, 'test/fixtures/sessions/layout1-session.sqlite3'),
  join(dataDir, 'sessions', 'session-layout1.sqlite3'),
);

describe.skipIf(!chromiumAvailable())('a past session shows its loss beside its records', () => {
  const studio = useStudio(() => startWebHost(['--sim-pacing', 'fast'], dataDir));
  const opened = (): Locator => studio.page.getByTestId('session-opened');
  const inSession = (id: string) => opened().getByTestId(id);
  const row = (id: string) =>
    studio.page.locator(`[data-testid="sessions-row"][data-session="${id}"]`);
  const lost = totalLost(past.truth);
  const lostText = `${n(lost)} lost`;

  it('the Sessions view lists each session’s loss in the target, unknown for a layout-1 file', async () => {
    const page = studio.page;
    await page.getByTestId('tab-sessions').click();
    await expect.poll(() => row(past.id).count()).toBe(1);
    expect(await row(past.id).getByTestId('sessions-records').textContent()).toBe(n(past.records));
    expect(await row(past.id).getByTestId('sessions-target-lost').textContent()).toBe(n(lost));
    expect(await row('session-layout1').getByTestId('sessions-target-lost').textContent()).toBe(
      'unknown',
    );
  });

  it('opened: the header, the Log status line and the Counts header show the loss', async () => {
    await row(past.id).getByTestId('sessions-open').click();
    await expect.poll(() => inSession('session-head-lost').textContent()).toBe(lostText);
    expect(await opened().locator('.sessions-opened-head').textContent()).toContain(
      `${n(past.records)} records · ${lostText}`,
    );
    await expect.poll(() => inSession('log-target-lost').textContent()).toBe(lostText);
    await inSession('session-tab-counts').click();
    await inSession('counts-field').selectOption('ImageFileName');
    await expect
      .poll(() => inSession('counts-scope').textContent())
      .toMatch(
        new RegExp(`^counts of [0-9,]+ delivered records matching all records; ${lostText}$`),
      );
    // The count table the session kept, exact up to its last table.
    await expect.poll(() => inSession('target-total').textContent()).toBe('2,000');
    expect(await inSession('target-count').allTextContents()).toEqual(['1,300', '700']);
    await shot(studio.page, 'session-loss-counts');
  });

  it('Events: what each event and core delivered and lost', async () => {
    await inSession('session-tab-events').click();
    await expect.poll(() => inSession('session-event').count()).toBe(3);
    expect(await inSession('session-events-lost').textContent()).toBe(lostText);
    for (const eventId of [1, 2, 3]) {
      const t = eventTruth(past.truth, 1, eventId);
      const ev = opened().locator(`[data-testid="session-event"][data-event="${eventId}"]`);
      expect(await ev.getByTestId('session-event-delivered').textContent()).toBe(n(t.delivered));
      expect(await ev.getByTestId('session-event-lost').textContent()).toBe(
        formatLost(t.lost, t.delivered),
      );
      for (const c of t.cores) {
        const core = opened().locator(
          `[data-testid="session-core"][data-event="${eventId}"][data-core="${c.core}"]`,
        );
        expect(await core.getByTestId('session-core-delivered').textContent()).toBe(n(c.delivered));
        expect(await core.getByTestId('session-core-lost').textContent()).toBe(
          formatLost(c.lost, c.delivered),
        );
      }
    }
    expect(lost).toBeGreaterThan(0);
    await shot(studio.page, 'session-loss-events');
  });

  it('a layout-1 session: its loss reads unknown, never 0', async () => {
    await inSession('session-back').click();
    await row('session-layout1').getByTestId('sessions-open').click();
    await expect
      .poll(() => inSession('session-head-lost').textContent())
      .toBe("loss unknown (the file's layout (1) keeps no sequence numbers)");
    await expect
      .poll(() => inSession('log-target-lost').textContent())
      .toBe("loss unknown (the file's layout (1) keeps no sequence numbers)");
    await inSession('session-tab-events').click();
    await expect
      .poll(() => inSession('session-event-lost').allTextContents())
      .toEqual(['unknown', 'unknown']);
    expect(await inSession('session-core').count()).toBe(0);
    expect(studio.errors).toEqual([]);
  });
});
