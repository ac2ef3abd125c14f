// Every lint rule, firing on code that breaks the HyperDbg fact it stands for and silent on code
// that respects it (spec §3.2, §3.5, §5.2, §5.6, §8, §11.3).
import { describe, expect, it } from 'vitest';
import { assembleAction, type AsmContext } from '../../../electron/host/asm/asmService';
import { LINT_RULES, type LintRule } from '../../../electron/host/asm/lint';
import { loadKnownBuilds } from '../../../electron/host/target/knownBuildsFile';
import { tableEnvironment } from '../../../shared/model/knownBuilds';

/** A connected target of this build, as far as the table knows it. */
const onBuild = (build: number): Partial<AsmContext> => ({
  fields: tableEnvironment(loadKnownBuilds(), build, 'the connected target'),
});
const WALK = 'mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0xb8]\n';

const base: AsmContext = { role: 'code', eventKind: null, bufferSize: 0, target: 'sim' };

async function rules(source: string, ctx: Partial<AsmContext> = {}) {
  const r = await assembleAction(source, { ...base, ...ctx });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.diagnostics.filter((d) => d.code.startsWith('lint/'));
}
async function fired(source: string, rule: LintRule, ctx: Partial<AsmContext> = {}) {
  return (await rules(source, ctx)).filter((d) => d.code === `lint/${rule}`);
}

interface Case {
  readonly rule: LintRule;
  readonly fires: readonly [string, Partial<AsmContext>, number | null][];
  readonly silent: readonly [string, Partial<AsmContext>][];
}

const CASES: readonly Case[] = [
  {
    rule: 'rcx-no-buffer',
    fires: [
      ['nop\nmov qword ptr [rcx], rax\nret', {}, 2],
      ['mov rax, rcx\nmov byte ptr [rax+4], 1\nret', {}, 2],
      ['mov rax, qword ptr [rcx+8]\nret', {}, 1],
    ],
    silent: [
      ['mov qword ptr [rcx], rax\nret', { bufferSize: 8 }],
      // In condition code RCX is GUEST_REGS, not the buffer.
      ['mov rax, qword ptr [rcx+0x40]\nret', { role: 'condition' }],
      ['xor ecx, ecx\nmov rcx, rdx\nmov rax, qword ptr [rcx]\nret', {}],
    ],
  },
  {
    rule: 'regs-rsp-write',
    fires: [
      ['mov qword ptr [rdx+0x20], rax\nret', {}, 1],
      ['mov rax, rdx\nmov dword ptr [rax+0x24], 0\nret', {}, 2],
      ['mov qword ptr [rcx+0x20], 0\nmov eax, 1\nret', { role: 'condition' }, 1],
    ],
    silent: [
      ['mov rax, qword ptr [rdx+0x20]\nret', {}],
      ['mov qword ptr [rdx+0x28], rax\nmov qword ptr [rdx+0x18], rax\nret', {}],
      ['mov qword ptr [rdx+0x20], rax\nret', { role: 'condition' }],
    ],
  },
  {
    rule: 'buffer-overflow',
    fires: [
      ['mov qword ptr [rcx+0x10], rax\nxor eax, eax\nret', { bufferSize: 0x10 }, 1],
      ['mov qword ptr [rcx+0xc], rax\nxor eax, eax\nret', { bufferSize: 0x10 }, 1],
      [
        'mov rax, rcx\nadd rax, 8\nmov byte ptr [rax+8], 1\nxor eax, eax\nret',
        { bufferSize: 0x10 },
        3,
      ],
      ['mov byte ptr [rcx-1], 0\nxor eax, eax\nret', { bufferSize: 0x10 }, 1],
    ],
    silent: [
      ['mov qword ptr [rcx+8], rax\nxor eax, eax\nret', { bufferSize: 0x10 }],
      [
        'mov rax, rcx\nadd rax, 8\nmov byte ptr [rax+7], 1\nxor eax, eax\nret',
        { bufferSize: 0x10 },
      ],
      // Reading past it is not a write; an index unknown until run time is not statically known.
      ['mov rax, qword ptr [rcx+0x10]\nxor eax, eax\nret', { bufferSize: 0x10 }],
      ['mov qword ptr [rcx+rdx*8], 0\nxor eax, eax\nret', { bufferSize: 0x10 }],
    ],
  },
  {
    rule: 'stack-above-return',
    fires: [
      ['mov qword ptr [rsp+8], rax\nret', {}, 1],
      ['mov qword ptr [rsp], rax\nret', {}, 1],
      ['push rax\nmov qword ptr [rsp+0x10], rbx\npop rax\nret', {}, 2],
      ['mov rax, rsp\nmov qword ptr [rax+0x20], 0\nret', {}, 2],
    ],
    silent: [
      ['sub rsp, 0x10\nmov qword ptr [rsp+8], rax\nadd rsp, 0x10\nret', {}],
      ['push rax\nmov qword ptr [rsp], rbx\npop rax\nret', {}],
      ['mov rax, qword ptr [rsp+8]\nret', {}],
      ['mov qword ptr [rsp-8], rax\nret', {}],
    ],
  },
  {
    rule: 'unbalanced-stack',
    fires: [
      ['push rbx\nret', {}, 2],
      ['sub rsp, 0x20', {}, 1],
    ],
    silent: [
      ['push rbx\npop rbx\nret', {}],
      ['sub rsp, 0x28\nadd rsp, 0x28', {}],
    ],
  },
  {
    rule: 'gs-1a4-wide-read',
    fires: [
      ['mov rax, qword ptr gs:[0x1a4]\nxor eax, eax\nret', {}, 1],
      ['mov rax,QWORD PTR gs:0x1A4', {}, 1],
      ['mov eax, dword ptr gs:[0x1a4]', {}, 1],
    ],
    silent: [
      ['movzx eax, word ptr gs:[0x1a4]', {}],
      ['mov ax, word ptr gs:[0x1a4]', {}],
      ['mov rax, qword ptr gs:[0x188]', {}],
    ],
  },
  {
    rule: 'rax-unset',
    fires: [
      ['mov qword ptr [rcx], rdx\nret', { bufferSize: 0x18 }, 2],
      ['nop', { bufferSize: 0x18, target: 'patched' }, 1],
      ['cmp rdx, 0x55\nret', { role: 'condition' }, 2],
      ['test r8, r8\nje Skip\nmov rax, rcx\nSkip:\nret', { bufferSize: 0x18 }, 5],
    ],
    silent: [
      ['xor eax, eax\nret', { bufferSize: 0x18 }],
      ['mov rax, rcx\nret', { bufferSize: 0x18 }],
      ['ret', { bufferSize: 0 }],
      ['ret', { bufferSize: 0x18, target: 'stock' }],
      ['mov eax, 1\nret', { role: 'condition' }],
    ],
  },
  {
    rule: 'c3-appended',
    fires: [
      ['nop', {}, 1],
      ['test r8, r8\nje End\nret\nEnd:', {}, 3],
    ],
    silent: [
      ['ret', {}],
      ['nop\njmp Back\nBack:\nret', {}],
    ],
  },
  {
    rule: 'stock-no-buffers',
    fires: [['mov rax, rcx\nret', { bufferSize: 0x18, target: 'stock' }, null]],
    silent: [
      ['mov rax, rcx\nret', { bufferSize: 0x18, target: 'sim' }],
      ['mov rax, rcx\nret', { bufferSize: 0x18, target: 'patched' }],
      ['ret', { bufferSize: 0, target: 'stock' }],
      ['mov eax, 1\nret', { role: 'condition', target: 'stock' }],
    ],
  },
  {
    rule: 'stock-nx',
    fires: [
      ['ret', { target: 'stock' }, null],
      ['mov eax, 1\nret', { role: 'condition', target: 'stock' }, null],
    ],
    silent: [
      ['ret', { target: 'sim' }],
      ['ret', { target: 'patched' }],
      ['ret', { target: 'auto' }],
    ],
  },
  {
    rule: 'debugger-mode-size',
    fires: [
      [`${'nop\n'.repeat(99)}mov eax, 1\nret`, { role: 'condition' }, null],
      [`${'mov rax, 0x1122334455667788\n'.repeat(820)}ret`, {}, null],
    ],
    silent: [
      [`${'nop\n'.repeat(90)}mov eax, 1\nret`, { role: 'condition' }],
      [`${'nop\n'.repeat(8000)}ret`, {}],
    ],
  },
  {
    // The seed's +0x450 is ImageFileName up to 1909 (resources/windows-builds.json) only.
    rule: 'field-other-build',
    fires: [
      [`${WALK}add rax, 0x450\nret`, onBuild(19041), 3],
      [`${WALK}mov rax, qword ptr [rax+0x440]\nret`, onBuild(26100), 3],
    ],
    silent: [
      [`${WALK}add rax, 0x450\nret`, onBuild(18363)],
      [`${WALK}add rax, EPROCESS.ImageFileName\nret`, onBuild(26100)],
      // Saved bytes are assembled for the reference build: no target, nothing to warn about.
      [`${WALK}add rax, 0x450\nret`, {}],
    ],
  },
];

describe('lint rules', () => {
  it('has a case for every rule', () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual([...LINT_RULES].sort());
  });

  for (const c of CASES) {
    describe(c.rule, () => {
      it.each(
        c.fires.map(
          ([src, ctx, line]) => [src.split('\n').slice(0, 4).join(' / '), src, ctx, line] as const,
        ),
      )('fires on %s', async (_name, src, ctx, line) => {
        const found = await fired(src, c.rule, ctx);
        expect(found.length).toBeGreaterThan(0);
        expect(found[0]?.line).toBe(line);
        expect(found[0]?.severity).toBe(c.rule === 'c3-appended' ? 'note' : 'warning');
      });
      it.each(
        c.silent.map(([src, ctx]) => [src.split('\n').slice(0, 4).join(' / '), src, ctx] as const),
      )('is silent on %s', async (_name, src, ctx) => {
        expect(await fired(src, c.rule, ctx)).toEqual([]);
      });
    });
  }

  it('cites the spec in every message', async () => {
    const all = [
      ...(await rules(
        'mov qword ptr [rdx+0x20], rax\nmov qword ptr [rsp+8], rax\nmov rax, qword ptr gs:[0x1a4]\nmov qword ptr [rcx], 0',
        { target: 'stock' },
      )),
    ];
    for (const d of all) expect(d.message).toMatch(/docs\/hyperdbg-v0\.23\.md §\d/);
  });
});
