// Writes a view's records to a JSON-lines or CSV file in chunks, awaiting each write so capture
// keeps running during a large export. The file appears under its name only when complete
// (written as `.partial`, then renamed), so nobody downloads half a file; a cancelled or failed
// export removes its partial file. Reports progress per chunk. Host side.
import { open, rename, rm, stat } from 'node:fs/promises';
import { AppError } from '../../../shared/contract/result';
import {
  csvHeader,
  csvRecord,
  jsonlRecord,
  type ExportFormat,
} from '../../../shared/log/exportFormat';
import type { StoredRecord } from '../store/records/recordStore';
import type { ExportTarget } from './exportFiles';
import { toExportRecord, type SourceLookup } from './rows';

/** Records read and formatted per step: ~1 MB of text, a few ms of work between yields. */
export const EXPORT_CHUNK_RECORDS = 2000;

export interface ExportSource {
  /** Positions 0..count-1 are exported (the view as it was when the export started). */
  readonly count: number;
  read(offset: number, limit: number): StoredRecord[];
  readonly sources: SourceLookup;
  /** CSV columns for decoded fields, in order. */
  readonly fieldNames: readonly string[];
}

export interface ExportControl {
  /** Called after each chunk with records written and records to write. */
  progress?(written: number, of: number): void;
  /** Throws to stop the export (a cancel); checked before each chunk. */
  check?(): void;
}

export async function writeExport(
  target: ExportTarget,
  format: ExportFormat,
  src: ExportSource,
  overwrite: boolean,
  control: ExportControl = {},
): Promise<{ records: number; bytes: number }> {
  const partial = `${target.path}.partial`;
  const fh = await open(partial, 'w');
  let bytes = 0;
  let records = 0;
  try {
    const put = async (text: string) => {
      const buf = Buffer.from(text, 'utf8');
      await fh.write(buf);
      bytes += buf.length;
    };
    if (format === 'csv') await put(csvHeader(src.fieldNames));
    for (let offset = 0; offset < src.count; offset += EXPORT_CHUNK_RECORDS) {
      control.check?.();
      const chunk = src.read(offset, Math.min(EXPORT_CHUNK_RECORDS, src.count - offset));
      if (chunk.length === 0) break;
      let text = '';
      for (const r of chunk) {
        const rec = toExportRecord(r, src.sources);
        text += format === 'csv' ? csvRecord(rec, src.fieldNames) : jsonlRecord(rec);
      }
      records += chunk.length;
      await put(text);
      control.progress?.(records, src.count);
    }
    control.check?.();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw e;
  }
  // Checked again at the end: the file may have appeared while the export ran.
  if (!overwrite && (await stat(target.path).catch(() => null)) !== null) {
    await rm(partial, { force: true });
    throw new AppError('conflict', `${target.path} appeared during the export; nothing replaced`);
  }
  await rename(partial, target.path);
  return { records, bytes };
}
