// hyperdbg-cli's number parsing (spec §1.3): hex by default; `0x`/`x`/`\x` force hex, `0n`/`n`/`\n`
// decimal; backticks are ignored. Mirrors ConvertStringToUInt64/UInt32, IsNumber and ValidateIP
// of libhyperdbg/code/common/common.cpp (v0.23). Simulator side; pure.

const U64_MAX = (1n << 64n) - 1n;

function stripPrefix(text: string): { digits: string; decimal: boolean } {
  let t = text;
  let decimal = false;
  if (/^(0x|0X|\\x|\\X)/.test(t)) t = t.slice(2);
  else if (/^[xX]/.test(t)) t = t.slice(1);
  else if (/^(0n|0N|\\n|\\N)/.test(t)) {
    t = t.slice(2);
    decimal = true;
  } else if (/^[nN]/.test(t)) {
    t = t.slice(1);
    decimal = true;
  }
  return { digits: t.replaceAll('`', ''), decimal };
}

const isHexNotation = (s: string): boolean => /^[0-9a-fA-F]+$/.test(s);
const isDecimalNotation = (s: string): boolean => /^[0-9]+$/.test(s);

/**
 * ConvertStringToUInt64: null when not a number. A hex value wider than 64 bits saturates (strtoull
 * sets ERANGE, which the CLI accepts), a decimal one is rejected (errno is checked there).
 */
export function parseUInt64(text: string): bigint | null {
  const { digits, decimal } = stripPrefix(text);
  if (decimal) {
    if (!isDecimalNotation(digits)) return null;
    const v = BigInt(digits);
    return v > U64_MAX ? null : v;
  }
  if (!isHexNotation(digits)) return null;
  const v = BigInt(`0x${digits}`);
  return v > U64_MAX ? U64_MAX : v;
}

/** ConvertStringToUInt32: the whole text must be a number that fits in 32 bits. */
export function parseUInt32(text: string): number | null {
  const { digits, decimal } = stripPrefix(text);
  if (decimal ? !isDecimalNotation(digits) : !isHexNotation(digits)) return null;
  const v = BigInt(decimal ? digits : `0x${digits}`);
  return v > 0xffffffffn ? null : Number(v);
}

/**
 * IsNumber: its character set is written "[0123456789]", so '[' and ']' pass too; stoi then
 * throws on them, which would end the real CLI. Callers use `decimalInt` to get the value.
 */
export function isNumberLike(text: string): boolean {
  return text.length > 0 && /^[0-9[\]]+$/.test(text);
}

/**
 * stoi as the CLI uses it on IsNumber-approved text: leading digits, base 10. Null where stoi
 * would throw (no leading digit, or out of int range); the simulator reports those as invalid
 * input instead of terminating (the real CLI has no handler for the exception).
 */
export function decimalInt(text: string): number | null {
  const m = /^[0-9]+/.exec(text);
  if (m === null) return null;
  const v = Number(m[0]);
  return v > 0x7fffffff ? null : v;
}

/** ValidateIP: four '.'-separated parts (empty parts are skipped, as Split does), each 0..255. */
export function isValidIp(ip: string): boolean {
  const parts = ip.split('.').filter((p) => p.length > 0);
  if (parts.length !== 4) return false;
  return parts.every((p) => {
    if (!isNumberLike(p)) return false;
    const v = decimalInt(p);
    return v !== null && v <= 255;
  });
}

/** `%x` of a 64-bit value as C prints it: lowercase hex, no prefix. */
export function hex(v: bigint | number): string {
  return v.toString(16);
}
