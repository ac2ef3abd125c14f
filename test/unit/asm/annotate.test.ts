// Annotated listings with the real assembler: GUEST_REGS, the safe buffer and Context read
// differently in custom and condition code (spec §8), Context takes the bound event's meaning
// (spec §3.8, §11.2), provenance follows moves as far as it is sound, and the listing keeps the
// seed document's layout.
import { describe, expect, it } from 'vitest';
import { assembleAction, type AsmContext } from '../../../electron/host/asm/asmService';
import { formatListing } from '../../../electron/host/asm/listing';
import type { EventKind } from '../../../shared/model/eventKinds';
import { GUEST_REG_NAMES } from '../../../shared/model/guestRegs';

const code = (eventKind: EventKind | null = null, bufferSize = 0): AsmContext => ({
  role: 'code',
  eventKind,
  bufferSize,
  target: 'sim',
});
const condition = (eventKind: EventKind | null = null): AsmContext => ({
  role: 'condition',
  eventKind,
  bufferSize: 0,
  target: 'sim',
});

/** The annotations of each instruction line (the appended c3 left out). */
async function notes(source: string, ctx: AsmContext): Promise<string[][]> {
  const r = await assembleAction(source, ctx);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.listing.filter((l) => !l.appended).map((l) => [...l.annotations]);
}
const joined = async (source: string, ctx: AsmContext) =>
  (await notes(source, ctx)).map((n) => n.join(' | '));

describe('custom code registers (RCX buffer, RDX GUEST_REGS, R8 Context, R9 own address)', () => {
  it('reads [rdx+0x40] as Regs->r8 and follows the value into rbx', async () => {
    const [first, second] = await joined(
      'mov rbx, qword ptr [rdx+0x40]\ncmp rbx, 0x47424448',
      code(),
    );
    expect(first).toContain('[rdx+0x40] = Regs->r8');
    expect(first).toContain('rbx = guest r8');
    expect(second).toContain('rbx is guest r8');
    expect(second).toContain("0x47424448 = 'HDBG'");
  });

  it('names every GUEST_REGS slot, and partial reads of one', async () => {
    // The order itself is pinned to the spec §8 table in test/unit/model/guestRegs.test.ts.
    const regs = GUEST_REG_NAMES;
    const lines = await joined(
      regs.map((_, i) => `mov r10, qword ptr [rdx+${i * 8}]`).join('\n'),
      code(),
    );
    regs.forEach((r, i) => expect(lines[i]).toContain(`= Regs->${r}`));
    const [low] = await joined('mov eax, dword ptr [rdx+0x40]', code());
    expect(low).toContain('low 32 bits of Regs->r8');
  });

  it('says RCX is the safe buffer, with its size, or NULL without one', async () => {
    expect((await joined('mov qword ptr [rcx+8], rax', code(null, 0x18)))[0]).toContain(
      'buffer[0x8..0xf]',
    );
    expect((await joined('mov rax, rcx', code(null, 0x18)))[0]).toContain(
      'rcx is safe buffer (0x18 bytes)',
    );
    expect((await joined('mov rax, rcx', code(null, 0)))[0]).toContain('NULL');
  });

  it.each([
    ['!syscall', 'system-call number'],
    ['!epthook2', 'virtual address of the hooked function'],
    ['!msrread', 'MSR index'],
    ['!cpuid', 'CPUID leaf'],
    ['!ioin', 'I/O port'],
  ] as const)('gives R8 the Context meaning of %s', async (kind, meaning) => {
    const [line] = await joined('cmp r8, 0x55', code(kind));
    expect(line).toMatch(new RegExp(`r8 is Context \\(${kind}\\): .*${meaning}`));
  });

  it('says R9 is the code address and RDX the GUEST_REGS pointer', async () => {
    const [a, b] = await joined('mov rax, r9\nmov rbx, rdx', code());
    expect(a).toContain("this code's own address");
    expect(b).toContain('GUEST_REGS*');
  });
});

describe('condition code registers (RCX GUEST_REGS, RDX Context, R8 own address)', () => {
  it('reads [rcx+0x40] as Regs->r8, and RDX as the Context', async () => {
    const [a, b, c] = await joined(
      'cmp qword ptr [rcx+0x40], 0x55\ncmp rdx, 0x55\nmov rax, r8',
      condition('!syscall'),
    );
    expect(a).toContain('[rcx+0x40] = Regs->r8');
    expect(b).toContain('rdx is Context (!syscall)');
    expect(c).toContain("this code's own address");
  });

  it('does not read [rdx+0x40] as GUEST_REGS in condition code', async () => {
    const [a] = await joined('mov rax, qword ptr [rdx+0x40]', condition('!monitor'));
    expect(a).not.toContain('Regs->');
    expect(a).toContain('memory at Context + 0x40');
  });

  it('explains what the returned RAX decides', async () => {
    const r = await assembleAction('xor eax, eax\nret', condition());
    expect(r.listing[1]?.annotations.join()).toContain('actions are skipped');
  });
});

describe('register provenance', () => {
  it('follows mov, lea and add through to the memory operand', async () => {
    const lines = await joined(
      'mov rax, rdx\nmov rbx, qword ptr [rax+0x40]\nlea rsi, [rdx+0x30]\nmov rdi, qword ptr [rsi+0x10]\nmov r10, rdx\nadd r10, 0x78\nmov r11, qword ptr [r10]',
      code(),
    );
    expect(lines[1]).toContain('Regs->r8');
    expect(lines[3]).toContain('Regs->r8');
    expect(lines[6]).toContain('Regs->r15');
  });

  it('forgets what differs between the paths that meet at a label', async () => {
    const lines = await joined(
      'test r8, r8\nje Other\nmov rax, rdx\njmp Join\nOther:\nmov rax, rcx\nJoin:\nmov rbx, qword ptr [rax+0x40]',
      code(),
    );
    expect(lines[5]).not.toContain('Regs->');
    expect(lines[5]).not.toContain('buffer');
  });

  it('keeps what every path agrees on', async () => {
    const lines = await joined(
      'mov rax, rdx\ntest r8, r8\nje Join\nnop\nJoin:\nmov rbx, qword ptr [rax+0x40]',
      code(),
    );
    expect(lines[4]).toContain('Regs->r8');
  });

  it('forgets a register an unknown instruction writes, and volatile ones after a call', async () => {
    const lines = await joined(
      'mov rax, rdx\nimul rax, rax, 3\nmov rbx, qword ptr [rax+0x40]\nmov rsi, rdx\nmov rcx, rdx\ncall rsi\nmov rbx, qword ptr [rsi]\nmov rbx, qword ptr [rcx]',
      code(),
    );
    expect(lines[2]).not.toContain('Regs->');
    expect(lines[6]).toContain('Regs->rax');
    expect(lines[7]).not.toContain('Regs->');
  });
});

describe('kernel structures', () => {
  it('names gs:[0x188], KTHREAD+0xb8 and EPROCESS.ImageFileName for both build ranges', async () => {
    for (const [offset, builds] of [
      ['0x450', 'on builds 17763-18363'],
      ['0x5a8', 'on builds 19041-22631'],
    ]) {
      const lines = await joined(
        `mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0xb8]\nadd rax, ${offset}\nret`,
        code('!syscall', 0x18),
      );
      expect(lines[0]).toContain('gs:[0x188] = KPCR.Prcb.CurrentThread');
      expect(lines[1]).toContain('KTHREAD.ApcState.Process');
      expect(lines[2]).toContain('EPROCESS.ImageFileName');
      expect(lines[2]).toContain(builds);
      expect(lines[3]).toContain('send 0x18 bytes');
    }
  });

  it('names gs:[0x1a4] as the 16-bit KPRCB.Number', async () => {
    const [a] = await joined('movzx eax, word ptr gs:[0x1a4]', code());
    expect(a).toContain('KPRCB.Number (processor index, 16-bit)');
    expect(a).toContain('eax = processor index');
  });
});

describe('the listing', () => {
  it("keeps the seed document's layout for its ImageFileName example", async () => {
    const r = await assembleAction(
      'mov rax,QWORD PTR gs:0x188\nmov rax,QWORD PTR [rax+0xb8]\nadd rax,0x450\nret',
      code('!syscall', 0x18),
    );
    const text = formatListing(r.listing, false).split('\n');
    // From the seed (buffer-records.md §6); iced writes the absolute operand as gs:[0x188].
    expect(text.slice(0, 6)).toEqual([
      '0:  65 48 8b 04 25 88 01    mov    rax,QWORD PTR gs:[0x188]',
      '7:  00 00',
      '9:  48 8b 80 b8 00 00 00    mov    rax,QWORD PTR [rax+0xb8]',
      '10: 48 05 50 04 00 00       add    rax,0x450',
      '16: c3                      ret',
      '17: c3                      ret  (appended by HyperDbg)',
    ]);
  });

  it("keeps the seed's layout for its pool-tag example, labels included", async () => {
    const r = await assembleAction(
      'mov rbx,QWORD PTR [rdx+0x40]\ncmp rbx,0x47424448\nje ChangeIt\njmp Return\nChangeIt:\nmov QWORD PTR [rdx+0x40],0x32424448\nReturn:\nret',
      code('!epthook2'),
    );
    const text = formatListing(r.listing, false).split('\n');
    // The seed writes branch targets without 0x (`je     f <ChangeIt>`).
    expect(text.slice(0, 10)).toEqual([
      '0:  48 8b 5a 40             mov    rbx,QWORD PTR [rdx+0x40]',
      '4:  48 81 fb 48 44 42 47    cmp    rbx,0x47424448',
      'b:  74 02                   je     0xf <ChangeIt>',
      'd:  eb 08                   jmp    0x17 <Return>',
      '000000000000000f <ChangeIt>:',
      'f:  48 c7 42 40 48 44 42    mov    QWORD PTR [rdx+0x40],0x32424448',
      '16: 32',
      '0000000000000017 <Return>:',
      '17: c3                      ret',
      '18: c3                      ret  (appended by HyperDbg)',
    ]);
    expect(r.listing.map((l) => l.sourceLine)).toEqual([1, 2, 3, 4, 6, 8, null]);
    expect(r.listing[2]?.target).toEqual({ offset: 0xf, label: 'ChangeIt' });
  });

  it('marks the appended c3 reached or not', async () => {
    const fallsThrough = await assembleAction('nop', code());
    expect(fallsThrough.listing.at(-1)).toMatchObject({ appended: true, bytes: 'c3' });
    expect(fallsThrough.listing.at(-1)?.annotations.join()).not.toContain('not reached');
    const returns = await assembleAction('ret', code());
    expect(returns.listing.at(-1)?.annotations.join()).toContain('not reached');
  });

  it('marks unreachable instructions', async () => {
    expect(await joined('ret\nnop', code())).toEqual([expect.any(String), 'unreachable']);
  });
});
