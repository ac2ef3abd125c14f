// A dry run's raw result (what the simulator traced) turned into the report a user reads: each
// memory access with its instruction, source line and meaning, the changes to the guest's
// registers, the returned record decoded by the schema with decode-sanity flags, warnings and a
// short summary; and the same as plain text for the CLI. Host side, pure.
import type {
  DryRunAccess,
  DryRunReport,
  DryRunRun,
  DryRunSampleReport,
} from '../../../shared/contract/target';
import type { FieldResolution, ListingLine } from '../../../shared/model/actionAssembly';
import type { BufferSchema } from '../../../shared/model/bufferSchema';
import { decodeRecord } from '../../../shared/model/bufferSchemaDecode';
import type { DryRunResult, WireRun } from '../../../shared/model/dryRunWire';
import type { EventKind } from '../../../shared/model/eventKinds';
import { GUEST_REG_NAMES, GUEST_REGS_RSP_OFFSET } from '../../../shared/model/guestRegs';
import { fieldProblem } from '../../../shared/log/decodeSanity';
import { formatListing } from '../asm/listing';

export interface ReportInput {
  readonly actionName: string;
  readonly eventKind: EventKind;
  readonly args: readonly string[];
  readonly resolvedFor: string;
  readonly fields: readonly FieldResolution[];
  readonly codeListing: readonly ListingLine[];
  readonly conditionListing: readonly ListingLine[];
  readonly bufferSchema: BufferSchema;
  readonly warnings: readonly string[];
  readonly raw: DryRunResult;
}

/** The listing annotation describing a memory operand (`[rax+0xb8] = ...`), if there is one. */
function memoryMeaning(line: ListingLine | undefined): string | null {
  const a = line?.annotations.find((x) => /^(?:[a-z]s:)?\[/.test(x));
  return a === undefined ? null : a.slice(a.indexOf('=') + 1).trim() || null;
}

function run(w: WireRun, listing: readonly ListingLine[]): DryRunRun {
  const byOffset = new Map(listing.map((l) => [l.offset, l]));
  const accesses: DryRunAccess[] = w.accesses.map((a) => {
    const l = a.offset === null ? undefined : byOffset.get(a.offset);
    return {
      offset: a.offset,
      line: l?.sourceLine ?? null,
      instruction: l?.text ?? null,
      kind: a.kind,
      faultType: a.faultType,
      address: a.address,
      size: a.size,
      value: a.value,
      region: a.region,
      meaning: memoryMeaning(l),
    };
  });
  return {
    outcome: w.outcome,
    rax: w.rax,
    error: w.error,
    rip: w.rip,
    steps: w.executed.length,
    accesses,
    truncated: w.truncated,
  };
}

export function buildDryRunReport(input: ReportInput): DryRunReport {
  const { raw } = input;
  const samples: DryRunSampleReport[] = raw.samples.map((s) => {
    const regsChanged = s.regs.flatMap((before, i) => {
      const after = s.regsAfter[i] as string;
      if (after === before) return [];
      const reg = GUEST_REG_NAMES[i] as string;
      return [
        {
          reg,
          before,
          after,
          note:
            i * 8 === GUEST_REGS_RSP_OFFSET
              ? 'not written back: the guest RSP does not change (custom code cannot move it)'
              : `the guest's ${reg} becomes 0x${after} when it resumes`,
        },
      ];
    });
    let record: DryRunSampleReport['record'] = null;
    if (s.record !== null) {
      const bytes = Uint8Array.from(Buffer.from(s.record.bytes, 'hex'));
      const decoded = decodeRecord(input.bufferSchema, bytes);
      record = {
        hex: decoded.hex,
        fields: decoded.fields.map((f) => ({
          name: f.name,
          display: f.display,
          problem: fieldProblem(f),
        })),
      };
    }
    return {
      occurrence: s.occurrence,
      core: s.core,
      context: s.context,
      condition: s.condition === null ? null : run(s.condition, input.conditionListing),
      code: s.code === null ? null : run(s.code, input.codeListing),
      regsChanged,
      record,
      recordNote: s.recordNote,
    };
  });
  const report = {
    actionName: input.actionName,
    eventKind: input.eventKind,
    args: [...input.args],
    build: raw.build,
    resolvedFor: input.resolvedFor,
    layout: raw.layout,
    fields: input.fields,
    listing: input.codeListing,
    warnings: input.warnings,
    samples,
    summary: summarize(samples),
  };
  return { ...report, text: formatDryRunReport(report) };
}

function summarize(samples: readonly DryRunSampleReport[]): string[] {
  const out: string[] = [];
  const runs = samples
    .flatMap((s) => [s.condition, s.code])
    .filter((r): r is DryRunRun => r !== null);
  const reads = new Set<string>();
  const writes = new Set<string>();
  for (const r of runs)
    for (const a of r.accesses)
      if (a.kind === 'read') reads.add(a.region.replace(/ \+ 0x[0-9a-f]+.*$/, ''));
      else if (a.kind === 'write') writes.add(a.region.replace(/ \+ 0x[0-9a-f]+.*$/, ''));
  const faults = runs.filter((r) => r.outcome !== 'returned');
  out.push(
    `${samples.length} sample event${samples.length === 1 ? '' : 's'}: ${faults.length === 0 ? 'every run returned' : `${faults.length} run(s) did not return (${[...new Set(faults.map((f) => f.error ?? 'runaway'))].join(', ')}): on a real system that is a bug check`}`,
  );
  out.push(
    `reads ${reads.size === 0 ? 'nothing' : [...reads].slice(0, 6).join('; ')}; writes ${writes.size === 0 ? 'nothing' : [...writes].slice(0, 6).join('; ')}`,
  );
  const changed = new Set(samples.flatMap((s) => s.regsChanged.map((r) => r.reg)));
  if (changed.size > 0) out.push(`changes the guest's ${[...changed].join(', ')}`);
  const recs = samples.filter((s) => s.record !== null);
  if (recs.length > 0) {
    const names = recs[0]?.record?.fields.map((f) => f.name) ?? [];
    for (const name of names) {
      const values = recs.map((s) => s.record?.fields.find((f) => f.name === name)?.display ?? '');
      const bad = recs.filter(
        (s) => s.record?.fields.find((f) => f.name === name)?.problem != null,
      ).length;
      out.push(
        `${name}: ${values.map((v) => (v === '' ? '(blank)' : v)).join(', ')}${bad * 4 >= recs.length * 3 ? ` -- ${bad} of ${recs.length} blank, zero or invalid: offsets for another Windows build?` : ''}`,
      );
    }
  } else {
    const note = samples.find((s) => s.recordNote !== null)?.recordNote;
    if (note != null) out.push(`no record: ${note}`);
  }
  return out;
}

/** The report as text: what `asm --dry-run` prints. */
export function formatDryRunReport(r: Omit<DryRunReport, 'text'>): string {
  const lines: string[] = [];
  lines.push(
    `dry run of '${r.actionName}' on ${r.eventKind}${r.args.length > 0 ? ` ${r.args.join(' ')}` : ''}: Windows build ${r.build}, ${r.layout}`,
  );
  lines.push(`fields resolved for ${r.resolvedFor}`);
  for (const f of r.fields)
    lines.push(`  line ${f.line}: ${f.path} = 0x${f.value.toString(16)} (${f.originText})`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push('');
  lines.push(formatListing(r.listing));
  r.samples.forEach((s, i) => {
    lines.push('');
    lines.push(`sample ${i + 1}: ${s.occurrence} (core ${s.core}, Context 0x${s.context})`);
    const show = (what: string, run: DryRunRun | null) => {
      if (run === null) return;
      const end =
        run.outcome === 'returned'
          ? `returned rax = 0x${run.rax ?? '?'}`
          : run.outcome === 'fault'
            ? `FAULTED (${run.error ?? '?'}) at 0x${run.rip ?? '?'}`
            : `did not return (runaway) at 0x${run.rip ?? '?'}`;
      lines.push(`  ${what}: ${run.steps} instruction(s), ${end}`);
      for (const a of run.accesses) {
        const at = a.offset === null ? 'outside the code' : `+0x${a.offset.toString(16)}`;
        const val = a.value === null ? '' : ` = 0x${a.value}`;
        const kind = a.kind === 'fault' ? `FAULT ${a.faultType ?? ''}` : a.kind;
        lines.push(
          `    ${at.padEnd(6)} ${kind} ${a.size}B @ ${a.address}${val}  ${a.region}${a.meaning !== null ? `  [${a.meaning}]` : ''}`,
        );
      }
      if (run.truncated) lines.push('    ... (more accesses not shown)');
    };
    show('condition', s.condition);
    if (s.condition !== null && s.code === null) lines.push('  the condition skipped the actions');
    show('code', s.code);
    for (const c of s.regsChanged)
      lines.push(`  Regs->${c.reg}: 0x${c.before} -> 0x${c.after} (${c.note ?? ''})`);
    if (s.record !== null) {
      lines.push(`  record: ${s.record.hex}`);
      for (const f of s.record.fields)
        lines.push(
          `    ${f.name} = ${f.display === '' ? '(blank)' : f.display}${f.problem !== null ? `  <- ${f.problem}` : ''}`,
        );
    } else if (s.recordNote !== null) lines.push(`  no record: ${s.recordNote}`);
  });
  lines.push('');
  lines.push('summary:');
  for (const s of r.summary) lines.push(`  ${s}`);
  return `${lines.join('\n')}\n`;
}
