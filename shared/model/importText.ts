// What an imported file's text may hold, checked the same way in the renderer, the CLI and the
// host: nothing but text. Control characters other than TAB, LF and CR mean a binary or damaged
// file (and would grow six-fold on the WebSocket, wire.ts). Pure.
import { MAX_IMPORT_BYTES } from './actionExport';

/** 1-based line and column of index `i`. */
function lineColumn(text: string, i: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < i; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: i - lineStart + 1 };
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DEL = 0x7f;

/** Index of the first C0 control but TAB, LF, CR; DEL; or unpaired UTF-16 half; or -1. */
function firstNonText(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== TAB && c !== LF && c !== CR) return i;
    } else if (c === DEL) return i;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return i;
      i++;
    }
  }
  return -1;
}

/** Why `text` is not an importable text file, or null when it is. */
export function importTextProblem(text: string): string | null {
  if (text.length > MAX_IMPORT_BYTES)
    return `the file is ${text.length} characters; the import limit is ${MAX_IMPORT_BYTES} bytes (${MAX_IMPORT_BYTES / 1048576} MiB)`;
  const at = firstNonText(text);
  if (at < 0) return null;
  const { line, column } = lineColumn(text, at);
  const c = text.charCodeAt(at);
  const code = c.toString(16).toUpperCase().padStart(4, '0');
  const what =
    c >= 0xd800 && c <= 0xdfff
      ? `an unpaired UTF-16 surrogate (U+${code})`
      : `the control character U+${code}`;
  return `line ${line}, column ${column}: ${what}; only text files are imported`;
}
