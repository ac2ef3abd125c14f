// How hyperdbg-cli v0.23 reads numbers typed in commands (spec §1.3): hex unless a prefix says
// decimal, backticks ignored; plus the decimal-only TCP port, baud rate and IP checks (spec §2.2,
// §2.3). Simulator side; pure.

const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffffffffn;

/** A radix prefix, matched once at the very start, case-insensitively (spec §1.3). */
const HEX_PREFIX = /^(?:0x|\\x|x)/i;
const DECIMAL_PREFIX = /^(?:0n|\\n|n)/i;

const DIGITS: Readonly<Record<10 | 16, RegExp>> = { 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

interface TypedNumber {
  readonly value: bigint;
  readonly radix: 10 | 16;
}

/**
 * The radix a prefix selects and the digits after it, backticks removed
 * (`` fffff801`3c8f2d30 ``); null unless every remaining character is a digit of that radix.
 */
function readTypedNumber(text: string): TypedNumber | null {
  let radix: 10 | 16 = 16;
  let digits = text;
  const hex = HEX_PREFIX.exec(text);
  const decimal = hex === null ? DECIMAL_PREFIX.exec(text) : null;
  if (hex !== null) digits = text.slice(hex[0].length);
  else if (decimal !== null) {
    radix = 10;
    digits = text.slice(decimal[0].length);
  }
  digits = digits.replaceAll('`', '');
  if (!DIGITS[radix].test(digits)) return null;
  return { value: BigInt(radix === 16 ? `0x${digits}` : digits), radix };
}

/**
 * A 64-bit value, or null when the text is not a number. Too many hex digits saturate at
 * 0xffffffffffffffff (strtoull's ERANGE is accepted there); a decimal too large is refused.
 */
export function parseUInt64(text: string): bigint | null {
  const n = readTypedNumber(text);
  if (n === null) return null;
  if (n.value <= U64_MAX) return n.value;
  return n.radix === 16 ? U64_MAX : null;
}

/** A 32-bit value: the whole text must be a number that fits in 32 bits, in either radix. */
export function parseUInt32(text: string): number | null {
  const n = readTypedNumber(text);
  return n === null || n.value > U32_MAX ? null : Number(n.value);
}

/**
 * The check the port and baud rate pass before they are read as decimal. Its character class is
 * written "[0123456789]" in v0.23, so `[` and `]` pass too; reading such text would throw in the
 * real CLI, which `decimalInt` reports as null instead.
 */
export function isNumberLike(text: string): boolean {
  return /^[0-9[\]]+$/.test(text);
}

/** The leading decimal digits as an int (stoi); null with none, or beyond 0x7fffffff. */
export function decimalInt(text: string): number | null {
  const lead = /^[0-9]+/.exec(text);
  if (lead === null) return null;
  const v = Number(lead[0]);
  return v > 0x7fffffff ? null : v;
}

/** An IPv4 address: four `.`-separated decimal parts of 0..255; empty parts are skipped (spec §2.2). */
export function isValidIp(ip: string): boolean {
  const parts = ip.split('.').filter((p) => p !== '');
  return (
    parts.length === 4 &&
    parts.every((p) => {
      const v = isNumberLike(p) ? decimalInt(p) : null;
      return v !== null && v <= 255;
    })
  );
}

/** `%x` of a value as C prints it: lowercase hex, no prefix. */
export function hex(v: bigint | number): string {
  return v.toString(16);
}
