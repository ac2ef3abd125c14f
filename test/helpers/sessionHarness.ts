// Builds the session engine as the app does, against the built simulator (dist/sim/index.mjs)
// through a real pty, with a recording RecordSink and a fresh data folder. Test side.
import { join } from 'node:path';
import { createStreamHub, type StreamHub } from '../../shared/contract/hub';
import type { ConnectInput, SessionState } from '../../shared/contract/session';
import type {
  IngestedRecord,
  MalformedLine,
  RecordSink,
  SessionMark,
} from '../../electron/host/log/sink';
import {
  SessionService,
  type SessionServiceDeps,
  type SessionTimeouts,
} from '../../electron/host/session/sessionService';
import { distDir, tempDir } from './paths';

export class RecordingSink implements RecordSink {
  readonly recordBatches: IngestedRecord[][] = [];
  readonly malformedBatches: MalformedLine[][] = [];
  readonly started: SessionMark[] = [];
  readonly ended: (SessionMark & { reason: string })[] = [];

  records(batch: readonly IngestedRecord[]): void {
    this.recordBatches.push([...batch]);
  }
  malformed(batch: readonly MalformedLine[]): void {
    this.malformedBatches.push([...batch]);
  }
  sessionStarted(mark: SessionMark): void {
    this.started.push(mark);
  }
  sessionEnded(mark: SessionMark & { readonly reason: string }): void {
    this.ended.push({ ...mark });
  }
  get allRecords(): IngestedRecord[] {
    return this.recordBatches.flat();
  }
  get allMalformed(): MalformedLine[] {
    return this.malformedBatches.flat();
  }
}

export interface Harness {
  readonly service: SessionService;
  readonly hub: StreamHub;
  readonly sink: RecordingSink;
  readonly dataDir: string;
  readonly states: SessionState[];
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  /**
   * Where records travel (default `auto`, as in the app). Tests of the console's record path
   * (its parsing, transcripts, exact event lines) choose `console`.
   */
  readonly recordChannel?: 'auto' | 'console';
  /** Wraps the real sink listener (forwarding tests break its connection). */
  readonly listenForSink?: SessionServiceDeps['listenForSink'];
  /** The sink's transport (default: this platform's). */
  readonly sinkTransport?: SessionServiceDeps['sinkTransport'];
  /** Detect the Windows build at connect in VMI mode (the app's build probe, event 0). */
  readonly detectBuild?: boolean;
  readonly releaseOf?: (b: number) => string | null;
}

export function createHarness(
  timeouts: Partial<SessionTimeouts> = {},
  options: HarnessOptions = {},
): Harness {
  const hub = createStreamHub((e) => {
    throw e;
  });
  const sink = new RecordingSink();
  const dataDir = tempDir('hds-session-');
  const service = new SessionService({
    hub,
    dataDir,
    sink,
    simulatorEntry: join(distDir, 'sim/index.mjs'),
    timeouts: { startupMs: 20_000, debuggeeConnectMs: 20_000, ...timeouts },
    ...(options.recordChannel !== undefined ? { recordChannel: options.recordChannel } : {}),
    ...(options.listenForSink !== undefined ? { listenForSink: options.listenForSink } : {}),
    ...(options.sinkTransport !== undefined ? { sinkTransport: options.sinkTransport } : {}),
    ...(options.detectBuild !== undefined ? { detectBuild: options.detectBuild } : {}),
    ...(options.releaseOf !== undefined ? { releaseOf: options.releaseOf } : {}),
  });
  const states: SessionState[] = [];
  hub.subscribe('session:state', (s) => states.push(s));
  return { service, hub, sink, dataDir, states, dispose: () => service.dispose() };
}

/** A connect input for the simulator: local VMI or Debugger Mode over the default pipe. */
export function simProfile(
  connection: 'local' | 'namedPipe',
  simulator: ConnectInput['simulator'] = { seed: 7, pacing: 'fast' },
): ConnectInput {
  return {
    profile: {
      name: 'simulator',
      cliPath: '',
      connection: connection === 'local' ? { kind: 'local' } : { kind: 'namedPipe' },
      workingDirectory: '',
      capability: 'auto',
    },
    simulator,
  };
}

/** Polls `check` until it holds or `ms` pass. */
export async function eventually(
  check: () => boolean,
  ms = 10_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
