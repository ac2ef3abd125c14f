// Where `npm start` finds the Electron binary, without Electron's own lookup (which starts a
// download when the binary is missing, a long wait and a confusing error on a closed network).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron executable installed under `electronDir` (node_modules/electron), or why there is
 * none: 'no-package' (npm ci has not run) or 'no-binary' (installed without its download).
 */
export function findElectronBinary(electronDir, env = process.env) {
  if (!existsSync(join(electronDir, 'package.json'))) return { ok: false, reason: 'no-package' };
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  const binary = join(distDir, relative === '' ? 'electron' : relative);
  if ((relative === '' && !env.ELECTRON_OVERRIDE_DIST_PATH) || !existsSync(binary))
    return { ok: false, reason: 'no-binary' };
  return { ok: true, path: binary };
}

/** What `npm start` says when it cannot start Electron. */
export function missingElectronMessage(reason) {
  if (reason === 'no-package')
    return [
      'npm start: the dependencies are not installed (node_modules/electron is missing).',
      'Run `npm ci` first (see README, "On a fresh machine").',
      '',
    ].join('\n');
  return [
    'npm start: the Electron binary is not installed: npm ci ran with',
    'ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download from GitHub failed.',
    '',
    'Offline, or where GitHub is unreachable, run the same app in your browser instead:',
    '  npm run web',
    '',
    'Where GitHub is reachable, download Electron once, then npm start again:',
    '  node node_modules/electron/install.js',
    '',
  ].join('\n');
}
