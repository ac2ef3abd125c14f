// Notices the user should see because of what hyperdbg-cli printed: no symbol path (and how to
// set one), a `module!name` that could not resolve, `flush` discarding queued messages, output
// sinks that failed (messages lost, spec §6.4), and the
// driver-loading failures of a `load` typed in the console (a failed connect step says these in
// its own error). Host side; pure.
import type { ParserItem } from '../../../shared/hyperdbg/items';
import type { CliFacts } from './cliFacts';
import { CONSOLE_EXPLAINED, wordsFor } from './failureWords';

/** Microsoft's public symbol server with a local cache, as HyperDbg's `.help .sympath` shows it. */
export const MICROSOFT_SYMBOL_PATH = 'SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols';

/**
 * The two commands that set the symbol path (saved in config.ini) and fetch the PDBs: `.sym
 * download` downloads what is missing and loads it; `.sym reload` loads only what is already on
 * disk (SymbolLocalReload, symbol.cpp; docs/hyperdbg-v0.23.md §12).
 */
export const SET_SYMBOL_PATH = `.sympath "${MICROSOFT_SYMBOL_PATH}" then .sym download`;

export const SYMBOL_PATH_MISSING = `HyperDbg has no symbol path, so module!name addresses such as nt!NtCreateFile cannot resolve (use hex addresses until then). Set Microsoft's symbol server once with ${SET_SYMBOL_PATH} (it downloads the PDBs; the path is kept in config.ini next to hyperdbg-cli.exe)`;

/** A sink's write failed: v0.23 closes its handle but keeps the source "opened" (spec §6.4). */
export const SINK_WRITE_FAILED =
  'An output sink could not be written: HyperDbg closed its connection but keeps the source "opened", so every later message of the events bound to it is lost, with an error line each time (docs/hyperdbg-v0.23.md §6.4)';
/** A message went to none of its event's sinks (not opened, closed, broken, five slots used). */
export const FORWARDING_FAILED =
  "HyperDbg could not forward an event's message to its output sinks (one not opened, closed or broken, or all five slots used) and dropped it (docs/hyperdbg-v0.23.md §6.4)";

export const SYMBOLS_NOT_RELOADED =
  "HyperDbg's symbol path is set, but the PDBs are not loaded yet: run .sym download (it downloads what is missing and loads the PDBs) before using module!name addresses";

/** `module!name` tokens (`nt!Foo`, `nt!Foo+10`). */
const MODULE_NAME_RE = /^[A-Za-z_][\w.]*!/;

function unresolvedWords(token: string, facts: CliFacts): string {
  switch (facts.symbols) {
    case 'missing':
      return `HyperDbg could not resolve '${token}': it has no symbol path. Set Microsoft's symbol server with ${SET_SYMBOL_PATH}, or use a hex address`;
    case 'path-set':
      return `HyperDbg could not resolve '${token}': its symbol path is set but the PDBs are not loaded; run .sym download`;
    case 'loaded':
      return `HyperDbg could not resolve '${token}': its loaded symbols have no such name (look it up with x ${token.replace(/\+.*$/, '')}*)`;
    case 'unknown':
      return `HyperDbg could not resolve '${token}'. If no symbol path is set (.sympath shows it), set Microsoft's symbol server with ${SET_SYMBOL_PATH}; otherwise check the name (x ${token.replace(/\+.*$/, '')}*)`;
  }
}

/**
 * Notices for one item, given the facts after it and whether the session is ready (commands
 * then come from the console; while connecting, the connect step explains failures itself).
 */
export function outputNotices(item: ParserItem, facts: CliFacts, ready: boolean): string[] {
  if (item.type !== 'status' && item.type !== 'error') return [];
  switch (item.code) {
    case 'symbol-path-hint':
    case 'sympath-not-configured':
      return [SYMBOL_PATH_MISSING];
    case 'sympath-configured':
      return [SYMBOLS_NOT_RELOADED];
    case 'unresolved-token':
    case 'unknown-parameter': {
      const token = item.args[0] ?? '';
      return MODULE_NAME_RE.test(token) ? [unresolvedWords(token, facts)] : [];
    }
    case 'forwarding-send-failed':
    case 'forwarding-pipe-write-failed':
      return [SINK_WRITE_FAILED];
    case 'forwarding-failed':
      return [FORWARDING_FAILED];
    case 'flush-ok': {
      const n = Number(item.args[0] ?? '0');
      return n > 0
        ? [
            `flush discarded ${n} queued kernel message(s): records among them never reach the log (HyperDbg clears its regular message slots; priority messages still arrive)`,
          ]
        : [];
    }
    default:
      if (!ready || item.type !== 'error' || !CONSOLE_EXPLAINED.has(item.code)) return [];
      return [wordsFor(item) ?? item.text];
  }
}
