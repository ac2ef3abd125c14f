// The session database's tables. Records are kept narrow and in arrival order (seq = rowid);
// decoded field values go to a per-field dictionary plus a (seq, value) table appended in seq
// order, so a field filter is an index walk and ingest stays sequential. Host side.

/**
 * Bumped when the layout changes; a session database is written by one app run only, so a file
 * keeps the layout it was made with (older ones are read as they are, never migrated).
 * 1: the first layout. 2: records keep the target's sequence number (`target_seq`, HDBG2) and
 * the count tables printed in the target are kept (`count_tables`); docs/session-files.md.
 */
export const RECORD_DB_VERSION = 2;
/** The first layout whose records keep the target's sequence numbers and count tables. */
export const LAYOUT_WITH_SEQUENCES = 2;

/**
 * The `format` meta value of a session database: with the tables below it tells a session from
 * any other SQLite file. Files written before it existed are recognised by their tables alone.
 */
export const SESSION_FORMAT = 'hyperdbg-studio-session';

/** Tables and the columns the app reads from each: what a file must have to open as a session. */
export const REQUIRED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  meta: ['key', 'value'],
  sources: ['id', 'action_id', 'action_name', 'schema_json'],
  records: [
    'seq',
    'received_at',
    'generation',
    'event_id',
    'core',
    'context',
    'source',
    'length',
    'text',
    'bytes',
  ],
  fields: ['id', 'name'],
  field_values: ['id', 'field_id', 'value'],
  record_fields: ['seq', 'value_id'],
  malformed: ['seq', 'received_at', 'generation', 'text', 'reason'],
  marks: ['id', 'kind', 'generation', 'at', 'target_label', 'reason'],
};

/** What a file of layout LAYOUT_WITH_SEQUENCES or later must have besides REQUIRED_COLUMNS. */
export const LAYOUT_2_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  records: ['target_seq'],
  count_tables: ['id', 'received_at', 'generation', 'event_id', 'seq', 'line'],
};

export const RECORD_DB_SCHEMA = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- An action at one schema version: records keep the schema they were decoded with.
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  action_id TEXT NOT NULL,
  action_name TEXT NOT NULL,
  schema_json TEXT NOT NULL
);
CREATE TABLE records (
  seq INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  core INTEGER NOT NULL,
  context TEXT NOT NULL,
  source INTEGER,
  length INTEGER NOT NULL,
  -- The target's sequence number of an HDBG2 record (per event and core, from 1); NULL for an
  -- HDBG1 record, which carries none. Loss is counted from its gaps (docs/session-files.md).
  target_seq INTEGER,
  -- The decoded values, space-separated: what free-text search looks in.
  text TEXT NOT NULL,
  bytes BLOB NOT NULL
);
CREATE TABLE fields (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE field_values (
  id INTEGER PRIMARY KEY,
  field_id INTEGER NOT NULL,
  value TEXT NOT NULL,
  UNIQUE (field_id, value)
);
CREATE TABLE record_fields (
  seq INTEGER NOT NULL,
  value_id INTEGER NOT NULL,
  PRIMARY KEY (seq, value_id)
) WITHOUT ROWID;
CREATE TABLE malformed (
  seq INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  text TEXT NOT NULL,
  reason TEXT NOT NULL
);
-- Every count table an event printed in the target (HDBGT, buffer-records.md §7), in arrival
-- order, as its line: the newest of each event is what Counts shows, the first gives the rate.
CREATE TABLE count_tables (
  id INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line TEXT NOT NULL
);
CREATE TABLE marks (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  generation INTEGER NOT NULL,
  at INTEGER NOT NULL,
  target_label TEXT NOT NULL,
  reason TEXT
);
`;
