// Deleting a session takes its transcripts along: the console transcript it names and the other
// streams of the same CLI process beside it (the record sink's), never another process's.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeSessionFiles } from '../../../electron/host/store/records/sessionFiles';
import { tempDir } from '../../helpers/paths';

describe('removeSessionFiles', () => {
  it("removes the session's console and sink transcripts, and nothing of another run", () => {
    const dir = tempDir('hds-session-files-');
    const stamp = '2026-12-06T05-00-00-000Z';
    const names = {
      db: 'session-20261206-050000-1.sqlite3',
      console: `${stamp}-g1.log`,
      sink: `${stamp}-g1-sink-hds_0a1b2c3d.log`,
      otherGeneration: `${stamp}-g2-sink-hds_0a1b2c3d.log`,
      otherRun: '2026-12-06T06-00-00-000Z-g1-sink-hds_0a1b2c3d.log',
      notATranscript: `${stamp}-g1-sink-hds_0a1b2c3d.txt`,
    };
    for (const n of Object.values(names)) writeFileSync(join(dir, n), 'x');
    expect(removeSessionFiles(join(dir, names.db), [names.console])).toEqual([]);
    const left = (n: string) => existsSync(join(dir, n));
    expect([names.db, names.console, names.sink].map(left)).toEqual([false, false, false]);
    expect([names.otherGeneration, names.otherRun, names.notATranscript].map(left)).toEqual([
      true,
      true,
      true,
    ]);
  });
});
