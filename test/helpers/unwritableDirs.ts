// Folders the app cannot write, made for real: a read-only bind mount (root, where chmod does
// not restrict), chmod for other users, and a tiny tmpfs filled up for a full disk. Each helper
// says why it cannot make one here, so the test can skip saying so.
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Made =
  { readonly ok: true; undo(): void } | { readonly ok: false; readonly why: string };

function run(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Whether writing a file into `dir` fails now. */
export function refusesWrites(dir: string): boolean {
  const probe = join(dir, `.probe-${process.pid}`);
  try {
    writeFileSync(probe, 'x');
    unlinkSync(probe);
    return false;
  } catch {
    return true;
  }
}

function chmodTree(dir: string, mode: (isDir: boolean) => number): void {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const d = statSync(p).isDirectory();
    if (d) chmodTree(p, mode);
    chmodSync(p, mode(d));
  }
  chmodSync(dir, mode(true));
}

/** Makes `dir` (and what is in it) read-only: a read-only bind mount, or chmod when not root. */
export function makeReadOnly(dir: string): Made {
  if (process.getuid?.() === 0) {
    if (!run('mount', ['--bind', dir, dir]))
      return { ok: false, why: 'mount --bind is not permitted here' };
    if (!run('mount', ['-o', 'remount,bind,ro', dir]) || !refusesWrites(dir)) {
      run('umount', [dir]);
      return { ok: false, why: 'a read-only remount is not permitted here' };
    }
    return { ok: true, undo: () => void run('umount', [dir]) };
  }
  chmodTree(dir, (isDir) => (isDir ? 0o555 : 0o444));
  if (!refusesWrites(dir)) return { ok: false, why: 'chmod does not restrict this user' };
  return { ok: true, undo: () => chmodTree(dir, (isDir) => (isDir ? 0o755 : 0o644)) };
}

/** Mounts a small tmpfs on `dir` and fills it: a full disk (root only). */
export function makeFullDisk(dir: string): Made {
  if (process.getuid?.() !== 0) return { ok: false, why: 'mounting a tmpfs needs root' };
  if (!run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]))
    return { ok: false, why: 'mounting a tmpfs is not permitted here' };
  try {
    for (let i = 0; ; i++) writeFileSync(join(dir, `fill-${i}`), Buffer.alloc(16 * 1024));
  } catch {
    // Full.
  }
  return { ok: true, undo: () => void run('umount', [dir]) };
}
