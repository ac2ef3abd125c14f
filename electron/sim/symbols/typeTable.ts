// The synthetic ntkrnlmp.pdb's type records for one Windows build: structures read from the
// member-per-line tables of ntTypes/*, with each member's size and bitfield position worked out
// the way the PDB states them. Simulator side; pure.
import { layoutForBuild } from '../emulator/windowsLayouts';
import { BUILD_17763_SIZES, BUILD_17763_TYPES } from './ntTypes/build17763';
import { BUILD_18362_SIZES, BUILD_18362_TYPES } from './ntTypes/build18362';
import { BUILD_19041_SIZES, BUILD_19041_TYPES } from './ntTypes/build19041';
import { COMMON_SIZES, COMMON_TYPES } from './ntTypes/common';

/** One field of a structure, in PDB order (anonymous unions and structs flattened). */
export interface TypeMember {
  readonly offset: number;
  /** The type as pdbex spells it with `-i` (stdint names), e.g. `uint32_t`, `_EJOB* volatile`. */
  readonly type: string;
  readonly name: string;
  /** `[15]`-style suffix, or ''. */
  readonly dims: string;
  /** Bytes the whole member takes (an array's total, a bitfield's storage unit). */
  readonly size: number;
  /** For a bitfield: its width and its position in the storage unit. */
  readonly bits: number;
  readonly bitPosition: number;
  /** A structure or union by value (not through a pointer), shown by name. */
  readonly udt: string | null;
  /** A member whose type has no name (`} Name;` in C), shown as pdbex's _TAG_UNNAMED_n. */
  readonly unnamed: boolean;
  readonly array: boolean;
}

export interface StructType {
  readonly name: string;
  readonly size: number;
  readonly members: readonly TypeMember[];
}

const BASE_SIZES: Readonly<Record<string, number>> = {
  char: 1,
  int8_t: 1,
  uint8_t: 1,
  int16_t: 2,
  uint16_t: 2,
  wchar_t: 2,
  int32_t: 4,
  uint32_t: 4,
  int64_t: 8,
  uint64_t: 8,
};

const MEMBER_LINE = /^(0x[0-9a-f]+) (.+) ([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)(?::(\d+))?$/;

function typeSize(type: string, sizes: Readonly<Record<string, number>>): number {
  if (/\*( volatile| const)?$/.test(type)) return 8;
  const unnamed = /^\{(\d+)\}$/.exec(type);
  if (unnamed !== null) return Number(unnamed[1]);
  const bare = type.replace(/^(volatile |const )+/, '');
  const base = BASE_SIZES[bare];
  if (base !== undefined) return base;
  const udt = sizes[bare];
  if (udt === undefined) throw new Error(`no size for type '${type}' in the symbol tables`);
  return udt;
}

/** Reads a member-per-line table; throws on a malformed line (the tables are source data). */
export function parseTypeTable(
  text: string,
  sizes: Readonly<Record<string, number>>,
): Map<string, StructType> {
  const out = new Map<string, StructType>();
  let current: { name: string; size: number; members: TypeMember[] } | null = null;
  // Consecutive bitfields at one offset share a storage unit; positions count up from 0.
  let bitCursor = { offset: -1, next: 0 };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const header = /^(_[A-Za-z0-9_]+) (0x[0-9a-f]+)$/.exec(line);
    if (header !== null) {
      current = { name: header[1] as string, size: Number(header[2]), members: [] };
      out.set(current.name, current);
      bitCursor = { offset: -1, next: 0 };
      continue;
    }
    const m = MEMBER_LINE.exec(line);
    if (m === null || current === null) throw new Error(`bad type-table line '${line}'`);
    const offset = Number(m[1]);
    const type = m[2] as string;
    const dims = m[4] ?? '';
    const bits = m[5] === undefined ? 0 : Number(m[5]);
    const counts = [...dims.matchAll(/\[(\d+)\]/g)].map((d) => Number(d[1]));
    const elementSize = typeSize(type, sizes);
    const size = counts.reduce((n, c) => n * c, elementSize);
    let bitPosition = 0;
    if (bits > 0) {
      if (bitCursor.offset !== offset) bitCursor = { offset, next: 0 };
      bitPosition = bitCursor.next;
      bitCursor.next += bits;
    } else bitCursor = { offset: -1, next: 0 };
    const bare = type.replace(/^(volatile |const )+/, '');
    const isPointer = bare.endsWith('*') || /\* (volatile|const)$/.test(bare);
    current.members.push({
      offset,
      type,
      name: m[3] as string,
      dims,
      size,
      bits,
      bitPosition,
      udt: !isPointer && bare.startsWith('_') ? bare : null,
      unnamed: type.startsWith('{'),
      array: counts.length > 0,
    });
  }
  return out;
}

/**
 * Per-build tables, newest first. 24H2 (26100) has no table of its own yet: its PDB here carries
 * only the common types, so `dt nt!_EPROCESS` answers "Symbol not found" there rather than the
 * 19041 layout the guest does not use.
 */
const TABLES: readonly { from: number; text: string; sizes: Readonly<Record<string, number>> }[] = [
  { from: 26100, text: '', sizes: {} },
  { from: 19041, text: BUILD_19041_TYPES, sizes: BUILD_19041_SIZES },
  { from: 18362, text: BUILD_18362_TYPES, sizes: BUILD_18362_SIZES },
  { from: 0, text: BUILD_17763_TYPES, sizes: BUILD_17763_SIZES },
];

const cache = new Map<number, Map<string, StructType>>();

/** The structures the simulated ntkrnlmp.pdb of `osBuild` describes (same build bands as the guest). */
export function ntTypesForBuild(osBuild: number): ReadonlyMap<string, StructType> {
  const reference = layoutForBuild(osBuild).referenceBuild;
  const hit = cache.get(reference);
  if (hit !== undefined) return hit;
  const table = TABLES.find((t) => reference >= t.from) as (typeof TABLES)[number];
  const sizes = { ...COMMON_SIZES, ...table.sizes };
  const types = new Map([
    ...parseTypeTable(COMMON_TYPES, sizes),
    ...parseTypeTable(table.text, sizes),
  ]);
  cache.set(reference, types);
  return types;
}
