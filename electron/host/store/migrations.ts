// The library database's schema as numbered migrations. A database records the last one applied
// in `PRAGMA user_version`; each migration runs in one transaction with its version bump.
// Never edit a released migration: add the next one. Host side.

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'actions and their saved versions',
    sql: `
      CREATE TABLE actions (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('break', 'log', 'code')),
        -- Canonical JSON of the action's content (shared/model/action.ts), checked on read.
        content TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX actions_name ON actions (name COLLATE NOCASE);
      CREATE TABLE action_versions (
        action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        saved_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        content TEXT NOT NULL,
        code_source TEXT,
        code_bytes BLOB,
        condition_source TEXT,
        condition_bytes BLOB,
        -- sha256 of the canonical content JSON.
        hash TEXT NOT NULL,
        PRIMARY KEY (action_id, version)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'deleted actions kept, built-in actions tracked, connection profiles',
    sql: `
      ALTER TABLE actions ADD COLUMN deleted_at INTEGER;
      ALTER TABLE actions ADD COLUMN builtin_key TEXT;
      ALTER TABLE actions ADD COLUMN builtin_revision INTEGER;
      DROP INDEX actions_name;
      CREATE UNIQUE INDEX actions_live_name ON actions (name COLLATE NOCASE)
        WHERE deleted_at IS NULL;
      CREATE UNIQUE INDEX actions_builtin ON actions (builtin_key) WHERE builtin_key IS NOT NULL;
      CREATE TABLE builtin_installs (
        key TEXT PRIMARY KEY NOT NULL,
        revision INTEGER NOT NULL,
        -- Hash of the content as installed: a different current hash means the user edited it.
        content_hash TEXT NOT NULL,
        installed_at INTEGER NOT NULL
      );
      CREATE TABLE connection_profiles (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX connection_profiles_name ON connection_profiles (name COLLATE NOCASE);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
