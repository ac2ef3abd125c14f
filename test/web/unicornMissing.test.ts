// Where the simulator cannot run because the Unicorn library is missing, the header says so and
// how to get it. The web host runs in a user and mount namespace where libunicorn.so.2 is an
// empty file, as on a machine without Debian's libunicorn2 (skipped where namespaces are off).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser';
import { distDir, tempDir } from '../helpers/paths';
import { LISTENING_LINE } from '../helpers/webHost';
import { shot, useStudio, waitSession, type StudioHost } from './studio';

const LIB = '/usr/lib/x86_64-linux-gnu/libunicorn.so.2';

/** Whether this machine lets an unprivileged process hide a file in its own mount namespace. */
function canHideLibrary(): boolean {
  if (!existsSync(LIB)) return false;
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', `mount --bind /dev/null ${LIB}`], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

const usable = chromiumAvailable() && canHideLibrary();

/** The built web host in a namespace where the Unicorn library is an empty file. */
async function startHostWithoutUnicorn(): Promise<StudioHost> {
  const web = join(distDir, 'web/index.mjs');
  const cmd = `mount --bind /dev/null ${LIB} && exec "${process.execPath}" "${web}" --port 0 --no-open --data-dir "${tempDir()}"`;
  const child = spawn('unshare', ['-rm', 'sh', '-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in 20 s:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        const m = LISTENING_LINE.exec(line.trimEnd());
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  });
  return {
    url,
    stop: async () => void child.kill('SIGTERM'),
  };
}

const s = useStudio(startHostWithoutUnicorn);

describe.skipIf(!usable)('no Unicorn library on the machine', () => {
  it('the header says the simulator cannot start, and how to install Unicorn', async () => {
    const { page, errors } = s;
    await waitSession(page, 'disconnected');
    const error = page.getByTestId('session-error').first();
    await expect
      .poll(() => error.textContent())
      .toMatch(/the simulator ended before its first prompt/);
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(/libunicorn\.so\.2/);
    expect(text).toMatch(/libunicorn2/);
    expect(await page.getByTestId('unicorn-missing').textContent()).toMatch(
      /simulator cannot run on this machine.*sudo apt-get install libunicorn2/,
    );
    await shot(page, 'unicorn-missing');
    // The library and the editor still work: only the target is missing.
    expect(await page.getByTestId('action-row').count()).toBeGreaterThan(3);
    expect(errors).toEqual([]);
  });
});
