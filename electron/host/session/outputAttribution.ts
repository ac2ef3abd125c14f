// Which lines between a command and its sync marker the command itself printed. Asynchronous
// output (kernel log lines, script `printf` text from events) can arrive in between (spec §1.6);
// where it can be told apart from the command's own output it is not charged to the command, so
// a user's `printf("Line 3:\n")` cannot fail an `events` listing. Host side; pure.
import type { ParserItem } from '../../../shared/hyperdbg/items';
import { cliTokens } from './commandLine';

/**
 * Commands that never run the script engine on their arguments (no expression, no symbol):
 * a script diagnostic (`Line %d:`, `Syntax Error: ...`) during one of them is some event's
 * `printf` output.
 */
const NO_EXPRESSION_COMMANDS = new Set([
  'events',
  'load',
  'unload',
  '.connect',
  'connect',
  '.disconnect',
  'disconnect',
  '.debug',
  'debug',
  'g',
  'go',
  'pause',
  '.pause',
  'settings',
  'flush',
  '.status',
  'status',
  'output',
  '.sympath',
  'sympath',
  '.sym',
  'sym',
  'lm',
  '.logopen',
  '.logclose',
  '.help',
  'help',
  '.hh',
  'exit',
]);

/** Message codes the script engine prints for an expression or a script (script-engine.c HandleError). */
function isScriptDiagnostic(code: string): boolean {
  return (
    code.startsWith('script-') && code !== 'script-file-missing' && code !== 'script-file-invalid'
  );
}

/** Whether `item`, read while `line` ran, is the command's own output. */
export function ownsOutput(line: string, item: ParserItem): boolean {
  switch (item.type) {
    case 'kernel-log':
      // Printed only by the kernel-message reader thread, never by a command (spec §2.10).
      return false;
    case 'error': {
      const first = cliTokens(line)[0]?.toLowerCase() ?? '';
      if (item.code === 'unknown-command')
        // "err, couldn't resolve command at '%s'" names the command it answers.
        return (item.args[0] ?? '').toLowerCase() === first;
      if (isScriptDiagnostic(item.code)) return !NO_EXPRESSION_COMMANDS.has(first);
      return true;
    }
    default:
      return true;
  }
}
