// What the output parser turns hyperdbg-cli's output into: one typed item per recognised line
// or line part. Pure types; the JSON form for the headless CLI is in itemJson.ts.
import type { HdbgRecord } from '../model/record';
import type { MessageSeverity } from './messages';

/**
 * The prompt's form (spec §1.4): `vmi` is the plain `HyperDbg> ` (also before any connection),
 * `remote` the TCP client's `[ip:port] HyperDbg> `, `kernel` Debugger Mode's `%x: kHyperDbg> `,
 * `user` the user-mode debugger's, `continuation` the `> ` of a multi-line command.
 */
export type PromptMode = 'vmi' | 'remote' | 'kernel' | 'user' | 'continuation';

export interface BannerItem {
  readonly type: 'banner';
  /** e.g. `v0.23.0`, or `v0.23.0-sim` from the simulator. */
  readonly version: string;
  /** `YYYYMMDD.HHMM` on real builds (spec §1.2); kept as printed. */
  readonly build: string;
  /** The version carries the `-sim` suffix (buffer-records.md §1). */
  readonly simulator: boolean;
  readonly text: string;
}

export interface PromptItem {
  readonly type: 'prompt';
  readonly mode: PromptMode;
  /** The prompt exactly as printed, e.g. `0: kHyperDbg> `. */
  readonly text: string;
  /** `kernel`: the current remote core (hex in the prompt). */
  readonly core?: number;
  /** `user`: process and thread ids, state and bitness. */
  readonly pid?: number;
  readonly tid?: number;
  readonly state?: 'paused' | 'running';
  readonly arch?: '86' | '64';
  /** `remote`: address and port as typed at `.connect`. */
  readonly host?: string;
  readonly port?: string;
}

export type RecordItem = { readonly type: 'record' } & HdbgRecord;

export interface EventsRowItem {
  readonly type: 'events-row';
  readonly id: number;
  readonly enabled: boolean;
  /** The command text as `events` prints it (spec §4), trailing space included. */
  readonly command: string;
  /** The CLI cut the text at 70 characters and appended `...`. */
  readonly truncated: boolean;
}

export interface MessageItem {
  readonly type: MessageSeverity;
  /** Stable code from the message table (messages.ts), or `unlisted-error`. */
  readonly code: string;
  readonly text: string;
  /** Values of the format's `%` fields, e.g. the command name of `unknown-command`. */
  readonly args: readonly string[];
}

export interface KernelLogItem {
  readonly type: 'kernel-log';
  /** `HH:MM:SS.mmm` as printed (spec §2.10). */
  readonly time: string;
  /** Decimal in the log line, unlike the prompt's hex. */
  readonly core: number;
  readonly vmxRoot: boolean;
  readonly level: 'information' | 'warning' | 'error';
  readonly function: string;
  readonly line: number;
  readonly message: string;
  readonly text: string;
}

/** Why a Debugger-Mode debuggee stopped (spec §2.7, `kernel-listening.cpp`). */
export interface PauseItem {
  readonly type: 'pause';
  readonly reason: 'event' | 'breakpoint' | 'process-switch' | 'thread-switch' | 'entrypoint';
  readonly eventId?: number;
  readonly stage?: 'pre' | 'post';
  readonly breakpointId?: number;
  readonly text: string;
}

/** One line of `HyperDbgDisassembler64` output (spec §2.7). */
export interface DisassemblyItem {
  readonly type: 'disassembly';
  readonly address: bigint;
  readonly bytes: Uint8Array;
  readonly instruction: string;
  readonly branch?: 'taken' | 'not-taken';
  readonly text: string;
}

/** The text the session sent, echoed back by the console (spec §1.7). */
export interface EchoItem {
  readonly type: 'echo';
  readonly text: string;
}

export interface TextItem {
  readonly type: 'text';
  readonly text: string;
  /** The line starts like a record (`HDBG` and a digit) but is not a valid one. */
  readonly malformed?: true;
  /** For a malformed record: what is wrong with it. */
  readonly reason?: string;
  /** The line was longer than the parser keeps whole: this is a cut-off part of it. */
  readonly truncated?: true;
  /** This part continues the previous text item's line. */
  readonly continued?: true;
}

export type ParserItem =
  | BannerItem
  | PromptItem
  | RecordItem
  | EventsRowItem
  | MessageItem
  | KernelLogItem
  | PauseItem
  | DisassemblyItem
  | EchoItem
  | TextItem;

export interface ParserStats {
  /** Input bytes pushed. */
  bytes: number;
  /** Logical lines completed (after joining hard wraps), pieces of cut lines included. */
  lines: number;
  records: number;
  /** Lines that looked like records but were not. */
  malformed: number;
  /** Pieces emitted because a line exceeded the length cap. */
  truncated: number;
  prompts: number;
  /** Prompts conhost painted again (with the echo) that were not emitted a second time. */
  repaints: number;
  echoes: number;
  /** Expected echoes dropped because the queue was full or their command was already done. */
  echoesDropped: number;
  /** Error items, listed and unlisted. */
  errors: number;
}
