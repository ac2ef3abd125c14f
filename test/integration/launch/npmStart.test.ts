// `npm start` where the Electron binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, a
// closed network): it says to use `npm run web` and how to get Electron, at once, with exit
// status 1, instead of Electron's own download attempt and "failed to install correctly".
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../../scripts/electronBinary.mjs';
import { repoRoot, tempDir } from '../../helpers/paths';

const installed = findElectronBinary(join(repoRoot, 'node_modules/electron'));

describe('finding the Electron binary', () => {
  it('tells a missing package, a package without its binary, and an installed binary apart', () => {
    const dir = join(tempDir(), 'electron');
    expect(findElectronBinary(dir, {})).toEqual({ ok: false, reason: 'no-package' });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{}');
    expect(findElectronBinary(dir, {})).toEqual({ ok: false, reason: 'no-binary' });
    // path.txt is written by Electron's install.js after the download; the binary may be gone.
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(findElectronBinary(dir, {})).toEqual({ ok: false, reason: 'no-binary' });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/electron'), '');
    expect(findElectronBinary(dir, {})).toEqual({ ok: true, path: join(dir, 'dist/electron') });
  });
});

describe.skipIf(installed.ok)('npm start without the Electron binary', () => {
  it('says to use npm run web and how to get Electron, without trying to download it', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/start.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the Electron binary is not installed');
    expect(r.stderr).toMatch(/^ {2}npm run web$/m);
    expect(r.stderr).toContain('node node_modules/electron/install.js');
    // It neither builds nor reaches for the network first.
    expect(r.stdout).not.toContain('build: done');
    expect(`${r.stdout}${r.stderr}`).not.toContain('Downloading Electron');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
