// The v0.23 script engine's integer types (script-engine/code/type.c): what a declaration names
// (HandleType), C's promotions and common type (GetCommonVariableType), and how a 64-bit slot
// holds a value of each type (ScriptEngineNormalizeInteger). Simulator side; pure.

export interface IntType {
  readonly k: 'int';
  /** C spelling, for messages and tests. */
  readonly name: string;
  readonly bits: 8 | 16 | 32 | 64;
  readonly signed: boolean;
  /** INTEGER_RANK_*: bool < char < short < int < long < long long. */
  readonly rank: number;
  readonly size: number;
}

export interface PointerType {
  readonly k: 'ptr';
  /** null: void*. */
  readonly base: ScriptType | null;
  readonly size: 8;
}

export interface ArrayType {
  readonly k: 'array';
  readonly element: ScriptType;
  readonly length: number;
  readonly size: number;
}

export interface VoidType {
  readonly k: 'void';
  readonly size: 1;
}

export type ScriptType = IntType | PointerType | ArrayType | VoidType;

const int = (name: string, bits: IntType['bits'], signed: boolean, rank: number): IntType => ({
  k: 'int',
  name,
  bits,
  signed,
  rank,
  size: bits / 8,
});

export const T = {
  bool: int('bool', 8, false, 0),
  char: int('char', 8, true, 1),
  uchar: int('unsigned char', 8, false, 1),
  short: int('short', 16, true, 2),
  ushort: int('unsigned short', 16, false, 2),
  int: int('int', 32, true, 3),
  uint: int('unsigned int', 32, false, 3),
  long: int('long', 64, true, 4),
  ulong: int('unsigned long', 64, false, 4),
  llong: int('long long', 64, true, 5),
  ullong: int('unsigned long long', 64, false, 5),
  void: { k: 'void', size: 1 } as VoidType,
} as const;

/** Numbers, registers, pseudo-registers and parameters are `long` (NewToken's default type). */
export const LITERAL_TYPE = T.long;
/** Untyped variables, function results and `*p` are `unsigned long long` (GetDefaultImplicitVariableType). */
export const IMPLICIT_TYPE = T.ullong;

export const pointerTo = (base: ScriptType | null): PointerType => ({ k: 'ptr', base, size: 8 });

/** The words `int`, `unsigned`, `long long`... of a declaration (HandleType); null when v0.23 refuses them. */
export function typeFromWords(words: readonly string[]): ScriptType | null {
  const n = (w: string) => words.filter((x) => x === w).length;
  const [v, b, c, s, i, l, f, d, sg, u] = [
    'void',
    'bool',
    'char',
    'short',
    'int',
    'long',
    'float',
    'double',
    'signed',
    'unsigned',
  ].map(n) as [number, number, number, number, number, number, number, number, number, number];
  if (sg > 1 || u > 1 || (sg && u) || v > 1 || b > 1 || c > 1 || s > 1 || i > 1 || l > 2)
    return null;
  if (f > 1 || d > 1) return null;
  // float and double are floating types; the simulator does not model them (see parser.ts).
  if (f || d) return null;
  if (v) return b || c || s || i || l || sg || u ? null : T.void;
  if (b) return c || s || i || l || sg || u ? null : T.bool;
  if (c) return s || i || l ? null : u ? T.uchar : T.char;
  if (s) return l ? null : u ? T.ushort : T.short;
  if (l === 2) return u ? T.ullong : T.llong;
  if (l === 1) return u ? T.ulong : T.long;
  if (i || sg || u) return u ? T.uint : T.int;
  return null;
}

/** Integer promotion: anything ranked below int computes as int. */
export function promote(t: IntType): IntType {
  return t.rank < T.int.rank ? T.int : t;
}

/** GetCommonVariableType: C's usual arithmetic conversions; null when either side is not an integer. */
export function commonType(a: ScriptType, b: ScriptType): IntType | null {
  if (a.k !== 'int' || b.k !== 'int') return null;
  const l = promote(a);
  const r = promote(b);
  if (l === r) return l;
  if (l.signed === r.signed) return l.rank >= r.rank ? l : r;
  const unsigned = l.signed ? r : l;
  const signed = l.signed ? l : r;
  if (unsigned.rank >= signed.rank) return unsigned;
  if (signed.size > unsigned.size) return signed;
  if (signed === T.long) return T.ulong;
  if (signed === T.llong) return T.ullong;
  return T.uint;
}

const M64 = (1n << 64n) - 1n;
const MASKS: Readonly<Record<number, bigint>> = {
  8: 0xffn,
  16: 0xffffn,
  32: 0xffffffffn,
  64: M64,
};

/** ScriptEngineNormalizeInteger: the value cut to the type's width, sign-extended to 64 bits if signed. */
export function normalize(v: bigint, t: IntType): bigint {
  if (t === T.bool) return (v & M64) === 0n ? 0n : 1n;
  if (t.bits === 64) return v & M64;
  const mask = MASKS[t.bits] as bigint;
  const x = v & mask;
  if (!t.signed) return x;
  const sign = 1n << BigInt(t.bits - 1);
  return x & sign ? (x | ~mask) & M64 : x;
}

/** The value as the signed 64-bit number a signed comparison or division sees. */
export const asSigned = (v: bigint): bigint => BigInt.asIntN(64, v);

export function sizeOf(t: ScriptType): number {
  return t.size;
}
