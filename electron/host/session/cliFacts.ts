// What hyperdbg-cli's own output says about its state: the banner, the prompt's form (spec §1.4),
// and the status messages of connecting, loading, running and pausing (spec §2). A pure reducer
// from parser items to facts; the session merges the facts into its SessionState. Host side.
import { parseDebuggeeOs, type DebuggeeOs } from '../../../shared/hyperdbg/debuggeeOs';
import type { MessageItem, ParserItem } from '../../../shared/hyperdbg/items';
import type { SessionMode, SymbolState } from '../../../shared/contract/session';

export interface CliFacts {
  readonly banner: { readonly version: string; readonly build: string } | null;
  /** The banner carries the simulator's `-sim` suffix (buffer-records.md §1). */
  readonly bannerIsSimulator: boolean;
  /** A prompt has been seen: the CLI reads commands. */
  readonly prompted: boolean;
  readonly mode: SessionMode;
  /** `.connect local` succeeded (it does not change the prompt, spec §2.1). */
  readonly connectedLocally: boolean;
  readonly debuggee: 'running' | 'paused' | 'unknown';
  readonly currentCore: number | null;
  readonly vmmLoaded: boolean;
  /** VMI: HyperDbg is paused and discards kernel messages (spec §2.7). */
  readonly muted: boolean;
  /** Auto-unpause (spec §2.7): on by default; the Ctrl+C message says which it is. */
  readonly autoUnpause: boolean;
  /**
   * Bumped when a Debugger-Mode debuggee disconnects on its own: the CLI cleared every event and
   * reset IDs to 0 (spec §2.4).
   */
  readonly eventsResetCount: number;
  /** Debugger Mode: the debuggee's Windows from `connected to debuggee %s` (kd.cpp). */
  readonly debuggeeOs: DebuggeeOs | null;
  /** The symbol path as the CLI's answers tell it (symbol.cpp, sympath.cpp, sym.cpp). */
  readonly symbols: SymbolState;
}

export const INITIAL_FACTS: CliFacts = {
  banner: null,
  bannerIsSimulator: false,
  prompted: false,
  mode: 'none',
  connectedLocally: false,
  debuggee: 'unknown',
  currentCore: null,
  vmmLoaded: false,
  muted: false,
  autoUnpause: true,
  eventsResetCount: 0,
  debuggeeOs: null,
  symbols: 'unknown',
};

function leaveDebugger(f: CliFacts): CliFacts {
  return {
    ...f,
    mode: f.connectedLocally ? 'vmi' : 'none',
    debuggee: 'unknown',
    currentCore: null,
    debuggeeOs: null,
  };
}

/** The facts after one item (the same object when nothing changed). */
export function reduceFacts(f: CliFacts, item: ParserItem): CliFacts {
  switch (item.type) {
    case 'banner':
      return {
        ...f,
        banner: { version: item.version, build: item.build },
        bannerIsSimulator: item.simulator,
      };
    case 'prompt':
      switch (item.mode) {
        case 'continuation':
          return f;
        case 'kernel':
          // `%x: kHyperDbg> `: the main loop reads again, so the debuggee is halted (§1.8, §2.7).
          return {
            ...f,
            prompted: true,
            mode: 'debugger',
            debuggee: 'paused',
            currentCore: item.core ?? null,
          };
        case 'remote':
          return { ...f, prompted: true, mode: 'remote' };
        case 'user':
          return { ...f, prompted: true, mode: 'user' };
        case 'vmi': {
          if (f.mode === 'debugger' || f.mode === 'remote' || f.mode === 'user')
            return { ...leaveDebugger(f), prompted: true };
          const mode: SessionMode = f.connectedLocally ? 'vmi' : 'none';
          return f.prompted && f.mode === mode ? f : { ...f, prompted: true, mode };
        }
      }
      return f;
    case 'pause':
      return f.mode === 'debugger' ? { ...f, debuggee: 'paused' } : f;
    case 'status':
      return reduceSymbols(reduceStatus(f, item.code), item);
    case 'error':
      return reduceSymbols(reduceError(f, item.code), item);
    default:
      return f;
  }
}

function reduceStatus(f: CliFacts, code: string): CliFacts {
  switch (code) {
    case 'connected-local': // "local debugging (vmi-mode)" (§2.1)
    case 'status-local-vmi':
      return { ...f, connectedLocally: true, mode: f.mode === 'none' ? 'vmi' : f.mode };
    case 'disconnected': // "disconnected successfully" (§2.5)
      return { ...f, connectedLocally: false, mode: 'none', vmmLoaded: false, muted: false };
    case 'vmm-running': // "vmm module is running..." (§2.6)
      return f.vmmLoaded ? f : { ...f, vmmLoaded: true };
    case 'vmm-terminated': // "you're not on HyperDbg's hypervisor anymore!" (§2.6)
    case 'all-unloaded':
    case 'no-module-loaded':
      return f.vmmLoaded ? { ...f, vmmLoaded: false } : f;
    case 'status-debugger-mode':
      return { ...f, mode: 'debugger' };
    case 'debuggee-running': // "debuggee is running..." (§2.3, §2.7): the CLI blocks
      return { ...f, mode: 'debugger', debuggee: 'running' };
    case 'remote-connection-closed': // the debuggee went away: events cleared, IDs reset (§2.4)
      return { ...leaveDebugger(f), eventsResetCount: f.eventsResetCount + 1 };
    case 'unloading-debuggee-vmm': // `.debug close` (§2.4)
      return leaveDebugger(f);
    case 'connected-remote': // "connected to %s:%s" (§2.2)
      return { ...f, mode: 'remote' };
    case 'remote-closed': // "the remote system closes the connection." (§2.2)
      return { ...f, mode: f.connectedLocally ? 'vmi' : 'none' };
    case 'pausing': // VMI `pause` or Ctrl+C: kernel messages are discarded from now on (§2.7)
      return f.mode === 'debugger' ? f : { ...f, muted: true };
    case 'autounpause-enabled':
    case 'settings-autounpause-on': // `settings autounpause` (settings.cpp)
    case 'settings-autounpause-set-on':
      return f.autoUnpause ? f : { ...f, autoUnpause: true };
    case 'autounpause-disabled':
    case 'settings-autounpause-off':
    case 'settings-autounpause-set-off':
      return f.autoUnpause ? { ...f, autoUnpause: false } : f;
    default:
      return f;
  }
}

/** What the symbol messages and the debuggee's OS line say. */
function reduceSymbols(f: CliFacts, item: MessageItem): CliFacts {
  switch (item.code) {
    case 'connected-debuggee': // "connected to debuggee %s" (§2.3): the OS, and Debugger Mode
      return { ...f, mode: 'debugger', debuggeeOs: parseDebuggeeOs(item.args[0] ?? '') };
    case 'symbol-path-hint': // `load vmm` / `.debug remote`: no SymbolServer in config.ini
    case 'sympath-not-configured': // `.sympath` asked
      return f.symbols === 'missing' ? f : { ...f, symbols: 'missing' };
    case 'sympath-configured': // `.sympath <path>` saved it; PDBs load at `.sym download`/`reload`
    case 'symbol-table-empty':
    case 'symbol-table-empty-err':
      return f.symbols === 'path-set' ? f : { ...f, symbols: 'path-set' };
    case 'sympath-current': // `.sympath` shows one: it is set (loaded or not is not said)
      return f.symbols === 'missing' ? { ...f, symbols: 'path-set' } : f;
    case 'symbols-updated': // "symbol table updated successfully" (`.sym reload`)
    case 'symbol-loaded': // "loading symbol '%s'...\tloaded" (`.sym download`, `.sym load`)
      return f.symbols === 'loaded' ? f : { ...f, symbols: 'loaded' };
    default:
      return f;
  }
}

function reduceError(f: CliFacts, code: string): CliFacts {
  switch (code) {
    case 'vmm-already-running':
      return f.vmmLoaded ? f : { ...f, vmmLoaded: true };
    case 'vmm-not-loaded': // "the vmm module is not loadedd" (§2.6)
    case 'vmm-not-loaded-event': // an event or listing refused for want of the vmm (§3.6)
      return f.vmmLoaded ? { ...f, vmmLoaded: false } : f;
    case 'status-not-connected':
    case 'not-connected':
      return f.connectedLocally || f.mode !== 'none'
        ? { ...f, connectedLocally: false, mode: 'none' }
        : f;
    case 'already-connected': // "you're connected to a debugger" (§2.1): it is, locally
      return f.mode === 'none' ? { ...f, connectedLocally: true, mode: 'vmi' } : f;
    default:
      return f;
  }
}
