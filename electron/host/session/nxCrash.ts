// Why a session was lost when custom code ran on a target that allocates it as non-executable
// pool (docs/hyperdbg-v0.23.md §5.6): a local-VMI CLI that ended with the bug check's status
// (252, 0xFC: the simulator's, as the machine that ran it went down), or a Debugger-Mode
// debuggee that stopped answering after such an event. Also the host's refusal of custom code
// without the user's confirmation. Host side; pure.
import { AppError } from '../../../shared/contract/result';
import type { EventInfo, SessionCapability, SessionState } from '../../../shared/contract/session';
import {
  NX_BUGCHECK_CODE,
  NX_BUGCHECK_NAME,
  NX_SECTION,
  nxRiskText,
  tokensRunCustomCode,
} from '../../../shared/hyperdbg/nxRisk';
import { cliTokens } from './commandLine';

/** The newest event that carries custom or condition code and was not cleared, if any. */
export function newestCustomCodeEvent(events: readonly EventInfo[]): EventInfo | null {
  let best: EventInfo | null = null;
  for (const e of events) {
    if (e.state === 'cleared') continue;
    const runsCode =
      e.binding !== null
        ? e.binding.code !== undefined || e.binding.condition !== undefined
        : tokensRunCustomCode(cliTokens(e.command));
    if (runsCode && (best === null || parseInt(e.id, 16) > parseInt(best.id, 16))) best = e;
  }
  return best;
}

/**
 * The cause of a CLI exit, when it is the NX bug check: status 252 (0xFC) after an event with
 * custom code on a target whose custom code may fault. Null for any other end.
 */
export function bugCheckCause(
  exit: NonNullable<SessionState['exit']>,
  events: readonly EventInfo[],
  capability: SessionCapability | null,
): string | null {
  if (exit.signal !== null || exit.code !== NX_BUGCHECK_CODE) return null;
  if (capability?.customCodeMayFault !== true) return null;
  const ev = newestCustomCodeEvent(events);
  if (ev === null) return null;
  return `the target bug-checked with 0x${NX_BUGCHECK_CODE.toString(16).toUpperCase()} ${NX_BUGCHECK_NAME} right after event ${ev.id} with custom code triggered: this HyperDbg build runs custom code from non-executable memory (${NX_SECTION})`;
}

/**
 * Why a Debugger-Mode debuggee no longer answers Ctrl+C, when an event with custom code is
 * active on a target whose custom code may fault: the likely bug check. Null otherwise.
 */
export function silentDebuggeeCause(
  events: readonly EventInfo[],
  capability: SessionCapability | null,
): string | null {
  if (capability?.customCodeMayFault !== true) return null;
  const ev = newestCustomCodeEvent(events);
  if (ev === null) return null;
  return `the debuggee stopped answering after event ${ev.id} with custom code was applied: it most likely bug-checked with 0x${NX_BUGCHECK_CODE.toString(16).toUpperCase()} ${NX_BUGCHECK_NAME} when the event triggered, because this HyperDbg build runs custom code from non-executable memory (${NX_SECTION}). Restart the debuggee machine, then reconnect`;
}

/**
 * Refuses custom or condition code on a target whose custom code may fault unless the user
 * confirmed it: the caller may be a script or another client that never showed the warning.
 */
export function requireNxConfirmation(
  runsCode: boolean,
  capability: SessionCapability | null,
  mode: 'vmi' | 'debugger',
  accepted: boolean,
): void {
  if (!runsCode || accepted || capability?.customCodeMayFault !== true) return;
  throw new AppError(
    'needs-confirmation',
    `${nxRiskText(mode)} Confirm to apply it anyway.`,
    'acceptNxCrash',
  );
}
