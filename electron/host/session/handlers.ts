// Contract handlers of the `session`, `events` and `terminal` domains. Placeholder until the
// session engine lands: every method answers `unavailable`, saying so.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import { AppError } from '../../../shared/contract/result';
import { sessionMethods } from '../../../shared/contract/session';

export interface SessionHandlerDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
}

export function createSessionHandlers(_deps: SessionHandlerDeps): {
  handlers: DomainHandlers<typeof sessionMethods>;
  dispose(): Promise<void>;
} {
  const unavailable = () => {
    throw new AppError('unavailable', 'the session engine is not built yet');
  };
  const handlers = Object.fromEntries(Object.keys(sessionMethods).map((k) => [k, unavailable]));
  return {
    handlers: handlers as unknown as DomainHandlers<typeof sessionMethods>,
    dispose: async () => undefined,
  };
}
