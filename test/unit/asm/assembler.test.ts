// The assembler with the real Keystone and iced-x86: the seed document's byte strings, the SIB
// form of absolute operands, Keystone's silent rewrites caught and named by line, errors on the
// line that fails, and no false alarms on the instructions actions use.
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleSource } from '../../../electron/host/asm/assembler';
import { assembleAction, type AsmContext } from '../../../electron/host/asm/asmService';
import { decodeAll } from '../../../electron/host/asm/decode';
import { loadEngines, type Engines } from '../../../electron/host/asm/engines';

const CODE: AsmContext = { role: 'code', eventKind: null, bufferSize: 0, target: 'auto' };

/** The seed's first listing (the seed, buffer-records.md §6), with labels for its jump targets. */
const SEED_POOL_TAG = `mov    rbx,QWORD PTR [rdx+0x40]
cmp    rbx,0x47424448
je     ChangeIt
jmp    Return
ChangeIt:
mov    QWORD PTR [rdx+0x40],0x32424448
Return:
ret`;
const SEED_POOL_TAG_HEX = '488B5A404881FB484442477402EB0848C7424048444232C3';

/** The seed's second listing exactly as the seed writes it. */
const SEED_IMAGE_NAME = `mov    rax,QWORD PTR gs:0x188
mov    rax,QWORD PTR [rax+0xb8]
add    rax,0x450
ret`;
const SEED_IMAGE_NAME_HEX = '65488B042588010000488B80B8000000480550040000C3';

let engines: Engines;
beforeAll(async () => {
  engines = await loadEngines();
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const errors = (src: string) =>
  assembleSource(engines, src).diagnostics.filter((d) => d.severity === 'error');

describe('the seed document', () => {
  it('assembles the pool-tag listing (labels for its jump targets) to the seed bytes', async () => {
    const r = await assembleAction(SEED_POOL_TAG, CODE);
    expect(r.ok).toBe(true);
    expect(r.bytesHex).toBe(SEED_POOL_TAG_HEX);
  });

  it('assembles the ImageFileName listing exactly as written, gs:0x188 included', async () => {
    const r = await assembleAction(SEED_IMAGE_NAME, CODE);
    expect(r.ok).toBe(true);
    expect(r.bytesHex).toBe(SEED_IMAGE_NAME_HEX);
  });

  it('accepts the seed listings with ; comments on every line', async () => {
    const commented = SEED_POOL_TAG.split('\n')
      .map((l, i) => `${l}   ; comment ${i}, with: colons, [brackets] and ; semicolons`)
      .join('\n');
    expect((await assembleAction(`; header\n\n${commented}\n`, CODE)).bytesHex).toBe(
      SEED_POOL_TAG_HEX,
    );
  });
});

describe('absolute memory operands', () => {
  it.each([
    ['mov rax, qword ptr gs:[0x188]', '65488B042588010000'],
    ['mov rax, QWORD PTR gs:0x188', '65488B042588010000'],
    ['mov rax, qword ptr [gs:0x188]', '65488B042588010000'],
    ['mov rcx, qword ptr gs:[0x188]', '65488B0C2588010000'],
    ['movzx eax, word ptr gs:[0x1a4]', '650FB70425A4010000'],
    ['mov rax, qword ptr [0x1000]', '488B042500100000'],
    ['mov ecx, dword ptr [-8]', '8B0C25F8FFFFFF'],
    ['mov rax, qword ptr [0]', '488B042500000000'],
  ])('%s is encoded in the SIB form %s', (src, want) => {
    const r = assembleSource(engines, src);
    expect(r.diagnostics).toEqual([]);
    expect(hex(r.bytes)).toBe(want);
    const [d] = decodeAll(engines.iced, r.bytes);
    expect(d?.operands.some((o) => o.kind === 'mem' && (o.ripRelative || o.moffs))).toBe(false);
  });

  it("catches Keystone's silent RIP-relative rewrite and names the line", () => {
    // Handing Keystone the absolute operand as written reproduces its silent RIP-relative miscompile.
    const r = assembleSource(engines, 'nop\nmov rcx, qword ptr gs:[0x188]', {
      absoluteForm: 'as-written',
    });
    expect(r.ok).toBe(false);
    expect(r.bytes.length).toBe(0);
    const e = r.diagnostics.find((d) => d.code === 'verify');
    expect(e).toMatchObject({ severity: 'error', line: 2, offset: 1 });
    expect(e?.message).toMatch(/RIP-relative/);
    expect(e?.message).toMatch(/gs:\[0x188\]/);
  });

  it("catches Keystone's 64-bit moffs form for RAX and names the line", () => {
    const r = assembleSource(engines, 'mov rax, qword ptr gs:[0x188]', {
      absoluteForm: 'as-written',
    });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'verify', line: 1, message: expect.stringMatching(/moffs/) }),
    ]);
  });

  it('refuses an absolute address that does not fit a 32-bit displacement', () => {
    expect(errors('nop\nmov rax, qword ptr [0xfffff8004ed6f010]')).toEqual([
      expect.objectContaining({
        code: 'syntax',
        line: 2,
        message: expect.stringMatching(/32-bit/),
      }),
    ]);
  });
});

describe('silent rewrites Keystone makes of other operands', () => {
  it.each([
    ['mov eax, 0x1ffffffff', /does not fit in the 32-bit immediate/],
    ['mov al, 0x1ff', /does not fit in the 8-bit immediate/],
    ['push 0x80000000', /does not fit in the 16-bit immediate/],
  ])('%s is refused, naming the line', (src, message) => {
    const e = errors(`nop\n${src}`);
    expect(e).toEqual([
      expect.objectContaining({ code: 'verify', line: 2, message: expect.stringMatching(message) }),
    ]);
  });

  it('refuses a numeric branch target outside the code', () => {
    expect(errors('jmp 0x100000000')[0]).toMatchObject({ line: 1, severity: 'error' });
    expect(errors('nop\njmp 0x100')).toEqual([
      expect.objectContaining({ code: 'branch-outside', line: 2 }),
    ]);
    // The end of the code is HyperDbg's appended ret: a valid target.
    expect(errors('jmp 2')).toEqual([]);
  });
});

describe('errors point at the failing source line', () => {
  it('locates every line Keystone rejects', () => {
    const e = errors('mov rax, rbx\nfoo rax\nret\nbar');
    expect(e.map((d) => [d.line, d.code])).toEqual([
      [2, 'keystone'],
      [4, 'keystone'],
    ]);
    expect(e[0]?.message).toMatch(/mnemonic/i);
  });

  it.each([
    ['mov rax, [rcx+]', 1],
    ['nop\nmov rax, [rcx*3]', 2],
    ['nop\nnop\njmp Nowhere', 3],
    ['L:\nnop\nl:\nret', 3],
    ['nop\n.byte 0x90', 2],
    ['nop\ndb 0x90', 2],
    ['mov rax, [rcx-rdx]', 1],
    ['mov rax, label', 1],
    ['mov rax, qword ptr [label]\nlabel:', 1],
    ['rax:\nnop', 1],
    ['mov rax, [rcx', 1],
    ['mov rax, [rip+rcx]', 1],
    ['mov rax, 0x1ffffffffffffffff', 1],
  ])('%j fails on line %i', (src, line) => {
    const e = errors(src);
    expect(e.length).toBeGreaterThan(0);
    expect(e[0]?.line).toBe(line);
  });

  it('reports an empty source as an error, not as empty bytes', async () => {
    const r = await assembleAction('; nothing here\n\n', CODE);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'empty', severity: 'error' })]);
  });
});

describe('one meaning per spelling', () => {
  it('reads 010 as decimal ten, not octal (Keystone would say 8)', () => {
    expect(hex(assembleSource(engines, 'mov eax, 010').bytes)).toBe('B80A000000');
  });
  it('reads 188h, 0x188 and 392 as the same number', () => {
    const want = hex(assembleSource(engines, 'mov eax, 0x188').bytes);
    expect(hex(assembleSource(engines, 'mov eax, 188h').bytes)).toBe(want);
    expect(hex(assembleSource(engines, 'mov eax, 392').bytes)).toBe(want);
    expect(hex(assembleSource(engines, 'mov eax, (0x100+0x44)*2-0x100').bytes)).toBe(want);
  });
  it('matches label references to their definition case-insensitively', () => {
    expect(hex(assembleSource(engines, 'jmp done\nnop\nDone:\nret').bytes)).toBe('EB0190C3');
  });
  it('supports [rip+label] for position-independent addresses', () => {
    const r = assembleSource(engines, 'lea rax, [rip+Data]\nret\nData:');
    expect(r.ok).toBe(true);
    expect(hex(r.bytes)).toBe('488D0501000000C3');
  });
});

describe('no false alarms on the instructions actions use', () => {
  const ok = [
    'mov rax, rbx',
    'mov qword ptr [rdx+0x40], rax',
    'mov byte ptr [rcx+1], 0x41',
    'mov rax, 0xffffffffffffffff',
    'mov rax, 0x123456789',
    'mov r8b, 1',
    'mov r8w, 0x1234',
    'mov rax, cr3',
    'mov dr7, rax',
    'movzx r9, byte ptr [rcx]',
    'movsx rax, ecx',
    'movsxd rax, dword ptr [rdx+4]',
    'lea rax, [rcx+rdx*8-0x10]',
    'lea rsp, [rsp-8]',
    'add rax, -1',
    'sub rsp, 0x28',
    'and rsp, -16',
    'cmp qword ptr [rdx+0x40], 0x55',
    'test r8d, r8d',
    'xor eax, eax',
    'imul rax, rbx, 10',
    'imul rax, rax, 3',
    'in al, dx',
    'out dx, eax',
    'shl rax, 1',
    'sal rax, 4',
    'sar rcx, cl',
    'inc qword ptr [rcx+rax*8]',
    'lock add qword ptr [rcx], 1',
    'lock xadd qword ptr [rcx], rax',
    'xchg rax, rbx',
    'rep movsb',
    'rep stosq',
    'push rbx',
    'pop rbx',
    'pushfq',
    'popfq',
    'call rax',
    'call qword ptr [rax+8]',
    'jmp rax',
    'setz al',
    'sete al',
    'cmovnz rax, rbx',
    'cli',
    'sti',
    'rdmsr',
    'wrmsr',
    'cpuid',
    'rdtsc',
    'int3',
    'int 3',
    'nop',
    'pause',
    'ret 8',
    'mov rax, qword ptr ss:[rsp+8]',
    'mov eax, dword ptr es:[rcx]',
    'mov rax, qword ptr fs:[0x10]',
    'fld st(1)',
    'movdqu xmm0, xmmword ptr [rcx]',
    'vmovdqu ymm0, ymmword ptr [rcx]',
    'bt rax, 3',
    'bswap eax',
    'cqo',
    'div rcx',
    'neg rax',
    'not rax',
  ];
  it.each(ok)('%s', (src) => {
    expect(assembleSource(engines, src).diagnostics).toEqual([]);
  });

  it.each([
    'je',
    'jz',
    'jne',
    'jnz',
    'jb',
    'jc',
    'jnae',
    'jae',
    'jnb',
    'jnc',
    'jbe',
    'jna',
    'ja',
    'jnbe',
    'jl',
    'jnge',
    'jge',
    'jnl',
    'jle',
    'jng',
    'jg',
    'jnle',
    'jp',
    'jpe',
    'jnp',
    'jpo',
    'js',
    'jns',
    'jo',
    'jno',
    'jrcxz',
    'loop',
    'loope',
    'loopne',
  ])('%s to labels before and after it', (cc) => {
    expect(assembleSource(engines, `Top:\n${cc} Top\n${cc} End\nEnd:`).diagnostics).toEqual([]);
  });

  it('long conditional jumps get the near form', () => {
    const src = `je Far\n${'nop\n'.repeat(300)}Far:\nret`;
    expect(assembleSource(engines, src).diagnostics).toEqual([]);
  });
});

describe('rel8-only branches out of reach', () => {
  it.each(['loop', 'loope', 'loopne', 'jrcxz'])(
    '%s 200 bytes back is refused: Keystone silently wraps the 8-bit offset',
    (op) => {
      const src = `Top:\n${'nop\n'.repeat(200)}${op} Top`;
      expect(errors(src)).toEqual([
        expect.objectContaining({
          code: 'verify',
          line: 202,
          message: expect.stringMatching(/expected a branch to 0x0/),
        }),
      ]);
    },
  );

  it.each(['loop', 'jrcxz'])('%s 300 bytes away fails in Keystone on its own line', (op) => {
    expect(errors(`Top:\n${'nop\n'.repeat(300)}${op} Top`)).toEqual([
      expect.objectContaining({
        code: 'keystone',
        line: 302,
        message: expect.stringMatching(/127 bytes/),
      }),
    ]);
    expect(errors(`${op} End\n${'nop\n'.repeat(300)}End:`)).toEqual([
      expect.objectContaining({ code: 'keystone', line: 1 }),
    ]);
  });
});
