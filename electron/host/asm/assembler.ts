// Source to bytes: parse, hand Keystone the canonical text (absolute operands in SIB form),
// decode the result with iced-x86 and compare it with the source line by line. Errors name the
// source line: Keystone's own errors are located by assembling the lines one at a time.
// Host side.
import type { AsmDiagnostic } from '../../../shared/model/actionAssembly';
import { decodeAll, type DecodedInstruction } from './decode';
import type { Engines } from './engines';
import { hexLiteral } from './expression';
import {
  canonicalText,
  parseSource,
  type AbsoluteForm,
  type FieldResolver,
  type FieldUse,
  type Instruction,
  type SourceLine,
} from './sourceParser';
import { verifyInstruction } from './verify';

export interface AssembledLine {
  readonly line: number;
  readonly instruction: Instruction;
  /** The text Keystone was given for this line. */
  readonly canonical: string;
  readonly decoded: DecodedInstruction;
}

export interface Assembled {
  readonly ok: boolean;
  readonly bytes: Uint8Array;
  /** One entry per instruction line, in order (empty unless Keystone's output decoded). */
  readonly lines: readonly AssembledLine[];
  /** Label (as defined) -> offset. */
  readonly labels: ReadonlyMap<string, number>;
  readonly diagnostics: readonly AsmDiagnostic[];
  /** The structure fields the source names and the offsets they resolved to. */
  readonly fields: readonly FieldUse[];
}

export interface AssembleOptions {
  /** Only tests change this, to show what verification catches (see sourceParser.ts). */
  readonly absoluteForm?: AbsoluteForm;
  /** Resolves symbolic structure fields for the target; without it they are errors. */
  readonly fields?: FieldResolver;
}

const KEYSTONE_PREFIX = /^Failed to assemble, error:\s*/;

export function assembleSource(
  engines: Engines,
  source: string,
  options: AssembleOptions = {},
): Assembled {
  const parsed = parseSource(source, options.fields);
  const empty = {
    ok: false,
    bytes: new Uint8Array(0),
    lines: [],
    labels: new Map(),
    fields: parsed.fields,
  } as const;
  const spelling = new Map<string, string>();
  for (const l of parsed.lines) if (l.label !== null) spelling.set(l.label.toLowerCase(), l.label);
  const spell = (n: string) => spelling.get(n.toLowerCase()) ?? n;
  const absolute = options.absoluteForm ?? 'sib';
  if (parsed.errors.length > 0) {
    // Report every problem at once: the lines this parser refused, and those Keystone refuses.
    const refused = new Set(parsed.errors.map((e) => e.line));
    const rest = parsed.lines.filter((l) => !refused.has(l.line));
    return {
      ...empty,
      diagnostics: [
        ...parsed.errors.map((e) => error('syntax', e.line, null, e.message)),
        ...perLineErrors(engines, rest, parsed.lines, spell, absolute),
      ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    };
  }
  const instructionLines = parsed.lines.filter(
    (l): l is SourceLine & { instruction: Instruction } => l.instruction !== null,
  );
  const program = parsed.lines
    .flatMap((l) => [
      ...(l.label !== null ? [`${l.label}:`] : []),
      ...(l.instruction !== null ? [canonicalText(l.instruction, spell, absolute)] : []),
    ])
    .join('\n');

  let bytes: Uint8Array;
  try {
    bytes = instructionLines.length === 0 ? new Uint8Array(0) : engines.keystone.asm(program);
  } catch (e) {
    return {
      ...empty,
      diagnostics: locateKeystoneErrors(engines, parsed.lines, spell, absolute, e),
    };
  }

  const decoded = decodeAll(engines.iced, bytes);
  const diagnostics: AsmDiagnostic[] = [];
  if (decoded.length !== instructionLines.length) {
    // Report at the first line whose instruction does not match; the counts say the rest.
    diagnostics.push(
      error(
        'verify',
        instructionLines[Math.min(decoded.length, instructionLines.length) - 1]?.line ?? null,
        null,
        `Keystone's output decodes as ${decoded.length} instruction(s) for ${instructionLines.length} line(s)`,
      ),
    );
  }

  // Labels sit at the offset of the next instruction (or the end of the code).
  const labels = new Map<string, number>();
  const labelOffsets = new Map<string, number>();
  let k = 0;
  for (const l of parsed.lines) {
    const offset = decoded[k]?.offset ?? bytes.length;
    if (l.label !== null) {
      labels.set(l.label, offset);
      labelOffsets.set(l.label.toLowerCase(), offset);
    }
    if (l.instruction !== null) k++;
  }

  const lines: AssembledLine[] = [];
  instructionLines.forEach((l, i) => {
    const d = decoded[i];
    if (d === undefined) return;
    lines.push({
      line: l.line,
      instruction: l.instruction,
      canonical: canonicalText(l.instruction, spell, absolute),
      decoded: d,
    });
    const problem = verifyInstruction(l.instruction, d, {
      labelOffset: (n) => labelOffsets.get(n),
    });
    if (problem !== undefined)
      diagnostics.push(
        error(
          'verify',
          l.line,
          d.offset,
          `${problem}; the bytes would not do what line ${l.line} says, so they are refused`,
        ),
      );
    for (const op of l.instruction.operands) {
      // The code runs at an unknown address: a numeric target is an offset into the code, and
      // only 0..length (the end is HyperDbg's appended ret) is inside it.
      if (
        op.kind === 'branch' &&
        op.target !== null &&
        (op.target < 0n || op.target > BigInt(bytes.length))
      )
        diagnostics.push(
          error(
            'branch-outside',
            l.line,
            d.offset,
            `the branch target ${hexLiteral(op.target)} is outside the code (0x0..${hexLiteral(BigInt(bytes.length))})`,
          ),
        );
    }
  });
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return {
    ok,
    bytes: ok ? bytes : new Uint8Array(0),
    lines,
    labels,
    diagnostics,
    fields: parsed.fields,
  };
}

/** Keystone says what failed but not where: assemble each line alone to find out. */
function locateKeystoneErrors(
  engines: Engines,
  lines: readonly SourceLine[],
  spell: (n: string) => string,
  absolute: AbsoluteForm,
  whole: unknown,
): AsmDiagnostic[] {
  const out = perLineErrors(engines, lines, lines, spell, absolute);
  if (out.length > 0) return out;
  // Every line assembles alone, so the problem is between lines: a branch out of reach. Only
  // loop/jrcxz/jecxz have no long form; otherwise the first prefix that fails names the line.
  const short = lines.filter(
    (l) => l.instruction !== null && REL8_ONLY.test(l.instruction.mnemonic),
  );
  if (short.length > 0)
    return short.map((l) =>
      error(
        'keystone',
        l.line,
        null,
        `${keystoneMessage(whole)}: '${l.instruction?.mnemonic}' reaches only 127 bytes either way; check its target ('${l.text}')`,
      ),
    );
  for (let k = 1; k <= lines.length; k++) {
    const prefix = lines.slice(0, k);
    const defined = new Set(prefix.filter((l) => l.label !== null).map((l) => l.label));
    const text = [
      ...prefix.flatMap((l) => [
        ...(l.label !== null ? [`${l.label}:`] : []),
        ...(l.instruction !== null ? [canonicalText(l.instruction, spell, absolute)] : []),
      ]),
      ...lines.filter((l) => l.label !== null && !defined.has(l.label)).map((l) => `${l.label}:`),
    ].join('\n');
    try {
      engines.keystone.asm(text);
    } catch (e) {
      const l = lines[k - 1] as SourceLine;
      return [error('keystone', l.line, null, `${keystoneMessage(e)} ('${l.text}')`)];
    }
  }
  return [error('keystone', null, null, keystoneMessage(whole))];
}

/** Keystone's verdict on each line alone (with every label defined, so references resolve). */
function perLineErrors(
  engines: Engines,
  lines: readonly SourceLine[],
  all: readonly SourceLine[],
  spell: (n: string) => string,
  absolute: AbsoluteForm,
): AsmDiagnostic[] {
  const allLabels = all.filter((l) => l.label !== null).map((l) => `${l.label}:`);
  const out: AsmDiagnostic[] = [];
  for (const l of lines) {
    if (l.instruction === null) continue;
    try {
      engines.keystone.asm(
        [canonicalText(l.instruction, spell, absolute), ...allLabels].join('\n'),
      );
    } catch (e) {
      out.push(error('keystone', l.line, null, `${keystoneMessage(e)} ('${l.text}')`));
    }
  }
  return out;
}

/** Branches with only an 8-bit displacement. */
const REL8_ONLY = /^(loop(n?[ez])?|j[er]?cxz)$/;

function keystoneMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(KEYSTONE_PREFIX, 'Keystone: ');
}

function error(
  code: string,
  line: number | null,
  offset: number | null,
  message: string,
): AsmDiagnostic {
  return { severity: 'error', code, line, offset, message };
}
