// HyperDbg's GUEST_REGS block (spec §8): the sixteen general-purpose registers an action sees
// through RDX (custom code) or RCX (condition code), 8 bytes each in this order. The one
// definition of that layout for the assembler, the emulator and the simulator. Pure.

/** GUEST_REGS field order (spec §8 table); a register's index times 8 is its byte offset. */
export const GUEST_REG_NAMES = [
  'rax',
  'rcx',
  'rdx',
  'rbx',
  'rsp',
  'rbp',
  'rsi',
  'rdi',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
] as const;

export type GuestRegName = (typeof GUEST_REG_NAMES)[number];

/** Every field is a 64-bit register. */
export const GUEST_REG_BYTES = 8;

/** Number of fields (16). */
export const GUEST_REG_COUNT = GUEST_REG_NAMES.length;

/** sizeof(GUEST_REGS): 0x80 (spec §8). */
export const GUEST_REGS_SIZE = GUEST_REG_COUNT * GUEST_REG_BYTES;

/** Index of each register in GUEST_REGS (`GUEST_REG_INDEX.r8` is 8), for word-sized views. */
export const GUEST_REG_INDEX: Readonly<Record<GuestRegName, number>> = Object.freeze(
  Object.fromEntries(GUEST_REG_NAMES.map((name, index) => [name, index])) as Record<
    GuestRegName,
    number
  >,
);

/** Byte offset of the rsp slot (0x20): custom code writing it does not move the guest RSP (spec §8). */
export const GUEST_REGS_RSP_OFFSET = GUEST_REG_INDEX.rsp * GUEST_REG_BYTES;

/** The register at a byte offset into GUEST_REGS, or undefined off a field boundary or past the end. */
export function guestRegAt(offset: number): GuestRegName | undefined {
  if (!Number.isInteger(offset) || offset % GUEST_REG_BYTES !== 0) return undefined;
  return GUEST_REG_NAMES[offset / GUEST_REG_BYTES];
}
