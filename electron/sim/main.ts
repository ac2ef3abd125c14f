// The HyperDbg simulator's entry: parses options, puts the terminal in raw mode, builds the
// synthetic guest and runs hyperdbg-cli's loop on stdin/stdout until `exit`, end of input or a
// signal. Simulator side (runs as `node dist/sim/index.mjs` or `hyperdbg-studio sim`).
import { spawnSync } from 'node:child_process';
import { Interpreter } from './cli/interpreter';
import { runDryRunServer } from './dryRun/dryRunServer';
import { PipeFill } from './engine/pipeFill';
import { Repl } from './cli/repl';
import { Session } from './cli/session';
import { OptionsError, parseOptions, USAGE } from './options';
import { ConsoleOutput } from './terminal/consoleOutput';
import { LineReader } from './terminal/lineReader';

/**
 * Longest the simulator waits at exit for its terminal to take the last output (ms). A reading
 * terminal takes it in milliseconds; one that stopped reading, or went away, never would ('drain'
 * only follows a write the stream refused), and the simulator must still end.
 */
const EXIT_DRAIN_MAX_MS = 2000;

export async function runSimulator(argv: readonly string[]): Promise<number> {
  // The dry-run port (the app's dry runs): JSON lines on stdin/stdout, no CLI, no terminal.
  if (argv.length === 1 && argv[0] === '--dry-run-server') return runDryRunServer();
  let options;
  try {
    options = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof OptionsError)) throw e;
    process.stderr.write(`hyperdbg-studio sim: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = new ConsoleOutput(process.stdout, options.conpty, options.conptyRepaint);
  let session: Session;
  try {
    session = new Session(options, out);
  } catch (e) {
    process.stderr.write(`hyperdbg-studio sim: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  // --fill-pipe: the reader's own pace, measured with packets that cost nothing to make.
  const fill =
    options.fillPipe === true
      ? new PipeFill(
          session.transport,
          () => session.vmmLoaded && session.link === null && !session.machineGone,
        )
      : null;
  const stdin = process.stdin;
  // Raw mode: no tty echo and no line discipline; the simulator reads keys itself, as the app's
  // ConPTY user would type them (`\r` for Enter, 0x03 for Ctrl+C).
  const raw = stdin.isTTY === true;
  if (raw) {
    stdin.setRawMode(true);
    // libuv's raw mode keeps output post-processing, so a Linux pty would turn every "\n" into
    // "\r\n". Turn it off so the bytes on the wire are exactly what the CLI prints (ConPTY's
    // "\r\n" is added explicitly with --conpty). Restored with the rest of the terminal state.
    spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
  }

  let exiting = false;
  let exitStatus = 0;
  const finish = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    exitStatus = code;
    session.workload.stop();
    fill?.stop();
    session.transport.close();
    session.outputs.closeAll();
    // Leaving normally runs the ofstream's destructor; a bug check takes the buffer with it.
    if (session.machineGone) session.log.abandon();
    else session.log.close();
    session.releaseBlockedCommand();
    if (options.statsFile !== null) {
      try {
        session.stats.writeFile(options.statsFile, {
          seed: options.seed,
          pacing: options.pacing,
          rate: options.rate,
          cores: options.cores,
          stock: options.stock,
          osBuild: options.osBuild,
          // Debugger Mode: what crossed the link (bytes include each packet's framing, §6.2).
          link: {
            kind: session.link?.kind ?? null,
            bytesPerSecond: session.transport.link.bytesPerSecond,
            bytes: session.transport.link.bytesSent,
            packets: session.transport.link.packetsSent,
          },
        });
      } catch (e) {
        process.stderr.write(
          `hyperdbg-studio sim: cannot write stats file: ${e instanceof Error ? e.message : String(e)}\n`,
        );
      }
    }
    await Promise.race([out.close(), new Promise((r) => setTimeout(r, EXIT_DRAIN_MAX_MS))]);
    if (raw) stdin.setRawMode(false);
    process.exit(code);
  };
  /** The terminal went away (hang-up, EPIPE): nothing can be shown any more, so end now. */
  const hangUp = (code: number): void => {
    if (exiting) process.exit(exitStatus);
    else void finish(code);
  };

  // A bug check on the local machine ends the CLI at once, with the bug-check code as its status.
  session.onMachineGone = (status) => void finish(status);
  const repl = new Repl(session, new Interpreter(session), finish);
  const reader = new LineReader(
    { line: (t) => repl.line(t), interrupt: () => repl.interrupt(), end: () => repl.end() },
    (t) => out.echo(t),
  );
  // A reader that went away (EPIPE) ends the session like a closed console would.
  process.stdout.on('error', () => hangUp(0));
  stdin.on('data', (d: Buffer) => reader.push(d));
  stdin.on('end', () => reader.finish());
  stdin.on('error', () => reader.finish());
  // Without raw mode (stdin not a terminal) Ctrl+C arrives as SIGINT.
  process.on('SIGINT', () => repl.interrupt());
  process.on('SIGTERM', () => void finish(143));
  process.on('SIGHUP', () => hangUp(129));
  stdin.resume();
  session.workload.start();
  fill?.start();
  await repl.run();
  return 0;
}
