// The session transcript: every byte the CLI printed, appended as received to a file in
// `<dataDir>/sessions/`, so nothing is lost even when the console shows only part of a flood
// (terminalStream.ts) or the CLI dies. Writes are asynchronous and never slow the pty reader.
// Host side.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * Output is gathered into writes of about this many bytes, or written after TRANSCRIPT_FLUSH_MS:
 * a flood arrives in thousands of small pty reads a second, and one write per read costs more
 * CPU than the parser (measured: capture.bench.ts).
 */
const TRANSCRIPT_WRITE_BYTES = 1024 * 1024;
const TRANSCRIPT_FLUSH_MS = 100;

export class Transcript {
  private readonly stream: WriteStream;
  private error: Error | null = null;
  private bytes = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (e) => {
      this.error ??= e;
    });
  }

  /** Opens `<dataDir>/sessions/<time>-g<generation>.log`. */
  static open(dataDir: string, generation: number, at: Date): Transcript {
    const dir = join(dataDir, 'sessions');
    mkdirSync(dir, { recursive: true });
    const stamp = at.toISOString().replace(/[:.]/g, '-');
    return new Transcript(join(dir, `${stamp}-g${generation}.log`));
  }

  write(chunk: Uint8Array): void {
    if (this.error !== null || this.stream.closed) return;
    this.bytes += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= TRANSCRIPT_WRITE_BYTES) this.flush();
    else if (this.timer === undefined)
      this.timer = setTimeout(() => this.flush(), TRANSCRIPT_FLUSH_MS);
  }

  /** Hands what is gathered to the file stream. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.error === null && !this.stream.closed) this.stream.write(data);
  }

  /** Bytes written (accepted) so far. */
  get size(): number {
    return this.bytes;
  }

  /** Why writing stopped, if it did. */
  get failure(): Error | null {
    return this.error;
  }

  /** Flushes and closes; resolves when the data is handed to the OS. */
  close(): Promise<void> {
    this.flush();
    return new Promise((resolve) => {
      if (this.stream.closed || this.stream.destroyed) {
        resolve();
        return;
      }
      this.stream.end(() => resolve());
      this.stream.once('error', () => resolve());
    });
  }
}
