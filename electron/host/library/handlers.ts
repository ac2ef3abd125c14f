// Contract handlers of the `library` and `asm` domains. Filled by the action library.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import type { libraryMethods } from '../../../shared/contract/library';

export interface LibraryHandlerDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
}

export function createLibraryHandlers(_deps: LibraryHandlerDeps): {
  handlers: DomainHandlers<typeof libraryMethods>;
  dispose(): Promise<void>;
} {
  return { handlers: {}, dispose: async () => undefined };
}
