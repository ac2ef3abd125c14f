// Contract handlers of the `library`, `asm` and `profile` domains: thin calls into the library
// service and the assembler. `dispose` closes the database. Host side.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import type { libraryMethods } from '../../../shared/contract/library';
import { AppError } from '../../../shared/contract/result';
import type { Action } from '../../../shared/model/action';
import type { FieldEnvironment } from '../../../shared/model/knownBuilds';
import { assembleAction, disassembleAction } from '../asm/asmService';
import { checkCliPath } from './cliCheck';
import { LibraryService, type RecordAction } from './libraryService';

export interface LibraryHandlerDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
  /** Tests point this at fixture built-ins; otherwise they are found beside the app. */
  readonly builtinsDir?: string;
  readonly now?: () => number;
  /** Told about each CLI path the connection dialog's check passed (session/cliApprovals.ts). */
  readonly onCliChecked?: (cliPath: string) => void;
  /** Why the data folder cannot be written: the library is then read-only (dataFolders.ts). */
  readonly readOnlyBecause?: string | null;
  /**
   * Where `asm:assemble` resolves structure fields (the connected target, or a chosen build);
   * undefined (or no provider): the reference build.
   */
  readonly fieldEnvironment?: (
    source: string,
    build: number | undefined,
  ) => Promise<FieldEnvironment> | undefined;
}

export function createLibraryHandlers(deps: LibraryHandlerDeps): {
  handlers: DomainHandlers<typeof libraryMethods>;
  /** The log's narrow view of the library: the actions whose schemas decode records. */
  recordActions(): Promise<RecordAction[]>;
  /** One action, for the target service's resolution and dry runs. */
  getAction(id: string): Promise<Action>;
  dispose(): Promise<void>;
} {
  const library = new LibraryService({
    dataDir: deps.dataDir,
    builtinsDir: deps.builtinsDir,
    now: deps.now,
    readOnlyBecause: deps.readOnlyBecause,
    onChange: (change) => deps.hub.publish('library:changed', change),
  });
  const handlers: DomainHandlers<typeof libraryMethods> = {
    'library:list': ({ includeDeleted }) => library.list(includeDeleted),
    'library:get': ({ id }) => library.get(id),
    'library:save': (input) => library.save(input),
    'library:duplicate': ({ id, name }) => library.duplicate(id, name),
    'library:rename': ({ id, name, baseVersion }) => library.rename(id, name, baseVersion),
    'library:delete': ({ id }) => library.delete(id),
    'library:undelete': ({ id }) => library.undelete(id),
    'library:history': ({ id }) => library.history(id),
    'library:get-version': ({ id, version }) => library.getVersion(id, version),
    'library:restore-version': ({ id, version, baseVersion }) =>
      library.restoreVersion(id, version, baseVersion),
    'library:builtins': () => library.listBuiltins(),
    'library:restore-builtins': ({ keys }) => library.restoreBuiltins(keys),
    'library:import': ({ fileName, content, format }) =>
      library.importFile(fileName, content, format),
    'library:export': ({ ids }) => library.exportActions(ids),
    'asm:assemble': async ({ source, role, eventKind, bufferSize, target, build }) =>
      assembleAction(source, {
        role,
        eventKind,
        bufferSize,
        target,
        fields: await deps.fieldEnvironment?.(source, build ?? undefined),
      }),
    'asm:disassemble': ({ hex, role, eventKind, bufferSize, target }) => {
      const digits = hex.replace(/\s/g, '');
      if (digits.length === 0)
        throw new AppError('invalid-input', 'no bytes to disassemble', 'hex');
      return disassembleAction(Buffer.from(digits, 'hex'), { role, eventKind, bufferSize, target });
    },
    'profile:list': () => library.listProfiles(),
    'profile:save': ({ id, profile }) => library.saveProfile(id, profile),
    'profile:delete': ({ id }) => library.deleteProfile(id),
    'profile:check-cli': async ({ cliPath, workingDirectory }) => {
      const r = await checkCliPath(cliPath, workingDirectory);
      if (r.ok) deps.onCliChecked?.(cliPath);
      return r;
    },
  };
  return {
    handlers,
    recordActions: () => library.recordActions(),
    getAction: (id) => library.get(id),
    dispose: () => library.close(),
  };
}
