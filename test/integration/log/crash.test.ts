// A process killed (SIGKILL) in the middle of a flood loses at most the batch it had not yet
// written: every write it reported survives, the session database passes its integrity check
// and reads back record for record.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_MAX_ITEMS } from '../../../shared/stream/batcher';
import { inspectSessionDatabase } from '../../../electron/host/store/records/recordStore';
import { makeRecord } from '../../helpers/inProcessHost';
import { artifactPath, repoRoot, tempDir } from '../../helpers/paths';

/** Writes reported before the kill: well into the flood, quick to reach. */
const WRITES_BEFORE_KILL = 200;

async function bundleChild(): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  // Inside the repository, so the bundle finds the native packages in node_modules.
  const outfile = artifactPath('log-crash-child.mjs');
  await build({
    entryPoints: [join(repoRoot, 'test/integration/log/crashChild.ts')],
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

describe('log crash safety', () => {
  it('a killed process loses at most the last unwritten batch; the database stays readable', async () => {
    const child = await bundleChild();
    const dir = tempDir('hds-log-crash-');
    let file = '';
    let sent = 0;
    let stored = 0;
    let writes = 0;
    const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      proc.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const [word, value] = buf.slice(0, nl).split(' ');
          buf = buf.slice(nl + 1);
          if (word === 'file') file = value as string;
          else if (word === 'sent') sent = Number(value);
          else if (word === 'stored') {
            stored = Number(value);
            if (++writes === WRITES_BEFORE_KILL) proc.kill('SIGKILL');
          }
        }
      });
      proc.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`)),
      );
    });
    expect(writes).toBeGreaterThanOrEqual(WRITES_BEFORE_KILL);
    const after = inspectSessionDatabase(file);
    expect(after.integrity).toEqual(['ok']);
    // Every write reported committed is there; of what was handed over, at most one batch is not.
    expect(after.records).toBeGreaterThanOrEqual(stored);
    expect(after.records).toBeGreaterThanOrEqual(sent - (BATCH_MAX_ITEMS - 1));
    console.log(
      `killed after ${sent} handed over, ${stored} reported stored: ${after.records} in the database`,
    );

    // Readable record for record: the bytes are the ones handed over, seqs without gaps.
    const db = new Database(file, { readonly: true });
    try {
      const rows = db
        .prepare('SELECT seq, event_id, bytes FROM records WHERE seq IN (0, ?, ?) ORDER BY seq')
        .all(Math.floor(after.records / 2), after.records - 1) as {
        seq: number;
        event_id: number;
        bytes: Buffer;
      }[];
      expect(rows.length).toBe(3);
      for (const r of rows) {
        const want = makeRecord(r.seq).record;
        expect(r.event_id).toBe(want.eventId);
        expect(Buffer.from(r.bytes).equals(Buffer.from(want.bytes))).toBe(true);
      }
      const max = db.prepare('SELECT MAX(seq) FROM records').pluck().get() as number;
      expect(max).toBe(after.records - 1); // gapless
    } finally {
      db.close();
    }
  });
});
