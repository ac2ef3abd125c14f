// Contract handlers of the `session` domain. Filled by the session engine.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import type { sessionMethods } from '../../../shared/contract/session';

export interface SessionHandlerDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
}

export function createSessionHandlers(_deps: SessionHandlerDeps): {
  handlers: DomainHandlers<typeof sessionMethods>;
  dispose(): Promise<void>;
} {
  return { handlers: {}, dispose: async () => undefined };
}
