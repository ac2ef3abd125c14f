// What custom code does to a stock HyperDbg v0.18-v0.23 target (docs/hyperdbg-v0.23.md §5.6): it
// is copied into non-executable pool and called there, so the first trigger most likely
// bug-checks the target. Which bindings and command lines run custom code, and the words every
// front (binder, console, headless CLI, host refusal, lost-session cause) uses. Pure.
import type { EventBinding } from '../model/eventBinding';

/** The bug check of executing NX memory (Windows' bug-check reference, 0xFC). */
export const NX_BUGCHECK_CODE = 0xfc;
export const NX_BUGCHECK_NAME = 'ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY';
export const NX_SECTION = 'docs/hyperdbg-v0.23.md §5.6';

/** The binding carries custom code or condition code: both run from the same kind of pool. */
export function runsCustomCode(binding: Pick<EventBinding, 'code' | 'condition'>): boolean {
  return binding.code !== undefined || binding.condition !== undefined;
}

/**
 * An event command's tokens (hyperdbg-cli's tokenizer, braces kept) carry a `code {...}` or
 * `condition {...}` block. A script's text is one braced token, so words inside it never count.
 */
export function tokensRunCustomCode(tokens: readonly string[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = (tokens[i] as string).toLowerCase();
    if (/^(code|condition)\{/.test(t)) return true;
    if ((t === 'code' || t === 'condition') && (tokens[i + 1] ?? '').startsWith('{')) return true;
  }
  return false;
}

export interface NxRiskWords {
  /** What will happen, plainly. */
  readonly what: string;
  /** Why: the evidence from v0.23's source. */
  readonly why: string;
  /** Which machine goes down, by connection mode. */
  readonly where: string;
  /** What to do instead. */
  readonly instead: string;
}

/** The words of the NX warning for a target in this mode. */
export function nxRiskWords(mode: 'vmi' | 'debugger'): NxRiskWords {
  return {
    what: `This target will most likely crash the first time the event triggers: bug check 0x${NX_BUGCHECK_CODE.toString(16).toUpperCase()} ${NX_BUGCHECK_NAME}, or a hang.`,
    why: `Stock HyperDbg v0.18-v0.23 allocates an action's custom code and an event's condition code with ExAllocatePool2(POOL_FLAG_NON_PAGED), which is non-executable memory, and calls the code there in place (${NX_SECTION}).`,
    where:
      mode === 'debugger'
        ? 'In Debugger Mode the debuggee machine goes down and stops answering; this machine, the session and its records stay.'
        : 'In local VMI mode the target is this machine: Windows, HyperDbg and this app go down with it, and anything unsaved on it is lost.',
    instead:
      "Use a log action instead: a script that prints the same record line runs in HyperDbg's script engine, not as custom code.",
  };
}

/** The whole warning as one paragraph (host refusals, the console, the headless CLI). */
export function nxRiskText(mode: 'vmi' | 'debugger'): string {
  const w = nxRiskWords(mode);
  return `${w.what} ${w.why} ${w.where} ${w.instead}`;
}
