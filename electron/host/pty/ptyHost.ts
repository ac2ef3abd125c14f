// The pty host: the only importer of node-pty. Spawns hyperdbg-cli (or the simulator) in a
// pseudo-terminal (ConPTY on Windows), very wide so ConPTY never hard-wraps a line (spec §1.7),
// and reports its bytes and its exit without ever losing the last output. Plain Node.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pty from 'node-pty';

/**
 * Columns of the pty. ConPTY hard-wraps output at the pty width (spec §1.7) and a HDBG1 record
 * with 0x3e7 bytes is ~2,200 characters, so the pty is far wider than any line the CLI prints.
 */
export const PTY_COLUMNS = 8000;
export const PTY_ROWS = 50;
/**
 * node-pty can report exit before the last data arrives (seen while choosing it). After the exit we
 * wait until the output has been quiet this long, and at most EXIT_DRAIN_MAX_MS.
 */
export const EXIT_QUIET_MS = 60;
export const EXIT_DRAIN_MAX_MS = 2000;

export interface SpawnOptions {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cols?: number;
  readonly rows?: number;
}

export interface PtyExit {
  readonly exitCode: number;
  readonly signal: number | undefined;
}

export interface PtyProcess {
  readonly pid: number;
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Fires once, after the last byte of output has been delivered. */
  onExit(listener: (exit: PtyExit) => void): () => void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Ctrl+C as the terminal would send it (`\x03`): ConPTY turns it into CTRL_C_EVENT. */
  interrupt(): void;
  /** Flow control: stop reading the pty (the child blocks on a full pipe, nothing is lost). */
  pause(): void;
  resume(): void;
  kill(): void;
  readonly exited: boolean;
}

/** A launch problem the user can act on, found before or while spawning. */
export class PtySpawnError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'PtySpawnError';
  }
}

/**
 * Checks what the user can fix before a launch: the program exists, and for hyperdbg-cli on
 * Windows, that hyperkd.sys lies beside it (spec §1.1: the driver is looked up next to the exe).
 */
export function preflight(file: string, platform = process.platform): string[] {
  const warnings: string[] = [];
  const looksLikePath = file.includes('/') || file.includes('\\');
  if (looksLikePath && !existsSync(file)) {
    throw new PtySpawnError(
      `${file} does not exist`,
      'Check the CLI path in the connection profile.',
    );
  }
  if (looksLikePath && statSync(file).isDirectory()) {
    throw new PtySpawnError(
      `${file} is a folder, not a program`,
      'Choose hyperdbg-cli.exe itself.',
    );
  }
  if (
    platform === 'win32' &&
    /hyperdbg-cli(\.exe)?$/i.test(file) &&
    !existsSync(join(dirname(file), 'hyperkd.sys'))
  ) {
    warnings.push(
      `hyperkd.sys is not next to ${file}: 'load vmm' will fail with "err, target file is not loaded" (docs/hyperdbg-v0.23.md §2.6).`,
    );
  }
  return warnings;
}

function explainSpawnFailure(e: unknown, file: string): PtySpawnError {
  const msg = e instanceof Error ? e.message : String(e);
  // Windows: ERROR_ELEVATION_REQUIRED (740). hyperdbg-cli's manifest is AsInvoker, but a copy
  // marked "run as administrator" cannot be started from a non-elevated pseudo-console.
  if (/\b740\b|elevation/i.test(msg)) {
    return new PtySpawnError(
      `${file} needs administrator rights: ${msg}`,
      'Start HyperDbg Studio as administrator (the Windows build asks for it by default).',
    );
  }
  if (/ENOENT|not found|cannot find/i.test(msg)) {
    return new PtySpawnError(
      `${file} was not found: ${msg}`,
      'Check the CLI path in the connection profile.',
    );
  }
  if (/EACCES|access is denied|permission/i.test(msg)) {
    return new PtySpawnError(
      `${file} cannot be executed: ${msg}`,
      'Check the file permissions, or run as administrator.',
    );
  }
  return new PtySpawnError(`could not start ${file}: ${msg}`, 'See the message for details.');
}

export function spawnPty(opts: SpawnOptions): PtyProcess {
  let child: pty.IPty;
  try {
    child = pty.spawn(opts.file, [...opts.args], {
      name: 'xterm-256color',
      cols: opts.cols ?? PTY_COLUMNS,
      rows: opts.rows ?? PTY_ROWS,
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      // Raw bytes: the output parser splits UTF-8 itself, so a character cut between two reads
      // is never turned into U+FFFD here.
      encoding: null,
      useConpty: true,
    } as pty.IWindowsPtyForkOptions);
  } catch (e) {
    throw explainSpawnFailure(e, opts.file);
  }

  const dataListeners = new Set<(chunk: Uint8Array) => void>();
  const exitListeners = new Set<(exit: PtyExit) => void>();
  let exited = false;
  let exitReported = false;
  let lastDataAt = Date.now();
  let paused = false;

  child.onData((data: string | Buffer) => {
    lastDataAt = Date.now();
    const chunk = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
    for (const l of dataListeners) l(chunk);
  });

  child.onExit(({ exitCode, signal }) => {
    exited = true;
    // Whatever is still in the pipe must come out, even if the consumer had paused us.
    if (paused) child.resume();
    const exitAt = Date.now();
    const finish = () => {
      if (exitReported) return;
      exitReported = true;
      for (const l of exitListeners) l({ exitCode, signal: signal === 0 ? undefined : signal });
    };
    const waitQuiet = () => {
      const now = Date.now();
      if (now - lastDataAt >= EXIT_QUIET_MS || now - exitAt >= EXIT_DRAIN_MAX_MS) finish();
      else setTimeout(waitQuiet, EXIT_QUIET_MS);
    };
    setTimeout(waitQuiet, EXIT_QUIET_MS);
  });

  return {
    pid: child.pid,
    onData(listener) {
      dataListeners.add(listener);
      return () => void dataListeners.delete(listener);
    },
    onExit(listener) {
      exitListeners.add(listener);
      return () => void exitListeners.delete(listener);
    },
    write(data) {
      if (!exited) child.write(data);
    },
    resize(cols, rows) {
      if (!exited) child.resize(Math.max(1, Math.floor(cols)), Math.max(1, Math.floor(rows)));
    },
    interrupt() {
      if (!exited) child.write('\x03');
    },
    pause() {
      if (exited || paused) return;
      paused = true;
      child.pause();
    },
    resume() {
      if (!paused) return;
      paused = false;
      child.resume();
    },
    kill() {
      if (exited) return;
      try {
        child.kill();
      } catch {
        // Already gone: the exit event follows.
      }
    },
    get exited() {
      return exited;
    },
  };
}
