// The `.logopen` file (logopen.cpp, messaging.cpp, interpreter.cpp; docs/hyperdbg-v0.23.md §7):
// a std::ofstream that receives every ShowMessages text and each command line, but nothing `main`
// prints with printf (banner, "> ", the blank line after a command). Simulator side.
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * The stream is never flushed by the CLI: its buffer reaches the file a block at a time, and the
 * rest when the stream closes ([inferred]: MSVC's filebuf sits on a CRT FILE with this buffer).
 */
export const LOG_BUFFER_BYTES = 4096;

export class CommandLog {
  private fd: number | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** std::ofstream::open with the default mode: created or truncated. False when it cannot be. */
  open(path: string): boolean {
    try {
      this.fd = openSync(path, 'w');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * LogopenSaveToFile. The stream is in text mode, so on Windows every "\n" reaches the file as
   * "\r\n" [external: the CRT's text-mode translation]; the simulator always writes that file.
   */
  save(text: string): void {
    if (this.fd === null || text.length === 0) return;
    const bytes = Buffer.from(text.replaceAll('\n', '\r\n'), 'utf8');
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= LOG_BUFFER_BYTES) this.write(false);
  }

  /** `.logclose` or a normal end of the process: the rest of the buffer goes out. */
  close(): void {
    if (this.fd === null) return;
    this.write(true);
    try {
      closeSync(this.fd);
    } catch {
      // ofstream::close's failure is not checked either.
    }
    this.fd = null;
  }

  /** The machine died (a bug check): whatever was still buffered never reaches the file. */
  abandon(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // nothing to save
    }
    this.fd = null;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Writes whole buffer blocks, or everything when `all`. */
  private write(all: boolean): void {
    if (this.fd === null) return;
    const data = Buffer.concat(this.pending);
    const n = all ? data.length : data.length - (data.length % LOG_BUFFER_BYTES);
    try {
      writeSync(this.fd, data, 0, n);
    } catch {
      // A full disk loses the log silently, as the unchecked stream would.
    }
    const rest = data.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
  }
}
