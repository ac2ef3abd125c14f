// Checks at start-up that the data folder can be written (created, a file written to it) and,
// when it cannot (a file in the way, read-only media, no permission, a full disk), picks a
// temporary folder for this run's session data and words the problem for the user. The host
// then starts anyway: the library read-only, records elsewhere. Host side.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Bytes the probe writes: a full disk often still takes a tiny file (a new inode, a partly used
 * block); a write this size, flushed, needs free blocks the way the session database does.
 */
const PROBE_BYTES = 64 * 1024;

export interface DataFolders {
  readonly dataDir: string;
  /** Where this run keeps session databases, transcripts and exports. */
  readonly workDir: string;
  /** Why the data folder cannot be written (then the library opens read-only), or null. */
  readonly readOnlyBecause: string | null;
  /** What to tell the user, one sentence or two per problem. */
  readonly problems: readonly string[];
}

/** What an error of the file system means, in words (the caller names the path). */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EROFS':
      return 'it is on a read-only file system (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission to write is denied (${err.code})`;
    case 'ENOSPC':
      return 'the disk is full (ENOSPC)';
    case 'EDQUOT':
      return 'the disk quota is used up (EDQUOT)';
    case 'ENOTDIR':
      return 'a file is in the way: part of the path is a file, not a folder (ENOTDIR)';
    case 'EEXIST':
      return 'it exists and is not a folder (EEXIST)';
    default:
      return err.code ?? (e instanceof Error ? e.message : String(e));
  }
}

/** Why `dir` cannot be used for writing, or null: creates it and writes a flushed probe file. */
export function writeProblem(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return describeFsError(e);
  }
  const probe = join(dir, `.write-probe-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = openSync(probe, 'w');
    writeSync(fd, Buffer.alloc(PROBE_BYTES));
    fsyncSync(fd);
    return null;
  } catch (e) {
    return describeFsError(e);
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // Never created, or already gone.
    }
  }
}

/** Checks the data folder; picks a temporary work folder when it cannot be written. */
export function prepareDataFolders(dataDir: string, tempRoot = tmpdir()): DataFolders {
  const reason = writeProblem(dataDir);
  if (reason === null) return { dataDir, workDir: dataDir, readOnlyBecause: null, problems: [] };
  const problem = `the data folder ${dataDir} cannot be written: ${reason}`;
  let workDir: string;
  let where: string;
  try {
    workDir = mkdtempSync(join(tempRoot, 'hyperdbg-studio-'));
    const tempProblem = writeProblem(workDir);
    where =
      tempProblem === null
        ? `this run's records, transcripts and exports go to ${workDir} instead`
        : `the temporary folder ${workDir} cannot be written either (${tempProblem}): this run's records are kept in memory only`;
  } catch (e) {
    workDir = join(tempRoot, 'hyperdbg-studio-unwritable');
    where = `no temporary folder could be made in ${tempRoot} either (${describeFsError(e)}): this run's records are kept in memory only`;
  }
  return {
    dataDir,
    workDir,
    readOnlyBecause: problem,
    problems: [
      `The data folder ${dataDir} cannot be written: ${reason}. The action library is opened read-only (changes cannot be saved), and ${where}.`,
    ],
  };
}
