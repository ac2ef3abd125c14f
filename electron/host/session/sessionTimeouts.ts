// How long the session waits for each thing hyperdbg-cli does (first prompt, a command, loading
// the driver, a debuggee, a pause, an exit), with the spec's reason for each. Host side.

export interface SessionTimeouts {
  /** From spawn to the first prompt (the banner comes first, spec §1.2). */
  readonly startupMs: number;
  /** A command that gave no timeout of its own. */
  readonly commandMs: number;
  /** `load vmm` installs and starts a driver (spec §2.6). */
  readonly loadMs: number;
  /** `.debug remote ...` waits for the debuggee with no timeout of its own (spec §2.3). */
  readonly debuggeeConnectMs: number;
  /** Ctrl+C to the kernel prompt of a paused debuggee (spec §2.7). */
  readonly pauseMs: number;
  /** `exit` unloads the driver first (spec §2.8: about a second) before the process ends. */
  readonly exitMs: number;
  /**
   * The CLI's connection to the app's forwarding sink after `output create` was answered. It
   * connects inside `create` (spec §6.4), so it is normally there before the answer; a loaded
   * machine gets a generous margin before the app falls back to the console.
   */
  readonly sinkConnectMs: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  startupMs: 15_000,
  commandMs: 15_000,
  loadMs: 60_000,
  debuggeeConnectMs: 120_000,
  pauseMs: 10_000,
  exitMs: 10_000,
  sinkConnectMs: 5_000,
};
