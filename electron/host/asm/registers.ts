// x86-64 register names as the assembler source and iced-x86 spell them, and the 64-bit register
// each general-purpose register belongs to. The GUEST_REGS layout is in shared/model/guestRegs.ts.
// Host side.
import { GUEST_REG_NAMES, type GuestRegName } from '../../../shared/model/guestRegs';

/**
 * The 64-bit general-purpose registers in encoding order, which is also GUEST_REGS order, so the
 * list is the shared GUEST_REGS definition (spec §8).
 */
export const GPR64 = GUEST_REG_NAMES;
export type Gpr64 = GuestRegName;

const LEGACY = ['a', 'c', 'd', 'b'] as const;
const FAMILY = new Map<string, Gpr64>();
const SIZE = new Map<string, number>();
for (const [i, r] of LEGACY.entries()) {
  const full = GPR64[i] as Gpr64;
  for (const [n, s] of [
    [`${r}l`, 1],
    [`${r}h`, 1],
    [`${r}x`, 2],
    [`e${r}x`, 4],
    [`r${r}x`, 8],
  ] as const) {
    FAMILY.set(n, full);
    SIZE.set(n, s);
  }
}
for (const [base, full] of [
  ['sp', 'rsp'],
  ['bp', 'rbp'],
  ['si', 'rsi'],
  ['di', 'rdi'],
] as const) {
  for (const [n, s] of [
    [`${base}l`, 1],
    [base, 2],
    [`e${base}`, 4],
    [full, 8],
  ] as const) {
    FAMILY.set(n, full);
    SIZE.set(n, s);
  }
}
for (let i = 8; i <= 15; i++) {
  const full = `r${i}` as Gpr64;
  for (const [n, s] of [
    [`r${i}b`, 1],
    [`r${i}l`, 1],
    [`r${i}w`, 2],
    [`r${i}d`, 4],
    [full, 8],
  ] as const) {
    FAMILY.set(n, full);
    SIZE.set(n, s);
  }
}

/** The 64-bit register a general-purpose register name is part of (`eax` -> `rax`). */
export function gprFamily(name: string): Gpr64 | undefined {
  return FAMILY.get(name.toLowerCase());
}

/** Width in bytes of a general-purpose register name. */
export function gprSize(name: string): number | undefined {
  return SIZE.get(name.toLowerCase());
}

const OTHER_REGISTERS = new Set<string>([
  'rip',
  'eip',
  'es',
  'cs',
  'ss',
  'ds',
  'fs',
  'gs',
  ...Array.from({ length: 32 }, (_, i) => `xmm${i}`),
  ...Array.from({ length: 32 }, (_, i) => `ymm${i}`),
  ...Array.from({ length: 32 }, (_, i) => `zmm${i}`),
  ...Array.from({ length: 8 }, (_, i) => `k${i}`),
  ...Array.from({ length: 16 }, (_, i) => `cr${i}`),
  ...Array.from({ length: 16 }, (_, i) => `dr${i}`),
  ...Array.from({ length: 8 }, (_, i) => `st${i}`),
  ...Array.from({ length: 8 }, (_, i) => `mm${i}`),
]);

export const SEGMENT_REGISTERS = new Set(['es', 'cs', 'ss', 'ds', 'fs', 'gs']);

/** Whether a (lower-case) word names a register the source may use. */
export function isRegisterName(name: string): boolean {
  const n = name.toLowerCase();
  return FAMILY.has(n) || OTHER_REGISTERS.has(n);
}

/**
 * iced-x86 names the low byte of r8..r15 `r8l`; Intel and Keystone accept `r8b` too. The name
 * iced uses, so decoded and source registers compare equal.
 */
export function icedRegisterName(name: string): string {
  const n = name.toLowerCase();
  const m = /^r(\d+)b$/.exec(n);
  return m !== null ? `r${m[1]}l` : n;
}
