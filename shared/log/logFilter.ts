// The live log's filter: which records a view shows (by event, core, action, decoded field value,
// free text), its zod schema for the contract, and the in-memory test the host applies to new
// records. The store's SQL applies the same rules to stored records. Pure.
import { z } from 'zod';
import { MAX_FIELD_NAME_LENGTH } from '../model/bufferSchema';

/** Enough to pick every event of a busy session; more is a hostile input, not a filter. */
export const MAX_FILTER_EVENTS = 64;
export const MAX_FILTER_CORES = 64;
export const MAX_FILTER_ACTIONS = 32;
/** Field conditions are ANDed; more than a handful is never what a person types. */
export const MAX_FILTER_FIELDS = 8;
/** A value or search text: long enough for any decoded string, short enough to log. */
export const MAX_FILTER_TEXT = 256;

const U32_MAX = 0xffffffff;

export const FIELD_OPS = ['equals', 'contains'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

export interface EventKey {
  /** The CLI process the event lives in: ids restart at 0 in a new process (spec §2.4). */
  readonly generation: number;
  readonly eventId: number;
}

export interface FieldCondition {
  /** A buffer schema field name, as decoded columns show it (case-sensitive). */
  readonly field: string;
  /**
   * `equals`: the decoded text exactly as shown (numbers also match in hex `0x1c4` or decimal
   * `452`); `contains`: a substring, ignoring ASCII case (as SQLite's LIKE does).
   */
  readonly op: FieldOp;
  readonly value: string;
}

/** Every part is optional; parts are ANDed, the entries of one list are ORed. */
export interface LogFilter {
  readonly events?: readonly EventKey[];
  readonly cores?: readonly number[];
  /** Action ids; `null` stands for records no saved action explains (shown as hex). */
  readonly actions?: readonly (string | null)[];
  readonly fields?: readonly FieldCondition[];
  /** Substring of the decoded text (ASCII case ignored) or, when it is hex digits, of the bytes. */
  readonly text?: string;
}

export const eventKeySchema = z
  .object({
    generation: z.number().int().min(0).max(U32_MAX),
    eventId: z.number().int().min(0).max(U32_MAX),
  })
  .strict();

export const fieldConditionSchema = z
  .object({
    field: z
      .string()
      .min(1, 'a field name is required')
      .max(MAX_FIELD_NAME_LENGTH)
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a field name: letters, digits and _'),
    op: z.enum(FIELD_OPS),
    value: z.string().max(MAX_FILTER_TEXT),
  })
  .strict();

export const logFilterSchema = z
  .object({
    events: z.array(eventKeySchema).max(MAX_FILTER_EVENTS).readonly().optional(),
    cores: z
      .array(z.number().int().min(0).max(U32_MAX))
      .max(MAX_FILTER_CORES)
      .readonly()
      .optional(),
    actions: z
      .array(z.string().min(1).max(64).nullable())
      .max(MAX_FILTER_ACTIONS)
      .readonly()
      .optional(),
    fields: z.array(fieldConditionSchema).max(MAX_FILTER_FIELDS).readonly().optional(),
    text: z.string().max(MAX_FILTER_TEXT).optional(),
  })
  .strict();

/**
 * The canonical form: empty lists and blank text removed, duplicates dropped, so two filters
 * that mean the same compare equal and an empty filter is `{}`.
 */
export function normalizeFilter(f: LogFilter): LogFilter {
  const out: {
    events?: EventKey[];
    cores?: number[];
    actions?: (string | null)[];
    fields?: FieldCondition[];
    text?: string;
  } = {};
  if (f.events !== undefined && f.events.length > 0) {
    const seen = new Set<string>();
    out.events = f.events.filter((e) => {
      const k = `${e.generation}:${e.eventId}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  if (f.cores !== undefined && f.cores.length > 0) out.cores = [...new Set(f.cores)];
  if (f.actions !== undefined && f.actions.length > 0) out.actions = [...new Set(f.actions)];
  if (f.fields !== undefined) {
    const seen = new Set<string>();
    const kept = f.fields.filter((c) => {
      // An empty `contains` matches every record that has the field: keep it (it means "has").
      const k = `${c.field}\u0000${c.op}\u0000${c.value}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (kept.length > 0) out.fields = kept;
  }
  const text = f.text?.trim() ?? '';
  if (text !== '') out.text = text;
  return out;
}

export function isEmptyFilter(f: LogFilter): boolean {
  const n = normalizeFilter(f);
  return (
    n.events === undefined &&
    n.cores === undefined &&
    n.actions === undefined &&
    n.fields === undefined &&
    n.text === undefined
  );
}

/** Lower-cases A-Z only: SQLite's LIKE ignores case for ASCII letters and nothing else. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

const DECIMAL = /^-?\d{1,20}$/;
const HEX = /^0x[0-9a-f]{1,16}$/i;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

/**
 * The decoded texts an `equals` value stands for: the value as typed, and for a number the
 * forms the decoder shows (`0x1c4` for unsigned, `452` for signed, `0x00000000000001c4` for ptr).
 */
export function equalsCandidates(value: string): string[] {
  const out = new Set<string>([value]);
  const v = value.trim();
  let n: bigint | undefined;
  if (HEX.test(v)) n = BigInt(v);
  else if (DECIMAL.test(v)) n = BigInt(v);
  if (n !== undefined && n >= I64_MIN && n <= U64_MAX) {
    out.add(n.toString(10));
    if (n >= 0n) {
      const hex = n.toString(16);
      out.add(`0x${hex}`);
      out.add(`0x${hex.padStart(16, '0')}`);
    }
  }
  return [...out];
}

/** The text's hex digits when it reads as bytes (`de ad be ef`, `deadbeef`), else null. */
export function hexNeedle(text: string): string | null {
  const digits = text.replace(/\s+/g, '');
  return digits.length >= 2 && /^[0-9a-fA-F]+$/.test(digits) ? digits.toLowerCase() : null;
}

/** What the in-memory test needs to know about one record. */
export interface FilterSubject {
  readonly generation: number;
  readonly eventId: number;
  readonly core: number;
  /** The saved action that explains the record, or null (shown as hex). */
  readonly actionId: string | null;
  /** Decoded fields present in the record (missing ones left out), as `[name, display]`. */
  readonly fields: readonly (readonly [string, string])[];
  /** The decoded text the free-text search looks in (see `searchText`). */
  readonly text: string;
  /** The payload as lower-case hex. */
  readonly hex: string;
}

/** The text free-text search covers: the decoded values, space-separated, in schema order. */
export function searchText(fields: readonly (readonly [string, string])[]): string {
  let s = '';
  for (const [, display] of fields) s = s === '' ? display : `${s} ${display}`;
  return s;
}

export type RecordPredicate = (r: FilterSubject) => boolean;

/** Compiles a filter into a test for one record; it agrees with the store's SQL form. */
export function compileFilter(filter: LogFilter): RecordPredicate {
  const f = normalizeFilter(filter);
  const tests: RecordPredicate[] = [];
  if (f.events !== undefined) {
    const keys = new Set(f.events.map((e) => `${e.generation}:${e.eventId}`));
    tests.push((r) => keys.has(`${r.generation}:${r.eventId}`));
  }
  if (f.cores !== undefined) {
    const cores = new Set(f.cores);
    tests.push((r) => cores.has(r.core));
  }
  if (f.actions !== undefined) {
    const actions = new Set(f.actions);
    tests.push((r) => actions.has(r.actionId));
  }
  for (const c of f.fields ?? []) {
    if (c.op === 'equals') {
      const candidates = new Set(equalsCandidates(c.value));
      tests.push((r) => r.fields.some(([name, v]) => name === c.field && candidates.has(v)));
    } else {
      const needle = asciiLower(c.value);
      tests.push((r) =>
        r.fields.some(([name, v]) => name === c.field && asciiLower(v).includes(needle)),
      );
    }
  }
  if (f.text !== undefined) {
    const needle = asciiLower(f.text);
    const hex = hexNeedle(f.text);
    tests.push((r) => asciiLower(r.text).includes(needle) || (hex !== null && r.hex.includes(hex)));
  }
  if (tests.length === 0) return () => true;
  return (r) => {
    for (const t of tests) if (!t(r)) return false;
    return true;
  };
}

/** A short description for people: chips, export file headers. */
export function describeFilter(filter: LogFilter, actionName?: (id: string) => string): string {
  const f = normalizeFilter(filter);
  const parts: string[] = [];
  if (f.events !== undefined)
    parts.push(
      `event ${f.events.map((e) => `${e.eventId.toString(16)}${e.generation > 1 ? ` (run ${e.generation})` : ''}`).join(' or ')}`,
    );
  if (f.cores !== undefined) parts.push(`core ${f.cores.join(' or ')}`);
  if (f.actions !== undefined)
    parts.push(
      `action ${f.actions.map((a) => (a === null ? '(none)' : (actionName?.(a) ?? a))).join(' or ')}`,
    );
  for (const c of f.fields ?? [])
    parts.push(`${c.field} ${c.op === 'equals' ? '==' : 'contains'} ${JSON.stringify(c.value)}`);
  if (f.text !== undefined) parts.push(`text ${JSON.stringify(f.text)}`);
  return parts.length === 0 ? 'all records' : parts.join(' and ');
}
