// The record store's row types and how a row read back from a session database becomes one:
// kept apart from the SQL that reads them because every read path (paging, views, sorting,
// opening a past session) must cut a foreign file's values the same way. Host side.
import type Database from 'better-sqlite3';
import type { RecordRowBase } from '../../../../shared/log/recordRow';
import {
  MAX_RECORD_BYTES,
  validateBufferSchema,
  type BufferSchema,
} from '../../../../shared/model/bufferSchema';

/** Fields a stored schema may list; a real schema has a handful. */
const MAX_STORED_SCHEMA_FIELDS = 256;
/** Longest action id or name read back from a source row (a foreign file may hold anything). */
const MAX_SOURCE_TEXT = 200;

export interface StoredRecord extends RecordRowBase {
  readonly source: number | null;
  readonly bytes: Uint8Array;
}

export interface RecordInput extends StoredRecord {
  /** The target's sequence number (HDBG2, per event and core); null when the record has none. */
  readonly targetSeq: number | null;
  /** Free-text search target: the decoded values, space-separated. */
  readonly text: string;
  /** Decoded fields present in the record, `[name, display]`. */
  readonly fields: readonly (readonly [string, string])[];
}

export interface MalformedInput {
  readonly receivedAt: number;
  readonly generation: number;
  readonly text: string;
  readonly reason: string;
}

export interface StoredMalformed extends MalformedInput {
  readonly seq: number;
}

/** A count table printed in the target, as stored: its HDBGT line (buffer-records.md §7). */
export interface CountTableInput {
  readonly receivedAt: number;
  readonly generation: number;
  readonly eventId: number;
  readonly seq: number;
  readonly line: string;
}

export interface MarkInput {
  readonly kind: 'started' | 'ended';
  readonly generation: number;
  readonly at: number;
  readonly targetLabel: string;
  readonly reason: string | null;
}

export interface SourceRow {
  readonly id: number;
  readonly actionId: string;
  readonly actionName: string;
  readonly schema: BufferSchema;
}

/** A row as SQLite returns it; a foreign file may put anything in any column. */
export interface RawRecord {
  seq: number;
  received_at: unknown;
  generation: unknown;
  event_id: unknown;
  core: unknown;
  context: unknown;
  source: unknown;
  length: unknown;
  bytes: unknown;
}

/**
 * A session file may come from elsewhere: what is read back is cut to what a real record can
 * hold (payload at most MAX_RECORD_BYTES, context 16 hex digits), so a hostile file cannot make
 * one row cost megabytes.
 */
const CONTEXT_DIGITS = 16;
/** The record columns as read back, from table alias `t` (empty: no alias). */
export function recordColumns(t = ''): string {
  const c = (name: string) => (t === '' ? name : `${t}.${name}`);
  return [
    c('seq'),
    c('received_at'),
    c('generation'),
    c('event_id'),
    c('core'),
    `substr(${c('context')}, 1, ${CONTEXT_DIGITS}) AS context`,
    c('source'),
    c('length'),
    `substr(${c('bytes')}, 1, ${MAX_RECORD_BYTES}) AS bytes`,
  ].join(', ');
}
export const RECORD_COLUMNS = recordColumns();

/** Bytes as stored; a foreign file may hold text or a number where a blob belongs. */
function asBytes(b: unknown): Uint8Array {
  if (b instanceof Uint8Array) return b;
  return new TextEncoder().encode(String(b ?? '')).subarray(0, MAX_RECORD_BYTES);
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : Number(x) || 0);

export function toStored(r: RawRecord): StoredRecord {
  const bytes = asBytes(r.bytes);
  return {
    seq: r.seq,
    receivedAt: num(r.received_at),
    generation: num(r.generation),
    eventId: num(r.event_id),
    core: num(r.core),
    context: typeof r.context === 'string' ? r.context : String(r.context ?? ''),
    source: r.source === null || r.source === undefined ? null : num(r.source),
    length: bytes.length,
    bytes,
  };
}

/** A stored schema (`[[name, offset, type], ...]`); one that does not validate decodes nothing. */
function parseStoredSchema(json: unknown): BufferSchema {
  try {
    const raw = JSON.parse(String(json)) as unknown;
    if (!Array.isArray(raw) || raw.length > MAX_STORED_SCHEMA_FIELDS) return [];
    const schema = raw.map((f) => {
      const [name, offset, type] = Array.isArray(f) ? (f as unknown[]) : [];
      return { name: String(name), offset: Number(offset), type: String(type) };
    }) as BufferSchema;
    return validateBufferSchema(schema, MAX_RECORD_BYTES).length === 0 ? schema : [];
  } catch {
    return [];
  }
}

/** The sources of an existing file, in id order, their texts cut and schemas checked. */
export function readSourceRows(db: Database.Database): SourceRow[] {
  const sources = db
    .prepare('SELECT id, action_id, action_name, schema_json FROM sources ORDER BY id')
    .all() as { id: number; action_id: unknown; action_name: unknown; schema_json: unknown }[];
  return sources.map((r) => ({
    id: Number(r.id),
    actionId: String(r.action_id).slice(0, MAX_SOURCE_TEXT),
    actionName: String(r.action_name).slice(0, MAX_SOURCE_TEXT),
    schema: parseStoredSchema(r.schema_json),
  }));
}
