// Which Windows build the session's target runs, as the session state reports it: the
// debuggee's connect line wins (Debugger Mode), else what the one-shot build probe found. Apart
// from the session facade because the probe has a life of its own: concurrent callers share
// one, and its answer is dropped when the CLI process it asked was replaced meanwhile. Host side.
import {
  UNKNOWN_WINDOWS_BUILD,
  type SessionState,
  type WindowsBuildFact,
} from '../../../shared/contract/session';
import { runBuildProbe, type BuildProbePort } from './buildProbe';
import type { CliFacts } from './cliFacts';

export interface WindowsBuildPort {
  /** Applies, waits for and clears the probe event; names a build's release. */
  readonly probe: BuildProbePort;
  /** The CLI process generation now: a probe's answer for an older one is dropped. */
  readonly generation: () => number;
  /** Throws unless a session is connected (a probe needs one). */
  readonly requireReady: () => void;
  readonly changed: () => void;
  readonly state: () => SessionState;
}

export class WindowsBuildTracker {
  private fact: WindowsBuildFact = UNKNOWN_WINDOWS_BUILD;
  private probing: Promise<SessionState> | null = null;

  constructor(private readonly port: WindowsBuildPort) {}

  /** A new CLI process: what the last probe found no longer holds. */
  reset(): void {
    this.fact = UNKNOWN_WINDOWS_BUILD;
  }

  /** The debuggee's connect line wins (Debugger Mode); else what the probe found. */
  of(f: CliFacts): WindowsBuildFact {
    const os = f.mode === 'debugger' ? f.debuggeeOs : null;
    if (os?.build != null)
      return {
        state: 'known',
        build: os.build,
        source: 'debuggee',
        release: this.port.probe.release(os.build),
        detail: `connected to debuggee ${os.description}`,
      };
    if (this.fact.state === 'unknown' && f.mode === 'debugger')
      return {
        ...UNKNOWN_WINDOWS_BUILD,
        detail:
          "the debuggee's connect line named no build (v0.23 always formats one, docs/hyperdbg-v0.23.md §1.2, so this is unexpected): detect it with the build probe",
      };
    return this.fact;
  }

  /**
   * Detects the Windows build with the one-shot probe event (shared/hyperdbg/buildProbe.ts);
   * concurrent calls share one probe. Resolves with the state once it is known or failed.
   */
  detect(): Promise<SessionState> {
    if (this.probing !== null) return this.probing;
    this.port.requireReady();
    const generation = this.port.generation();
    this.fact = { ...UNKNOWN_WINDOWS_BUILD, state: 'detecting' };
    this.port.changed();
    const probe = runBuildProbe(this.port.probe)
      .then((fact) => {
        if (this.port.generation() === generation) this.fact = fact;
        this.port.changed();
        return this.port.state();
      })
      .finally(() => {
        this.probing = null;
      });
    this.probing = probe;
    return probe;
  }
}
