// Connection profiles (how to start and reach hyperdbg-cli, what the target can do), kept in the
// library database next to the actions. Host side.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/result';
import {
  profileDraftSchema,
  type ConnectionProfile,
  type ProfileDraft,
} from '../../../shared/model/actionTarget';
import type { Db } from './database';

interface ProfileRow {
  id: string;
  name: string;
  content: string;
  created_at: number;
  updated_at: number;
}

export class ProfileStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): ConnectionProfile[] {
    return this.db
      .prepare<[], ProfileRow>('SELECT * FROM connection_profiles ORDER BY name COLLATE NOCASE')
      .all()
      .map(toProfile);
  }

  get(id: string): ConnectionProfile {
    const row = this.db
      .prepare<[string], ProfileRow>('SELECT * FROM connection_profiles WHERE id = ?')
      .get(id);
    if (row === undefined)
      throw new AppError('not-found', `no connection profile with id ${id}`, 'id');
    return toProfile(row);
  }

  /** Creates (no id) or replaces a profile. */
  save(id: string | undefined, draft: ProfileDraft): ConnectionProfile {
    return this.db
      .transaction(() => {
        const clash = this.db
          .prepare<[string], { id: string }>(
            'SELECT id FROM connection_profiles WHERE name = ? COLLATE NOCASE',
          )
          .get(draft.name);
        if (clash !== undefined && clash.id !== id)
          throw new AppError('conflict', `a profile named '${draft.name}' already exists`, 'name');
        const t = this.now();
        // Only the draft's own fields are stored (a caller may pass a whole profile back).
        const content = JSON.stringify(
          profileDraftSchema.parse({
            name: draft.name,
            cliPath: draft.cliPath,
            connection: draft.connection,
            workingDirectory: draft.workingDirectory,
            capability: draft.capability,
          }),
        );
        if (id === undefined) {
          const newId = randomUUID();
          this.db
            .prepare(
              'INSERT INTO connection_profiles (id, name, content, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
            )
            .run(newId, draft.name, content, t, t);
          return this.get(newId);
        }
        this.get(id);
        this.db
          .prepare(
            'UPDATE connection_profiles SET name = ?, content = ?, updated_at = ? WHERE id = ?',
          )
          .run(draft.name, content, t, id);
        return this.get(id);
      })
      .immediate();
  }

  delete(id: string): void {
    const r = this.db.prepare('DELETE FROM connection_profiles WHERE id = ?').run(id);
    if (r.changes === 0)
      throw new AppError('not-found', `no connection profile with id ${id}`, 'id');
  }
}

function toProfile(r: ProfileRow): ConnectionProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(r.content);
  } catch {
    raw = undefined;
  }
  const parsed = profileDraftSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('internal', `connection profile ${r.id} in the database is damaged`);
  return { ...parsed.data, id: r.id, createdAt: r.created_at, updatedAt: r.updated_at };
}
