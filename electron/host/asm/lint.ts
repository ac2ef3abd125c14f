// Lint rules for custom and condition code, each from a HyperDbg fact: RCX is NULL without a
// buffer, Regs->rsp writes are lost, writes past the buffer or above the return address corrupt
// the kernel, gs:[0x1a4] is 16-bit, HyperDbg appends c3, stock v0.23 returns no buffers and
// probably cannot run code at all (spec §5, §8, §11). Host side, pure.
import type { AsmDiagnostic, CodeRole } from '../../../shared/model/actionAssembly';
import type { TargetCapability } from '../../../shared/model/actionTarget';
import {
  addressOf,
  GS_PROCESSOR_NUMBER,
  regIndex,
  type Analysis,
  type RegState,
  type Val,
} from './analysis';
import { TRAMPOLINE_SAVE_AREA, type StructFieldNames } from './annotate';
import type { DecodedInstruction } from './decode';
import { GUEST_REGS_RSP_OFFSET } from '../../../shared/model/guestRegs';

export interface LintContext {
  readonly role: CodeRole;
  readonly bufferSize: number;
  readonly target: TargetCapability;
  /** KTHREAD/EPROCESS field names on the target and on other builds (field-other-build). */
  readonly structFields?: StructFieldNames;
}

/** Debugger Mode instant events: a condition with its c3 fits in 100 bytes (spec §3.2). */
export const DEBUGGER_MODE_MAX_CONDITION_BYTES = 100;
/** Debugger Mode instant events: code plus script in 8192 bytes (spec §3.2). */
export const DEBUGGER_MODE_MAX_CODE_BYTES = 8192;

export const LINT_RULES = [
  'rcx-no-buffer',
  'regs-rsp-write',
  'buffer-overflow',
  'stack-above-return',
  'unbalanced-stack',
  'gs-1a4-wide-read',
  'rax-unset',
  'c3-appended',
  'stock-no-buffers',
  'stock-nx',
  'debugger-mode-size',
  'field-other-build',
] as const;
export type LintRule = (typeof LINT_RULES)[number];

const hex = (v: bigint | number) => {
  const b = BigInt(v);
  return b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`;
};

export function lint(
  decoded: readonly DecodedInstruction[],
  analysis: Analysis,
  lineOf: (index: number) => number | null,
  ctx: LintContext,
): AsmDiagnostic[] {
  const out: AsmDiagnostic[] = [];
  const add = (
    rule: LintRule,
    severity: AsmDiagnostic['severity'],
    index: number | null,
    message: string,
  ) => {
    const d = index === null ? undefined : decoded[index];
    out.push({
      severity,
      code: `lint/${rule}`,
      line: index === null ? null : lineOf(index),
      offset: d?.offset ?? null,
      message,
    });
  };
  const length = decoded.reduce((n, d) => Math.max(n, d.offset + d.length), 0);

  decoded.forEach((d, i) => {
    const s = analysis.before[i];
    if (s === undefined) return;
    const fired = new Set<LintRule>();
    const once = (rule: LintRule, message: string) => {
      if (fired.has(rule)) return;
      fired.add(rule);
      add(rule, 'warning', i, message);
    };
    const fields = ctx.structFields;
    const otherBuild = (type: 'KTHREAD' | 'EPROCESS', off: bigint) => {
      if (fields === undefined || fields.target === null || off === 0n) return;
      if (fields.onTarget(type, off) !== undefined) return;
      const other = fields.elsewhere(type, off);
      if (other === undefined) return;
      once(
        'field-other-build',
        `${type} + ${hex(off)} is ${other.path} on builds ${other.builds}, not on the target (${fields.target}): name the field (${other.path}) so its offset is resolved for each build`,
      );
    };
    const after = analysis.after[i];
    for (const r of d.gprWritten) {
      const v = after?.[regIndex(r)];
      const was = s[regIndex(r)];
      if (v?.k === 'struct' && !(was?.k === 'struct' && was.off === v.off && was.type === v.type))
        otherBuild(v.type, v.off);
    }
    for (const m of d.memory) {
      const a = addressOf(m, s);
      if (a.k === 'ptr' && a.base.k === 'struct' && a.off !== null) otherBuild(a.base.type, a.off);
      if (a.k === 'seg' && a.seg === 'gs' && a.off === GS_PROCESSOR_NUMBER && m.read && m.size > 2)
        once(
          'gs-1a4-wide-read',
          `gs:[0x1a4] is KPRCB.Number, a 16-bit field: this ${m.size}-byte read also takes the fields after it; use movzx eax, word ptr gs:[0x1a4] (docs/hyperdbg-v0.23.md §11.3)`,
        );
      if (a.k !== 'ptr') continue;
      const size = BigInt(Math.max(m.size, 1));
      if (a.base.k === 'buffer' && ctx.role === 'code' && ctx.bufferSize === 0)
        once(
          'rcx-no-buffer',
          'this dereferences RCX (the safe buffer), but the action requests no buffer: RCX is NULL (docs/hyperdbg-v0.23.md §3.5); set a buffer size',
        );
      if (!m.write || a.off === null) continue;
      const start = a.off;
      const end = a.off + size;
      if (
        a.base.k === 'regs' &&
        start < BigInt(GUEST_REGS_RSP_OFFSET + 8) &&
        end > BigInt(GUEST_REGS_RSP_OFFSET)
      )
        once(
          'regs-rsp-write',
          'writing Regs->rsp has no effect: nothing copies it back to the guest (docs/hyperdbg-v0.23.md §8); a script can set @rsp',
        );
      if (
        a.base.k === 'buffer' &&
        ctx.bufferSize > 0 &&
        (start < 0n || end > BigInt(ctx.bufferSize))
      )
        once(
          'buffer-overflow',
          `this writes buffer[${hex(start)}..${hex(end - 1n)}], outside the ${hex(ctx.bufferSize)}-byte safe buffer: that corrupts kernel pool memory`,
        );
      if (a.base.k === 'stack' && end > 0n)
        once(
          'stack-above-return',
          start < 8n
            ? 'this overwrites the return address (entry RSP): the trampoline reserves no shadow space (docs/hyperdbg-v0.23.md §8)'
            : `this writes above the return address (entry RSP${start >= 0n ? `+${hex(start)}` : hex(start)}): the ${TRAMPOLINE_SAVE_AREA} bytes there are the trampoline's saved registers, and there is no shadow space (docs/hyperdbg-v0.23.md §8)`,
        );
    }
    if (d.flow === 'return') checkReturn(s, i);
  });
  if (analysis.atEnd !== undefined) checkReturn(analysis.atEnd, null);

  function checkReturn(s: RegState, index: number | null) {
    const where = index === null ? 'at the end of the code' : 'here';
    const rsp = s[regIndex('rsp')] as Val;
    if (rsp.k === 'stack' && rsp.off !== 0n)
      add(
        'unbalanced-stack',
        'warning',
        index ?? lastIndex(),
        `RSP is entry RSP ${rsp.off < 0n ? '-' : '+'} ${hex(rsp.off < 0n ? -rsp.off : rsp.off)} ${where}: the return would jump to a wrong address; pop what was pushed`,
      );
    const rax = s[regIndex('rax')] as Val;
    if (rax.k !== 'entryRax' && rax.k !== 'partlyEntryRax') return;
    const notSet = rax.k === 'entryRax' ? 'RAX is not set' : 'RAX is not set on every path';
    if (ctx.role === 'condition')
      add(
        'rax-unset',
        'warning',
        index ?? lastIndex(),
        `${notSet} ${where}: whatever the trampoline left in it decides whether the actions run (RAX == 0 skips them, docs/hyperdbg-v0.23.md §8)`,
      );
    else if (ctx.bufferSize > 0 && ctx.target !== 'stock')
      add(
        'rax-unset',
        'warning',
        index ?? lastIndex(),
        `${notSet} ${where}: a target that returns buffers sends ${hex(ctx.bufferSize)} bytes from whatever address it holds (docs/hyperdbg-v0.23.md §5.7); clear it (xor eax, eax) to send nothing`,
      );
  }
  function lastIndex(): number | null {
    return decoded.length === 0 ? null : decoded.length - 1;
  }

  if (analysis.atEnd !== undefined && decoded.length > 0)
    add(
      'c3-appended',
      'note',
      decoded.length - 1,
      'execution can run past the last instruction: HyperDbg appends c3 (ret) to every block (docs/hyperdbg-v0.23.md §3.2), so it returns there',
    );
  if (ctx.target === 'stock') {
    if (ctx.role === 'code' && ctx.bufferSize > 0)
      add(
        'stock-no-buffers',
        'warning',
        null,
        'stock HyperDbg v0.23 ignores the RAX of custom code and returns no buffer (docs/hyperdbg-v0.23.md §5.2): no records will come; use a log action (docs/buffer-records.md §2)',
      );
    add(
      'stock-nx',
      'warning',
      null,
      `stock HyperDbg v0.23 allocates ${ctx.role === 'code' ? 'custom' : 'condition'} code in non-executable pool, so it probably cannot run (docs/hyperdbg-v0.23.md §5.6); test on a VM first`,
    );
  }
  const limit =
    ctx.role === 'condition' ? DEBUGGER_MODE_MAX_CONDITION_BYTES : DEBUGGER_MODE_MAX_CODE_BYTES;
  if (length + 1 > limit)
    add(
      'debugger-mode-size',
      'warning',
      null,
      `${length} bytes plus the appended c3 exceed the ${limit} bytes Debugger Mode takes for ${ctx.role === 'condition' ? 'a condition' : 'code'} without 'prealloc' (docs/hyperdbg-v0.23.md §3.2); VMI mode is fine`,
    );
  return out;
}
