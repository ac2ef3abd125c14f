// The library's store as one object: the database file in the data folder, its actions and
// connection profiles. Host side.
import { join } from 'node:path';
import { ActionStore } from './actions';
import { integrityCheck, openDatabase, schemaVersion, type Db, type OpenOptions } from './database';
import { ProfileStore } from './profiles';

/** The file name inside the data folder (`--data-dir`). */
export const LIBRARY_DB_FILE = 'library.sqlite3';

export interface LibraryStore {
  readonly file: string;
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
  const db: Db = openDatabase(file, options);
  let closed = false;
  return {
    file,
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
