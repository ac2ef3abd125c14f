// Disassembly of code { } hex: an annotated listing for custom or condition code, and source that
// assembles back to exactly the same bytes.
import { describe, expect, it } from 'vitest';
import {
  assembleAction,
  disassembleAction,
  type AsmContext,
} from '../../../electron/host/asm/asmService';

const ctx = (over: Partial<AsmContext> = {}): AsmContext => ({
  role: 'code',
  eventKind: null,
  bufferSize: 0,
  target: 'auto',
  ...over,
});
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('disassembleAction', () => {
  it("lists the seed's pool-tag hex with generated labels and GUEST_REGS names", async () => {
    const r = await disassembleAction(
      bytes('488B5A404881FB484442477402EB0848C7424048444232C3'),
      ctx({ eventKind: '!epthook2' }),
    );
    expect(r.ok).toBe(true);
    expect(r.listing.map((l) => l.offset)).toEqual([0, 4, 0xb, 0xd, 0xf, 0x17, 0x18]);
    expect(r.listing[2]?.text).toBe('je     0xf <L_f>');
    expect(r.listing[4]).toMatchObject({ label: 'L_f', bytes: '48 c7 42 40 48 44 42 32' });
    expect(r.listing[0]?.annotations).toContain('[rdx+0x40] = Regs->r8');
    expect(r.listing.at(-1)?.appended).toBe(true);
  });

  it('gives source that assembles back to the same bytes', async () => {
    for (const hex of [
      '488B5A404881FB484442477402EB0848C7424048444232C3',
      '65488B042588010000488B80B8000000480550040000C3',
      '650FB70425A401000083F808730448FF04C14889C8C3',
      'CC90F3A4C3',
    ]) {
      const r = await disassembleAction(bytes(hex), ctx());
      expect(r.source).not.toBeNull();
      const back = await assembleAction(r.source as string, ctx());
      expect(back.bytesHex).toBe(hex);
    }
  });

  it('returns no source when the bytes have no exact source (another encoding of mov)', async () => {
    // 48 8B C3 is `mov rax, rbx` in the form Keystone does not choose (it emits 48 89 D8).
    const r = await disassembleAction(bytes('488BC3'), ctx());
    expect(r.ok).toBe(true);
    expect(r.listing[0]?.text).toBe('mov    rax,rbx');
    expect(r.source).toBeNull();
  });

  it('annotates condition code with its own registers', async () => {
    // cmp qword ptr [rcx+0x40], 0x55 ; mov rax, rdx
    const r = await disassembleAction(
      bytes('48837940554889D0'),
      ctx({ role: 'condition', eventKind: '!cpuid' }),
    );
    expect(r.listing[0]?.annotations).toContain('[rcx+0x40] = Regs->r8');
    expect(r.listing[1]?.annotations.join()).toContain('Context (!cpuid)');
  });

  it('reports bytes that are not an instruction', async () => {
    const r = await disassembleAction(bytes('0F0B48'), ctx());
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'decode', severity: 'error', offset: 2 }),
    ]);
    expect(r.source).toBeNull();
  });
});
