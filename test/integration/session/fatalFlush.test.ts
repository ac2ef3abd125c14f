// A host process that dies of an exception nobody caught keeps what it had received: the session
// transcript's tail and the records not yet written are on disk when it is gone, and it exits
// with the fatal status instead of carrying on in an unknown state.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FATAL_EXIT_CODE } from '../../../electron/host/fatal';
import { inspectSessionDatabase } from '../../../electron/host/store/records/recordStore';
import { artifactPath, repoRoot, tempDir } from '../../helpers/paths';

async function bundleChild(): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const outfile = artifactPath('fatal-child.mjs');
  await build({
    entryPoints: [join(repoRoot, 'test/integration/session/fatalChild.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['electron', ...Object.keys(pkg.dependencies)],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return outfile;
}

function run(child: string, dataDir: string, mode: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const proc = spawn(process.execPath, [child, dataDir, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fatal errors in a host process', () => {
  for (const mode of ['sync', 'async'] as const) {
    it(`write the transcript tail and pending records before exiting (${mode === 'sync' ? 'uncaught exception' : 'unhandled rejection'})`, async () => {
      const child = await bundleChild();
      const dataDir = tempDir('hds-fatal-');
      const { code, stdout, stderr } = await run(child, dataDir, mode);
      expect(stderr).toContain('fatal error');
      expect(stderr).toContain('boom');
      expect(code, stderr).toBe(FATAL_EXIT_CODE);
      const t = /^transcript (\S+) (\d+)$/m.exec(stdout);
      const r = /^records (\d+)$/m.exec(stdout);
      expect(t, stdout).not.toBeNull();
      const [, path, bytes] = t as RegExpExecArray;
      expect(statSync(path as string).size).toBe(Number(bytes));
      // Every chunk in order: the letters cycle with the chunk index.
      const text = readFileSync(path as string, 'latin1');
      expect(text.slice(-5)).toBe(String.fromCharCode(0x41 + (399 % 26)).repeat(5));
      const db = readdirSync(join(dataDir, 'sessions')).find((f) => f.endsWith('.sqlite3'));
      expect(db).toBeDefined();
      const after = inspectSessionDatabase(join(dataDir, 'sessions', db as string));
      expect(after.integrity).toEqual(['ok']);
      expect(after.records).toBe(Number(r?.[1]));
    });
  }
});
