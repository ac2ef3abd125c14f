// The action store's read side: the library listing, lookups by id and name, version history,
// and the two caches every read and write shares (prepared statements, content already checked).
// Apart from the writes because reads never open a transaction of their own. Host side.
import { AppError } from '../../../shared/contract/result';
import {
  isAssembled,
  MAX_NAME_LENGTH,
  type Action,
  type ActionContent,
  type ActionVersion,
  type VersionSummary,
} from '../../../shared/model/action';
import {
  contentHash,
  damagedSummary,
  parseContent,
  rowToAction,
  rowToVersion,
  type ActionRow,
  type StoredSummary,
  type VersionRow,
} from './actionRows';
import type { Db, Stmt } from './database';

export class ActionQueries {
  /**
   * Content already checked, by action id, with the exact JSON it was read from: checking a row
   * against the schema costs a quarter of a millisecond, and a library of thousands of actions
   * is listed after every change. A row whose JSON differs (changed meanwhile, by this process
   * or another) is checked again.
   */
  private readonly checked = new Map<
    string,
    { readonly json: string; readonly content: ActionContent }
  >();

  /** Prepared statements by their SQL: compiling one costs more than running it. */
  private readonly statements = new Map<string, Stmt>();

  constructor(private readonly db: Db) {}

  /** The prepared statement for `source`, compiled on first use. */
  sql<P extends unknown[] = unknown[], R = unknown>(source: string): Stmt<P, R> {
    let s = this.statements.get(source);
    if (s === undefined) {
      s = this.db.prepare(source);
      this.statements.set(source, s);
    }
    return s as unknown as Stmt<P, R>;
  }

  /** Notes content just written as checked (an import checked it before writing). */
  remember(id: string, json: string, content: ActionContent): void {
    this.checked.set(id, { json, content });
  }

  list(includeDeleted = false): StoredSummary[] {
    const rows = this.sql<[], ActionRow & { installed_hash: string | null }>(
      `SELECT a.*, b.content_hash AS installed_hash FROM actions a
         LEFT JOIN builtin_installs b ON b.key = a.builtin_key
         ${includeDeleted ? '' : 'WHERE a.deleted_at IS NULL'}
         ORDER BY a.name COLLATE NOCASE`,
    ).all();
    return rows.map((r) => {
      let a: Action;
      try {
        a = this.toAction(r);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        return damagedSummary(r, e.message);
      }
      return {
        id: a.id,
        name: a.name,
        kind: a.kind,
        description: a.description,
        tags: a.tags,
        eventKinds: a.eventKinds,
        version: a.version,
        updatedAt: a.updatedAt,
        assembled: isAssembled(a),
        deletedAt: r.deleted_at,
        builtin:
          a.builtin === null
            ? null
            : {
                ...a.builtin,
                state: r.installed_hash === contentHash(a) ? 'pristine' : 'edited',
              },
      };
    });
  }

  get(id: string, opts: { includeDeleted?: boolean } = {}): Action {
    const row = this.row(id);
    if (row === undefined || (row.deleted_at !== null && opts.includeDeleted !== true))
      throw new AppError('not-found', `no action with id ${id}`, 'id');
    return this.toAction(row);
  }

  /** Finds a live action by exact id, or by name (case-insensitive). */
  find(idOrName: string): Action | undefined {
    const row =
      this.row(idOrName) ??
      this.sql<[string], ActionRow>(
        'SELECT * FROM actions WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL',
      ).get(idOrName);
    return row === undefined || row.deleted_at !== null ? undefined : this.toAction(row);
  }

  history(id: string): VersionSummary[] {
    this.get(id, { includeDeleted: true });
    return this.sql<[string], VersionRow>(
      'SELECT * FROM action_versions WHERE action_id = ? ORDER BY version DESC',
    )
      .all(id)
      .map((r) => rowToVersion(r));
  }

  getVersion(id: string, version: number): ActionVersion {
    const row = this.sql<[string, number], VersionRow>(
      'SELECT * FROM action_versions WHERE action_id = ? AND version = ?',
    ).get(id, version);
    if (row === undefined)
      throw new AppError('not-found', `action ${id} has no version ${version}`, 'version');
    return rowToVersion(row);
  }

  /** `name`, or `name (2)`, `name (3)`... whichever no live action uses. */
  uniqueName(name: string, exceptId: string | null = null): string {
    if (!this.nameTaken(name, exceptId)) return name;
    for (let n = 2; ; n++) {
      const suffix = ` (${n})`;
      const candidate = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
      if (!this.nameTaken(candidate, exceptId)) return candidate;
    }
  }

  nameTaken(name: string, exceptId: string | null): boolean {
    const row = this.sql<[string], { id: string }>(
      'SELECT id FROM actions WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL',
    ).get(name);
    return row !== undefined && row.id !== exceptId;
  }

  row(id: string): ActionRow | undefined {
    return this.sql<[string], ActionRow>('SELECT * FROM actions WHERE id = ?').get(id);
  }

  builtinRow(key: string): ActionRow | undefined {
    return this.sql<[string], ActionRow>('SELECT * FROM actions WHERE builtin_key = ?').get(key);
  }

  /** The action of a row, its content read back through the schema unless already checked. */
  toAction(r: ActionRow): Action {
    const known = this.checked.get(r.id);
    let content: ActionContent;
    if (known !== undefined && known.json === r.content) content = known.content;
    else {
      content = parseContent(r.content, `action ${r.id}`);
      this.checked.set(r.id, { json: r.content, content });
    }
    return rowToAction(r, content);
  }
}
