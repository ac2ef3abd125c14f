// What `dt` prints for a structure: pdbex's offset view with HyperDbg's default options
// (PDBEX_DEFAULT_CONFIGURATION "-j- -k- -e n -i": no nested expansion, stdint names), and, given
// the bytes read from an address, each member's value as HyperDbg's pdbex build appends it
// (PDBHeaderReconstructor.cpp, HYPERDBG_CODES). Simulator side; pure.
import type { StructType, TypeMember } from './typeTable';

/** pdbex's names for its invented members (PDBHeaderReconstructor.h, PDB.cpp). */
const PADDING_PREFIX = 'Padding_';
const TRAILING_PADDING_NAME = '__PADDING__';
const UNNAMED_PREFIX = '_TAG_UNNAMED_';

/** SymSeparateTo64BitValue: 16 hex digits with a backtick after the eighth. */
export function separate64(v: bigint): string {
  const s = v.toString(16).padStart(16, '0');
  return `${s.slice(0, 8)}\`${s.slice(8)}`;
}

const offsetText = (offset: number) => `  +0x${offset.toString(16).padStart(4, '0')} `;

function readLittle(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return v;
}

/** OnUdtField's value suffix (" : ..."), when a buffer was read. */
function valueSuffix(m: TypeMember, bytes: Uint8Array): string {
  if (m.size >= 1 && m.size <= 8) {
    const raw = readLittle(bytes, m.offset, m.size);
    if (m.bits !== 0) {
      // Bits are written lowest first, then the value in hex when there are two or more.
      const value = (raw >> BigInt(m.bitPosition)) & ((1n << BigInt(m.bits)) - 1n);
      let text = ' : 0y';
      for (let b = 0; b < m.bits; b++) text += (value >> BigInt(b)) & 1n ? '1' : '0';
      if (m.bits >= 2) text += ` (0x${value.toString(16)})`;
      return text;
    }
    if (raw === 0n) return ' : (null)';
    if (m.size === 8) return ` : ${separate64(raw)}`;
    return ` : 0x${raw.toString(16)}`;
  }
  if (m.array) return ' : (array)';
  if (m.udt === null) return ''; // an unnamed aggregate larger than 8 bytes: nothing to show
  let text = ` : ${m.udt}`;
  if (m.udt === '_LIST_ENTRY' && m.size === 16) {
    text += ` [ ${separate64(readLittle(bytes, m.offset, 8))} - ${separate64(readLittle(bytes, m.offset + 8, 8))} ]`;
  }
  return text;
}

/**
 * The text pdbex writes for `type` (root first line " Name", one line per member, a blank line
 * after), with values when `bytes` (the structure's bytes) is given.
 */
export function renderStruct(type: StructType, bytes: Uint8Array | null): string {
  let out = ` ${type.name}\n`;
  let paddingCounter = 0;
  const unnamedNumbers = new Map<string, number>();
  let end = 0;
  for (const m of type.members) {
    // CheckForDataFieldPadding: a gap after everything so far gets a padding member ("long" in
    // fours, else "char", pdbex's MSVC names), without a value.
    if (m.offset > end && (m.bits === 0 || m.bitPosition === 0)) {
      const gap = m.offset - end;
      const byFour = gap % 4 === 0;
      const count = byFour ? gap / 4 : gap;
      out += `${offsetText(end)}${byFour ? 'long' : 'char'} ${PADDING_PREFIX}${paddingCounter++}`;
      out += count > 1 ? `[${count}]\n` : '\n';
    }
    end = Math.max(end, m.offset + m.size);
    let typeText: string;
    if (m.unnamed) {
      const key = `${m.offset}:${m.name}`;
      if (!unnamedNumbers.has(key)) unnamedNumbers.set(key, unnamedNumbers.size + 1);
      typeText = `${UNNAMED_PREFIX}${unnamedNumbers.get(key) as number}`;
    } else if (m.udt !== null) typeText = m.udt;
    else typeText = m.type.replace(/^const /, '');
    let line = `${offsetText(m.offset)}${typeText} ${m.name}${m.dims}`;
    if (m.bits !== 0) line += `, Pos ${m.bitPosition}, ${m.bits} Bit`;
    if (bytes !== null) line += valueSuffix(m, bytes);
    out += `${line}\n`;
  }
  // PDB.cpp appends "__PADDING__" when the last member ends before the structure does.
  const last = type.members[type.members.length - 1];
  if (last !== undefined && last.offset + last.size < type.size) {
    const gap = type.size - (last.offset + last.size);
    const byFour = gap % 4 === 0;
    const pad: TypeMember = {
      offset: last.offset + last.size,
      type: byFour ? 'int32_t' : 'char',
      name: TRAILING_PADDING_NAME,
      dims: `[${byFour ? gap / 4 : gap}]`,
      size: gap,
      bits: 0,
      bitPosition: 0,
      udt: null,
      unnamed: false,
      array: true,
    };
    out += `${offsetText(pad.offset)}${pad.type} ${pad.name}${pad.dims}`;
    // Its array type has no name at all, so above 8 bytes no value follows (OnUdtField).
    out += bytes !== null && gap <= 8 ? `${valueSuffix(pad, bytes)}\n` : '\n';
  }
  return `${out}\n\n`;
}
