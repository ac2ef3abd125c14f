// Composition root shared by every host (Electron main, the web host, tests): builds the
// services once and exposes them as contract handlers plus a stream hub. No `electron` import.
import { mkdirSync } from 'node:fs';
import type { Handlers } from '../../shared/contract/dispatch';
import { createStreamHub, type StreamHub } from '../../shared/contract/hub';
import type { SimulatorOptions } from '../../shared/contract/session';
import { createAppHandlers } from './app/appHandlers';
import { startHeartbeat } from './app/heartbeat';
import { createLibraryHandlers } from './library/handlers';
import { createSessionHandlers } from './session/handlers';

export interface HostOptions {
  readonly hostKind: 'electron' | 'web';
  readonly dataDir: string;
  readonly appVersion: string;
  /** Options for the default (simulator) target, passed to the renderer in `app:info`. */
  readonly simulatorDefaults?: SimulatorOptions;
  /** Heartbeat period; tests shorten it. */
  readonly heartbeatMs?: number;
}

export interface Host {
  readonly handlers: Handlers;
  readonly hub: StreamHub;
  dispose(): Promise<void>;
}

export async function createHost(opts: HostOptions): Promise<Host> {
  mkdirSync(opts.dataDir, { recursive: true });
  const hub = createStreamHub((e) => console.error('stream listener failed:', e));
  const stopHeartbeat = startHeartbeat(hub, opts.heartbeatMs);
  const library = createLibraryHandlers({ hub, dataDir: opts.dataDir });
  const session = createSessionHandlers({ hub, dataDir: opts.dataDir });
  const handlers: Handlers = {
    ...createAppHandlers(opts),
    ...library.handlers,
    ...session.handlers,
  };
  return {
    handlers,
    hub,
    async dispose() {
      stopHeartbeat();
      // The session first: it may still be writing records the library's store must keep.
      await session.dispose();
      await library.dispose();
    },
  };
}
