// The assembler as the contract and the CLI use it: source -> verified bytes, an annotated
// listing and lint diagnostics; bytes -> an annotated listing and source that assembles back to
// them. Host side.
import type {
  AsmDiagnostic,
  AssemblyResult,
  CodeRole,
  DisassemblyResult,
  FieldResolution,
} from '../../../shared/model/actionAssembly';
import type { TargetCapability } from '../../../shared/model/actionTarget';
import type { EventKind } from '../../../shared/model/eventKinds';
import {
  describeEnvironment,
  originText,
  REFERENCE_BUILD,
  resolveFieldPath,
  tableEnvironment,
  type FieldEnvironment,
} from '../../../shared/model/knownBuilds';
import { loadKnownBuilds } from '../target/knownBuildsFile';
import { analyze } from './analysis';
import { annotateInstructions, returnNote, structFieldNames } from './annotate';
import { assembleSource, type AssembleOptions } from './assembler';
import { decodeAll, type DecodedInstruction } from './decode';
import { loadEngines, type Engines } from './engines';
import { lint } from './lint';
import { buildListing } from './listing';

export interface AsmContext {
  readonly role: CodeRole;
  readonly eventKind: EventKind | null;
  readonly bufferSize: number;
  readonly target: TargetCapability;
  /**
   * The target symbolic structure fields resolve for (its build, its symbols); the reference
   * build's table entry when absent (what a saved action's stored bytes use).
   */
  readonly fields?: FieldEnvironment;
}

/** Fields resolved from the table for the reference build: what saved bytes are assembled for. */
export function referenceEnvironment(): FieldEnvironment {
  return {
    ...tableEnvironment(
      loadKnownBuilds(),
      REFERENCE_BUILD,
      'the reference build for saved bytes (binding resolves for the target)',
    ),
    reference: true,
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 } as const;

function sortDiagnostics(ds: AsmDiagnostic[]): AsmDiagnostic[] {
  return ds.sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/** Assembles with engines already loaded (the benchmark and batch callers use this). */
export function assembleWith(
  engines: Engines,
  source: string,
  ctx: AsmContext,
  options: AssembleOptions = {},
): AssemblyResult {
  const env = ctx.fields ?? referenceEnvironment();
  const a = assembleSource(engines, source, {
    ...options,
    fields: options.fields ?? ((path) => resolveFieldPath(env, path)),
  });
  const diagnostics = [...a.diagnostics];
  const syntaxFailed = a.diagnostics.some((d) => d.code === 'syntax' || d.code === 'keystone');
  if (!syntaxFailed && a.lines.length === 0 && a.ok)
    diagnostics.push({
      severity: 'error',
      code: 'empty',
      line: null,
      offset: null,
      message: `there are no instructions: HyperDbg ignores an empty ${ctx.role} {} block (docs/hyperdbg-v0.23.md §3.2)`,
    });
  const decoded = a.lines.map((l) => l.decoded);
  const labels = new Map<number, string>();
  for (const [name, offset] of a.labels) if (!labels.has(offset)) labels.set(offset, name);
  const fields: FieldResolution[] = a.fields.map((u) => ({
    line: u.line,
    path: u.field.path,
    value: u.field.value,
    origin: u.field.origin.kind,
    originText: originText(u.field.origin),
  }));
  const listing = annotatedListing(
    decoded,
    ctx,
    env,
    labels,
    (i) => a.lines[i]?.line ?? null,
    diagnostics,
  ).map((l) => {
    const here = l.sourceLine === null ? [] : fields.filter((f) => f.line === l.sourceLine);
    return here.length === 0
      ? l
      : {
          ...l,
          annotations: [
            ...here.map((f) => `${f.path} = 0x${f.value.toString(16)} (${f.originText})`),
            ...l.annotations,
          ],
        };
  });
  const ok = !diagnostics.some((d) => d.severity === 'error');
  const bytesHex = ok ? hexUpper(a.bytes) : '';
  return {
    ok,
    bytesHex,
    length: ok ? a.bytes.length : 0,
    listing,
    diagnostics: sortDiagnostics(diagnostics),
    fields,
    resolvedFor: fields.length > 0 ? describeEnvironment(env) : null,
  };
}

export async function assembleAction(
  source: string,
  ctx: AsmContext,
  options: AssembleOptions = {},
): Promise<AssemblyResult> {
  return assembleWith(await loadEngines(), source, ctx, options);
}

export async function disassembleAction(
  bytes: Uint8Array,
  ctx: AsmContext,
): Promise<DisassemblyResult> {
  const engines = await loadEngines();
  const decoded = decodeAll(engines.iced, bytes, { withSource: true });
  const diagnostics: AsmDiagnostic[] = [];
  for (const d of decoded)
    if (d.invalid)
      diagnostics.push({
        severity: 'error',
        code: 'decode',
        line: null,
        offset: d.offset,
        message: `the bytes at 0x${d.offset.toString(16)} (${hexUpper(d.bytes)}) are not a valid instruction`,
      });
  // Branch targets inside the code get labels, so the listing and the source can name them.
  const labels = new Map<number, string>();
  for (const d of decoded)
    if (d.branchTarget !== null && d.branchTarget >= 0 && d.branchTarget <= bytes.length)
      labels.set(d.branchTarget, `L_${d.branchTarget.toString(16)}`);
  const listing = annotatedListing(
    decoded,
    ctx,
    ctx.fields ?? null,
    labels,
    () => null,
    diagnostics,
  );
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return {
    ok,
    length: bytes.length,
    listing,
    diagnostics: sortDiagnostics(diagnostics),
    source: ok ? reassemblingSource(engines, decoded, labels, bytes) : null,
  };
}

function annotatedListing(
  decoded: readonly DecodedInstruction[],
  ctx: AsmContext,
  env: FieldEnvironment | null,
  labels: ReadonlyMap<number, string>,
  sourceLineOf: (i: number) => number | null,
  diagnostics: AsmDiagnostic[],
) {
  if (decoded.length === 0 || decoded.some((d) => d.invalid))
    return buildListing({ decoded, annotations: [], labels, sourceLineOf, endNotes: null });
  const analysis = analyze(decoded, { role: ctx.role });
  const actx = { ...ctx, structFields: structFieldNames(env) };
  const annotations = annotateInstructions(decoded, analysis, actx);
  diagnostics.push(...lint(decoded, analysis, sourceLineOf, actx));
  return buildListing({
    decoded,
    annotations,
    labels,
    sourceLineOf,
    endNotes: analysis.atEnd === undefined ? null : [returnNote(analysis.atEnd, actx)],
  });
}

/** Source text for decoded bytes; null unless it assembles back to exactly those bytes. */
function reassemblingSource(
  engines: Engines,
  decoded: readonly DecodedInstruction[],
  labels: ReadonlyMap<number, string>,
  bytes: Uint8Array,
): string | null {
  const lines: string[] = [];
  for (const d of decoded) {
    const label = labels.get(d.offset);
    if (label !== undefined) lines.push(`${label}:`);
    const src = d.source;
    if (src === null) return null;
    const operands = src.operands.map((text, k) => {
      const op = d.operands[k];
      return op?.kind === 'branch' && d.branchTarget !== null
        ? (labels.get(d.branchTarget) ?? text)
        : text;
    });
    lines.push(operands.length === 0 ? src.mnemonic : `${src.mnemonic} ${operands.join(', ')}`);
  }
  const endLabel = labels.get(bytes.length);
  if (endLabel !== undefined) lines.push(`${endLabel}:`);
  const source = lines.join('\n');
  const back = assembleSource(engines, source);
  return back.ok && hexUpper(back.bytes) === hexUpper(bytes) ? source : null;
}

export function hexUpper(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s.toUpperCase();
}
