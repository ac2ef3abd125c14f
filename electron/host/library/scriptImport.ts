// Reads HyperDbg command files (`.ds`, `.hds`, text; run by `.script`) into log actions: each
// event command's `script { ... }` body becomes one action for that event kind. A file with no
// command at all is one script body. Braces inside strings and comments do not count.
// Host side, pure.
import { AppError } from '../../../shared/contract/result';
import { MAX_SCRIPT_LENGTH } from '../../../shared/model/action';
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

export interface ScriptFileResult {
  readonly scripts: readonly ImportedScript[];
  /** Top-level commands that are not event commands with a script, with their lines. */
  readonly skipped: readonly {
    readonly line: number;
    readonly text: string;
    readonly reason: string;
  }[];
}

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

/** Splits the file into top-level statements: a line, continued while braces are open. */
function statements(text: string, fileName: string): Statement[] {
  const out: Statement[] = [];
  let cur = '';
  let startLine = 0;
  let depth = 0;
  let line = 1;
  let i = 0;
  let atLineStart = true;
  const flush = () => {
    if (cur.trim() !== '') out.push({ line: startLine, text: cur.trim() });
    cur = '';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (depth === 0 && atLineStart && /^[ \t]*#/.test(text.slice(i, i + 200))) {
      // A comment line of the command file (`# ...`): skip to its end.
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '\n') {
      line++;
      atLineStart = true;
      if (depth === 0) flush();
      else cur += c;
      i++;
      continue;
    }
    if (cur.trim() === '' && c.trim() !== '') startLine = line;
    atLineStart = false;
    if (depth > 0 && c === '"') {
      const end = skipString(text, i);
      line += countNewlines(text, i, end);
      cur += text.slice(i, end);
      i = end;
      continue;
    }
    if (depth > 0 && c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? lineEnd(text, i) : blockCommentEnd(text, i, fileName, line);
      line += countNewlines(text, i, end);
      cur += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      depth--;
      if (depth < 0)
        throw new AppError('invalid-input', `${fileName}, line ${line}: '}' without '{'`);
    }
    cur += c;
    i++;
  }
  if (depth > 0)
    throw new AppError('invalid-input', `${fileName}, line ${startLine}: '{' is never closed`);
  flush();
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
  for (let i = from; i < to; i++) if (text[i] === '\n') n++;
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

export function readScriptFile(text: string, fileName: string): ScriptFileResult {
  const stmts = statements(text.replace(/\r\n?/g, '\n'), fileName);
  const isCommand = (s: Statement) =>
    /^[!.?]|^[a-z][\w-]*(\s|$)/i.test(s.text) && !/^[a-z_][\w]*\s*[=(]/i.test(s.text);
  const commands = stmts.filter((s) => /^[!.?]/.test(s.text));
  if (commands.length === 0) {
    // The command file's own `#` comment lines are not part of the script.
    const body = text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .filter((l) => !/^\s*#/.test(l))
      .join('\n')
      .trim();
    if (body === '') throw new AppError('invalid-input', `${fileName} is empty`);
    checkLength(body, fileName, 1);
    return {
      scripts: [{ eventKind: null, script: body, line: 1, command: '', bufferSize: 0 }],
      skipped: [],
    };
  }
  const scripts: ImportedScript[] = [];
  const skipped: { line: number; text: string; reason: string }[] = [];
  for (const s of stmts) {
    const head = (s.text.split(/\s/)[0] ?? '').toLowerCase();
    const kind = KIND_BY_NAME.get(head);
    const short = s.text.length > 80 ? `${s.text.slice(0, 77)}...` : s.text;
    if (kind === undefined) {
      skipped.push({
        line: s.line,
        text: short,
        reason: isCommand(s) ? 'not an event command' : 'not a command',
      });
      continue;
    }
    const block = scriptBlock(s.text);
    if (block === undefined) {
      skipped.push({
        line: s.line,
        text: short,
        reason: 'an event command without a script { } block',
      });
      continue;
    }
    const body = block.body.trim();
    if (body === '') {
      skipped.push({ line: s.line, text: short, reason: 'its script block is empty' });
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
  if (scripts.length === 0)
    throw new AppError(
      'invalid-input',
      `${fileName}: no event command with a script { } block (${skipped
        .slice(0, 3)
        .map((k) => `line ${k.line}: ${k.reason}`)
        .join('; ')})`,
    );
  return { scripts, skipped };
}

function checkLength(body: string, fileName: string, line: number): void {
  if (body.length > MAX_SCRIPT_LENGTH)
    throw new AppError(
      'invalid-input',
      `${fileName}, line ${line}: the script is ${body.length} characters; at most ${MAX_SCRIPT_LENGTH}`,
    );
}
