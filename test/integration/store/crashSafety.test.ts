// A process killed (SIGKILL) in the middle of a burst of saves leaves a library that passes the
// integrity check and holds every save it reported committed, with its whole history.
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBRARY_DB_FILE, openLibraryStore } from '../../../electron/host/store/libraryStore';
import { artifactPath, repoRoot, tempDir } from '../../helpers/paths';

/** Saves reported before the kill: enough to be mid-burst, few enough to stay fast. */
const SAVES_BEFORE_KILL = 300;

async function bundleChild(): Promise<string> {
  // Inside the repository, so the bundle resolves better-sqlite3 from node_modules.
  const outfile = artifactPath('store-crash-child.mjs');
  await build({
    entryPoints: [join(repoRoot, 'test/integration/store/crashChild.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return outfile;
}

describe('crash safety', () => {
  it('keeps every committed save when the saving process is killed', async () => {
    const child = await bundleChild();
    const dir = tempDir();
    const committed = new Map<string, number>();
    let lines = 0;
    const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      proc.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const [, id, version] = buf.slice(0, nl).split(' ');
          buf = buf.slice(nl + 1);
          committed.set(id as string, Number(version));
          if (++lines === SAVES_BEFORE_KILL) proc.kill('SIGKILL');
        }
      });
      proc.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`)),
      );
    });
    expect(lines).toBeGreaterThanOrEqual(SAVES_BEFORE_KILL);
    // The kill left the write-ahead log behind: opening must recover from it.
    expect(existsSync(join(dir, `${LIBRARY_DB_FILE}-wal`))).toBe(true);

    const store = openLibraryStore(dir);
    try {
      expect(store.integrityCheck()).toEqual(['ok']);
      for (const [id, version] of committed) {
        const action = store.actions.get(id);
        expect(action.version).toBeGreaterThanOrEqual(version);
        const versions = store.actions.history(id).map((v) => v.version);
        for (let v = 1; v <= version; v++) expect(versions).toContain(v);
      }
    } finally {
      store.close();
    }
  });
});
