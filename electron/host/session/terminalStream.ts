// The raw console stream (`terminal:data`, `terminal:snapshot`, `terminal:ack`). Host side.
//
// Why this never pauses the pty: hyperdbg-cli writes with plain printf. When its stdout is not
// read, printf blocks, and so does the thread that prints kernel messages; the kernel's 1000-slot
// ring then overwrites records without a word (spec §6.1). So the host ALWAYS reads the pty at
// full speed: the parser, the record log and the transcript file (which keeps the full raw
// output) see every byte. Only this copy for the console is flow-controlled: characters sent are
// counted against what the console acknowledges from xterm's write callback (architecture §3's
// watermarks). While the console lags, output waits in a bounded backlog; past its cap the
// oldest part is dropped and the console gets an explicit line saying how much it did not show
// and where the whole output is. Nothing is decoded or held for a console when none listens:
// the recent output is kept as bytes and decoded only when a snapshot is asked for.
//
// Record lines (HDBG1) are kept out of the console's copy by default, here before the flow
// control: a flood of records then neither fills the console's window nor pushes a command's
// answer out of the backlog, and costs no WebSocket traffic. The live log has every record and
// the transcript every byte; the console shows how many it hid and can show them again.
import { TextDecoder } from 'node:util';
import type { TerminalChunk, TerminalSnapshot } from '../../../shared/contract/session';
import { RecordLineFilter } from '../../../shared/hyperdbg/recordLineFilter';
import { createFlowControl, FLOW_HIGH_WATERMARK_CHARS } from '../../../shared/stream/flowControl';
import { BATCH_MAX_BYTES, BATCH_MAX_DELAY_MS } from '../../../shared/stream/batcher';

/**
 * Recent output kept for `terminal:snapshot` (a console that opens late), in bytes of UTF-8
 * (characters for the CLI's ASCII output).
 */
export const TERMINAL_SNAPSHOT_CHARS = 512 * 1024;
/**
 * Output held for a lagging console, in characters: ten screens of a flood is plenty to read,
 * and the full output is in the transcript anyway.
 */
export const TERMINAL_BACKLOG_CHARS = 2 * 1024 * 1024;
/**
 * While only records arrive (all hidden), the console's count of hidden records is sent this
 * often, in ms: it reads as live without a message per batch.
 */
export const HIDDEN_COUNT_INTERVAL_MS = 250;

export interface TerminalStreamOptions {
  readonly publish: (payload: TerminalChunk) => void;
  /** Whether a console listens to `terminal:data` now. */
  readonly hasConsole: () => boolean;
  /** Where the whole output is, for the marker line. */
  readonly transcriptPath?: () => string | null;
  readonly snapshotChars?: number;
  readonly backlogChars?: number;
}

/** A list of strings with a character count, trimmed from the front. */
class TextTail {
  private parts: string[] = [];
  chars = 0;

  push(s: string): void {
    this.parts.push(s);
    this.chars += s.length;
  }

  /** Drops the oldest characters beyond `max`; returns how many were dropped. */
  trim(max: number): number {
    let dropped = 0;
    while (this.chars > max) {
      const first = this.parts[0] as string;
      const over = this.chars - max;
      if (first.length <= over) {
        this.parts.shift();
        this.chars -= first.length;
        dropped += first.length;
      } else {
        this.parts[0] = first.slice(over);
        this.chars -= over;
        dropped += over;
      }
    }
    return dropped;
  }

  /** Removes and returns up to `max` characters from the front. */
  take(max: number): string {
    let out = '';
    while (this.parts.length > 0 && out.length < max) {
      const first = this.parts[0] as string;
      const room = max - out.length;
      if (first.length <= room) {
        out += first;
        this.parts.shift();
      } else {
        out += first.slice(0, room);
        this.parts[0] = first.slice(room);
      }
    }
    this.chars -= out.length;
    return out;
  }

  text(): string {
    const all = this.parts.join('');
    this.parts = all.length > 0 ? [all] : [];
    return all;
  }

  clear(): void {
    this.parts = [];
    this.chars = 0;
  }
}

/** Recent bytes, trimmed from the front. */
class ByteTail {
  private parts: Uint8Array[] = [];
  bytes = 0;

  push(b: Uint8Array): void {
    this.parts.push(b);
    this.bytes += b.length;
  }

  trim(max: number): number {
    let dropped = 0;
    while (this.bytes > max) {
      const first = this.parts[0] as Uint8Array;
      const over = this.bytes - max;
      if (first.length <= over) {
        this.parts.shift();
        this.bytes -= first.length;
        dropped += first.length;
      } else {
        this.parts[0] = first.subarray(over);
        this.bytes -= over;
        dropped += over;
      }
    }
    return dropped;
  }

  /** The bytes, starting at a whole UTF-8 character. */
  whole(): Uint8Array {
    const all = Buffer.concat(this.parts);
    this.parts = all.length > 0 ? [all] : [];
    let start = 0;
    while (start < all.length && start < 4 && ((all[start] as number) & 0xc0) === 0x80) start++;
    return all.subarray(start);
  }

  /** The bytes as text, starting at a whole UTF-8 character. */
  text(): string {
    return new TextDecoder('utf-8').decode(this.whole());
  }
}

const encoder = new TextEncoder();

export function omittedMarker(chars: number, transcript: string | null): string {
  const where =
    transcript === null ? 'the session transcript' : `the session transcript (${transcript})`;
  return `\r\n[... ${chars.toLocaleString('en-US')} characters not shown; the full output is in ${where} ...]\r\n`;
}

export class TerminalStream {
  private readonly flow = createFlowControl();
  private readonly tail = new ByteTail();
  private decoder = new TextDecoder('utf-8');
  /** A console listened at the last push (the decoder's state is current). */
  private live = false;
  private readonly pending = new TextTail();
  private readonly backlog = new TextTail();
  /** Characters ever pushed, and characters the snapshot tail no longer holds. */
  private total = 0;
  private tailDropped = 0;
  /** Characters dropped from the backlog since the console last got a marker. */
  private omitted = 0;
  /** Characters published on `terminal:data` (the payloads' `seq`). */
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Record lines go to the console too (the console's toggle); hidden by default. */
  private showRecords = false;
  private records = new RecordLineFilter();
  /** Record lines hidden before the current filter (it is replaced at snapshots). */
  private hiddenBefore = 0;
  /** The hidden count changed since the console last heard it. */
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  private countSent = 0;
  /** The output ended (endBytes) and nothing came since: a held last line is final. */
  private ended = false;
  private readonly snapshotMax: number;
  private readonly backlogMax: number;

  constructor(private readonly o: TerminalStreamOptions) {
    this.snapshotMax = o.snapshotChars ?? TERMINAL_SNAPSHOT_CHARS;
    this.backlogMax = o.backlogChars ?? TERMINAL_BACKLOG_CHARS;
  }

  /** Raw output as the pty gave it. */
  pushBytes(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.ended = false;
    this.total += chunk.length;
    this.tail.push(chunk);
    this.tailDropped += this.tail.trim(this.snapshotMax);
    if (!this.o.hasConsole()) {
      // Nobody watches: a console that opens later starts from a snapshot.
      if (this.live || this.flow.paused || this.backlog.chars > 0 || this.pending.chars > 0)
        this.resync();
      this.live = false;
      return;
    }
    if (!this.live) {
      this.decoder = new TextDecoder('utf-8');
      this.live = true;
    }
    this.forward(chunk);
  }

  /** Text of our own for the console (a separator between processes), kept like output. */
  pushText(text: string): void {
    this.ended = false;
    const bytes = encoder.encode(text);
    this.total += bytes.length;
    this.tail.push(bytes);
    this.tailDropped += this.tail.trim(this.snapshotMax);
    if (this.o.hasConsole()) this.forward(bytes);
  }

  /**
   * The end of the raw output: a character cut at the end is flushed, and so is a last line held
   * back as a possible record (the process ended before its line did).
   */
  endBytes(): void {
    this.ended = true;
    if (this.live)
      this.emit(
        this.decoder.decode(this.records.flush(), { stream: true }) + this.decoder.decode(),
      );
    this.decoder = new TextDecoder('utf-8');
  }

  /**
   * Output for the console, decoded: record lines are kept out (as bytes, before decoding: the
   * cheap place) unless they are shown.
   */
  private forward(raw: Uint8Array): void {
    if (this.showRecords) return this.emit(this.decoder.decode(raw, { stream: true }));
    let text = '';
    for (const part of this.records.push(raw)) text += this.decoder.decode(part, { stream: true });
    if (text.length > 0) this.emit(text);
    else if (this.hiddenRecords !== this.countSent) this.scheduleCount();
  }

  private emit(text: string): void {
    if (text.length === 0) return;
    if (this.flow.paused) {
      this.backlog.push(text);
      this.omitted += this.backlog.trim(this.backlogMax);
      return;
    }
    this.pending.push(text);
    if (this.pending.chars >= BATCH_MAX_BYTES) this.flush();
    else if (this.timer === undefined)
      this.timer = setTimeout(() => this.flush(), BATCH_MAX_DELAY_MS);
  }

  /** The console rendered `chars` characters. */
  ack(chars: number): void {
    if (this.flow.acked(chars)) this.drainBacklog();
  }

  /**
   * Recent output; the stream continues after it (what the console waited for is in it). With
   * records hidden it is filtered too, and the live filter carries on from its end, so a line
   * cut at the snapshot's end is judged whole.
   */
  snapshot(): TerminalSnapshot {
    this.resync();
    // The count never goes back: records the snapshot hides were counted as they streamed past
    // a console, or, if none listened then, are counted now.
    const counted = this.hiddenRecords;
    this.records = new RecordLineFilter();
    let data: string;
    if (this.showRecords) data = this.tail.text();
    else {
      const parts = this.records.push(this.tail.whole());
      // A line the process never finished is not waiting for more: show it.
      if (this.ended) parts.push(this.records.flush());
      data = new TextDecoder('utf-8').decode(Buffer.concat(parts));
    }
    this.hiddenBefore = Math.max(0, counted - this.records.hidden);
    this.countSent = this.hiddenRecords;
    return {
      data,
      seq: this.seq,
      droppedChars: this.tailDropped,
      hiddenRecords: this.hiddenRecords,
      showRecords: this.showRecords,
    };
  }

  /** Record lines kept out of the console so far. */
  get hiddenRecords(): number {
    return this.hiddenBefore + this.records.hidden;
  }

  /**
   * Shows record lines in the console again, or hides them. The console then asks for a fresh
   * snapshot (filtered the new way); what a hidden line held back goes out now.
   */
  setShowRecords(show: boolean): { readonly showRecords: boolean } {
    if (show !== this.showRecords) {
      if (show && this.live) this.emit(this.decoder.decode(this.records.flush(), { stream: true }));
      this.showRecords = show;
    }
    return { showRecords: this.showRecords };
  }

  /** Bytes ever pushed (for tests and the state). */
  get totalChars(): number {
    return this.total;
  }

  get paused(): boolean {
    return this.flow.paused;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.countTimer !== undefined) clearTimeout(this.countTimer);
    this.countTimer = undefined;
  }

  /** Only hidden records arrived: tell the console the new count, at most every interval. */
  private scheduleCount(): void {
    if (this.countTimer !== undefined) return;
    this.countTimer = setTimeout(() => {
      this.countTimer = undefined;
      // Output that went out meanwhile carried the count already.
      if (this.hiddenRecords !== this.countSent && !this.flow.paused) this.send('');
    }, HIDDEN_COUNT_INTERVAL_MS);
  }

  /** Forgets what waits for the console: it is covered by the snapshot. */
  private resync(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.backlog.clear();
    this.omitted = 0;
    this.flow.reset();
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.chars === 0) return;
    this.send(this.pending.text());
    this.pending.clear();
  }

  private send(data: string): void {
    this.seq += data.length;
    this.countSent = this.hiddenRecords;
    this.o.publish({
      data,
      seq: this.seq,
      hiddenRecords: this.countSent,
      showRecords: this.showRecords,
    });
    this.flow.sent(data.length);
  }

  /** The console caught up: the marker (if output was dropped), then the backlog in slices. */
  private drainBacklog(): void {
    if (this.omitted > 0) {
      this.send(omittedMarker(this.omitted, this.o.transcriptPath?.() ?? null));
      this.omitted = 0;
    }
    while (this.backlog.chars > 0 && !this.flow.paused)
      this.send(this.backlog.take(FLOW_HIGH_WATERMARK_CHARS));
    if (!this.flow.paused && this.pending.chars > 0) this.flush();
  }
}
