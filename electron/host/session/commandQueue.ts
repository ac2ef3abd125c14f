// The command queue: sends one command at a time to hyperdbg-cli and tells where its output ends.
// After each command it sends a unique unknown command, `__hdbg_sync_NNNN`; the CLI answers it
// locally and synchronously with "err, couldn't resolve command at '__hdbg_sync_NNNN'" (spec
// §1.8), so everything before that line is the command's output (or asynchronous output).
// Commands that block the CLI (Debugger Mode's `g`, `pause`, `.start`..., `.debug remote ...`,
// blockingCommands.ts) get no marker: the marker would sit unread in stdin until the debuggee
// pauses. They end on their own completion text ("debuggee is running...", or the kernel prompt
// after `.debug remote pause`), or at a prompt once they have printed a failure; a prompt-like
// line before that (conhost repainting the prompt with the echo) does not end them. Timeouts and
// cancellation. Host side.
import type { CommandResult } from '../../../shared/contract/session';
import { AppError } from '../../../shared/contract/result';
import type { ParserItem } from '../../../shared/hyperdbg/items';
import { SYNC_MARKER_PREFIX } from './commandLine';
import { ownsOutput } from './outputAttribution';

/** Enter as a ConPTY user types it; hyperdbg-cli's getline and the simulator both take it. */
export const ENTER = '\r';
/** Digits of the marker's counter (spec §1.8's example is `__hdbg_sync_0001`). */
const MARKER_DIGITS = 4;
/** The default for commands that give no timeout: every local command answers at once. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;

export type Completion =
  /** Ends at the answer to its sync marker. */
  | 'marker'
  /** Blocks the CLI when it succeeds: ends at its completion text, or at a prompt after a failure. */
  | 'blocking';

/** What a blocking command prints when it succeeded. */
export type BlockingEnd =
  /** "debuggee is running..." (kd.cpp KdTheRemoteSystemIsRunning): the CLI now waits. */
  | 'running'
  /** The kernel prompt `%x: kHyperDbg> ` after a pause's disassembly (`.debug remote pause`). */
  | 'kernel-prompt';

export interface CommandRequest {
  /** One checked line (commandLine.ts): no newline, not blank, nothing left open. */
  readonly line: string;
  readonly completion?: Completion;
  /** A blocking command's completion text (default: "debuggee is running..."). */
  readonly until?: BlockingEnd;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface CommandOutcome {
  readonly result: CommandResult;
  /** Every item of the command's output in order (echoes, prompts and records excluded). */
  readonly items: readonly ParserItem[];
  /** What ended it: its marker's answer, a prompt, or the debuggee starting to run. */
  readonly endedBy: 'marker' | 'prompt' | 'running';
}

export interface QueueIo {
  /** Writes to the CLI's stdin. */
  write(data: string): void;
  /** Tells the output parser to expect the echo of a line sent (ConPTY echoes, spec §1.7). */
  expectEcho(line: string): void;
  /** Whether the CLI reads stdin now (not while a Debugger-Mode debuggee runs, spec §1.8). */
  canSend(): boolean;
  now(): number;
  /** Called when the number of queued and running commands changes. */
  onCountChange?(count: number): void;
}

interface Entry {
  readonly line: string;
  readonly completion: Completion;
  readonly until: BlockingEnd;
  readonly timeoutMs: number;
  readonly resolve: (o: CommandOutcome) => void;
  readonly reject: (e: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
  marker: string | null;
  sentAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Timed out or cancelled after it was sent: its output is read and dropped. */
  abandoned: boolean;
  /**
   * A blocking command printed an error or an unrecognised line: it failed, and the next prompt
   * is the CLI reading again (kept even when abandoned, so the queue can move on).
   */
  failed: boolean;
  items: ParserItem[];
  lines: string[];
  errors: { code: string; text: string }[];
}

/** The text a console shows for an item, for CommandResult.lines. */
export function itemText(item: ParserItem): string {
  if (item.type === 'events-row')
    return `${item.id.toString(16)}\t(${item.enabled ? 'enabled' : 'disabled'})\t    ${item.command}`;
  if (item.type === 'record') return '';
  return item.text;
}

export class CommandQueue {
  private readonly waiting: Entry[] = [];
  /** Sent and not yet delimited, oldest first; at most one is not abandoned. */
  private readonly inFlight: Entry[] = [];
  private counter = 0;
  private closed: AppError | null = null;

  constructor(private readonly io: QueueIo) {}

  /** Commands waiting or running (abandoned ones excluded). */
  get count(): number {
    return this.waiting.length + this.inFlight.filter((e) => !e.abandoned).length;
  }

  /** True while a command is running (sent and not answered). */
  get busy(): boolean {
    return this.inFlight.some((e) => !e.abandoned);
  }

  /** A blocking command (no marker) is running: the CLI may not read stdin until it ends. */
  get blockedInCommand(): boolean {
    return this.inFlight.some((e) => e.completion === 'blocking');
  }

  submit(req: CommandRequest): Promise<CommandOutcome> {
    if (this.closed !== null) return Promise.reject(this.closed);
    return new Promise<CommandOutcome>((resolve, reject) => {
      const entry: Entry = {
        line: req.line,
        completion: req.completion ?? 'marker',
        until: req.until ?? 'running',
        timeoutMs: req.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        resolve,
        reject,
        signal: req.signal,
        onAbort: () => this.abort(entry, new AppError('cancelled', `'${req.line}' was cancelled`)),
        marker: null,
        sentAt: 0,
        timer: undefined,
        abandoned: false,
        failed: false,
        items: [],
        lines: [],
        errors: [],
      };
      if (req.signal?.aborted === true) {
        reject(new AppError('cancelled', `'${req.line}' was cancelled before it was sent`));
        return;
      }
      req.signal?.addEventListener('abort', entry.onAbort, { once: true });
      entry.timer = setTimeout(
        () =>
          this.abort(
            entry,
            new AppError(
              'timeout',
              entry.sentAt === 0
                ? `'${req.line}' was not sent within ${entry.timeoutMs} ms (hyperdbg-cli was busy)`
                : `'${req.line}' got no complete answer within ${entry.timeoutMs} ms; hyperdbg-cli keeps running it and its output is dropped when it comes`,
            ),
          ),
        entry.timeoutMs,
      );
      this.waiting.push(entry);
      this.countChanged();
      this.pump();
    });
  }

  /** Sends the next command if the CLI reads now and none is running. */
  pump(): void {
    if (this.closed !== null || this.busy || !this.io.canSend()) return;
    // A blocking command with no marker cannot be delimited once abandoned: wait for its end.
    if (this.inFlight.some((e) => e.completion === 'blocking')) return;
    const e = this.waiting.shift();
    if (e === undefined) return;
    e.sentAt = this.io.now();
    this.io.expectEcho(e.line);
    if (e.completion === 'marker') {
      this.counter++;
      e.marker = `${SYNC_MARKER_PREFIX}${String(this.counter).padStart(MARKER_DIGITS, '0')}`;
      this.io.expectEcho(e.marker);
      // Both lines in one write: the CLI reads them one after the other (typed ahead).
      this.io.write(`${e.line}${ENTER}${e.marker}${ENTER}`);
    } else this.io.write(`${e.line}${ENTER}`);
    this.inFlight.push(e);
  }

  /** Every parser item but records, in order. */
  onItem(item: ParserItem): void {
    if (this.inFlight.length === 0) return;
    if (item.type === 'error' && item.code === 'unknown-command') {
      const name = item.args[0];
      const at = this.inFlight.findIndex((e) => e.marker !== null && e.marker === name);
      if (at >= 0) {
        // Entries before it sent no marker or lost theirs: they end here too.
        const done = this.inFlight.splice(0, at + 1);
        for (const e of done) this.finish(e, 'marker');
        this.countChanged();
        this.pump();
        return;
      }
    }
    const head = this.inFlight[0] as Entry;
    if (head.completion === 'blocking') {
      if (item.type === 'prompt') {
        if (item.mode === 'continuation') return;
        const succeeded = head.until === 'kernel-prompt' && item.mode === 'kernel';
        // Anything else prompt-like before the command's answer is conhost repainting the line
        // it was typed on, not the CLI reading again.
        if (succeeded || head.failed) this.endBlocking(head, 'prompt');
        return;
      }
      if (item.type === 'status' && item.code === 'debuggee-running' && head.until === 'running') {
        this.collect(head, item);
        this.endBlocking(head, 'running');
        return;
      }
      if (showsFailure(item) && ownsOutput(head.line, item)) head.failed = true;
    }
    this.collect(head, item);
  }

  private endBlocking(head: Entry, endedBy: CommandOutcome['endedBy']): void {
    this.inFlight.shift();
    this.finish(head, endedBy);
    this.countChanged();
    this.pump();
  }

  /** The CLI is gone: every command fails with `error`, and later submissions too. */
  close(error: AppError): void {
    if (this.closed !== null) return;
    this.closed = error;
    const all = [...this.inFlight, ...this.waiting];
    this.inFlight.length = 0;
    this.waiting.length = 0;
    for (const e of all) {
      this.cleanup(e);
      if (!e.abandoned) e.reject(error);
    }
    this.countChanged();
  }

  /** Drops every command not yet sent (a disconnect), failing them with `error`. */
  cancelWaiting(error: AppError): void {
    const all = this.waiting.splice(0);
    for (const e of all) {
      this.cleanup(e);
      e.reject(error);
    }
    if (all.length > 0) this.countChanged();
  }

  private collect(e: Entry, item: ParserItem): void {
    if (e.abandoned) return;
    if (item.type === 'echo' || item.type === 'prompt' || item.type === 'record') return;
    if (!ownsOutput(e.line, item)) return;
    e.items.push(item);
    e.lines.push(itemText(item));
    if (item.type === 'error') e.errors.push({ code: item.code, text: item.text });
  }

  private finish(e: Entry, endedBy: CommandOutcome['endedBy']): void {
    this.cleanup(e);
    if (e.abandoned) return;
    // main's "\n" after every command (spec §1.3 step 6) is not part of what the command said.
    while (e.lines.length > 0 && (e.lines[e.lines.length - 1] as string).trim() === '') {
      e.lines.pop();
      const last = e.items[e.items.length - 1];
      if (last?.type === 'text' && last.text.trim() === '') e.items.pop();
    }
    // ... nor is the one after the previous marker's answer, when it arrives late.
    while (e.lines.length > 0 && (e.lines[0] as string).trim() === '') {
      e.lines.shift();
      const first = e.items[0];
      if (first?.type === 'text' && first.text.trim() === '') e.items.shift();
    }
    e.resolve({
      result: {
        command: e.line,
        lines: e.lines,
        errors: e.errors,
        durationMs: this.io.now() - e.sentAt,
      },
      items: e.items,
      endedBy,
    });
  }

  private abort(e: Entry, error: AppError): void {
    if (e.abandoned) return;
    const waitingAt = this.waiting.indexOf(e);
    if (waitingAt >= 0) {
      this.waiting.splice(waitingAt, 1);
      this.cleanup(e);
      e.reject(error);
      this.countChanged();
      return;
    }
    if (!this.inFlight.includes(e)) return;
    // Sent: the CLI runs it anyway. Its output is still delimited by its marker and dropped.
    e.abandoned = true;
    this.cleanup(e);
    e.reject(error);
    this.countChanged();
    this.pump();
  }

  private cleanup(e: Entry): void {
    if (e.timer !== undefined) clearTimeout(e.timer);
    e.timer = undefined;
    e.signal?.removeEventListener('abort', e.onAbort);
  }

  private countChanged(): void {
    this.io.onCountChange?.(this.count);
  }
}

/**
 * Output after which a blocking command's next prompt is the CLI reading again: an error, or a
 * line nothing recognised (a refusal in words the table lacks, or the help text after a usage
 * error). Progress lines ("waiting for debuggee to connect...") and echoes are no such sign.
 */
function showsFailure(item: ParserItem): boolean {
  if (item.type === 'error') return true;
  return item.type === 'text' && item.text.trim().length > 0;
}
