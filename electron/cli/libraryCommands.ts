// CLI subcommands of the action library (`asm`, `disasm`, `library`). Filled by that part.
import type { CliCommand } from './commands';

export const libraryCommands: Record<string, CliCommand> = {};
