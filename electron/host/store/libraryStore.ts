// The library's store as one object: the database file in the data folder, its actions and
// connection profiles. Host side.
import { join } from 'node:path';
import { ActionStore } from './actions';
import {
  integrityCheck,
  openDatabase,
  openReadOnly,
  schemaVersion,
  type Db,
  type OpenOptions,
  type ReadOnlySource,
} from './database';
import { ProfileStore } from './profiles';

/** The file name inside the data folder (`--data-dir`). */
export const LIBRARY_DB_FILE = 'library.sqlite3';

export interface LibraryStore {
  readonly file: string;
  /** Opened without writing (see OpenOptions.readOnly): where its content came from, or null. */
  readonly readOnly: ReadOnlySource | null;
  readonly actions: ActionStore;
  readonly profiles: ProfileStore;
  schemaVersion(): number;
  integrityCheck(): string[];
  close(): void;
}

export function openLibraryStore(
  dataDir: string,
  options: OpenOptions & { now?: () => number } = {},
): LibraryStore {
  const file = join(dataDir, LIBRARY_DB_FILE);
  let db: Db;
  let readOnly: ReadOnlySource | null = null;
  if (options.readOnly === true) ({ db, source: readOnly } = openReadOnly(file, options));
  else db = openDatabase(file, options);
  let closed = false;
  return {
    file,
    readOnly,
    actions: new ActionStore(db, options.now),
    profiles: new ProfileStore(db, options.now),
    schemaVersion: () => schemaVersion(db),
    integrityCheck: () => integrityCheck(db),
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
