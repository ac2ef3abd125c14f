// Built-in actions in the library: installed on first run, updated to a newer revision, retired
// when no longer shipped and restored on request, never over a user's edit. Apart from the
// store's general writes because it alone reads the install records (builtin_installs), and
// "is this still as installed?" is its one rule. Host side.
import type {
  Action,
  ActionContent,
  BuiltinRef,
  VersionReason,
} from '../../../shared/model/action';
import type { ActionQueries } from './actionQueries';
import { contentHash } from './actionRows';
import type { Db } from './database';

/** A built-in action as shipped: its key, revision and content. */
export interface BuiltinDefinition {
  /** The id in the built-in file: the same on every machine, so exports of it match. */
  readonly id?: string;
  readonly key: string;
  readonly revision: number;
  readonly content: ActionContent;
}

/** The store's versioned writes the seeding is made of (ActionStore provides them). */
export interface ActionWrites {
  create(
    content: ActionContent,
    opts: { reason: VersionReason; builtin: BuiltinRef; uniqueName: boolean; id?: string },
  ): Action;
  update(
    id: string,
    content: ActionContent,
    opts: { reason: VersionReason; builtin: BuiltinRef },
  ): Action;
  softDelete(id: string): unknown;
  undelete(id: string): Action;
}

export class BuiltinSeeding {
  constructor(
    private readonly db: Db,
    private readonly rows: ActionQueries,
    private readonly writes: ActionWrites,
    private readonly now: () => number,
  ) {}

  /**
   * Installs built-ins never installed before, and updates installed ones to a newer revision
   * only while the user has not edited (or deleted) them.
   */
  install(defs: readonly BuiltinDefinition[]): { installed: string[]; updated: string[] } {
    return this.db
      .transaction(() => {
        const installed: string[] = [];
        const updated: string[] = [];
        for (const def of defs) {
          const record = this.installRecord(def.key);
          if (record === undefined) {
            const action = this.writes.create(def.content, {
              reason: 'builtin-install',
              builtin: { key: def.key, revision: def.revision },
              uniqueName: true,
              id: this.freeId(def.id),
            });
            this.recordInstall(def.key, def.revision, contentHash(action));
            installed.push(def.key);
            continue;
          }
          if (def.revision <= record.revision) continue;
          const row = this.rows.builtinRow(def.key);
          if (row === undefined || row.deleted_at !== null) continue;
          const current = this.rows.toAction(row);
          if (contentHash(current) !== record.content_hash) continue;
          const action = this.writes.update(
            current.id,
            { ...def.content, name: this.nameFor(def.content.name, current.id) },
            { reason: 'builtin-update', builtin: { key: def.key, revision: def.revision } },
          );
          this.recordInstall(def.key, def.revision, contentHash(action));
          updated.push(def.key);
        }
        return { installed, updated };
      })
      .immediate();
  }

  /**
   * Built-ins the app no longer ships: each one still as installed is moved to the deleted list
   * (restorable, history kept); one the user edited is theirs and stays. Returns the ids moved.
   */
  retire(keys: readonly string[]): string[] {
    return this.db
      .transaction(() => {
        const retired: string[] = [];
        for (const key of keys) {
          const row = this.rows.builtinRow(key);
          const record = this.installRecord(key);
          if (row === undefined || row.deleted_at !== null || record === undefined) continue;
          if (contentHash(this.rows.toAction(row)) !== record.content_hash) continue;
          this.writes.softDelete(row.id);
          retired.push(row.id);
        }
        return retired;
      })
      .immediate();
  }

  /** Puts built-ins back as shipped (explicitly asked for): the user's edit stays in history. */
  restore(defs: readonly BuiltinDefinition[]): Action[] {
    return this.db
      .transaction(() =>
        defs.map((def) => {
          const row = this.rows.builtinRow(def.key);
          const builtin = { key: def.key, revision: def.revision };
          let action: Action;
          if (row === undefined)
            action = this.writes.create(def.content, {
              reason: 'builtin-restore',
              builtin,
              uniqueName: true,
              id: this.freeId(def.id),
            });
          else {
            if (row.deleted_at !== null) this.writes.undelete(row.id);
            action = this.writes.update(
              row.id,
              { ...def.content, name: this.nameFor(def.content.name, row.id) },
              { reason: 'builtin-restore', builtin },
            );
          }
          this.recordInstall(def.key, def.revision, contentHash(action));
          return action;
        }),
      )
      .immediate();
  }

  /** The shipped id when no action has it yet, else none (a fresh one is made). */
  private freeId(id: string | undefined): string | undefined {
    return id !== undefined && this.rows.row(id) === undefined ? id : undefined;
  }

  private nameFor(name: string, id: string): string {
    return this.rows.uniqueName(name, id);
  }

  private installRecord(key: string): { revision: number; content_hash: string } | undefined {
    return this.rows
      .sql<[string], { revision: number; content_hash: string }>(
        'SELECT revision, content_hash FROM builtin_installs WHERE key = ?',
      )
      .get(key);
  }

  private recordInstall(key: string, revision: number, hash: string): void {
    this.rows
      .sql(
        `INSERT INTO builtin_installs (key, revision, content_hash, installed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET revision = excluded.revision,
           content_hash = excluded.content_hash, installed_at = excluded.installed_at`,
      )
      .run(key, revision, hash, this.now());
  }
}
