// The session transcript: every byte the CLI printed, appended as received to a file in
// `<dataDir>/sessions/`, so nothing is lost even when the console shows only part of a flood
// (terminalStream.ts) or the CLI dies. Writes are asynchronous and never slow the pty reader; a
// fatal error in the host writes what is still in memory synchronously (flushAllTranscriptsSync).
// Host side.
import { closeSync, mkdirSync, openSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Output is gathered into writes of about this many bytes, or written after TRANSCRIPT_FLUSH_MS:
 * a flood arrives in thousands of small pty reads a second, and one write per read costs more
 * CPU than the parser (measured: capture.bench.ts).
 */
const TRANSCRIPT_WRITE_BYTES = 1024 * 1024;
const TRANSCRIPT_FLUSH_MS = 100;

/** One gathered block and where it belongs in the file. */
interface Block {
  readonly data: Uint8Array;
  readonly position: number;
}

/** Transcripts still open, for the fatal-error path (one per session run, so a handful). */
const openTranscripts = new Set<Transcript>();

/**
 * Writes the unwritten tail of every open transcript, synchronously. For a process about to
 * end on an error nobody caught: no callback or timer will run after it.
 */
export function flushAllTranscriptsSync(): void {
  for (const t of openTranscripts) t.flushSync();
}

export class Transcript {
  private error: Error | null = null;
  private bytes = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Handed to the OS but not confirmed written, oldest first. */
  private readonly inFlight: Block[] = [];
  private writing = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly drained: (() => void)[] = [];

  /**
   * Every block is written at its own position (not appended): the synchronous flush of a dying
   * process may then write a block again that an asynchronous write is still busy with, and the
   * file comes out the same.
   */
  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    openTranscripts.add(this);
  }

  /**
   * Opens `<dataDir>/sessions/<time>-g<generation>[-<label>].log` (a new file; `-2`, `-3` if
   * taken). The label names a second stream of the same CLI process, e.g. a forwarding sink's.
   */
  static open(dataDir: string, generation: number, at: Date, label?: string): Transcript {
    const dir = join(dataDir, 'sessions');
    mkdirSync(dir, { recursive: true });
    const stamp = at.toISOString().replace(/[:.]/g, '-');
    const tail = label === undefined ? '' : `-${label}`;
    for (let n = 1; ; n++) {
      const path = join(dir, `${stamp}-g${generation}${tail}${n === 1 ? '' : `-${n}`}.log`);
      try {
        return new Transcript(path, openSync(path, 'wx'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }

  write(chunk: Uint8Array): void {
    if (this.error !== null || this.closed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= TRANSCRIPT_WRITE_BYTES) this.flush();
    else if (this.timer === undefined)
      this.timer = setTimeout(() => this.flush(), TRANSCRIPT_FLUSH_MS);
  }

  /** Hands what is gathered to the OS. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || this.error !== null || this.closed) return;
    const data =
      this.pending.length === 1 ? (this.pending[0] as Uint8Array) : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.inFlight.push({ data, position: this.bytes });
    this.bytes += data.length;
    this.pump();
  }

  /** Writes in-flight and gathered blocks now, synchronously; for the fatal-error path only. */
  flushSync(): void {
    if (this.error !== null || this.closed) return;
    this.flush();
    try {
      for (const b of this.inFlight) writeFully(this.fd, b);
    } catch (e) {
      this.error ??= e as Error;
    }
  }

  private pump(): void {
    const block = this.inFlight[0];
    if (this.writing || block === undefined) {
      if (block === undefined) for (const done of this.drained.splice(0)) done();
      return;
    }
    this.writing = true;
    write(this.fd, block.data, 0, block.data.length, block.position, (e, written) => {
      this.writing = false;
      if (e !== null) {
        this.error ??= e;
        this.inFlight.length = 0;
      } else if (written < block.data.length) {
        // Short write: the rest goes next, at its own position.
        this.inFlight[0] = {
          data: block.data.subarray(written),
          position: block.position + written,
        };
      } else this.inFlight.shift();
      this.pump();
    });
  }

  /** Bytes accepted so far. */
  get size(): number {
    return this.bytes + this.pendingBytes;
  }

  /** Why writing stopped, if it did. */
  get failure(): Error | null {
    return this.error;
  }

  /** Flushes and closes; resolves when the data is handed to the OS. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.flush();
    return new Promise<void>((resolve) => {
      this.drained.push(resolve);
      this.pump();
    }).then(() => {
      this.closed = true;
      openTranscripts.delete(this);
      try {
        closeSync(this.fd);
      } catch {
        // Already gone with the process's other descriptors.
      }
    });
  }
}

function writeFully(fd: number, b: Block): void {
  let done = 0;
  while (done < b.data.length)
    done += writeSync(fd, b.data, done, b.data.length - done, b.position + done);
}
