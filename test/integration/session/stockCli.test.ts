// A stand-in for a real hyperdbg-cli at a CLI path (a shell script printing the spec's stock
// banner, §1.2): the capability comes from the banner (stock: no returned buffers, probable NX
// code, buffer-records.md §1, spec §5.6), and a connect blocked in `.debug remote namedpipe`
// waiting for a debuggee (§2.3: no timeout, Ctrl+C does not abort it) is cancelled by disconnect.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from '../../helpers/sessionHarness';
import { tempDir } from '../../helpers/paths';

const BANNER =
  'HyperDbg Debugger [version: v0.23.0, build: 20260803.1412]\\nPlease visit https://docs.hyperdbg.org for more information...\\nHyperDbg is released under the GNU Public License v3 (GPLv3).\\n\\nHyperDbg> ';

/** Answers the first command as `.debug remote namedpipe` does while no VM answers: it waits. */
function blockingCli(): string {
  const path = join(tempDir('hds-fakecli-'), 'hyperdbg-cli');
  writeFileSync(
    path,
    `#!/bin/sh\nstty -echo\nprintf '${BANNER}'\nread line\nprintf 'waiting for debuggee to connect...\\n'\nwhile :; do sleep 1; done\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe('a CLI at a path, stock banner', () => {
  it('reads the stock capability from the banner and says what it means', async () => {
    h = createHarness();
    const cli = blockingCli();
    const connecting = h.service
      .connect({ profile: { name: 'lab VM', cliPath: cli, connection: { kind: 'namedPipe' } } })
      .catch((e: unknown) => e);
    await eventually(() => h!.service.getState().status === 'connecting', 10_000, 'connecting');
    const s = h.service.getState();
    expect(s).toMatchObject({
      isSimulator: false,
      banner: { version: 'v0.23.0' },
      capability: { returnsBuffers: false, customCodeMayFault: true, capability: 'stock' },
    });
    expect(s.targetLabel).toBe('lab VM, named pipe \\\\.\\pipe\\HyperDbgPipe');
    expect(s.notices.join('\n')).toMatch(/never comes back/);
    expect(s.notices.join('\n')).toMatch(
      /non-executable memory \(docs\/hyperdbg-v0\.23\.md §5\.6\)/,
    );

    // Waiting for a debuggee that never comes: disconnect gives up at once.
    await eventually(
      () => h!.service.terminalSnapshot().data.includes('waiting for debuggee to connect...'),
      10_000,
      'the wait',
    );
    const t0 = Date.now();
    const d = await h.service.disconnect();
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(d).toMatchObject({ status: 'disconnected', error: null });
    const e = await connecting;
    expect(String(e)).toMatch(/the connection was cancelled/);
  });
});
