// The headless CLI's subcommands. Each part of the app keeps its own in its own module.
import { libraryCommands } from './libraryCommands';
import { sessionCommands } from './sessionCommands';
import { runSimulatorProgram } from './simCommand';

export interface CliCommand {
  readonly summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  sim: {
    summary: 'run the HyperDbg simulator (hyperdbg-cli text protocol) on this terminal',
    run: (argv) => runSimulatorProgram(argv),
  },
  ...sessionCommands,
  sessions: {
    summary:
      'list, show, export, delete or import sessions (saved traces); retention (--data-dir DIR)',
    run: async (argv) => (await import('./sessions/sessionsCommand')).runSessions(argv),
  },
  ...libraryCommands,
};
