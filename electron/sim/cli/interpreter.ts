// HyperDbgInterpreter (spec §1.3): tokenises, sets repeat-on-Enter from the command's attributes,
// forwards non-local commands to a Debugger-Mode debuggee (returns 2: no extra blank line), handles
// `.help` and answers unknown commands with the sync-marker message (spec §1.8). Simulator side.
import { runEventCommand, EVENT_COMMANDS } from '../events/eventCommands';
import {
  ATTR_LOCAL_IN_DEBUGGER_MODE,
  ATTR_LOCAL_IN_REMOTE_CONNECTION,
  ATTR_REPEAT_ON_ENTER,
  ATTR_WONT_STOP_DEBUGGER_AGAIN,
  COMMAND_TABLE,
} from '../protocol/commandTable';
import { HELP_TEXTS } from '../protocol/helpTexts';
import { tokenize, type Token } from '../protocol/tokenizer';
import { COMMAND_HANDLERS, prealloc } from './commands';
import { MSG } from './messages';
import type { Session } from './session';
import { SYMBOL_COMMAND_HANDLERS, SYMBOL_HELP_TEXTS } from './symbolCommands';

/** Unknown commands are "absolute local": they always run here, even in Debugger Mode. */
const ABSOLUTE_LOCAL = ATTR_LOCAL_IN_DEBUGGER_MODE | ATTR_LOCAL_IN_REMOTE_CONNECTION;

/** Help keys of commands whose help the simulator carries, by handler name. */
const HELP_BY_HANDLER: Readonly<Record<string, string>> = {
  CommandConnect: '.connect',
  CommandDebug: '.debug',
  CommandDisconnect: '.disconnect',
  CommandStatus: '.status',
  CommandLoad: 'load',
  CommandUnload: 'unload',
  CommandG: 'g',
  CommandPause: 'pause',
  CommandExit: 'exit',
  CommandEvents: 'events',
  CommandFlush: 'flush',
  CommandSettings: 'settings',
  CommandPrealloc: 'prealloc',
};

export class Interpreter {
  constructor(private readonly s: Session) {}

  /** Runs one command line; resolves to 2 when it went to the debuggee, else 0. */
  async run(command: string): Promise<number> {
    const s = this.s;
    s.initialized = true; // InitializeDebugger: the Ctrl+C handler is installed from now on
    const tokens = tokenize(command);
    const first = tokens[0];
    if (first === undefined) {
      s.print('\n');
      return 0;
    }
    const entry = COMMAND_TABLE[first.lower];
    const attributes = entry?.attributes ?? ABSOLUTE_LOCAL;
    s.repeatOnEnter = (attributes & ATTR_REPEAT_ON_ENTER) !== 0;

    if (s.link !== null && (attributes & ATTR_LOCAL_IN_DEBUGGER_MODE) === 0) {
      await this.forwardToDebuggee(tokens, attributes);
      return 2;
    }

    let help = false;
    let name = first;
    if (['.help', 'help', '.hh', '!help'].includes(first.lower)) {
      if (tokens.length !== 2) {
        s.usage(first.text, '.help');
        return 0;
      }
      help = true;
      name = tokens[1] as Token;
    }
    const target = COMMAND_TABLE[name.lower];
    if (target === undefined) {
      s.print(
        help
          ? `err, couldn't find the help for the command at '${name.text}'\n`
          : `err, couldn't resolve command at '${name.text}'\n`,
      );
      return 0;
    }
    const handler = target.handler ?? 'CommandHelp';
    if (help) {
      this.printHelp(name, handler);
      return 0;
    }
    if (EVENT_COMMANDS[handler] !== undefined) runEventCommand(s, handler, tokens);
    else {
      const run = COMMAND_HANDLERS[handler] ?? SYMBOL_COMMAND_HANDLERS[handler];
      if (run === undefined)
        s.print(`err, the simulator does not implement the '${first.text}' command\n`);
      else await run(s, tokens, command);
    }
    return 0;
  }

  private printHelp(name: Token, handler: string): void {
    const key =
      HELP_BY_HANDLER[handler] ??
      (EVENT_COMMANDS[handler] !== undefined
        ? eventHelpKey(name)
        : handler === 'CommandHelp'
          ? '.help'
          : null);
    const text = key === null ? SYMBOL_HELP_TEXTS[handler] : HELP_TEXTS[key];
    this.s.print(text ?? `err, the simulator has no help text for '${name.text}'\n`);
  }

  /**
   * KdSendUserInputPacketToDebuggee: the debuggee runs the command and sends its output back,
   * then a "command finished" pause whose handler prints "\n" (kernel-listening.cpp). Commands
   * that "won't stop the debugger again" leave the debuggee running (KdSetStatusAndWaitForPause).
   */
  private async forwardToDebuggee(tokens: readonly Token[], attributes: number): Promise<void> {
    const s = this.s;
    const first = tokens[0] as Token;
    const handler = COMMAND_TABLE[first.lower]?.handler;
    switch (handler) {
      case 'CommandStatus':
        s.print("remote debugging - debuggee ('debugger mode')\n");
        break;
      case 'CommandLoad':
        s.print(
          tokens.length !== 2
            ? `incorrect use of the '${first.text}'\n\n${HELP_TEXTS.load ?? ''}`
            : "the vmm module is already running, if you use 'load' before, please first unload it using the 'unload' command\n",
        );
        break;
      case 'CommandUnload':
        s.print(MSG.connectedToInstance);
        break;
      case 'CommandPause':
        s.print('pausing...\n');
        break;
      case 'CommandPrealloc':
        prealloc(s, tokens);
        break;
      default:
        s.print(`err, the simulator does not implement the '${first.text}' command\n`);
    }
    if ((attributes & ATTR_WONT_STOP_DEBUGGER_AGAIN) !== 0) {
      await s.runDebuggee();
      return;
    }
    s.print('\n');
  }
}

function eventHelpKey(name: Token): string {
  const l = name.lower;
  if (l === '!syscall2') return '!syscall';
  if (l === '!sysret2') return '!sysret';
  if (l === '!msread') return '!msrread';
  if (l === '!iout') return '!ioout';
  return l;
}
