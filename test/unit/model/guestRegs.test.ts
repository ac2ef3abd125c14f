// The one GUEST_REGS layout (spec §8) against the spec's table, typed in here from the spec:
// order, offsets, size 0x80, the rsp slot at 0x20, and offset lookups off a field boundary.
import { describe, expect, it } from 'vitest';
import {
  GUEST_REG_COUNT,
  GUEST_REG_INDEX,
  GUEST_REG_NAMES,
  GUEST_REGS_RSP_OFFSET,
  GUEST_REGS_SIZE,
  guestRegAt,
} from '../../../shared/model/guestRegs';

/** Spec §8, "register | offset" table, row by row. */
const SPEC_TABLE: readonly (readonly [string, number])[] = [
  ['rax', 0x00],
  ['rcx', 0x08],
  ['rdx', 0x10],
  ['rbx', 0x18],
  ['rsp', 0x20],
  ['rbp', 0x28],
  ['rsi', 0x30],
  ['rdi', 0x38],
  ['r8', 0x40],
  ['r9', 0x48],
  ['r10', 0x50],
  ['r11', 0x58],
  ['r12', 0x60],
  ['r13', 0x68],
  ['r14', 0x70],
  ['r15', 0x78],
];

describe('GUEST_REGS layout (spec §8)', () => {
  it('lists the registers in the spec table order', () => {
    expect([...GUEST_REG_NAMES]).toEqual(SPEC_TABLE.map(([name]) => name));
    expect(GUEST_REG_COUNT).toBe(16);
  });

  it('puts each register at the spec offset, in both directions', () => {
    for (const [name, offset] of SPEC_TABLE) {
      expect(guestRegAt(offset)).toBe(name);
      expect(GUEST_REG_INDEX[name as keyof typeof GUEST_REG_INDEX] * 8).toBe(offset);
    }
  });

  it('is 0x80 bytes with rsp at 0x20', () => {
    expect(GUEST_REGS_SIZE).toBe(0x80);
    expect(GUEST_REGS_RSP_OFFSET).toBe(0x20);
  });

  it('names no register inside a field, before the block or past its end', () => {
    expect(guestRegAt(0x44)).toBeUndefined();
    expect(guestRegAt(1)).toBeUndefined();
    expect(guestRegAt(-8)).toBeUndefined();
    expect(guestRegAt(0x80)).toBeUndefined();
  });
});
