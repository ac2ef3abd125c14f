// Token grammars of HyperDbg's command line (spec §1.3, §3): hex numbers, addresses and symbol
// expressions, output names. Each accepts only what the grammar allows and says why not,
// naming the offending character. Pure; used by the command builder.
import { fail, ok, type Result } from '../result';

const NAMED_CHARS: Readonly<Record<number, string>> = {
  0x00: 'a NUL character',
  0x09: 'a TAB (HyperDbg does not separate tokens on TAB, docs/hyperdbg-v0.23.md §1.3)',
  0x0a: 'a newline',
  0x0d: 'a carriage return',
  0x1b: 'an ESC character',
  0x20: 'a space',
  0x7f: 'a DEL character',
};

/** Says what a character is, for messages: `a newline`, `U+FF5B '｛' (not ASCII)`. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const named = NAMED_CHARS[cp];
  if (named !== undefined) return named;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp < 0x20) return `a control character (${hex})`;
  if (cp > 0x7e) return `${hex} '${ch}' (not ASCII; look-alike characters are refused)`;
  return `'${ch}'`;
}

/**
 * The first character outside printable ASCII (0x21..0x7e, or 0x20 too when `spaceAllowed`),
 * as a message with its position; undefined when all are fine.
 */
export function findBadChar(s: string, spaceAllowed = false): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x21 && c <= 0x7e) continue;
    if (c === 0x20 && spaceAllowed) continue;
    const ch = String.fromCodePoint(s.codePointAt(i) ?? c);
    return `${describeChar(ch)} at position ${i + 1}`;
  }
  return undefined;
}

const HEX_RE = /^[0-9a-fA-F]+$/;
/** Longest hex number text accepted, in characters: 16 digits plus `0x` and a few leading zeros. */
const MAX_NUMBER_CHARS = 24;

export interface HexNumber {
  readonly value: bigint;
  /** Lower case, no prefix, no leading zeros: what the builder emits. */
  readonly text: string;
}

/**
 * A hex number as HyperDbg reads it by default (spec §1.3): digits with an optional `0x`
 * prefix. Decimal prefixes (`0n`) and backticks are not accepted here: one spelling, no doubt.
 */
export function parseHexNumber(s: string, min: bigint, max: bigint): Result<HexNumber, string> {
  if (s.length === 0) return fail('is empty');
  const bad = findBadChar(s);
  if (bad !== undefined) return fail(`contains ${bad}`);
  if (s.length > MAX_NUMBER_CHARS) return fail(`is too long (${s.length} characters)`);
  const digits = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  if (!HEX_RE.test(digits))
    return fail(
      `must be a hex number such as 1f or 0x1f (HyperDbg reads numbers as hex), got '${s}'`,
    );
  const value = BigInt(`0x${digits}`);
  if (value < min || value > max)
    return fail(
      `must be between 0x${min.toString(16)} and 0x${max.toString(16)}, got 0x${value.toString(16)}`,
    );
  return ok({ value, text: value.toString(16) });
}

const U64_MAX = (1n << 64n) - 1n;
/** `fffff800`4ed6f010`: the backtick form HyperDbg prints and accepts (spec §1.3). */
const TICKED_RE = /^([0-9a-fA-F]{1,8})`([0-9a-fA-F]{8})$/;
/** `nt!NtCreateFile`, `nt!NtCreateFile+0x10`: module and symbol, C identifiers only. */
const SYMBOL_RE =
  /^([A-Za-z_][A-Za-z0-9_]{0,63})!([A-Za-z_][A-Za-z0-9_]{0,255})(?:\+((?:0x)?[0-9a-fA-F]{1,16}))?$/;

/**
 * An address argument (spec §3.8, `SymbolConvertNameOrExprToAddress`): a hex number
 * (`0xfffff8004ed6f010`, `fffff8004ed6f010`, `fffff800`4ed6f010`) or `module!symbol[+hex]`.
 * Emitted as written: the grammar already rules out anything unsafe.
 */
export function parseAddress(s: string): Result<string, string> {
  if (s.length === 0) return fail('is empty');
  const bad = findBadChar(s);
  if (bad !== undefined) return fail(`contains ${bad}`);
  const ticked = TICKED_RE.exec(s);
  if (ticked !== null) return ok(s);
  if (/^(?:0[xX])?[0-9a-fA-F]+$/.test(s)) {
    const n = parseHexNumber(s, 0n, U64_MAX);
    return n.ok ? ok(s) : fail(n.error);
  }
  const sym = SYMBOL_RE.exec(s);
  if (sym !== null) {
    const offset = sym[3];
    if (offset !== undefined && BigInt(offset.startsWith('0x') ? offset : `0x${offset}`) > U64_MAX)
      return fail('has an offset over 64 bits');
    return ok(s);
  }
  return fail(
    `must be a hex address (fffff8004ed6f010, 0xfffff8004ed6f010, fffff800\`4ed6f010) or a symbol such as nt!NtCreateFile or nt!NtCreateFile+0x10, got '${s}'`,
  );
}

/**
 * An output name must be shorter than this: `output create` stores it in a CHAR[50] and refuses
 * 50 characters or more (MAXIMUM_CHARACTERS_FOR_EVENT_FORWARDING_NAME, spec §6.4).
 */
export const MAX_OUTPUT_NAME_CHARS = 50;
const OUTPUT_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An output sink's name: a C identifier of at most 49 characters. */
export function parseOutputName(s: string): Result<string, string> {
  if (s.length === 0) return fail('is empty');
  const bad = findBadChar(s);
  if (bad !== undefined) return fail(`contains ${bad}`);
  if (s.length >= MAX_OUTPUT_NAME_CHARS)
    return fail(
      `has ${s.length} characters; HyperDbg's output names are shorter than ${MAX_OUTPUT_NAME_CHARS} (docs/hyperdbg-v0.23.md §6.4)`,
    );
  if (!OUTPUT_NAME_RE.test(s))
    return fail(`must be letters, digits and _ (not starting with a digit), got '${s}'`);
  return ok(s);
}

export interface HexBytes {
  /** The digits as given (either case). */
  readonly hex: string;
  readonly byteCount: number;
}

/**
 * Code or condition bytes (spec §3.2): one run of hex digits, an even count, no spaces, no
 * prefixes. HyperDbg would pad an odd count with a leading 0 and shift every byte, and carry on
 * without the block after any other character; both are refused here.
 */
export function parseHexBytes(s: string): Result<HexBytes, string> {
  if (s.length === 0) return fail('is empty; leave the field out instead');
  const bad = findBadChar(s);
  if (bad !== undefined)
    return fail(
      `must be hex digits only, with no spaces or separators (docs/hyperdbg-v0.23.md §3.2); found ${bad}`,
    );
  if (!HEX_RE.test(s)) {
    const i = s.search(/[^0-9a-fA-F]/);
    return fail(
      `must be hex digits only, no 0x or \\x prefixes (docs/hyperdbg-v0.23.md §3.2); found '${s[i] ?? ''}' at position ${i + 1}`,
    );
  }
  if (s.length % 2 !== 0)
    return fail(
      `has an odd number of hex digits (${s.length}); HyperDbg would pad a leading 0 and shift every byte (docs/hyperdbg-v0.23.md §3.2)`,
    );
  return ok({ hex: s, byteCount: s.length / 2 });
}
