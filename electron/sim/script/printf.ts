// One printf conversion as the v0.23 kernel formats it: the specifier and a 64-bit value go to the
// C runtime's sprintf, so %x sees 32 bits, %hx 16, %llx 64, %p prints 16 upper-case digits (MSVC)
// and `long` is 32-bit. Simulator side; pure.

const M64 = (1n << 64n) - 1n;

function signed(v: bigint, bits: number): bigint {
  const m = (1n << BigInt(bits)) - 1n;
  const x = v & m;
  return x >= 1n << BigInt(bits - 1) ? x - (1n << BigInt(bits)) : x;
}

/** The integer conversions (everything but %s, %ws/%ls and %f). */
export function formatInteger(spec: string, value: bigint): string {
  const v = value & M64;
  const conv = spec[spec.length - 1] as string;
  const size = spec.startsWith('%ll') ? 64 : spec.startsWith('%h') ? 16 : 32;
  switch (conv) {
    case 'd':
    case 'i':
      return signed(v, size).toString(10);
    case 'u':
      return (v & ((1n << BigInt(size)) - 1n)).toString(10);
    case 'x':
      return (v & ((1n << BigInt(size)) - 1n)).toString(16);
    case 'o':
      return (v & ((1n << BigInt(size)) - 1n)).toString(8);
    case 'c':
      return String.fromCharCode(Number(v & 0xffn));
    case 'p':
      return v.toString(16).toUpperCase().padStart(16, '0');
    default:
      return spec;
  }
}

/** PacketChunkSize: the kernel's printf buffer, NUL included (FinalBuffer in Functions.c). */
const FINAL_BUFFER = 4096;
const PAGE = 0x1000n;

/** What buildPrintf reads guest and pool memory through. */
export interface PrintfMemory {
  readUnsigned(address: bigint, size: number): bigint | null;
}

/**
 * VmxCompatibleStrlen/Wcslen: counts units up to the NUL, checking each page as it enters it; an
 * unreadable page anywhere makes the length 0.
 */
function kernelStrlen(mem: PrintfMemory, address: bigint, unit: number): number {
  if (mem.readUnsigned(address & ~(PAGE - 1n), 1) === null) return 0;
  let count = 0;
  let at = address;
  for (;;) {
    const c = mem.readUnsigned(at, unit);
    if (c === null) return 0;
    if (c === 0n) return count;
    count++;
    at += BigInt(unit);
    if ((at & (PAGE - 1n)) === 0n && mem.readUnsigned(at, 1) === null) return 0;
  }
}

/**
 * The bytes %ws/%ls adds: the string is copied in blocks of 50 UTF-16 units, each narrowed by
 * WcharToChar (ASCII kept, anything else '?', a lead surrogate's trail left as a NUL). v0.23 reads
 * `bytes % 100` bytes for the last block, so a string of a multiple of 50 units loses its last block.
 */
function narrowWide(mem: PrintfMemory, address: bigint, units: number): string {
  let out = '';
  const blocks = Math.ceil(units / 50);
  for (let b = 0; b < blocks; b++) {
    const inBlock = b === blocks - 1 ? units % 50 : 50;
    const src: number[] = [];
    for (let i = 0; i < inBlock; i++)
      src.push(Number(mem.readUnsigned(address + BigInt((b * 50 + i) * 2), 2) ?? 0n));
    const dest = new Array<string>(50).fill('\0');
    let i = 0;
    while (i < 50 && (src[i] ?? 0) !== 0) {
      const code = src[i] as number;
      if (code < 128) dest[i] = String.fromCharCode(code);
      else {
        dest[i] = '?';
        if (code >= 0xd800 && code <= 0xd8ff) i++;
      }
      i++;
    }
    // WcharToChar returns i - 1 and the caller copies that plus one: i bytes (none for i = 0).
    out += dest.slice(0, Math.min(i, 50)).join('');
  }
  return out;
}

/**
 * ScriptEngineFunctionPrintf as the v0.23 kernel runs it: text between conversions and after the
 * last one must leave room in the 4096-byte buffer, a number that does not fit is an error, a
 * string that does not fit is skipped without a word, and the message ends at its first NUL.
 * Returns null where the kernel sets HasError (the run stops at FUNC_PRINTF).
 */
export function buildPrintf(
  format: string,
  specs: readonly { at: number; text: string }[],
  values: readonly bigint[],
  mem: PrintfMemory,
): string | null {
  const lenOfFormats = format.length + 1;
  let out = '';
  let processed = 0;
  if (specs.length === 0) {
    if (lenOfFormats >= FINAL_BUFFER) return null;
    out = format;
  } else {
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i] as { at: number; text: string };
      const val = (values[i] ?? 0n) & M64;
      if (processed !== spec.at) {
        const len = spec.at - processed;
        if (out.length + len >= FINAL_BUFFER) return null;
        out += format.slice(processed, spec.at);
        processed = spec.at;
      }
      const t = spec.text;
      if (t === '%f') return null; // only a floating-point value may use %f
      if (t === '%s' || t === '%ws' || t === '%ls') {
        const wide = t !== '%s';
        // CheckIfStringIsSafe: the first two characters must be readable.
        if (mem.readUnsigned(val, wide ? 4 : 2) === null) return null;
        processed += t.length;
        const units = kernelStrlen(mem, val, wide ? 2 : 1);
        if (out.length + units > FINAL_BUFFER) continue;
        if (wide) out += narrowWide(mem, val, units);
        else
          for (let k = 0; k < units; k++)
            out += String.fromCharCode(Number(mem.readUnsigned(val + BigInt(k), 1) ?? 0n));
        continue;
      }
      processed += t.length;
      const text = formatInteger(t, val);
      if (out.length + text.length > FINAL_BUFFER) return null;
      out += text;
    }
    const remained = lenOfFormats - processed;
    if (out.length + remained >= FINAL_BUFFER) return null;
    out += format.slice(processed);
  }
  const nul = out.indexOf('\0');
  return nul < 0 ? out : out.slice(0, nul);
}
