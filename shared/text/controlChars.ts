// Which characters text may not carry, decided in one place: terminal controls (C0, DEL, C1)
// that drive a terminal or split a line, and the Unicode line separators and bidirectional
// controls that make a name or a command line read differently from what it is. Pure.

/** C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F): a terminal acts on them. */
export function isTerminalControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** U+2028 and U+2029: line breaks to JavaScript, to editors and to some terminals. */
export function isLineSeparator(code: number): boolean {
  return code === 0x2028 || code === 0x2029;
}

/**
 * Bidirectional formatting characters: invisible, they reorder how the text around them shows,
 * so `abc<U+202E>fed` reads as something else than what is stored or sent ("Trojan Source").
 * ALM, LRM and RLM, the embeddings and overrides (U+202A-U+202E), the isolates (U+2066-U+2069).
 */
export function isBidiControl(code: number): boolean {
  return (
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * What a one-line value a person reads or the CLI receives (an action name, a tag, a path, a
 * pipe name, a command line) may not hold: terminal controls, line separators, bidi controls.
 */
export function breaksOneLine(code: number): boolean {
  return isTerminalControl(code) || isLineSeparator(code) || isBidiControl(code);
}

/** One character `breaksOneLine` refuses: the same ranges, as a pattern. */
const NOT_ONE_LINE =
  // eslint-disable-next-line no-control-regex -- the characters refused are control characters
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Matches text with none of the characters `breaksOneLine` refuses (for schema `regex`). */
export const ONE_LINE = new RegExp(`^[^${NOT_ONE_LINE.source.slice(1, -1)}]*$`);

/** Index of the first character `breaksOneLine` refuses, or -1. */
export function findLineBreaker(s: string): number {
  return s.search(NOT_ONE_LINE);
}

const hex4 = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** A refused character in words, for messages: `a control character (U+0003)`. */
export function describeRefused(code: number): string {
  if (code === 0x0a) return 'a line break (U+000A)';
  if (code === 0x0d) return 'a carriage return (U+000D)';
  if (isLineSeparator(code)) return `a line separator (${hex4(code)})`;
  if (isBidiControl(code)) return `a bidirectional formatting character (${hex4(code)})`;
  return `a control character (${hex4(code)})`;
}

// eslint-disable-next-line no-control-regex -- the characters replaced are control characters
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const ESCAPED = new RegExp(`${NOT_ONE_LINE.source}|\\\\`, 'g');

/** `s` with each terminal control replaced by `by`: text written into a terminal cannot drive it. */
export function replaceTerminalControls(s: string, by = ' '): string {
  return s.replace(TERMINAL_CONTROLS, by);
}

/**
 * Text safe to show or quote: terminal controls as `\xNN`, line separators and bidi controls as
 * `\uNNNN`, and a backslash doubled so an escape cannot be faked. A value from the debuggee or
 * a user cannot drive a terminal, break a cell or reorder what is shown around it.
 */
export function escapeControls(s: string): string {
  return s.replace(ESCAPED, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\\') return '\\\\';
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
