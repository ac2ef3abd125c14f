// The action library as one service: opens the store on first use (installing built-ins),
// assembles code on save, imports and exports files, and reports every change. The contract
// handlers and the CLI both use it. Host side.
import { basename, extname } from 'node:path';
import { AppError } from '../../../shared/contract/result';
import type { BuiltinInfo, LibraryChange, SaveResult } from '../../../shared/contract/library';
import { describeChar } from '../../../shared/hyperdbg/grammar';
import {
  canonicalContent,
  MAX_DESCRIPTION_LENGTH,
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
import { importTextProblem } from '../../../shared/model/importText';
import type { ConnectionProfile, ProfileDraft } from '../../../shared/model/actionTarget';
import type { EventKind } from '../../../shared/model/eventKinds';
import { assembleAction } from '../asm/asmService';
import {
  prepareImportItem,
  type BuiltinDefinition,
  type PreparedImportItem,
} from '../store/actions';
import { openLibraryStore, type LibraryStore } from '../store/libraryStore';
import { findBuiltinsDir, loadBuiltins, RETIRED_BUILTIN_KEYS } from './builtins';
import {
  exportFileName,
  readExchangeFile,
  writeExchangeFile,
  type AssembleFn,
  type ImportCandidate,
} from './exchange';
import { readScriptFileInSlices } from './scriptImport';
import { createSlicer } from './timeSlice';

export interface LibraryServiceOptions {
  readonly dataDir: string;
  /** Where the built-in files are; found beside the app when not given. */
  readonly builtinsDir?: string;
  readonly now?: () => number;
  readonly onChange?: (change: LibraryChange) => void;
  /** Written into exported files. */
  readonly generator?: string;
  /**
   * Why the data folder cannot be written (dataFolders.ts): the library is then opened without
   * writing it, and every change is refused with this reason.
   */
  readonly readOnlyBecause?: string | null;
}

/** SQLite's and the file system's ways of saying the library file cannot be written. */
const READ_ONLY_CODES = new Set(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'EROFS', 'EACCES', 'EPERM']);

function readOnlyFailure(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return (
    typeof code === 'string' && (READ_ONLY_CODES.has(code) || code.startsWith('SQLITE_READONLY'))
  );
}

/**
 * Actions read between two turns of the event loop when the log reloads its schemas: a library
 * of thousands (after a large import) must not hold up the pty reader or the heartbeat.
 */
const ACTIONS_PER_TURN = 250;

/** An action that can print records, as far as decoding them needs it. */
export interface RecordAction {
  readonly id: string;
  readonly name: string;
  readonly kind: 'log' | 'code';
  readonly bufferSchema: BufferSchema;
  /** What its event command carries: the code bytes (hex) or the script (an import matches them). */
  readonly codeHex: string | null;
  readonly script: string | null;
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
  /**
   * Writes run one after another. An import keeps its transaction open across event-loop turns
   * (ActionStore.importPrepared), and a write on the same connection meanwhile would join it.
   */
  private writing: Promise<unknown> = Promise.resolve();
  /** Why changes are refused (an unwritable data folder or library file), or null. */
  private readOnlyBecause: string | null;

  constructor(private readonly options: LibraryServiceOptions) {
    this.now = options.now ?? Date.now;
    this.readOnlyBecause = options.readOnlyBecause ?? null;
  }

  /** Why the library cannot be changed, or null when it can. */
  get readOnlyReason(): string | null {
    return this.readOnlyBecause;
  }

  private assertWritable(): void {
    if (this.readOnlyBecause !== null)
      throw new AppError(
        'unavailable',
        `the action library is read-only, nothing was changed: ${this.readOnlyBecause}`,
      );
  }

  /** Opens the library file for writing, or, when it cannot be written, without writing. */
  private openStore(): LibraryStore {
    const opts = { now: this.now };
    if (this.readOnlyBecause !== null)
      return openLibraryStore(this.options.dataDir, { ...opts, readOnly: true });
    try {
      return openLibraryStore(this.options.dataDir, opts);
    } catch (e) {
      if (!readOnlyFailure(e)) throw e;
      const store = openLibraryStore(this.options.dataDir, { ...opts, readOnly: true });
      this.readOnlyBecause = `${store.file} cannot be written (${String((e as { code?: unknown }).code)})`;
      console.error(`HyperDbg Studio: ${this.readOnlyBecause}; the action library is read-only`);
      return store;
    }
  }

  /** Opens the database once; a failure (corrupt, newer schema) is reported and retried next call. */
  open(): Promise<LibraryStore> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'the library is closed'));
    if (this.store !== undefined) return Promise.resolve(this.store);
    this.opening ??= (async () => {
      try {
        const builtins = await this.readBuiltins();
        const store = this.openStore();
        try {
          // Read-only: the built-ins go only into an empty library held in memory.
          if (store.readOnly === null || store.readOnly === 'empty') {
            const { installed, updated } = store.actions.installBuiltins(builtins);
            const retired = store.actions.retireBuiltins(
              RETIRED_BUILTIN_KEYS.filter((k) => !builtins.some((b) => b.key === k)),
            );
            if (installed.length + updated.length + retired.length > 0)
              this.changed('actions', 'builtins-installed', []);
          }
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

  /** Runs a change after the ones before it, on a library that can be written. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writing.then(async () => {
      await this.open();
      this.assertWritable();
      return fn();
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
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
    let read = 0;
    for (const s of actions.list(true)) {
      // A damaged row has no schema to decode with; its records show as hex.
      if (s.kind === 'break' || s.damaged !== undefined) continue;
      if (++read % ACTIONS_PER_TURN === 0) await new Promise((r) => setImmediate(r));
      const a = actions.get(s.id, { includeDeleted: true });
      if (a.kind !== 'break')
        out.push({
          id: a.id,
          name: a.name,
          kind: a.kind,
          bufferSchema: a.bufferSchema,
          codeHex: a.kind === 'code' ? a.code.bytesHex : null,
          script: a.kind === 'log' ? a.script : null,
        });
    }
    return out;
  }

  async save(input: {
    id?: string;
    baseVersion?: number;
    action: ActionDraft;
  }): Promise<SaveResult> {
    const { content, diagnostics } = await this.assembled(input.action);
    return this.exclusive(async () => {
      const store = await this.open();
      const action =
        input.id === undefined
          ? store.actions.create(content)
          : store.actions.update(input.id, content, { baseVersion: input.baseVersion });
      this.changed('actions', input.id === undefined ? 'created' : 'saved', [action.id]);
      return { action, diagnostics };
    });
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
    return this.exclusive(async () => {
      const action = (await this.open()).actions.duplicate(id, name);
      this.changed('actions', 'duplicated', [action.id]);
      return action;
    });
  }

  async rename(id: string, name: string, baseVersion?: number): Promise<Action> {
    return this.exclusive(async () => {
      const action = (await this.open()).actions.rename(id, name, baseVersion);
      this.changed('actions', 'renamed', [id]);
      return action;
    });
  }

  async delete(id: string): Promise<{ id: string; deletedAt: number }> {
    return this.exclusive(async () => {
      const r = (await this.open()).actions.softDelete(id);
      this.changed('actions', 'deleted', [id]);
      return r;
    });
  }

  async undelete(id: string): Promise<Action> {
    return this.exclusive(async () => {
      const action = (await this.open()).actions.undelete(id);
      this.changed('actions', 'undeleted', [id]);
      return action;
    });
  }

  async history(id: string): Promise<VersionSummary[]> {
    return (await this.open()).actions.history(id);
  }

  async getVersion(id: string, version: number): Promise<ActionVersion> {
    return (await this.open()).actions.getVersion(id, version);
  }

  async restoreVersion(id: string, version: number, baseVersion?: number): Promise<Action> {
    return this.exclusive(async () => {
      const action = (await this.open()).actions.restoreVersion(id, version, baseVersion);
      this.changed('actions', 'restored', [id]);
      return action;
    });
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
    return this.exclusive(async () => {
      const store = await this.open();
      const unknown = (keys ?? []).filter((k) => !this.builtins.some((b) => b.key === k));
      if (unknown.length > 0)
        throw new AppError(
          'not-found',
          `no built-in action with key ${unknown.join(', ')}`,
          'keys',
        );
      const defs =
        keys === undefined ? this.builtins : this.builtins.filter((b) => keys.includes(b.key));
      const restored = store.actions.restoreBuiltins(defs);
      this.changed(
        'actions',
        'builtins-restored',
        restored.map((a) => a.id),
      );
      return restored;
    });
  }

  /**
   * Imports a file, all or nothing; `format` auto picks by extension, then by content. A large
   * file is read in slices, so the host keeps answering (heartbeat, other calls, the pty); only
   * the writing holds other writes back.
   */
  async importFile(
    fileName: string,
    content: string,
    format: 'auto' | 'json' | 'script' = 'auto',
  ): Promise<ImportReport> {
    const name = basename(fileName);
    // The name goes into actions' names and descriptions, and into every message about them.
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    const control = /[\u0000-\u001f\u007f-\u009f]/.exec(name);
    if (control !== null)
      throw new AppError(
        'invalid-input',
        `the file name ${JSON.stringify(name)} contains ${describeChar(control[0])} at position ${control.index + 1}: action names hold no control characters; rename the file`,
        'fileName',
      );
    const problem = importTextProblem(content);
    if (problem !== null) throw new AppError('invalid-input', `${name}: ${problem}`, 'content');
    await this.open();
    this.assertWritable();
    // A `.json` file is an exchange file, parsed as JSON even when it is not: a damaged export
    // must be refused as such, not read as a HyperDbg script.
    const ext = extname(name).toLowerCase();
    const asScript =
      format === 'script' ||
      (format === 'auto' &&
        ext !== '.json' &&
        (SCRIPT_EXTENSIONS.has(ext) || !content.trimStart().startsWith('{')));
    const pause = createSlicer();
    const { candidates, notImported } = asScript
      ? await this.scriptCandidates(content, name, pause)
      : {
          candidates: await readExchangeFile(content, name, assembleForCheck, pause),
          notImported: [],
        };
    const prepared: PreparedImportItem[] = [];
    for (const c of candidates) {
      prepared.push(
        prepareImportItem({ id: c.id, content: c.content }, `${name}: ${c.content.name}`),
      );
      await pause();
    }
    return this.exclusive(async () => {
      const store = await this.open();
      const report = await store.actions.importPrepared(prepared, pause);
      if (report.imported.length > 0)
        this.changed(
          'actions',
          'imported',
          report.imported.map((a) => a.id),
        );
      return { imported: report.imported, skipped: [...report.skipped, ...notImported] };
    });
  }

  private async scriptCandidates(
    content: string,
    fileName: string,
    pause: () => Promise<void>,
  ): Promise<{ candidates: ImportCandidate[]; notImported: ImportReport['skipped'][number][] }> {
    const { scripts, skipped, moreSkipped } = await readScriptFileInSlices(
      content,
      fileName,
      pause,
    );
    const notImported = skipped.map((k) => ({
      name: `line ${k.line}: ${k.text}`,
      reason: k.reason,
    }));
    if (moreSkipped > 0)
      notImported.push({
        name: `${moreSkipped} more line${moreSkipped === 1 ? '' : 's'}`,
        reason: 'not event commands with a script block (not listed one by one)',
      });
    const stem = basename(fileName, extname(fileName)) || 'script';
    const candidates = scripts.map((s): ImportCandidate => {
      const where = scripts.length === 1 ? '' : ` (line ${s.line})`;
      const label = s.eventKind === null ? stem : `${stem}: ${s.eventKind}`;
      const bound = s.command === '' ? '' : `\nIt was bound as: ${s.command}`;
      const description = `Imported from ${fileName}, line ${s.line}.${bound}`;
      // A valid command can be longer than a description holds (many filters, a code block):
      // said as such, rather than stored and later read back as a damaged row.
      if (description.length > MAX_DESCRIPTION_LENGTH)
        throw new AppError(
          'invalid-input',
          `${fileName}, line ${s.line}: the event command is ${s.command.length} characters without its script; an imported action keeps it in its description, which holds at most ${MAX_DESCRIPTION_LENGTH}; nothing was imported`,
        );
      return {
        id: undefined,
        builtin: undefined,
        content: canonicalContent({
          kind: 'log',
          name: `${label}${where}`.slice(0, 120),
          description,
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
    return this.exclusive(async () => {
      const p = (await this.open()).profiles.save(id, draft);
      this.changed('profiles', id === undefined ? 'created' : 'saved', [p.id]);
      return p;
    });
  }

  async deleteProfile(id: string): Promise<{ id: string }> {
    return this.exclusive(async () => {
      (await this.open()).profiles.delete(id);
      this.changed('profiles', 'deleted', [id]);
      return { id };
    });
  }

  private changed(scope: LibraryChange['scope'], reason: string, ids: readonly string[]): void {
    this.options.onChange?.({ scope, reason, ids });
  }
}
