// Standalone simulator program: `node dist/sim/index.mjs [options]`, spawned through a pty.
import { runSimulator } from './main';

runSimulator(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`simulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
