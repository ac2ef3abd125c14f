// Notices the user should see because of what hyperdbg-cli printed: no symbol path (and how to
// set one), a `module!name` that could not resolve, `flush` discarding queued messages, and the
// driver-loading failures of a `load` typed in the console (a failed connect step says these in
// its own error). Host side; pure.
import type { ParserItem } from '../../../shared/hyperdbg/items';
import type { CliFacts } from './cliFacts';
import { CONSOLE_EXPLAINED, wordsFor } from './failureWords';

/** Microsoft's public symbol server with a local cache, as HyperDbg's `.help .sympath` shows it. */
export const MICROSOFT_SYMBOL_PATH = 'SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols';

/** The two commands that set the symbol path (saved in config.ini) and load the PDBs. */
export const SET_SYMBOL_PATH = `.sympath "${MICROSOFT_SYMBOL_PATH}" then .sym reload`;

export const SYMBOL_PATH_MISSING = `HyperDbg has no symbol path, so module!name addresses such as nt!NtCreateFile cannot resolve (use hex addresses until then). Set Microsoft's symbol server once with ${SET_SYMBOL_PATH} (it downloads the PDBs; the path is kept in config.ini next to hyperdbg-cli.exe)`;

export const SYMBOLS_NOT_RELOADED =
  "HyperDbg's symbol path is set, but the PDBs are not loaded yet: run .sym reload before using module!name addresses";

/** `module!name` tokens (`nt!Foo`, `nt!Foo+10`). */
const MODULE_NAME_RE = /^[A-Za-z_][\w.]*!/;

function unresolvedWords(token: string, facts: CliFacts): string {
  switch (facts.symbols) {
    case 'missing':
      return `HyperDbg could not resolve '${token}': it has no symbol path. Set Microsoft's symbol server with ${SET_SYMBOL_PATH}, or use a hex address`;
    case 'path-set':
      return `HyperDbg could not resolve '${token}': its symbol path is set but the PDBs are not loaded; run .sym reload`;
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
