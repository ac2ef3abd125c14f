// One live-log row as the renderer gets it (JSON-safe: no bigint, no bytes), and how a record's
// bytes become its decoded columns through the action's buffer schema. Pure.
import { decodeRecord, type DecodedRecord } from '../model/bufferSchemaDecode';
import type { BufferSchema } from '../model/bufferSchema';
import type { RecordRowBase } from './recordRow';

/**
 * Payload bytes a row carries as hex when no schema decodes it (the table's Data column);
 * the whole payload (up to 999 bytes) comes with the record's details on demand.
 */
export const ROW_HEX_BYTES = 64;

export interface LogRow extends RecordRowBase {
  /** The source (action and schema version) that decoded it; see `LogSourceInfo`. */
  readonly source: number | null;
  readonly actionId: string | null;
  readonly actionName: string | null;
  /** Decoded fields present in the record, as `[name, display]`; null without a schema. */
  readonly fields: readonly (readonly [string, string])[] | null;
  /** Without a schema: the first ROW_HEX_BYTES bytes as hex; empty when a schema decodes it. */
  readonly hex: string;
  readonly hexTruncated: boolean;
}

/** An action (at one schema version) that explains records: the log's decoded columns. */
export interface LogSourceInfo {
  readonly id: number;
  readonly actionId: string;
  readonly actionName: string;
  readonly fields: readonly { readonly name: string; readonly type: string }[];
}

/** A record's fields for the table, the filters and the search text. */
export interface RowDecoding {
  /** Present fields only (a record shorter than the schema leaves some out). */
  readonly fields: readonly (readonly [string, string])[];
  readonly decoded: DecodedRecord;
}

export function decodeForLog(schema: BufferSchema | null, bytes: Uint8Array): RowDecoding {
  const decoded = decodeRecord(schema, bytes);
  const fields: (readonly [string, string])[] = [];
  for (const f of decoded.fields) if (!f.missing) fields.push([f.name, f.display]);
  return { fields, decoded };
}

/** The hex a row carries: none when decoded, the head of the payload otherwise. */
export function rowHex(
  bytesHex: string,
  decodedBySchema: boolean,
): { hex: string; truncated: boolean } {
  if (decodedBySchema) return { hex: '', truncated: false };
  const max = ROW_HEX_BYTES * 2;
  return bytesHex.length > max
    ? { hex: bytesHex.slice(0, max), truncated: true }
    : { hex: bytesHex, truncated: false };
}
