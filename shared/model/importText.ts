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

export type DecodedImport =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/** Bytes a UTF-8 sequence starting with `lead` has, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates
 * and code points past U+10FFFF included), or -1. The strict reading RFC 3629 asks for.
 */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const lead = b[i] as number;
    const n = sequenceLength(lead);
    if (n === 0 || i + n > b.length) return i;
    if (n > 1) {
      const second = b[i + 1] as number;
      const lo = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
      const hi = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
      if (second < lo || second > hi) return i;
      for (let k = 2; k < n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return i;
    }
    i += n;
  }
  return -1;
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * The text of an imported file from its bytes: at most MAX_IMPORT_BYTES, UTF-8 read strictly (a
 * byte that is not would otherwise become U+FFFD without a word), a leading byte-order mark
 * dropped, and text only (`importTextProblem`). Or what is wrong and where.
 */
export function decodeImportBytes(bytes: Uint8Array): DecodedImport {
  if (bytes.length > MAX_IMPORT_BYTES)
    return {
      ok: false,
      message: `the file is ${bytes.length} bytes; the import limit is ${MAX_IMPORT_BYTES} bytes (${MAX_IMPORT_BYTES / 1048576} MiB)`,
    };
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < bad; k++)
      if (bytes[k] === LF) {
        line++;
        lineStart = k + 1;
      }
    let column = 1;
    for (let k = lineStart; k < bad; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) column++;
    return {
      ok: false,
      message: `not valid UTF-8 at line ${line}, column ${column} (byte ${bad}: 0x${(bytes[bad] as number).toString(16).padStart(2, '0')}); save the file as UTF-8`,
    };
  }
  const start = BOM.every((v, k) => bytes[k] === v) ? BOM.length : 0;
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
    bytes.subarray(start),
  );
  const problem = importTextProblem(text);
  return problem === null ? { ok: true, text } : { ok: false, message: problem };
}
