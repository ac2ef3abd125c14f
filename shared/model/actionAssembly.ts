// What assembling or disassembling an action's code produces: bytes, a listing in the seed
// document's style with annotations, and diagnostics tied to source lines. Types only, shared by
// the contract and the host's assembler. Pure.

/** Custom code (RCX = buffer, RDX = GUEST_REGS, R8 = Context) or condition code (spec §8). */
export const CODE_ROLES = ['code', 'condition'] as const;
export type CodeRole = (typeof CODE_ROLES)[number];

export type DiagnosticSeverity = 'error' | 'warning' | 'note';

export interface AsmDiagnostic {
  readonly severity: DiagnosticSeverity;
  /** Stable identifier the UI can branch on: `syntax`, `keystone`, `verify`, `lint/<rule>`. */
  readonly code: string;
  /** 1-based source line, or null when the problem is not on one line. */
  readonly line: number | null;
  /** Offset of the instruction concerned in the bytes, when there is one. */
  readonly offset: number | null;
  readonly message: string;
}

export interface ListingLine {
  readonly offset: number;
  /** The instruction's bytes, lower-case hex pairs separated by spaces, as the seed shows them. */
  readonly bytes: string;
  /** Intel syntax as the seed's listings show it: `mov    rbx,QWORD PTR [rdx+0x40]`. */
  readonly text: string;
  /** Label defined at this offset (from the source, or generated for a branch target). */
  readonly label: string | null;
  /** For a direct branch: where it goes. */
  readonly target: { readonly offset: number; readonly label: string | null } | null;
  readonly sourceLine: number | null;
  /** What the operands mean: `[rdx+0x40] = Regs->r8`, `r8 = Context: syscall number`. */
  readonly annotations: readonly string[];
  /** The `c3` HyperDbg appends to every code and condition block (spec §3.2). */
  readonly appended: boolean;
}

/** A structure field the source names (`EPROCESS.ImageFileName`) and the offset it became. */
export interface FieldResolution {
  readonly line: number;
  readonly path: string;
  readonly value: number;
  /** Where the value came from: the target's symbols (`dt ...`) or the table of known builds. */
  readonly origin: 'symbols' | 'table';
  /** The same in words, with the build and sources (`table: Windows 10 2004 (build 19041), ...`). */
  readonly originText: string;
}

export interface AssemblyResult {
  /** No error diagnostics: `bytesHex` is what the source means. */
  readonly ok: boolean;
  /** Upper-case hex without spaces, as a `code {}` block takes it; empty when not ok. */
  readonly bytesHex: string;
  readonly length: number;
  readonly listing: readonly ListingLine[];
  readonly diagnostics: readonly AsmDiagnostic[];
  /** Structure fields named in the source, resolved for `resolvedFor`. Absent in old answers. */
  readonly fields?: readonly FieldResolution[];
  /** The target the fields were resolved for, in words (`Windows 10 1909 (build 18363), ...`). */
  readonly resolvedFor?: string | null;
}

export interface DisassemblyResult {
  readonly ok: boolean;
  readonly length: number;
  readonly listing: readonly ListingLine[];
  readonly diagnostics: readonly AsmDiagnostic[];
  /** Source that assembles back to the same bytes (labels for branch targets), when it does. */
  readonly source: string | null;
}
