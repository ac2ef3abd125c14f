// The session transcript: every byte the CLI printed, appended as received to a file in
// `<dataDir>/sessions/`, so nothing is lost even when the console shows only part of a flood
// (terminalStream.ts) or the CLI dies. Writes are asynchronous and never slow the pty reader.
// Host side.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export class Transcript {
  private readonly stream: WriteStream;
  private error: Error | null = null;
  private bytes = 0;

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
    this.stream.write(chunk);
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
