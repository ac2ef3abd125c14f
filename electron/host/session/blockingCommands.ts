// Which command lines block hyperdbg-cli v0.23 until a Debugger-Mode debuggee pauses, and what
// text ends them: `g` (kd.cpp KdBreakControlCheckAndContinueDebugger), the commands forwarded with
// WONT_STOP_DEBUGGER_AGAIN (interpreter.cpp HyperDbgInterpreter: `pause`, `cont`, `.start`,
// `.restart`, `.attach`, `.detach`, then KdSetStatusAndWaitForPause), and `.debug remote ...`.
// Such a command gets no sync marker: it would sit unread in stdin. Host side; pure.
import type { SessionMode } from '../../../shared/contract/session';
import type { BlockingEnd, Completion } from './commandQueue';
import { cliTokens } from './commandLine';

export interface CompletionPlan {
  readonly completion: Completion;
  /** For a blocking command: the text that means it succeeded. */
  readonly until?: BlockingEnd;
}

const MARKER: CompletionPlan = { completion: 'marker' };
const UNTIL_RUNNING: CompletionPlan = { completion: 'blocking', until: 'running' };

/** `g` and its alias: handled locally (ABSOLUTE_LOCAL), so extra tokens get the usage error. */
const CONTINUE_COMMANDS = new Set(['g', 'go']);
/**
 * Commands whose attributes are DEBUGGER_COMMAND_ATTRIBUTE_WONT_STOP_DEBUGGER_AGAIN (commands.h):
 * in Debugger Mode they are sent to the debuggee as typed (whatever their tokens), and the CLI
 * then prints `debuggee is running...` and waits. `pause` therefore resumes the debuggee.
 */
const FORWARDED_THEN_RUNNING = new Set([
  'pause',
  '.pause',
  'cont',
  'continue',
  '.attach',
  'attach',
  '.detach',
  'detach',
  '.start',
  'start',
  '.restart',
  'restart',
]);

/** How the queue must delimit `line`'s output while the CLI is in `mode`. */
export function completionFor(line: string, mode: SessionMode): CompletionPlan {
  const tokens = cliTokens(line).map((t) => t.toLowerCase());
  const first = tokens[0] ?? '';
  if (first === '.debug' || first === 'debug') {
    if (!tokens.includes('remote')) return MARKER;
    // `.debug remote pause ...` pauses the debuggee once connected: it ends at the kernel prompt
    // printed after the pause's disassembly (kd.cpp KdSendPausePacketToDebuggee waits for it).
    return {
      completion: 'blocking',
      until: tokens.includes('pause') ? 'kernel-prompt' : 'running',
    };
  }
  if (mode !== 'debugger') return MARKER;
  if (CONTINUE_COMMANDS.has(first)) return tokens.length === 1 ? UNTIL_RUNNING : MARKER;
  if (FORWARDED_THEN_RUNNING.has(first)) return UNTIL_RUNNING;
  return MARKER;
}
