// Which CLI programs the session may start for a contract caller: only one the connection
// dialog's check (`profile:check-cli`) passed in this run, and only while it is still the same
// file (same device, inode, size and modification time). A token holder can otherwise start any
// program the app can run, with the app's rights (elevated on Windows). Host side.
import { realpathSync, statSync } from 'node:fs';
import { AppError } from '../../../shared/contract/result';

interface Identity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly real: string;
}

function identityOf(path: string): Identity | null {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, real: realpathSync(path) };
  } catch {
    return null;
  }
}

export class CliApprovals {
  private readonly approved = new Map<string, Identity>();

  /** The check passed for `path`: remember the file as it is now. */
  approve(path: string): void {
    const id = identityOf(path);
    if (id !== null) this.approved.set(path, id);
  }

  /** Throws `forbidden` (field `profile.cliPath`) unless `path` was checked and is unchanged. */
  assertApproved(path: string): void {
    const was = this.approved.get(path);
    if (was === undefined)
      throw new AppError(
        'forbidden',
        `${path} has not been checked in this session: choose it in the connection dialog, which checks it (Check), then connect`,
        'profile.cliPath',
      );
    const now = identityOf(path);
    if (
      now === null ||
      now.dev !== was.dev ||
      now.ino !== was.ino ||
      now.size !== was.size ||
      now.mtimeMs !== was.mtimeMs ||
      now.real !== was.real
    ) {
      this.approved.delete(path);
      throw new AppError(
        'forbidden',
        `${path} changed since it was checked: check it again in the connection dialog`,
        'profile.cliPath',
      );
    }
  }
}
