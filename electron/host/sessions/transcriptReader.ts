// Reads a console transcript or a HyperDbg `.logopen` file as a stream (never the whole file in
// memory) through the session's own output parser and tells what it holds: CLI processes (a
// banner starts a new one), commands typed at a prompt (a `.logopen` file logs each command as it
// is entered, after its prompt) with the errors that answered them, `events` listings, records
// and malformed record lines. Host side.
import {
  COUNT_TABLE_PREFIX,
  parseCountTableLine,
  type CountTable,
} from '../../../shared/delivery/countedTable';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AppError } from '../../../shared/contract/result';
import { cliWaitsForMore } from '../../../shared/hyperdbg/cliLine';
import type {
  BannerItem,
  EventsRowItem,
  ParserItem,
  PromptItem,
  RecordItem,
} from '../../../shared/hyperdbg/items';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';

/** Bytes read per step: large enough that a 1 GB file takes ~1000 steps, small in memory. */
export const READ_CHUNK_BYTES = 1024 * 1024;
/** Bytes looked at for signs of a binary file before anything is parsed. */
const SNIFF_BYTES = 64 * 1024;
/** A multi-line command is joined up to this many lines / characters (a script's body). */
const MAX_COMMAND_LINES = 1000;
const MAX_COMMAND_CHARS = 60_000;
/**
 * Rows of one `events` listing and error codes of one answer kept: far above a real session
 * (events ids are 32-bit, but nobody creates thousands), so a hostile file cannot grow memory.
 */
const MAX_LISTING_ROWS = 10_000;
const MAX_ANSWER_ERRORS = 100;
/** First line of a `.logopen` file (the message `.logopen` prints, logged once it is open). */
const LOGOPEN_FIRST = 'save commands and results into file : ';
/** A `.logopen` file's own time stamp: `(YYYY-MM-DD HH:MM:SS)` at the end of its first line. */
const LOGOPEN_STAMP = /\((\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\)\s*$/;
const SQLITE_MAGIC = 'SQLite format 3\u0000';

export type TranscriptKind = 'transcript' | 'logopen' | 'session';

export interface TranscriptHandler {
  /** A CLI process starts (a banner, or the file's start): ids restart (spec §2.4). */
  generation?(generation: number, banner: BannerItem | null): void;
  record?(generation: number, record: RecordItem): void;
  malformed?(generation: number, text: string, reason: string): void;
  /** A count table a script printed in the target (HDBGT, buffer-records.md §7). */
  countTable?(generation: number, table: CountTable): void;
  /** A command typed at a prompt, and the error codes printed before the next prompt. */
  command?(generation: number, line: string, errorCodes: readonly string[]): void;
  /** The rows of one `events` listing. */
  listing?(generation: number, rows: readonly EventsRowItem[]): void;
  prompt?(prompt: PromptItem): void;
}

export interface ReadControl {
  /** Throws to stop (a cancel); called between chunks. */
  check(): void;
  progress(bytesRead: number, size: number): void;
}

export interface ReadSummary {
  readonly kind: TranscriptKind;
  readonly bytes: number;
  /** Prompts, banners, records, malformed lines and listing rows seen: HyperDbg content. */
  readonly signs: number;
  /** The `.logopen` file's own time stamp (local time on the machine that wrote it), if any. */
  readonly loggedAt: number | null;
}

/** What a file is by its first bytes; refuses a binary file that is not a session database. */
export async function sniffFile(path: string): Promise<{ kind: TranscriptKind; size: number }> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new AppError('invalid-input', `${path} is not a file`, 'path');
    size = st.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'not-found',
      `${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`,
      'path',
    );
  }
  const head = await readHead(path, SNIFF_BYTES);
  if (head.length >= 16 && Buffer.from(head.subarray(0, 16)).toString('latin1') === SQLITE_MAGIC)
    return { kind: 'session', size };
  const nul = head.indexOf(0);
  // UTF-16 text would show NULs too, and HyperDbg writes bytes, not UTF-16.
  if (nul >= 0)
    throw new AppError(
      'invalid-input',
      `${path} is not a console transcript or .logopen file: it holds binary data (a NUL byte at offset ${nul})`,
      'path',
    );
  const text = Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return { kind: firstLine.startsWith(LOGOPEN_FIRST) ? 'logopen' : 'transcript', size };
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const c of createReadStream(path, { start: 0, end: n - 1 })) {
    chunks.push(c as Buffer);
    got += (c as Buffer).length;
    if (got >= n) break;
  }
  return Buffer.concat(chunks);
}

/**
 * What the items say about commands. A `.logopen` file logs the prompt when it is shown and the
 * command only when it is entered (source audit §2.3): records that arrive meanwhile come between
 * them, so the first text after a prompt (records aside) is the command typed at it.
 */
class ItemInterpreter {
  private generation = 1;
  private seenOutput = false;
  /** A prompt was shown and no command or output has followed it yet. */
  private awaitingCommand = false;
  private pendingCommand: { lines: string[]; chars: number } | null = null;
  private answering: { line: string; errors: string[] } | null = null;
  private listing: EventsRowItem[] | null = null;
  signs = 0;
  firstText: string | null = null;

  constructor(private readonly h: TranscriptHandler) {
    h.generation?.(1, null);
  }

  items(items: readonly ParserItem[]): void {
    for (const it of items) this.item(it);
  }

  private item(it: ParserItem): void {
    if (this.firstText === null && (it.type === 'text' || it.type === 'banner'))
      this.firstText = it.text;
    if (it.type === 'record') {
      this.signs++;
      this.seenOutput = true;
      this.h.record?.(this.generation, it);
      return;
    }
    if (it.type === 'text' && it.text.startsWith(COUNT_TABLE_PREFIX)) {
      // Output, never a command: a table or, cut short, a malformed line (as the live log has it).
      const table = parseCountTableLine(it.text);
      if (table !== null) {
        this.signs++;
        this.seenOutput = true;
        if (typeof table === 'string') this.h.malformed?.(this.generation, it.text, table);
        else this.h.countTable?.(this.generation, table);
        return;
      }
    }
    if (it.type === 'text' && it.malformed === true) {
      this.signs++;
      this.h.malformed?.(this.generation, it.text, it.reason ?? 'not a valid HDBG1 record');
      return;
    }
    if (this.pendingCommand !== null) {
      if (it.type === 'text') {
        this.continueCommand(it.text);
        return;
      }
      if (it.type === 'prompt' && it.mode === 'continuation') return;
      this.finishCommand();
    }
    switch (it.type) {
      case 'banner':
        this.signs++;
        this.closeAnswer();
        this.awaitingCommand = false;
        if (this.seenOutput) this.generation++;
        this.seenOutput = true;
        this.h.generation?.(this.generation, it);
        return;
      case 'prompt':
        if (it.mode === 'continuation') return;
        this.signs++;
        this.seenOutput = true;
        this.closeAnswer();
        this.awaitingCommand = true;
        this.h.prompt?.(it);
        return;
      case 'text':
        if (this.awaitingCommand) {
          this.awaitingCommand = false;
          this.startCommand(it.text);
        }
        return;
      case 'events-row':
        this.signs++;
        this.awaitingCommand = false;
        this.listing ??= [];
        if (this.listing.length < MAX_LISTING_ROWS) this.listing.push(it);
        return;
      case 'error':
        this.awaitingCommand = false;
        if (this.answering !== null && this.answering.errors.length < MAX_ANSWER_ERRORS)
          this.answering.errors.push(it.code);
        return;
      default:
        this.awaitingCommand = false;
        return;
    }
  }

  private startCommand(text: string): void {
    const line = text.trim();
    if (line === '') return;
    this.pendingCommand = { lines: [line], chars: line.length };
    if (!cliWaitsForMore(line)) this.finishCommand();
  }

  private continueCommand(text: string): void {
    const p = this.pendingCommand;
    if (p === null) return;
    p.lines.push(text);
    p.chars += text.length;
    if (
      !cliWaitsForMore(p.lines.join('\n')) ||
      p.lines.length >= MAX_COMMAND_LINES ||
      p.chars >= MAX_COMMAND_CHARS
    )
      this.finishCommand();
  }

  private finishCommand(): void {
    const p = this.pendingCommand;
    if (p === null) return;
    this.pendingCommand = null;
    // hyperdbg-cli joins a multi-line command's lines with newlines (spec §1.3).
    this.answering = { line: p.lines.join('\n'), errors: [] };
  }

  /** The next prompt: the previous command's answer and listing are complete. */
  private closeAnswer(): void {
    if (this.listing !== null) {
      this.h.listing?.(this.generation, this.listing);
      this.listing = null;
    }
    const a = this.answering;
    if (a !== null) {
      this.answering = null;
      this.h.command?.(this.generation, a.line, a.errors);
    }
  }

  end(): void {
    this.finishCommand();
    this.closeAnswer();
  }
}

/**
 * Reads `path` from start to end through the output parser and calls `h` for what it holds.
 * Memory stays bounded whatever the file's size: one chunk, one line (the parser's cap).
 */
export async function readTranscript(
  path: string,
  h: TranscriptHandler,
  control: ReadControl,
): Promise<ReadSummary> {
  const { kind, size } = await sniffFile(path);
  if (kind === 'session')
    throw new AppError('invalid-input', `${path} is a session database, not a transcript`, 'path');
  const parser = createOutputParser();
  const lines = new ItemInterpreter(h);
  let read = 0;
  control.progress(0, size);
  for await (const c of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) {
    control.check();
    const chunk = c as Buffer;
    lines.items(parser.push(chunk));
    read += chunk.length;
    control.progress(read, size);
  }
  control.check();
  lines.items(parser.end());
  lines.end();
  const stamp = kind === 'logopen' ? LOGOPEN_STAMP.exec(lines.firstText ?? '') : null;
  const loggedAt =
    stamp === null
      ? null
      : new Date(
          Number(stamp[1]),
          Number(stamp[2]) - 1,
          Number(stamp[3]),
          Number(stamp[4]),
          Number(stamp[5]),
          Number(stamp[6]),
        ).getTime();
  return {
    kind,
    bytes: read,
    signs: lines.signs,
    loggedAt: loggedAt !== null && Number.isFinite(loggedAt) ? loggedAt : null,
  };
}
