// Buffer schemas (buffer-records.md §3): what the bytes of a returned record mean. The field
// types, their text form (`ImageFileName: cstr[15] @ 0x0`), validation, and the zod schema used
// by the contract and the export format. Decoding lives in bufferSchemaDecode.ts. Pure.
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { escapeControls } from '../text/controlChars';

/** Largest record a target can return: `buffer N` must stay below 0x3e8 (spec §3.5). */
export const MAX_RECORD_BYTES = 0x3e7;
/** Fields per schema: far more than a 999-byte record can usefully hold, small enough to show. */
export const MAX_SCHEMA_FIELDS = 128;
/** Field names become log columns, filter keys and export headers: short identifiers only. */
export const MAX_FIELD_NAME_LENGTH = 64;
/** The text form of a schema, generous for 128 commented lines. */
export const MAX_SCHEMA_TEXT_LENGTH = 16_384;

export const SCALAR_TYPES = ['u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'ptr'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];
export const ARRAY_TYPES = ['cstr', 'wstr', 'bytes'] as const;
export type ArrayType = (typeof ARRAY_TYPES)[number];

/** A field type, parsed: a scalar, or an array type with its element count. */
export type FieldType =
  { readonly base: ScalarType } | { readonly base: ArrayType; readonly count: number };

/** One field of a schema as stored and exchanged: `type` is the canonical text (`cstr[15]`). */
export interface BufferField {
  readonly name: string;
  readonly offset: number;
  readonly type: string;
}

export type BufferSchema = readonly BufferField[];

const SCALAR_SIZES: Readonly<Record<ScalarType, number>> = {
  u8: 1,
  u16: 2,
  u32: 4,
  u64: 8,
  i8: 1,
  i16: 2,
  i32: 4,
  i64: 8,
  ptr: 8,
};

/**
 * Names that are properties of every JavaScript object: a field called `__proto__` or
 * `constructor` would turn a decoded row into a prototype-pollution vector downstream.
 */
const RESERVED_NAMES = new Set(
  [
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'isPrototypeOf',
    'propertyIsEnumerable',
    'toLocaleString',
    'toString',
    'valueOf',
    '__defineGetter__',
    '__defineSetter__',
    '__lookupGetter__',
    '__lookupSetter__',
  ].map((n) => n.toLowerCase()),
);

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_PATTERN =
  /^(u8|u16|u32|u64|i8|i16|i32|i64|ptr)$|^(cstr|wstr|bytes)\[(0x[0-9a-f]+|\d+)\]$/i;

/** Why a name is not acceptable, or undefined when it is. */
export function fieldNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a field needs a name';
  if (name.length > MAX_FIELD_NAME_LENGTH)
    return `a field name has at most ${MAX_FIELD_NAME_LENGTH} characters`;
  if (!NAME_PATTERN.test(name))
    return `'${printable(name)}' is not a field name: use letters, digits and _ (not starting with a digit)`;
  if (RESERVED_NAMES.has(name.toLowerCase())) return `'${name}' is reserved; choose another name`;
  return undefined;
}

/** Parses a type such as `u32`, `cstr[15]` or `bytes[0x10]`; undefined when it is not one. */
export function parseFieldType(text: string): FieldType | undefined {
  const m = TYPE_PATTERN.exec(text.trim());
  if (m === null) return undefined;
  if (m[1] !== undefined) return { base: m[1].toLowerCase() as ScalarType };
  const base = (m[2] as string).toLowerCase() as ArrayType;
  const count = Number.parseInt(m[3] as string, m[3]?.toLowerCase().startsWith('0x') ? 16 : 10);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_RECORD_BYTES) return undefined;
  return { base, count };
}

/** The canonical text of a type: lower case, counts in decimal. */
export function formatFieldType(t: FieldType): string {
  return 'count' in t ? `${t.base}[${t.count}]` : t.base;
}

/** Bytes a field of this type occupies (`wstr[N]` is N UTF-16 units, 2N bytes). */
export function fieldTypeSize(t: FieldType): number {
  if (!('count' in t)) return SCALAR_SIZES[t.base];
  return t.base === 'wstr' ? t.count * 2 : t.count;
}

/** One problem in a schema: which field (by index) and, when it is one part, which part. */
export interface SchemaIssue {
  readonly index: number;
  readonly part?: 'name' | 'offset' | 'type';
  readonly message: string;
}

/**
 * Checks a schema: names safe and unique (case-insensitively, since they become column headers),
 * types known, every field inside `limitBytes`, no two fields overlapping (one byte, one meaning:
 * overlapping fields would make filters and counts disagree about what a record says).
 */
export function validateBufferSchema(fields: BufferSchema, limitBytes: number): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (fields.length > MAX_SCHEMA_FIELDS)
    issues.push({ index: MAX_SCHEMA_FIELDS, message: `at most ${MAX_SCHEMA_FIELDS} fields` });
  const seen = new Map<string, number>();
  const extents: { index: number; start: number; end: number; name: string }[] = [];
  fields.forEach((f, index) => {
    const nameProblem = fieldNameProblem(f.name);
    if (nameProblem !== undefined) issues.push({ index, part: 'name', message: nameProblem });
    else {
      const key = f.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        issues.push({
          index,
          part: 'name',
          message: `'${f.name}' is already the name of field ${first + 1}`,
        });
      else seen.set(key, index);
    }
    const type = parseFieldType(f.type);
    if (type === undefined) {
      issues.push({
        index,
        part: 'type',
        message: `'${printable(f.type)}' is not a type: use u8..u64, i8..i64, ptr, cstr[N], wstr[N] or bytes[N]`,
      });
      return;
    }
    if (!Number.isSafeInteger(f.offset) || f.offset < 0) {
      issues.push({ index, part: 'offset', message: 'the offset must be a whole number >= 0' });
      return;
    }
    const end = f.offset + fieldTypeSize(type);
    if (end > limitBytes)
      issues.push({
        index,
        part: 'offset',
        message:
          limitBytes === 0
            ? `'${f.name}' cannot be decoded: the action requests no buffer`
            : `'${f.name}' (${hex(f.offset)}..${hex(end - 1)}) does not fit in ${hex(limitBytes)} bytes`,
      });
    extents.push({ index, start: f.offset, end, name: f.name });
  });
  const sorted = [...extents].sort((a, b) => a.start - b.start || a.index - b.index);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as (typeof sorted)[number];
    const cur = sorted[i] as (typeof sorted)[number];
    if (cur.start < prev.end)
      issues.push({
        index: Math.max(cur.index, prev.index),
        part: 'offset',
        message: `'${cur.name}' overlaps '${prev.name}' at ${hex(cur.start)}`,
      });
  }
  return issues;
}

/** zod schema of one field (shape only; `validateBufferSchema` checks the whole list). */
export const bufferFieldSchema = z
  .object({
    name: z.string().max(MAX_FIELD_NAME_LENGTH),
    offset: z.number().int().min(0).max(MAX_RECORD_BYTES),
    type: z.string().max(16),
  })
  .strict();

/** A schema whose fields must fit in `limitBytes`: for a contract or file input. */
export function bufferSchemaSchema(limitBytes = MAX_RECORD_BYTES) {
  return z
    .array(bufferFieldSchema)
    .max(MAX_SCHEMA_FIELDS)
    .superRefine((fields, ctx) => {
      for (const issue of validateBufferSchema(fields, limitBytes))
        ctx.addIssue({
          code: 'custom',
          message: issue.message,
          path: issue.part === undefined ? [issue.index] : [issue.index, issue.part],
        });
    });
}

// ---- Text form -------------------------------------------------------------------------------

/** A problem in the text form, on a 1-based line. */
export interface SchemaTextError {
  readonly line: number;
  readonly message: string;
}

export type SchemaTextResult = Result<BufferField[], SchemaTextError[]>;

const LINE_PATTERN = /^([^:@]*):([^@]*?)(?:@(.*))?$/;

/**
 * Parses the text form: one field per line, `Name: type @ offset`. `#` starts a comment; blank
 * lines are skipped. Offsets are `0x` hex or decimal; a field without `@ offset` follows the
 * previous one. `limitBytes` is the buffer the fields must fit in.
 */
export function parseBufferSchemaText(text: string, limitBytes: number): SchemaTextResult {
  if (text.length > MAX_SCHEMA_TEXT_LENGTH)
    return fail([
      { line: 1, message: `a schema has at most ${MAX_SCHEMA_TEXT_LENGTH} characters` },
    ]);
  const errors: SchemaTextError[] = [];
  const fields: BufferField[] = [];
  const lineOf: number[] = [];
  let next = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const hash = raw.indexOf('#');
    const body = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (body === '') return;
    const m = LINE_PATTERN.exec(body);
    if (m === null) {
      errors.push({
        line: lineNo,
        message: `expected 'Name: type @ offset', got '${printable(body)}'`,
      });
      return;
    }
    const name = (m[1] as string).trim();
    const typeText = (m[2] as string).trim();
    const type = parseFieldType(typeText);
    if (type === undefined) {
      errors.push({
        line: lineNo,
        message: `'${printable(typeText)}' is not a type: use u8..u64, i8..i64, ptr, cstr[N], wstr[N] or bytes[N]`,
      });
      return;
    }
    let offset = next;
    if (m[3] !== undefined) {
      const parsed = parseOffset(m[3].trim());
      if (parsed === undefined) {
        errors.push({ line: lineNo, message: `'${printable(m[3].trim())}' is not an offset` });
        return;
      }
      offset = parsed;
    }
    next = offset + fieldTypeSize(type);
    fields.push({ name, offset, type: formatFieldType(type) });
    lineOf.push(lineNo);
  });
  for (const issue of validateBufferSchema(fields, limitBytes))
    errors.push({ line: lineOf[issue.index] ?? 1, message: issue.message });
  if (errors.length > 0) return fail(errors.sort((a, b) => a.line - b.line));
  return ok(fields);
}

/** The canonical text form: `Name: type @ 0xN`, one line per field. */
export function printBufferSchema(fields: BufferSchema): string {
  return fields.map((f) => `${f.name}: ${f.type} @ ${hex(f.offset)}`).join('\n');
}

function parseOffset(text: string): number | undefined {
  const m = /^(?:0x([0-9a-f]+)|(\d+))$/i.exec(text);
  if (m === null) return undefined;
  const value =
    m[1] !== undefined ? Number.parseInt(m[1], 16) : Number.parseInt(m[2] as string, 10);
  return Number.isSafeInteger(value) && value <= MAX_RECORD_BYTES ? value : undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Text safe to quote in a message: control characters escaped, length capped. */
function printable(s: string): string {
  const cut = s.length > 40 ? `${s.slice(0, 40)}...` : s;
  return escapeControls(cut);
}
