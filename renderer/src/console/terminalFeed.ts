// Keeps a console in step with the host's raw stream: a snapshot first, then `terminal:data`
// chunks in order (each chunk's `seq` is the character count after it). Chunks that arrive
// before the snapshot are held and trimmed to what it lacks; a gap means output was missed, and
// the console starts over from a new snapshot. Pure (the writer and the host are injected).

export interface FeedChunk {
  readonly data: string;
  readonly seq: number;
}

export interface FeedActions {
  /** Clear the console (before a fresh snapshot). */
  reset(): void;
  /** Write text, then acknowledge `ackChars` to the host once it is rendered (0: nothing). */
  write(text: string, ackChars: number): void;
  /** Ask the host for a snapshot; `onSnapshot` gets it. */
  requestSnapshot(): void;
}

export class TerminalFeed {
  private seq: number | null = null;
  private held: FeedChunk[] = [];
  private waiting = false;

  constructor(private readonly a: FeedActions) {}

  start(): void {
    this.waiting = true;
    this.a.requestSnapshot();
  }

  onSnapshot(s: {
    readonly data: string;
    readonly seq: number;
    readonly droppedChars: number;
  }): void {
    this.a.reset();
    if (s.droppedChars > 0)
      this.a.write(
        `[… ${s.droppedChars.toLocaleString('en-US')} earlier characters not kept for the console …]\r\n`,
        0,
      );
    // The snapshot resets the host's flow control: its characters are not acknowledged.
    this.a.write(s.data, 0);
    this.seq = s.seq;
    this.waiting = false;
    const held = this.held;
    this.held = [];
    for (const c of held) this.onData(c);
  }

  onData(c: FeedChunk): void {
    if (this.waiting || this.seq === null) {
      this.held.push(c);
      return;
    }
    const start = c.seq - c.data.length;
    // Already in the snapshot (published before it, so outside the flow window it reset).
    if (c.seq <= this.seq) return;
    if (start < this.seq) {
      // Partly in the snapshot: write the rest, acknowledge the chunk as sent.
      this.a.write(c.data.slice(this.seq - start), c.data.length);
      this.seq = c.seq;
      return;
    }
    if (start > this.seq) {
      // Output this console never got: start over from a snapshot rather than show a hole.
      this.start();
      this.held.push(c);
      return;
    }
    this.a.write(c.data, c.data.length);
    this.seq = c.seq;
  }
}
