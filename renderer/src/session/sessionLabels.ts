// Words for the session state in the header: status, mode and what the debuggee is doing,
// and which run control applies (pause/continue in Debugger Mode, mute in VMI mode). Pure.
import type { SessionState, SessionStatus } from '../../../shared/contract/session';

export const STATUS_LABELS: Readonly<Record<SessionStatus, string>> = {
  disconnected: 'not connected',
  starting: 'starting…',
  connecting: 'connecting…',
  ready: 'connected',
  lost: 'connection lost',
  stopping: 'disconnecting…',
};

export function statusTone(s: SessionStatus): 'ok' | 'warn' | 'err' | '' {
  return s === 'ready' ? 'ok' : s === 'lost' ? 'err' : s === 'disconnected' ? '' : 'warn';
}

export function modeLabel(s: SessionState): string | null {
  switch (s.mode) {
    case 'vmi':
      return s.vmmLoaded ? 'VMI mode' : 'VMI mode (vmm not loaded)';
    case 'debugger':
      return 'Debugger Mode';
    case 'remote':
      return 'remote (TCP)';
    case 'user':
      return 'user-mode debugging';
    case 'none':
      return null;
  }
}

/**
 * The run control the header offers: Debugger Mode pauses and continues the debuggee; VMI
 * mode's `pause` only stops printing and discards what arrives meanwhile (spec §2.7), so it is
 * offered as "mute", saying so.
 */
export type RunControl =
  | { readonly kind: 'pause' }
  | { readonly kind: 'continue' }
  | { readonly kind: 'mute' }
  | { readonly kind: 'unmute' }
  | { readonly kind: 'none' };

export function runControl(s: SessionState | null): RunControl {
  if (s === null || s.status !== 'ready') return { kind: 'none' };
  if (s.mode === 'debugger')
    return s.debuggee === 'paused' ? { kind: 'continue' } : { kind: 'pause' };
  if (s.mode === 'vmi') return s.muted ? { kind: 'unmute' } : { kind: 'mute' };
  return { kind: 'none' };
}

export const MUTE_EXPLANATION =
  "HyperDbg's pause in VMI mode does not stop the system: it stops printing, and every record produced while muted is read and thrown away (docs/hyperdbg-v0.23.md §2.7), not kept for later.";

/** Mute while records are forwarded: the sink is served before the mute (spec §6.4). */
export const MUTE_EXPLANATION_FORWARDED =
  "HyperDbg's pause in VMI mode stops its console printing (docs/hyperdbg-v0.23.md §2.7), but the app's records travel through its output sink, which HyperDbg serves before that test (§6.4): they keep arriving.";

/** The header's words for where records travel: the short label and the whole story. */
export function recordsLabel(
  s: SessionState,
): { readonly text: string; readonly title: string } | null {
  const r = s.records;
  switch (r.kind) {
    case 'none':
      return null;
    case 'forwarded':
      return {
        text: `records: forwarded (${r.transport})`,
        title: `Records travel through the output sink ${r.sink} at ${r.address}, not the console (docs/hyperdbg-v0.23.md §6.4)`,
      };
    case 'pending':
      return { text: 'records: sink pending', title: r.reason };
    case 'console':
      return { text: `records: console — ${r.reason}`, title: r.reason };
  }
}

/** How the CLI process ended, in words. */
export function exitText(s: SessionState): string | null {
  if (s.exit === null) return null;
  if (s.exit.signal !== null) return `the CLI was killed (signal ${s.exit.signal})`;
  if (s.exit.code !== null) return `the CLI exited with code ${s.exit.code}`;
  return 'the CLI ended';
}
