// The renderer's files, served by the web host and by Electron's studio:// protocol, never lead
// outside the renderer folder: not by `..`, and not by a symbolic link inside it pointing out.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStatic } from '../../../electron/host/staticFiles';
import { tempDir } from '../../helpers/paths';

function renderer() {
  const root = tempDir('hds-renderer-');
  const outside = tempDir('hds-outside-');
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), 'ok');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  mkdirSync(join(outside, 'dir'));
  writeFileSync(join(outside, 'dir', 'x.js'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(join(outside, 'dir'), join(root, 'assets', 'linked'));
  symlinkSync('/etc/hostname', join(root, 'host.txt'));
  symlinkSync(join(root, 'assets', 'app.js'), join(root, 'alias.js'));
  return root;
}

describe('loadStatic', () => {
  it('serves files inside the folder, links that stay inside included', async () => {
    const root = renderer();
    expect((await loadStatic(root, '/'))?.body.toString()).toBe('<!doctype html>');
    expect((await loadStatic(root, '/assets/app.js'))?.body.toString()).toBe('ok');
    expect((await loadStatic(root, '/alias.js'))?.body.toString()).toBe('ok');
  });

  it('refuses links that lead outside, whatever the spelling', async () => {
    const root = renderer();
    for (const p of [
      '/leak.txt',
      '/host.txt',
      '/assets/linked/x.js',
      '/assets/linked/../linked/x.js',
      '/%6ceak.txt',
    ])
      expect(await loadStatic(root, p), p).toBeUndefined();
  });
});
