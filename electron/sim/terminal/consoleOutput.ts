// All simulator output: batched into few large stdout writes (100k+ records/s through a pty), and
// with --conpty turned into what ConPTY makes of printf output (spec §1.7): `\r\n`, hard wraps at
// the pty width, VT sequences; with --conpty-repaint also conhost's repaints (repaintRenderer.ts).
// Simulator side.
import { RepaintRenderer } from './repaintRenderer';

/** Flush at once above this many pending characters, so one write never grows unbounded. */
const FLUSH_THRESHOLD_CHARS = 64 * 1024;
/**
 * Above this many bytes queued in the stdout stream (the pty is not draining), producers should
 * hold back; the guest "stalls" like a debuggee core blocked on its output link.
 */
const CONGESTION_BYTES = 1024 * 1024;

/** What conhost emits when a ConPTY session starts: win32-input-mode, focus events, clear, title. */
const CONPTY_STARTUP =
  '\x1b[?9001h\x1b[?1004h\x1b[?25l\x1b[2J\x1b[m\x1b[H\x1b]0;C:\\HyperDbg\\hyperdbg-cli.exe\x07\x1b[?25h';
/** ConPTY hides the cursor while it paints a frame and shows it again afterwards. */
const CONPTY_FRAME_START = '\x1b[?25l';
const CONPTY_FRAME_END = '\x1b[?25h';

export interface OutputSink {
  write(chunk: string): boolean;
  /** Bytes accepted but not yet handed to the pty. */
  readonly writableLength: number;
  once(event: 'drain', listener: () => void): unknown;
  readonly columns?: number;
}

export class ConsoleOutput {
  private pending: string[] = [];
  private pendingChars = 0;
  private scheduled = false;
  private column = 0;
  private lastWasCr = false;
  private drainWaiters: (() => void)[] = [];
  private waitingForDrain = false;
  private readonly conpty: boolean;
  /** --conpty-repaint: conhost's re-rendering; null paints as plain --conpty does. */
  private readonly repaint: RepaintRenderer | null;

  /** `repaint` implies `conpty`. */
  constructor(
    private readonly sink: OutputSink,
    conpty: boolean,
    repaint = false,
  ) {
    this.conpty = conpty || repaint;
    this.repaint = repaint ? new RepaintRenderer(() => this.sink.columns ?? 80) : null;
    if (this.conpty) this.sink.write(CONPTY_STARTUP);
  }

  /** Queues text exactly as the CLI's printf would produce it. */
  write(text: string): void {
    if (text.length === 0) return;
    this.queue(
      this.repaint !== null
        ? this.repaint.output(text)
        : this.conpty
          ? this.conptyTransform(text)
          : text,
      text.length,
    );
  }

  private queue(painted: string, chars: number): void {
    // A repaint frame may end with only cursor work (blanks held back): flush it all the same.
    if (painted.length === 0 && this.repaint === null) return;
    if (painted.length > 0) this.pending.push(painted);
    this.pendingChars += chars;
    if (this.pendingChars >= FLUSH_THRESHOLD_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Conhost echoes typed input in cooked mode (ConPTY only; the CLI itself never echoes). */
  echo(text: string): void {
    if (this.repaint !== null) this.queue(this.repaint.echo(text), text.length);
    else if (this.conpty) this.write(text);
  }

  flush(): void {
    this.scheduled = false;
    const frameEnd = this.repaint?.endFrame() ?? '';
    if (this.pending.length === 0 && frameEnd === '') return;
    let chunk = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (this.conpty) chunk = CONPTY_FRAME_START + chunk + frameEnd + CONPTY_FRAME_END;
    this.sink.write(chunk);
    if (this.congested) this.watchDrain();
  }

  /** True while the pty is not keeping up; fast producers wait for `drained()`. */
  get congested(): boolean {
    return this.sink.writableLength > CONGESTION_BYTES;
  }

  drained(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      this.watchDrain();
    });
  }

  /** Listens for the sink's next 'drain' (once, however many wait) and then wakes every waiter. */
  private watchDrain(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.sink.once('drain', () => {
      this.waitingForDrain = false;
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    });
  }

  /** Resolves once everything queued has been handed to the operating system. */
  async close(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve) => {
      if (this.sink.writableLength === 0) resolve();
      else this.sink.once('drain', () => resolve());
    });
  }

  /** `\n` -> `\r\n` and a hard line break at the pty width, as ConPTY renders the screen. */
  private conptyTransform(text: string): string {
    const width = Math.max(1, this.sink.columns ?? 80);
    let out = '';
    for (const ch of text) {
      if (ch === '\n') {
        out += this.lastWasCr ? '\n' : '\r\n';
        this.column = 0;
        this.lastWasCr = false;
        continue;
      }
      if (ch === '\r') {
        out += '\r';
        this.column = 0;
        this.lastWasCr = true;
        continue;
      }
      this.lastWasCr = false;
      if (ch === '\b') {
        out += ch;
        if (this.column > 0) this.column--;
        continue;
      }
      if (this.column >= width) {
        out += '\r\n';
        this.column = 0;
      }
      out += ch;
      this.column++;
    }
    return out;
  }
}
