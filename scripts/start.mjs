// `npm start`: checks Node, finds the Electron binary (saying what to do when there is none),
// builds, then runs the app in Electron with this terminal's output and exit status.
import { requireSupportedNode } from '../electron/launch/nodeVersion.mjs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findElectronBinary, missingElectronMessage } from './electronBinary.mjs';

requireSupportedNode('npm start');
const root = fileURLToPath(new URL('..', import.meta.url));
const electron = findElectronBinary(`${root}/node_modules/electron`);
if (!electron.ok) {
  process.stderr.write(missingElectronMessage(electron.reason));
  process.exit(1);
}
await import('./build.mjs');
const child = spawn(electron.path, ['.', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
// Electron killed by a signal has no exit code: report an ordinary failure.
child.on('exit', (code) => process.exit(code ?? 1));
