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
