// Listing lines in the seed document's style (offset, bytes, instruction, `<Label>` on branch
// targets) plus the c3 HyperDbg appends, and their plain-text rendering for the CLI. Host side,
// pure.
import type { ListingLine } from '../../../shared/model/actionAssembly';
import type { DecodedInstruction } from './decode';

export interface ListingInput {
  readonly decoded: readonly DecodedInstruction[];
  readonly annotations: readonly (readonly string[])[];
  /** Offset -> label name. */
  readonly labels: ReadonlyMap<number, string>;
  readonly sourceLineOf: (index: number) => number | null;
  /** Annotations of the appended c3; null when execution never reaches it. */
  readonly endNotes: readonly string[] | null;
}

export function buildListing(input: ListingInput): ListingLine[] {
  const lines: ListingLine[] = input.decoded.map((d, i) => {
    const target =
      d.branchTarget === null
        ? null
        : { offset: d.branchTarget, label: input.labels.get(d.branchTarget) ?? null };
    return {
      offset: d.offset,
      bytes: spacedHex(d.bytes),
      text: target?.label != null ? `${d.text} <${target.label}>` : d.text,
      label: input.labels.get(d.offset) ?? null,
      target,
      sourceLine: input.sourceLineOf(i),
      annotations: input.annotations[i] ?? [],
      appended: false,
    };
  });
  const last = input.decoded[input.decoded.length - 1];
  const end = last === undefined ? 0 : last.offset + last.length;
  lines.push({
    offset: end,
    bytes: 'c3',
    text: 'ret',
    label: input.labels.get(end) ?? null,
    target: null,
    sourceLine: null,
    annotations: [
      'appended by HyperDbg to every code and condition block (docs/hyperdbg-v0.23.md §3.2)',
      ...(input.endNotes ?? ['not reached']),
    ],
    appended: true,
  });
  return lines;
}

export function spacedHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** Bytes per listing row: objdump's (and so the seed's) width. */
const BYTES_PER_ROW = 7;
const OFFSET_WIDTH = 4;
const BYTES_WIDTH = BYTES_PER_ROW * 3 + 3;

/**
 * The seed's listing format: `0:  48 8b 5a 40             mov    rbx,QWORD PTR [rdx+0x40]`,
 * long instructions continuing on a second row, labels as `000000000000000f <ChangeIt>:`, then
 * `; annotations` when asked for.
 */
export function formatListing(lines: readonly ListingLine[], withAnnotations = true): string {
  const out: string[] = [];
  for (const l of lines) {
    if (l.label !== null) out.push(`${l.offset.toString(16).padStart(16, '0')} <${l.label}>:`);
    const bytes = l.bytes.split(' ');
    const rows: string[][] = [];
    for (let i = 0; i < bytes.length; i += BYTES_PER_ROW)
      rows.push(bytes.slice(i, i + BYTES_PER_ROW));
    rows.forEach((row, r) => {
      const offset = `${(l.offset + r * BYTES_PER_ROW).toString(16)}:`.padEnd(OFFSET_WIDTH);
      const hexPart = row.join(' ');
      if (r === 0) {
        const notes =
          withAnnotations && l.annotations.length > 0 ? `    ; ${l.annotations.join('; ')}` : '';
        const text = l.appended ? `${l.text}  (appended by HyperDbg)` : l.text;
        out.push(`${offset}${hexPart.padEnd(BYTES_WIDTH)}${text}${l.appended ? '' : notes}`);
        if (l.appended && withAnnotations)
          for (const n of l.annotations.slice(1))
            out.push(`${''.padEnd(OFFSET_WIDTH + BYTES_WIDTH)}; ${n}`);
      } else out.push(`${offset}${hexPart}`);
    });
  }
  return out.join('\n');
}
