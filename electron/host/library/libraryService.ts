// The action library as one service: opens the store on first use (installing built-ins),
// assembles code on save, imports and exports files, and reports every change. The contract
// handlers and the CLI both use it. Host side.
import { basename, extname } from 'node:path';
import { AppError } from '../../../shared/contract/result';
import type { BuiltinInfo, LibraryChange, SaveResult } from '../../../shared/contract/library';
import {
  canonicalContent,
  type Action,
  type ActionContent,
  type ActionDraft,
  type ActionSummary,
  type ActionVersion,
  type CodeBlock,
  type VersionSummary,
} from '../../../shared/model/action';
import type { AsmDiagnostic, AssemblyResult, CodeRole } from '../../../shared/model/actionAssembly';
import type { ImportReport } from '../../../shared/model/actionExport';
import type { BufferSchema } from '../../../shared/model/bufferSchema';
import type { ConnectionProfile, ProfileDraft } from '../../../shared/model/actionTarget';
import type { EventKind } from '../../../shared/model/eventKinds';
import { assembleAction } from '../asm/asmService';
import type { BuiltinDefinition } from '../store/actions';
import { openLibraryStore, type LibraryStore } from '../store/libraryStore';
import { findBuiltinsDir, loadBuiltins, RETIRED_BUILTIN_KEYS } from './builtins';
import {
  exportFileName,
  readExchangeFile,
  writeExchangeFile,
  type AssembleFn,
  type ImportCandidate,
} from './exchange';
import { readScriptFile } from './scriptImport';

export interface LibraryServiceOptions {
  readonly dataDir: string;
  /** Where the built-in files are; found beside the app when not given. */
  readonly builtinsDir?: string;
  readonly now?: () => number;
  readonly onChange?: (change: LibraryChange) => void;
  /** Written into exported files. */
  readonly generator?: string;
}

/** An action that can print records, as far as decoding them needs it. */
export interface RecordAction {
  readonly id: string;
  readonly name: string;
  readonly kind: 'log' | 'code';
  readonly bufferSchema: BufferSchema;
}

/** File extensions read as HyperDbg command/script files rather than exchange JSON. */
const SCRIPT_EXTENSIONS = new Set(['.ds', '.hds', '.txt', '.dbg']);

const assembleForCheck: AssembleFn = (source, role, ctx) =>
  assembleAction(source, {
    role,
    eventKind: ctx.eventKind,
    bufferSize: ctx.bufferSize,
    target: 'auto',
  });

export class LibraryService {
  private store: LibraryStore | undefined;
  private opening: Promise<LibraryStore> | undefined;
  private builtins: BuiltinDefinition[] = [];
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: LibraryServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Opens the database once; a failure (corrupt, newer schema) is reported and retried next call. */
  open(): Promise<LibraryStore> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'the library is closed'));
    if (this.store !== undefined) return Promise.resolve(this.store);
    this.opening ??= (async () => {
      try {
        const builtins = await this.readBuiltins();
        const store = openLibraryStore(this.options.dataDir, { now: this.now });
        try {
          const { installed, updated } = store.actions.installBuiltins(builtins);
          const retired = store.actions.retireBuiltins(
            RETIRED_BUILTIN_KEYS.filter((k) => !builtins.some((b) => b.key === k)),
          );
          if (installed.length + updated.length + retired.length > 0)
            this.changed('actions', 'builtins-installed', []);
        } catch (e) {
          store.close();
          throw e;
        }
        this.builtins = builtins;
        this.store = store;
        return store;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  /**
   * The shipped built-ins. A damaged built-in file (they are files on disk, so hostile too) must
   * not lock the user out of their own library: it is reported and the built-ins are skipped.
   */
  private async readBuiltins(): Promise<BuiltinDefinition[]> {
    const dir = this.options.builtinsDir ?? findBuiltinsDir();
    if (dir === undefined) return [];
    try {
      return await loadBuiltins(dir, assembleForCheck);
    } catch (e) {
      console.error(
        `built-in actions not installed: ${e instanceof Error ? e.message : String(e)}`,
      );
      return [];
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    this.store?.close();
    this.store = undefined;
  }

  async list(includeDeleted = false): Promise<ActionSummary[]> {
    const store = await this.open();
    const shipped = new Map(this.builtins.map((b) => [b.key, b.revision]));
    return store.actions
      .list(includeDeleted)
      .map((s) =>
        s.builtin !== null &&
        s.builtin.state === 'edited' &&
        (shipped.get(s.builtin.key) ?? 0) > s.builtin.revision
          ? { ...s, builtin: { ...s.builtin, state: 'outdated' } }
          : s,
      );
  }

  async get(id: string): Promise<Action> {
    return (await this.open()).actions.get(id);
  }

  /** By id or by name (case-insensitive), for the CLI. */
  async find(idOrName: string): Promise<Action | undefined> {
    return (await this.open()).actions.find(idOrName);
  }

  /**
   * Every action that can print records (log and code), with its buffer schema, for the log to
   * decode them. Deleted ones too: an event created before the delete still prints records.
   */
  async recordActions(): Promise<RecordAction[]> {
    const actions = (await this.open()).actions;
    const out: RecordAction[] = [];
    for (const s of actions.list(true)) {
      if (s.kind === 'break') continue;
      const a = actions.get(s.id, { includeDeleted: true });
      if (a.kind !== 'break')
        out.push({ id: a.id, name: a.name, kind: a.kind, bufferSchema: a.bufferSchema });
    }
    return out;
  }

  async save(input: {
    id?: string;
    baseVersion?: number;
    action: ActionDraft;
  }): Promise<SaveResult> {
    const store = await this.open();
    const { content, diagnostics } = await this.assembled(input.action);
    const action =
      input.id === undefined
        ? store.actions.create(content)
        : store.actions.update(input.id, content, { baseVersion: input.baseVersion });
    this.changed('actions', input.id === undefined ? 'created' : 'saved', [action.id]);
    return { action, diagnostics };
  }

  private async assembled(
    draft: ActionDraft,
  ): Promise<{ content: ActionContent; diagnostics: SaveResult['diagnostics'] }> {
    if (draft.kind !== 'code')
      return { content: canonicalContent(draft), diagnostics: { code: [], condition: [] } };
    const ctx = { eventKind: draft.eventKinds[0] ?? null, bufferSize: draft.bufferSize };
    const code = await this.block(draft.code.source, 'code', ctx);
    const condition =
      draft.condition === null ? null : await this.block(draft.condition.source, 'condition', ctx);
    return {
      content: canonicalContent({
        ...draft,
        code: code.block,
        condition: condition?.block ?? null,
      }),
      diagnostics: { code: code.diagnostics, condition: condition?.diagnostics ?? [] },
    };
  }

  private async block(
    source: string,
    role: CodeRole,
    ctx: { eventKind: EventKind | null; bufferSize: number },
  ): Promise<{ block: CodeBlock; diagnostics: readonly AsmDiagnostic[] }> {
    const r: AssemblyResult = await assembleForCheck(source, role, ctx);
    return { block: { source, bytesHex: r.ok ? r.bytesHex : null }, diagnostics: r.diagnostics };
  }

  async duplicate(id: string, name?: string): Promise<Action> {
    const action = (await this.open()).actions.duplicate(id, name);
    this.changed('actions', 'duplicated', [action.id]);
    return action;
  }

  async rename(id: string, name: string, baseVersion?: number): Promise<Action> {
    const action = (await this.open()).actions.rename(id, name, baseVersion);
    this.changed('actions', 'renamed', [id]);
    return action;
  }

  async delete(id: string): Promise<{ id: string; deletedAt: number }> {
    const r = (await this.open()).actions.softDelete(id);
    this.changed('actions', 'deleted', [id]);
    return r;
  }

  async undelete(id: string): Promise<Action> {
    const action = (await this.open()).actions.undelete(id);
    this.changed('actions', 'undeleted', [id]);
    return action;
  }

  async history(id: string): Promise<VersionSummary[]> {
    return (await this.open()).actions.history(id);
  }

  async getVersion(id: string, version: number): Promise<ActionVersion> {
    return (await this.open()).actions.getVersion(id, version);
  }

  async restoreVersion(id: string, version: number, baseVersion?: number): Promise<Action> {
    const action = (await this.open()).actions.restoreVersion(id, version, baseVersion);
    this.changed('actions', 'restored', [id]);
    return action;
  }

  async listBuiltins(): Promise<BuiltinInfo[]> {
    const summaries = new Map(
      (await this.list(true))
        .filter((s) => s.builtin !== null)
        .map((s) => [s.builtin?.key as string, s]),
    );
    return this.builtins.map((b) => {
      const s = summaries.get(b.key);
      return {
        key: b.key,
        revision: b.revision,
        name: b.content.name,
        kind: b.content.kind,
        description: b.content.description,
        windowsBuilds: b.content.windowsBuilds,
        actionId: s === undefined || s.deletedAt !== null ? null : s.id,
        state:
          s === undefined
            ? 'missing'
            : s.deletedAt !== null
              ? 'deleted'
              : (s.builtin?.state ?? 'edited'),
      };
    });
  }

  async restoreBuiltins(keys?: readonly string[]): Promise<Action[]> {
    const store = await this.open();
    const unknown = (keys ?? []).filter((k) => !this.builtins.some((b) => b.key === k));
    if (unknown.length > 0)
      throw new AppError('not-found', `no built-in action with key ${unknown.join(', ')}`, 'keys');
    const defs =
      keys === undefined ? this.builtins : this.builtins.filter((b) => keys.includes(b.key));
    const restored = store.actions.restoreBuiltins(defs);
    this.changed(
      'actions',
      'builtins-restored',
      restored.map((a) => a.id),
    );
    return restored;
  }

  /** Imports a file, all or nothing; `format` auto picks by extension, then by content. */
  async importFile(
    fileName: string,
    content: string,
    format: 'auto' | 'json' | 'script' = 'auto',
  ): Promise<ImportReport> {
    const store = await this.open();
    const name = basename(fileName);
    const asScript =
      format === 'script' ||
      (format === 'auto' &&
        (SCRIPT_EXTENSIONS.has(extname(name).toLowerCase()) ||
          !content.trimStart().startsWith('{')));
    const { candidates, notImported } = asScript
      ? this.scriptCandidates(content, name)
      : { candidates: await readExchangeFile(content, name, assembleForCheck), notImported: [] };
    const report = store.actions.importActions(
      candidates.map((c) => ({ id: c.id, content: c.content })),
    );
    if (report.imported.length > 0)
      this.changed(
        'actions',
        'imported',
        report.imported.map((a) => a.id),
      );
    return { imported: report.imported, skipped: [...report.skipped, ...notImported] };
  }

  private scriptCandidates(
    content: string,
    fileName: string,
  ): { candidates: ImportCandidate[]; notImported: ImportReport['skipped'][number][] } {
    const { scripts, skipped } = readScriptFile(content, fileName);
    const notImported = skipped.map((k) => ({
      name: `line ${k.line}: ${k.text}`,
      reason: k.reason,
    }));
    const stem = basename(fileName, extname(fileName)) || 'script';
    const candidates = scripts.map((s): ImportCandidate => {
      const where = scripts.length === 1 ? '' : ` (line ${s.line})`;
      const label = s.eventKind === null ? stem : `${stem}: ${s.eventKind}`;
      const bound = s.command === '' ? '' : `\nIt was bound as: ${s.command}`;
      return {
        id: undefined,
        builtin: undefined,
        content: canonicalContent({
          kind: 'log',
          name: `${label}${where}`.slice(0, 120),
          description: `Imported from ${fileName}, line ${s.line}.${bound}`,
          tags: ['imported'],
          eventKinds: s.eventKind === null ? [] : [s.eventKind],
          windowsBuilds: null,
          script: s.script,
          bufferSize: s.bufferSize,
          bufferSchema: [],
        }),
      };
    });
    return { candidates, notImported };
  }

  async exportActions(
    ids?: readonly string[],
  ): Promise<{ fileName: string; content: string; count: number }> {
    const store = await this.open();
    const actions =
      ids === undefined
        ? store.actions.list(false).map((s) => store.actions.get(s.id))
        : ids.map((id) => store.actions.get(id));
    const t = this.now();
    return {
      fileName: exportFileName(actions, t),
      content: writeExchangeFile(actions, this.options.generator ?? 'HyperDbg Studio', t),
      count: actions.length,
    };
  }

  async listProfiles(): Promise<ConnectionProfile[]> {
    return (await this.open()).profiles.list();
  }

  async saveProfile(id: string | undefined, draft: ProfileDraft): Promise<ConnectionProfile> {
    const p = (await this.open()).profiles.save(id, draft);
    this.changed('profiles', id === undefined ? 'created' : 'saved', [p.id]);
    return p;
  }

  async deleteProfile(id: string): Promise<{ id: string }> {
    (await this.open()).profiles.delete(id);
    this.changed('profiles', 'deleted', [id]);
    return { id };
  }

  private changed(scope: LibraryChange['scope'], reason: string, ids: readonly string[]): void {
    this.options.onChange?.({ scope, reason, ids });
  }
}
