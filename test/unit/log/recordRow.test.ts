// The record-row base: the table row, the export record and the stored row share one field list,
// and a row built from a stored record carries those fields, never the record's bytes.
import { describe, expect, it } from 'vitest';
import { recordRowBase } from '../../../shared/log/recordRow';
import { toExportRecord, toLogRow } from '../../../electron/host/log/rows';
import type { StoredRecord } from '../../../electron/host/store/records/recordStore';

const stored: StoredRecord = {
  seq: 7,
  receivedAt: 1_700_000_000_000,
  generation: 2,
  eventId: 3,
  core: 1,
  context: '55',
  source: null,
  length: 4,
  bytes: new Uint8Array([0x48, 0x44, 0x42, 0x47]),
};
const BASE = { seq: 7, receivedAt: 1_700_000_000_000, generation: 2, eventId: 3, core: 1 };

describe('record rows', () => {
  it('takes exactly the base fields', () => {
    expect(recordRowBase(stored)).toEqual({ ...BASE, context: '55', length: 4 });
  });

  it('starts the table row and the export record with them, without the bytes', () => {
    const row = toLogRow(stored, () => undefined);
    const exported = toExportRecord(stored, () => undefined);
    for (const r of [row, exported]) {
      expect(r).toMatchObject({ ...BASE, context: '55', length: 4 });
      expect(r).not.toHaveProperty('bytes');
    }
    expect(row.hex).toBe('48444247');
    expect(exported.hex).toBe('48444247');
  });
});
