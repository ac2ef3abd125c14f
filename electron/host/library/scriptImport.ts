// Reads HyperDbg command files (`.ds`, `.hds`, text; run by `.script`) into log actions: each
// event command's `script { ... }` body becomes one action for that event kind. A file with no
// command at all is one script body. Braces inside strings and comments do not count.
// One pass over the text, linear in its length; `readScriptFileInSlices` does the same pass in
// slices so a host reading a large file keeps answering. Host side, pure.
import { AppError } from '../../../shared/contract/result';
import { MAX_SCRIPT_LENGTH } from '../../../shared/model/action';
import { MAX_IMPORT_ACTIONS } from '../../../shared/model/actionExport';
import { MAX_RECORD_BYTES } from '../../../shared/model/bufferSchema';
import { EVENT_CATALOG } from '../../../shared/model/eventCatalog';
import type { EventKind } from '../../../shared/model/eventKinds';

export interface ImportedScript {
  readonly eventKind: EventKind | null;
  readonly script: string;
  /** 1-based line of the command in the file. */
  readonly line: number;
  /** The command without its script body (what binding it had: `!syscall pid $arg1`). */
  readonly command: string;
  readonly bufferSize: number;
}

export interface SkippedStatement {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

export interface ScriptFileResult {
  readonly scripts: readonly ImportedScript[];
  /** Top-level commands that are not event commands with a script, with their lines. */
  readonly skipped: readonly SkippedStatement[];
  /** Skipped statements beyond MAX_REPORTED_SKIPS: counted, not listed. */
  readonly moreSkipped: number;
}

/**
 * Skipped statements listed one by one; the rest are counted. A file of a million stray lines
 * must not make a report (and a message to the UI) of a million entries.
 */
export const MAX_REPORTED_SKIPS = 100;
/** Characters scanned between checks of the time slice (cheap enough to check this often). */
const SCAN_STEP_CHARS = 64 * 1024;

/** Every spelling HyperDbg accepts for an event command (`!msread` is `!msrread`). */
const KIND_BY_NAME = new Map<string, EventKind>(
  EVENT_CATALOG.flatMap((info) =>
    [info.kind, ...info.aliases].map((n) => [n.toLowerCase(), info.kind] as const),
  ),
);

interface Statement {
  readonly line: number;
  readonly text: string;
}

/** Blank as String.prototype.trim sees it (Unicode spaces included). */
const isBlank = (c: string) => c.trim() === '';

/**
 * Splits the file into top-level statements: a line, continued while braces are open. Each
 * statement is one slice of the text (a `#` comment line can only sit between statements, where
 * braces are closed), so nothing is built character by character. Yields every SCAN_STEP_CHARS.
 */
function* statements(text: string, fileName: string): Generator<void, Statement[]> {
  const out: Statement[] = [];
  /** Where the current statement's first non-blank character is, or -1. */
  let start = -1;
  let startLine = 0;
  let depth = 0;
  let line = 1;
  let i = 0;
  let atLineStart = true;
  let nextYield = SCAN_STEP_CHARS;
  const flush = (end: number) => {
    if (start >= 0) out.push({ line: startLine, text: text.slice(start, end).trim() });
    start = -1;
  };
  while (i < text.length) {
    if (i >= nextYield) {
      nextYield = i + SCAN_STEP_CHARS;
      yield;
    }
    const c = text[i] as string;
    if (depth === 0 && atLineStart && c !== '\n') {
      // A comment line of the command file (`# ...`): skip to its end.
      let j = i;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '#') {
        i = lineEnd(text, j);
        continue;
      }
    }
    if (c === '\n') {
      line++;
      atLineStart = true;
      if (depth === 0) flush(i);
      i++;
      continue;
    }
    atLineStart = false;
    if (start < 0 && !isBlank(c)) {
      start = i;
      startLine = line;
    }
    if (depth > 0 && c === '"') {
      const end = skipString(text, i);
      line += countNewlines(text, i, end);
      i = end;
      continue;
    }
    if (depth > 0 && c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? lineEnd(text, i) : blockCommentEnd(text, i, fileName, line);
      line += countNewlines(text, i, end);
      i = end;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      depth--;
      if (depth < 0)
        throw new AppError('invalid-input', `${fileName}, line ${line}: '}' without '{'`);
    }
    i++;
  }
  if (depth > 0)
    throw new AppError('invalid-input', `${fileName}, line ${startLine}: '{' is never closed`);
  flush(text.length);
  return out;
}

function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}
function lineEnd(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl < 0 ? text.length : nl;
}
function blockCommentEnd(text: string, start: number, fileName: string, line: number): number {
  const end = text.indexOf('*/', start + 2);
  if (end < 0)
    throw new AppError('invalid-input', `${fileName}, line ${line}: '/*' is never closed`);
  return end + 2;
}
function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The body of the first `script { ... }` block at brace depth 0 of a statement. */
function scriptBlock(stmt: string): { body: string; rest: string } | undefined {
  const m = /(^|\s)script\s*\{/i.exec(stmt);
  if (m === null) return undefined;
  const open = m.index + m[0].length - 1;
  let depth = 0;
  let i = open;
  while (i < stmt.length) {
    const c = stmt[i] as string;
    if (c === '"') {
      i = skipString(stmt, i);
      continue;
    }
    if (c === '/' && stmt[i + 1] === '/') {
      i = lineEnd(stmt, i);
      continue;
    }
    if (c === '/' && stmt[i + 1] === '*') {
      const end = stmt.indexOf('*/', i + 2);
      i = end < 0 ? stmt.length : end + 2;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) {
      const rest = `${stmt.slice(0, m.index)} ${stmt.slice(i + 1)}`.replace(/\s+/g, ' ').trim();
      return { body: stmt.slice(open + 1, i), rest };
    }
    i++;
  }
  return undefined;
}

/** `buffer <hex>` of a command (spec §3.5), or 0. */
function bufferOf(command: string, fileName: string, line: number): number {
  const m = /(?:^|\s)buffer\s+(\S+)/i.exec(command);
  if (m === null) return 0;
  const token = m[1] as string;
  const value = /^(0x)?[0-9a-f]+$/i.test(token)
    ? Number.parseInt(token.replace(/^0x/i, ''), 16)
    : NaN;
  if (!Number.isSafeInteger(value) || value > MAX_RECORD_BYTES)
    throw new AppError(
      'invalid-input',
      `${fileName}, line ${line}: 'buffer ${token}' is not a buffer size HyperDbg accepts (hex, at most 3e7, docs/hyperdbg-v0.23.md §3.5)`,
    );
  return value;
}

/** The text without the command file's own `#` comment lines (not part of a script body). */
function* withoutCommentLines(text: string): Generator<void, string> {
  const kept: string[] = [];
  let nextYield = SCAN_STEP_CHARS;
  for (let from = 0; from <= text.length;) {
    if (from >= nextYield) {
      nextYield = from + SCAN_STEP_CHARS;
      yield;
    }
    const end = lineEnd(text, from);
    const line = text.slice(from, end);
    if (!/^\s*#/.test(line)) kept.push(line);
    from = end + 1;
  }
  return kept.join('\n');
}

/** The whole pass, as steps: the generator yields between slices of work. */
function* readSteps(text: string, fileName: string): Generator<void, ScriptFileResult> {
  const normalized = text.replace(/\r\n?/g, '\n');
  const stmts = yield* statements(normalized, fileName);
  const isCommand = (s: Statement) =>
    /^[!.?]|^[a-z][\w-]*(\s|$)/i.test(s.text) && !/^[a-z_][\w]*\s*[=(]/i.test(s.text);
  if (!stmts.some((s) => /^[!.?]/.test(s.text))) {
    const body = (yield* withoutCommentLines(normalized)).trim();
    if (body === '') throw new AppError('invalid-input', `${fileName} is empty`);
    checkLength(body, fileName, 1);
    return {
      scripts: [{ eventKind: null, script: body, line: 1, command: '', bufferSize: 0 }],
      skipped: [],
      moreSkipped: 0,
    };
  }
  const scripts: ImportedScript[] = [];
  const skipped: SkippedStatement[] = [];
  let moreSkipped = 0;
  const skip = (s: Statement, reason: string) => {
    if (skipped.length >= MAX_REPORTED_SKIPS) {
      moreSkipped++;
      return;
    }
    const short = s.text.length > 80 ? `${s.text.slice(0, 77)}...` : s.text;
    skipped.push({ line: s.line, text: short, reason });
  };
  let scanned = 0;
  for (const s of stmts) {
    scanned += s.text.length;
    if (scanned >= SCAN_STEP_CHARS) {
      scanned = 0;
      yield;
    }
    const head = (/^\S*/.exec(s.text)?.[0] ?? '').toLowerCase();
    const kind = KIND_BY_NAME.get(head);
    if (kind === undefined) {
      skip(s, isCommand(s) ? 'not an event command' : 'not a command');
      continue;
    }
    const block = scriptBlock(s.text);
    if (block === undefined) {
      skip(s, 'an event command without a script { } block');
      continue;
    }
    const body = block.body.trim();
    if (body === '') {
      skip(s, 'its script block is empty');
      continue;
    }
    checkLength(body, fileName, s.line);
    scripts.push({
      eventKind: kind,
      script: body,
      line: s.line,
      command: block.rest,
      bufferSize: bufferOf(block.rest, fileName, s.line),
    });
  }
  if (scripts.length > MAX_IMPORT_ACTIONS)
    throw new AppError(
      'invalid-input',
      `${fileName}: ${scripts.length} event commands with a script; at most ${MAX_IMPORT_ACTIONS} are imported from one file`,
    );
  if (scripts.length === 0)
    throw new AppError(
      'invalid-input',
      `${fileName}: no event command with a script { } block (${skipped
        .slice(0, 3)
        .map((k) => `line ${k.line}: ${k.reason}`)
        .join('; ')})`,
    );
  return { scripts, skipped, moreSkipped };
}

/** Reads a command file in one go. */
export function readScriptFile(text: string, fileName: string): ScriptFileResult {
  const steps = readSteps(text, fileName);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/**
 * Reads a command file letting the event loop run between slices of work (`pause`, from
 * timeSlice.ts): the same result as `readScriptFile`.
 */
export async function readScriptFileInSlices(
  text: string,
  fileName: string,
  pause: () => Promise<void>,
): Promise<ScriptFileResult> {
  const steps = readSteps(text, fileName);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
    await pause();
  }
}

function checkLength(body: string, fileName: string, line: number): void {
  if (body.length > MAX_SCRIPT_LENGTH)
    throw new AppError(
      'invalid-input',
      `${fileName}, line ${line}: the script is ${body.length} characters; at most ${MAX_SCRIPT_LENGTH}`,
    );
}
