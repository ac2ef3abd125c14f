// What only Electron can show: the packaged preload under the sandbox and the window opening.
// Electron's binary cannot be downloaded on the reference machines, so this skips itself there
// and says why.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { repoRoot } from '../helpers/paths';

function electronBinary(): string | undefined {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(p) ? p : undefined;
  }
  // Read the path file directly: require('electron') would try to download the binary.
  const pathFile = join(repoRoot, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const p = join(repoRoot, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(p) ? p : undefined;
}

const binary = electronBinary();
const reason =
  'no Electron binary on this machine (it is downloaded from GitHub, which is unreachable here)';

describe.skipIf(binary === undefined)(
  `Electron smoke${binary === undefined ? ` (skipped: ${reason})` : ''}`,
  () => {
    it('opens the window with window.studio exposing the contract and no Node', async () => {
      const app = await electron.launch({ executablePath: binary, args: [repoRoot] });
      try {
        const page = await app.firstWindow();
        await expect.poll(() => page.getByTestId('host-kind').textContent()).toBe('electron');
        const probe = await page.evaluate(() => ({
          hasStudio: typeof (window as unknown as { studio?: unknown }).studio === 'object',
          hasRequire: typeof (window as unknown as { require?: unknown }).require,
          hasProcess: typeof (window as unknown as { process?: unknown }).process,
        }));
        expect(probe).toEqual({
          hasStudio: true,
          hasRequire: 'undefined',
          hasProcess: 'undefined',
        });
      } finally {
        await app.close();
      }
    });
  },
);

if (binary === undefined) console.warn(`test/electron/smoke.test.ts: skipped: ${reason}`);
