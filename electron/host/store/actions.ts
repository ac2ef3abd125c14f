// Saved actions and their history: every save is a new version (content, sources, bytes, hash)
// written in the same transaction as the action row; nothing is overwritten without a version,
// deletions are kept until restored. Built-in actions are installed and restored here, never over
// a user's edit. This class is the face its callers use; the parts live beside it (actionRows,
// actionQueries, actionBuiltins, actionImport). Host side.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/result';
import {
  canonicalContent,
  type Action,
  type ActionContent,
  type ActionVersion,
  type BuiltinRef,
  type VersionReason,
  type VersionSummary,
} from '../../../shared/model/action';
import type { ImportReport } from '../../../shared/model/actionExport';
import { BuiltinSeeding, type BuiltinDefinition } from './actionBuiltins';
import { importRows, prepareImportItem, type PreparedImportItem } from './actionImport';
import { ActionQueries } from './actionQueries';
import { contentHash, contentJson, hexToBlob, type StoredSummary } from './actionRows';
import type { Db } from './database';

// The store's importers name these here, as they did before the store was split.
export type { BuiltinDefinition } from './actionBuiltins';
export { prepareImportItem, type PreparedImportItem } from './actionImport';
export { contentHash, contentJson, type StoredSummary } from './actionRows';

export class ActionStore {
  private readonly rows: ActionQueries;
  private readonly builtins: BuiltinSeeding;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.rows = new ActionQueries(db);
    this.builtins = new BuiltinSeeding(db, this.rows, this, now);
  }

  list(includeDeleted = false): StoredSummary[] {
    return this.rows.list(includeDeleted);
  }

  get(id: string, opts: { includeDeleted?: boolean } = {}): Action {
    return this.rows.get(id, opts);
  }

  /** Finds a live action by exact id, or by name (case-insensitive). */
  find(idOrName: string): Action | undefined {
    return this.rows.find(idOrName);
  }

  create(
    content: ActionContent,
    opts: { reason?: VersionReason; builtin?: BuiltinRef; id?: string; uniqueName?: boolean } = {},
  ): Action {
    return this.db
      .transaction(() => {
        const name = opts.uniqueName === true ? this.uniqueName(content.name) : content.name;
        this.assertNameFree(name, null);
        const stored = canonicalContent({ ...content, name });
        const id = opts.id ?? randomUUID();
        const t = this.now();
        this.rows
          .sql(
            `INSERT INTO actions (id, name, kind, content, version, created_at, updated_at,
               builtin_key, builtin_revision) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`,
          )
          .run(
            id,
            name,
            stored.kind,
            contentJson(stored),
            t,
            t,
            opts.builtin?.key ?? null,
            opts.builtin?.revision ?? null,
          );
        this.insertVersion(id, 1, t, opts.reason ?? 'create', stored);
        return this.get(id);
      })
      .immediate();
  }

  /** Saves new content as the next version; `baseVersion` guards against a concurrent edit. */
  update(
    id: string,
    content: ActionContent,
    opts: { baseVersion?: number; reason?: VersionReason; builtin?: BuiltinRef | null } = {},
  ): Action {
    return this.db
      .transaction(() => {
        const current = this.get(id);
        if (opts.baseVersion !== undefined && opts.baseVersion !== current.version)
          throw new AppError(
            'conflict',
            `'${current.name}' was saved elsewhere meanwhile (version ${current.version}, this edit started from ${opts.baseVersion}); reload it and apply the change again`,
            'baseVersion',
          );
        this.assertNameFree(content.name, id);
        const stored = canonicalContent(content);
        const version = current.version + 1;
        const t = this.now();
        const builtin = opts.builtin === undefined ? current.builtin : opts.builtin;
        this.rows
          .sql(
            `UPDATE actions SET name = ?, kind = ?, content = ?, version = ?, updated_at = ?,
               builtin_key = ?, builtin_revision = ? WHERE id = ?`,
          )
          .run(
            stored.name,
            stored.kind,
            contentJson(stored),
            version,
            t,
            builtin?.key ?? null,
            builtin?.revision ?? null,
            id,
          );
        this.insertVersion(id, version, t, opts.reason ?? 'save', stored);
        return this.get(id);
      })
      .immediate();
  }

  rename(id: string, name: string, baseVersion?: number): Action {
    return this.db
      .transaction(() => {
        const current = this.get(id);
        return this.update(id, { ...current, name }, { baseVersion, reason: 'rename' });
      })
      .immediate();
  }

  duplicate(id: string, name?: string): Action {
    return this.db
      .transaction(() => {
        const source = this.get(id);
        const wanted = name ?? `${source.name} (copy)`;
        return this.create(
          { ...source, name: name === undefined ? this.uniqueName(wanted) : wanted },
          { reason: 'duplicate' },
        );
      })
      .immediate();
  }

  /** Moves an action out of the library; `undelete` brings it back with its history. */
  softDelete(id: string): { id: string; deletedAt: number } {
    return this.db
      .transaction(() => {
        this.get(id);
        const t = this.now();
        this.rows.sql('UPDATE actions SET deleted_at = ? WHERE id = ?').run(t, id);
        return { id, deletedAt: t };
      })
      .immediate();
  }

  undelete(id: string): Action {
    return this.db
      .transaction(() => {
        const row = this.rows.row(id);
        if (row === undefined) throw new AppError('not-found', `no action with id ${id}`, 'id');
        if (row.deleted_at === null) return this.rows.toAction(row);
        const action = this.rows.toAction(row);
        const name = this.uniqueName(action.name);
        if (name === action.name) {
          this.rows.sql('UPDATE actions SET deleted_at = NULL WHERE id = ?').run(id);
          return this.get(id);
        }
        // Its name was taken meanwhile: come back under a free one, as a new version.
        const stored = canonicalContent({ ...action, name });
        const t = this.now();
        this.rows
          .sql(
            'UPDATE actions SET deleted_at = NULL, name = ?, content = ?, version = ?, updated_at = ? WHERE id = ?',
          )
          .run(name, contentJson(stored), action.version + 1, t, id);
        this.insertVersion(id, action.version + 1, t, 'rename', stored);
        return this.get(id);
      })
      .immediate();
  }

  history(id: string): VersionSummary[] {
    return this.rows.history(id);
  }

  getVersion(id: string, version: number): ActionVersion {
    return this.rows.getVersion(id, version);
  }

  /** Saves an old version's content as the newest version; the current name is kept. */
  restoreVersion(id: string, version: number, baseVersion?: number): Action {
    return this.db
      .transaction(() => {
        const current = this.get(id);
        const old = this.getVersion(id, version);
        return this.update(
          id,
          { ...old.content, name: current.name },
          { baseVersion, reason: 'restore' },
        );
      })
      .immediate();
  }

  /**
   * Installs built-ins never installed before, and updates installed ones to a newer revision
   * only while the user has not edited (or deleted) them.
   */
  installBuiltins(defs: readonly BuiltinDefinition[]): { installed: string[]; updated: string[] } {
    return this.builtins.install(defs);
  }

  /**
   * Built-ins the app no longer ships: each one still as installed is moved to the deleted list
   * (restorable, history kept); one the user edited is theirs and stays. Returns the ids moved.
   */
  retireBuiltins(keys: readonly string[]): string[] {
    return this.builtins.retire(keys);
  }

  /** Puts built-ins back as shipped (explicitly asked for): the user's edit stays in history. */
  restoreBuiltins(defs: readonly BuiltinDefinition[]): Action[] {
    return this.builtins.restore(defs);
  }

  /**
   * Imports prepared items (`prepareImportItem`) all or nothing, in one transaction. Every check
   * and computation that needs no database was done before, statements are prepared once and
   * names are made unique in memory. Thousands of rows still take a second or more of SQLite
   * work: `pause` (called every IMPORT_ROWS_PER_STEP rows) lets the host's event loop run in
   * between. The caller must keep other writes off this connection until it resolves (they would
   * join this transaction).
   */
  async importPrepared(
    items: readonly PreparedImportItem[],
    pause: () => Promise<void>,
  ): Promise<ImportReport> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const rows = importRows(this.rows, this.now, items);
      for (;;) {
        const step = rows.next();
        if (step.done === true) {
          this.db.exec('COMMIT');
          return step.value;
        }
        await pause();
      }
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Small imports (tests, the CLI's few files): the same rows in one synchronous transaction. */
  importActions(items: readonly { id?: string; content: ActionContent }[]): ImportReport {
    const prepared = items.map((i) => prepareImportItem(i));
    return this.db
      .transaction(() => {
        const rows = importRows(this.rows, this.now, prepared);
        for (;;) {
          const step = rows.next();
          if (step.done === true) return step.value;
        }
      })
      .immediate();
  }

  /** `name`, or `name (2)`, `name (3)`... whichever no live action uses. */
  uniqueName(name: string, exceptId: string | null = null): string {
    return this.rows.uniqueName(name, exceptId);
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    if (this.rows.nameTaken(name, exceptId))
      throw new AppError('conflict', `an action named '${name}' already exists`, 'name');
  }

  private insertVersion(
    id: string,
    version: number,
    savedAt: number,
    reason: VersionReason,
    content: ActionContent,
  ): void {
    const code = content.kind === 'code' ? content.code : null;
    const condition = content.kind === 'code' ? content.condition : null;
    this.rows
      .sql(
        `INSERT INTO action_versions (action_id, version, saved_at, reason, content, code_source,
           code_bytes, condition_source, condition_bytes, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        version,
        savedAt,
        reason,
        contentJson(content),
        code?.source ?? null,
        hexToBlob(code?.bytesHex ?? null),
        condition?.source ?? null,
        hexToBlob(condition?.bytesHex ?? null),
        contentHash(content),
      );
  }
}
