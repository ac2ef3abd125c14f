// The record store's write path: numbering, the value dictionary and the source catalog, and
// the one transaction per batch that writes records, malformed lines and the view rows they
// add. Separate from the store because it is the only state that must be rolled back when a
// batch fails; everything else there is read-through. Host side.
import type Database from 'better-sqlite3';
import type { BufferSchema } from '../../../../shared/model/bufferSchema';
import type {
  CountTableInput,
  MalformedInput,
  MarkInput,
  RecordInput,
  SourceRow,
} from './recordRows';
import { appendView, type ViewAppend } from './recordViews';

/** Longest malformed line kept whole; the rest is cut and says how much was cut. */
export const MAX_MALFORMED_TEXT = 8192;
/**
 * Dictionary lookups cached in memory (field + value -> id). Cleared when full: a field of
 * unique values (pointers, counters) would otherwise grow it with the session.
 */
const VALUE_CACHE_MAX = 100_000;

export class RecordWriter {
  private seqNext = 0;
  private malformedNext = 0;
  private readonly sourceIds = new Map<string, number>();
  private readonly sourceRows = new Map<number, SourceRow>();
  private readonly fieldIds = new Map<string, number>();
  private readonly valueIds = new Map<string, number>();
  private statements: ReturnType<RecordWriter['prepare']> | null = null;
  private readonly writeTx: (
    records: readonly RecordInput[],
    malformed: readonly MalformedInput[],
    views: readonly ViewAppend[],
  ) => void;

  /** `readOnly`: every write is refused naming `file` (a past session opened for reading). */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly readOnly: boolean,
  ) {
    this.writeTx = db.transaction((records, malformed, views) => {
      if (readOnly) throw new Error(`${file} is open read-only`);
      for (const r of records) this.insertRecord(r);
      for (const m of malformed) this.insertMalformed(m);
      for (const v of views) appendView(this.db, v.table, v.seqs);
    });
  }

  /**
   * The write statements, prepared on the first write: a file opened read-only is never written,
   * and an older layout (no target_seq, no count_tables) could not prepare them at all.
   */
  private get stmt(): ReturnType<RecordWriter['prepare']> {
    if (this.readOnly) throw new Error(`${this.file} is open read-only`);
    this.statements ??= this.prepare();
    return this.statements;
  }

  private prepare() {
    const db = this.db;
    return {
      insertRecord: db.prepare(
        'INSERT INTO records (seq, received_at, generation, event_id, core, context, source, length, text, bytes, target_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertRecordField: db.prepare(
        'INSERT OR IGNORE INTO record_fields (seq, value_id) VALUES (?, ?)',
      ),
      findValue: db.prepare('SELECT id FROM field_values WHERE field_id = ? AND value = ?').pluck(),
      insertValue: db.prepare('INSERT INTO field_values (field_id, value) VALUES (?, ?)'),
      insertField: db.prepare('INSERT INTO fields (name) VALUES (?)'),
      insertMalformed: db.prepare(
        'INSERT INTO malformed (seq, received_at, generation, text, reason) VALUES (?, ?, ?, ?, ?)',
      ),
      insertSource: db.prepare(
        'INSERT INTO sources (action_id, action_name, schema_json) VALUES (?, ?, ?)',
      ),
      insertMark: db.prepare(
        'INSERT INTO marks (kind, generation, at, target_label, reason) VALUES (?, ?, ?, ?, ?)',
      ),
      insertCountTable: db.prepare(
        'INSERT INTO count_tables (received_at, generation, event_id, seq, line) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Continues an existing file: its counters and its sources as read back. */
  resume(seqNext: number, malformedNext: number, sources: readonly SourceRow[]): void {
    this.seqNext = seqNext;
    this.malformedNext = malformedNext;
    for (const row of sources) this.sourceRows.set(row.id, row);
  }

  /** Records stored (the seq the next one gets). */
  get total(): number {
    return this.seqNext;
  }

  get malformedTotal(): number {
    return this.malformedNext;
  }

  /** The id of an action at one schema version; created on first use. */
  sourceId(actionId: string, actionName: string, schema: BufferSchema): number {
    const schemaJson = JSON.stringify(schema.map((f) => [f.name, f.offset, f.type]));
    const key = `${actionId}\u0000${actionName}\u0000${schemaJson}`;
    const known = this.sourceIds.get(key);
    if (known !== undefined) return known;
    const id = Number(this.stmt.insertSource.run(actionId, actionName, schemaJson).lastInsertRowid);
    this.sourceIds.set(key, id);
    this.sourceRows.set(id, { id, actionId, actionName, schema });
    return id;
  }

  source(id: number): SourceRow | undefined {
    return this.sourceRows.get(id);
  }

  sources(): SourceRow[] {
    return [...this.sourceRows.values()];
  }

  /**
   * Writes records (seq must continue from `total`), malformed lines and the view rows they
   * add, in one transaction: all of it or, when it throws, none of it.
   */
  write(
    records: readonly RecordInput[],
    malformed: readonly MalformedInput[],
    views: readonly ViewAppend[] = [],
  ): void {
    if (records.length > 0 && records[0]?.seq !== this.seqNext)
      throw new Error(`record seq ${records[0]?.seq} does not continue ${this.seqNext}`);
    const seqBefore = this.seqNext;
    const malformedBefore = this.malformedNext;
    try {
      this.writeTx(records, malformed, views);
    } catch (e) {
      this.seqNext = seqBefore;
      this.malformedNext = malformedBefore;
      // Ids cached during the failed transaction may not exist: forget them.
      this.valueIds.clear();
      this.fieldIds.clear();
      throw e;
    }
  }

  addMark(m: MarkInput): void {
    this.stmt.insertMark.run(m.kind, m.generation, m.at, m.targetLabel, m.reason);
  }

  addCountTable(t: CountTableInput): void {
    this.stmt.insertCountTable.run(t.receivedAt, t.generation, t.eventId, t.seq, t.line);
  }

  private insertRecord(r: RecordInput): void {
    if (r.seq !== this.seqNext) throw new Error(`record seq ${r.seq} out of order`);
    this.stmt.insertRecord.run(
      r.seq,
      r.receivedAt,
      r.generation,
      r.eventId,
      r.core,
      r.context,
      r.source,
      r.length,
      r.text,
      r.bytes,
      r.targetSeq,
    );
    for (const [name, value] of r.fields)
      this.stmt.insertRecordField.run(r.seq, this.valueId(name, value));
    this.seqNext++;
  }

  private insertMalformed(m: MalformedInput): void {
    const text =
      m.text.length > MAX_MALFORMED_TEXT
        ? `${m.text.slice(0, MAX_MALFORMED_TEXT)}... (${m.text.length - MAX_MALFORMED_TEXT} more characters)`
        : m.text;
    this.stmt.insertMalformed.run(this.malformedNext, m.receivedAt, m.generation, text, m.reason);
    this.malformedNext++;
  }

  private fieldId(name: string): number {
    let id = this.fieldIds.get(name);
    if (id === undefined) {
      const row = this.db.prepare('SELECT id FROM fields WHERE name = ?').pluck().get(name) as
        number | undefined;
      id = row ?? Number(this.stmt.insertField.run(name).lastInsertRowid);
      this.fieldIds.set(name, id);
    }
    return id;
  }

  private valueId(field: string, value: string): number {
    const key = `${field}\u0000${value}`;
    let id = this.valueIds.get(key);
    if (id !== undefined) return id;
    const fid = this.fieldId(field);
    id =
      (this.stmt.findValue.get(fid, value) as number | undefined) ??
      Number(this.stmt.insertValue.run(fid, value).lastInsertRowid);
    if (this.valueIds.size >= VALUE_CACHE_MAX) this.valueIds.clear();
    this.valueIds.set(key, id);
    return id;
  }
}
