// CLI subcommands of the session engine (`parse`, `build`, `capture`). Filled by that part.
import type { CliCommand } from './commands';

export const sessionCommands: Record<string, CliCommand> = {};
