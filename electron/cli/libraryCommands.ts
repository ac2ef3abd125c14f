// CLI subcommands of the action library: `asm`, `disasm` and `library`.
import type { CliCommand } from './commands';
import { runAsm, runDisasm } from './library/asmCommands';
import { runLibrary } from './library/libraryCommand';

export const libraryCommands: Record<string, CliCommand> = {
  asm: {
    summary: 'assemble and check action source; prints the hex a code { } block takes',
    run: runAsm,
  },
  disasm: {
    summary: 'annotated listing of code { } hex (custom or --condition code)',
    run: runDisasm,
  },
  library: {
    summary: 'list, show, import or export saved actions (--data-dir DIR)',
    run: runLibrary,
  },
};
