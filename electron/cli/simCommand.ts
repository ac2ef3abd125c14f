// `hyperdbg-studio sim`: runs the simulator's own program (dist/sim/index.mjs) on this terminal
// as a child that shares it, so the CLI never loads the simulator's code: they are two programs.
// CLI side.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { defaultSimulatorEntry } from '../host/session/launchPlan';

/** Signals the CLI passes on; Ctrl+C's SIGINT already reaches the simulator from the terminal. */
const FORWARDED = ['SIGTERM', 'SIGHUP'] as const;

/** Runs the simulator with `argv`; resolves to its exit code (128 + n when signal n ended it). */
export function runSimulatorProgram(
  argv: readonly string[],
  entry = defaultSimulatorEntry(),
): Promise<number> {
  if (!existsSync(entry)) {
    process.stderr.write(`hyperdbg-studio sim: ${entry} is missing; run npm run build first\n`);
    return Promise.resolve(1);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...argv], { stdio: 'inherit' });
    // The terminal's Ctrl+C goes to the whole foreground group; the simulator decides what it
    // means (hyperdbg-cli pauses on it, it does not end), so the CLI must not die of it.
    const ignoreInterrupt = () => undefined;
    const forwards = FORWARDED.map((signal) => [signal, () => child.kill(signal)] as const);
    process.on('SIGINT', ignoreInterrupt);
    for (const [signal, forward] of forwards) process.on(signal, forward);
    const done = () => {
      process.off('SIGINT', ignoreInterrupt);
      for (const [signal, forward] of forwards) process.off(signal, forward);
    };
    child.once('error', (e) => {
      done();
      reject(e);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}
