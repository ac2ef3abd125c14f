// Export formats of the live log: JSON lines (typed decoded fields, bytes as hex) and CSV that a
// spreadsheet opens safely (RFC 4180 quoting; cells that would start a formula are defused with a
// leading apostrophe, as OWASP's CSV-injection advice says). Pure.
import type { DecodedRecord, FieldValue } from '../model/bufferSchemaDecode';
import type { RecordRowBase } from './recordRow';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What one exported record holds. */
export interface ExportRecord extends RecordRowBase {
  readonly actionId: string | null;
  readonly actionName: string | null;
  /** The whole payload, lower-case hex. */
  readonly hex: string;
  /** The schema's decoding, or null when no schema explains the record. */
  readonly decoded: DecodedRecord | null;
}

/** Characters a spreadsheet reads as the start of a formula (and DDE payloads). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** One CSV cell: formula starts defused, then quoted when it holds a comma, quote or newline. */
export function csvCell(value: string): string {
  let s = value;
  const first = s.trimStart()[0];
  if ((first !== undefined && FORMULA_START.has(first)) || FORMULA_START.has(s[0] ?? ''))
    s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line with CRLF, as RFC 4180 says. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_FIXED_COLUMNS = [
  'seq',
  'time',
  'generation',
  'event',
  'core',
  'context',
  'action',
  'length',
] as const;

/** The header: fixed columns, then one column per decoded field name, then the bytes. */
export function csvHeader(fieldNames: readonly string[]): string {
  return csvLine([...CSV_FIXED_COLUMNS, ...fieldNames, 'hex']);
}

/** One record as a CSV line under `csvHeader(fieldNames)`: fields it lacks are empty cells. */
export function csvRecord(r: ExportRecord, fieldNames: readonly string[]): string {
  const byName = new Map<string, string>();
  for (const f of r.decoded?.fields ?? []) if (!f.missing) byName.set(f.name, f.display);
  return csvLine([
    String(r.seq),
    new Date(r.receivedAt).toISOString(),
    String(r.generation),
    r.eventId.toString(16),
    String(r.core),
    `0x${r.context}`,
    r.actionName ?? '',
    String(r.length),
    ...fieldNames.map((n) => byName.get(n) ?? ''),
    r.hex,
  ]);
}

/** A decoded value in JSON: numbers stay numbers, 64-bit values become their shown text. */
function jsonValue(value: FieldValue, display: string): string | number | null {
  if (value === null) return null;
  if (typeof value === 'bigint') return display;
  return value;
}

/** One record as a JSON line (with the trailing newline). */
export function jsonlRecord(r: ExportRecord): string {
  const fields: [string, string | number | null][] = [];
  for (const f of r.decoded?.fields ?? [])
    fields.push([f.name, f.missing ? null : jsonValue(f.value, f.display)]);
  return `${JSON.stringify({
    seq: r.seq,
    time: new Date(r.receivedAt).toISOString(),
    receivedAt: r.receivedAt,
    generation: r.generation,
    eventId: r.eventId.toString(16),
    core: r.core,
    context: `0x${r.context}`,
    action: r.actionId === null ? null : { id: r.actionId, name: r.actionName },
    length: r.length,
    hex: r.hex,
    // fromEntries defines own properties, so no field name can reach a prototype.
    fields: r.decoded === null ? null : Object.fromEntries(fields),
  })}\n`;
}
