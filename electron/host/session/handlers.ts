// Contract handlers of the `session`, `events` and `terminal` domains: thin calls into the
// session engine (sessionService.ts). The record sink is the log service's; until a host passes
// one, records go to a no-op sink. Host side.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import type { sessionMethods } from '../../../shared/contract/session';
import type { RecordSink } from '../log/sink';
import type { CliApprovals } from './cliApprovals';
import { SessionService, type SessionTimeouts } from './sessionService';

export interface SessionHandlerDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
  /** The log service's sink; a no-op sink when absent. */
  readonly sink?: RecordSink;
  /** Where the simulator bundle is (default: beside the host bundle, or the repo's dist/). */
  readonly simulatorEntry?: string;
  readonly timeouts?: Partial<SessionTimeouts>;
  /**
   * The CLI programs the connection dialog checked (cliApprovals.ts): `session:connect` starts
   * no other. Absent: any (tests that drive the session directly).
   */
  readonly cliApprovals?: CliApprovals;
  /** Detect the Windows build at connect (VMI mode) with the probe event. */
  readonly detectBuild?: boolean;
  readonly releaseOf?: (build: number) => string | null;
}

export function createSessionHandlers(deps: SessionHandlerDeps): {
  handlers: DomainHandlers<typeof sessionMethods>;
  service: SessionService;
  dispose(): Promise<void>;
} {
  const service = new SessionService(deps);
  const handlers: DomainHandlers<typeof sessionMethods> = {
    'session:get-state': () => service.getState(),
    'session:connect': (input) => {
      if (input.profile.cliPath !== '') deps.cliApprovals?.assertApproved(input.profile.cliPath);
      return service.connect(input);
    },
    'session:disconnect': () => service.disconnect(),
    'session:restart': () => service.restart(),
    'session:command': ({ line, timeoutMs, acceptNxCrash }) =>
      service.command(line, timeoutMs, acceptNxCrash),
    'session:interrupt': () => service.interrupt(),
    'session:pause': () => service.pause(),
    'session:continue': () => service.continue(),
    'session:mute': ({ muted }) => service.mute(muted),
    'session:detect-build': () => service.detectBuild(),
    'events:list': () => service.listEvents(),
    'events:refresh': () => service.refreshEvents(),
    'events:preview': ({ binding }) => service.previewEvent(binding),
    'events:apply': ({ binding, source, acceptNxCrash }) =>
      service.applyEvent(binding, source, { acceptNxCrash }),
    'events:set-state': ({ id, op }) => service.setEventState(id, op),
    // The console stream itself: its contract outgrew sessionService's pass-through.
    'terminal:snapshot': () => service.terminal.snapshot(),
    'terminal:show-records': ({ show }) => service.terminal.setShowRecords(show),
    'terminal:ack': ({ chars }) => service.terminalAck(chars),
  };
  return { handlers, service, dispose: () => service.dispose() };
}
