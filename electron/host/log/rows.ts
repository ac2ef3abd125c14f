// Stored records back into what the renderer and the export files get: a table row, the full
// detail of one record, an export record. Decoded with the schema the record was stored under.
// Host side.
import type { LogRecordDetail, LogRow } from '../../../shared/contract/log';
import type { ExportRecord } from '../../../shared/log/exportFormat';
import { decodeForLog, rowHex } from '../../../shared/log/logRow';
import { recordRowBase } from '../../../shared/log/recordRow';
import { hexDump } from '../../../shared/model/bufferSchemaDecode';
import type { SourceRow, StoredRecord } from '../store/records/recordStore';

export type SourceLookup = (id: number) => SourceRow | undefined;

function schemaOf(r: StoredRecord, sources: SourceLookup) {
  const src = r.source === null ? undefined : sources(r.source);
  return { src, schema: src !== undefined && src.schema.length > 0 ? src.schema : null };
}

export function toLogRow(r: StoredRecord, sources: SourceLookup): LogRow {
  const { src, schema } = schemaOf(r, sources);
  const { fields, decoded } = decodeForLog(schema, r.bytes);
  const { hex, truncated } = rowHex(decoded.hex, schema !== null);
  return {
    ...recordRowBase(r),
    source: src?.id ?? null,
    actionId: src?.actionId ?? null,
    actionName: src?.actionName ?? null,
    fields: schema === null ? null : fields,
    hex,
    hexTruncated: truncated,
  };
}

export function toDetail(r: StoredRecord, sources: SourceLookup): LogRecordDetail {
  const { schema } = schemaOf(r, sources);
  const { decoded } = decodeForLog(schema, r.bytes);
  return {
    row: toLogRow(r, sources),
    fields: decoded.fields.map((f) => ({
      name: f.name,
      type: f.type,
      offset: f.offset,
      size: f.size,
      missing: f.missing,
      display: f.display,
    })),
    hex: decoded.hex,
    hexDump: hexDump(r.bytes),
  };
}

export function toExportRecord(r: StoredRecord, sources: SourceLookup): ExportRecord {
  const { src, schema } = schemaOf(r, sources);
  const { decoded } = decodeForLog(schema, r.bytes);
  return {
    ...recordRowBase(r),
    actionId: src?.actionId ?? null,
    actionName: src?.actionName ?? null,
    hex: decoded.hex,
    decoded: schema === null ? null : decoded,
  };
}
