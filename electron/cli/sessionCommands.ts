// CLI subcommands of the session engine: `parse` (a hyperdbg-cli transcript on stdin to one
// JSON item per line), `build` (an event binding as JSON on stdin to its command line) and
// `capture` (the session engine against a target, records to a file).
import { buildEventCommand, type TargetMode } from '../../shared/hyperdbg/commandBuilder';
import { itemToJson } from '../../shared/hyperdbg/itemJson';
import { nxRiskWords, runsCustomCode } from '../../shared/hyperdbg/nxRisk';
import { eventBindingSchema } from '../../shared/model/eventBinding';
import type { ParserItem } from '../../shared/hyperdbg/items';
import { createOutputParser } from '../../shared/hyperdbg/outputParser';
import type { CliCommand } from './commands';
import { runCapture } from './session/captureCommand';

/** Exit status for a usage error or a rejected binding, as the issue asks of `build`. */
const EXIT_USAGE = 2;
/** Largest binding read from stdin, in bytes: far above any real one (the line cap is 60,000). */
const MAX_BINDING_BYTES = 4 * 1024 * 1024;

const PARSE_USAGE = `usage: hyperdbg-studio parse [--wrap-width N] [--max-line-bytes N] [--echo LINE]... [--stats]
  reads a hyperdbg-cli transcript on stdin and writes one JSON object per item on stdout
  --wrap-width N      the pty width: lines exactly N columns wide are joined with the next
  --max-line-bytes N  longest line kept whole (default 65536)
  --echo LINE         a line the session sent, so its echo is reported as "echo" (repeatable)
  --stats             print the parser's counters as JSON on stderr at the end
`;

const BUILD_USAGE = `usage: hyperdbg-studio build [--mode vmi|debugger] [--allow-nx-crash]
  reads an event binding as JSON on stdin and prints its hyperdbg-cli command line;
  a rejected binding prints "field: message" lines on stderr and exits with status 2;
  custom or condition code gets a warning on stderr (stock HyperDbg v0.18-v0.23 most likely
  bug-checks on it, docs/hyperdbg-v0.23.md §5.6) unless --allow-nx-crash says you know
`;

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${name} needs a positive whole number`);
  return n;
}

/** Writes `text`, waiting when stdout's buffer is full so a big transcript stays in bounded memory. */
function write(text: string): Promise<void> {
  if (process.stdout.write(text)) return Promise.resolve();
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

function jsonLines(items: readonly ParserItem[]): string {
  let out = '';
  for (const item of items) out += `${JSON.stringify(itemToJson(item))}\n`;
  return out;
}

async function runParse(argv: readonly string[]): Promise<number> {
  let wrapWidth: number | undefined;
  let maxLineBytes: number | undefined;
  let stats = false;
  const echoes: string[] = [];
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--wrap-width') wrapWidth = positiveInt(a, argv[++i]);
      else if (a === '--max-line-bytes') maxLineBytes = positiveInt(a, argv[++i]);
      else if (a === '--echo') {
        const line = argv[++i];
        if (line === undefined) throw new UsageError('--echo needs the line that was sent');
        echoes.push(line);
      } else if (a === '--stats') stats = true;
      else if (a === '--help' || a === '-h') {
        process.stdout.write(PARSE_USAGE);
        return 0;
      } else throw new UsageError(`unknown option '${a ?? ''}'`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`hyperdbg-studio parse: ${e.message}\n\n${PARSE_USAGE}`);
    return EXIT_USAGE;
  }
  // `parse ... | head` closes our stdout early: stop quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const parser = createOutputParser({
    ...(wrapWidth !== undefined ? { wrapWidth } : {}),
    ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
  });
  for (const line of echoes) parser.expectEcho(line);
  for await (const chunk of process.stdin) {
    const out = jsonLines(parser.push(chunk as Buffer));
    if (out.length > 0) await write(out);
  }
  const last = jsonLines(parser.end());
  if (last.length > 0) await write(last);
  if (stats) process.stderr.write(`${JSON.stringify(parser.stats)}\n`);
  return 0;
}

async function readStdin(limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function runBuild(argv: readonly string[]): Promise<number> {
  let mode: TargetMode = 'vmi';
  let allowNxCrash = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--allow-nx-crash') allowNxCrash = true;
    else if (a === '--mode') {
      const m = argv[++i];
      if (m !== 'vmi' && m !== 'debugger') {
        process.stderr.write(
          `hyperdbg-studio build: --mode takes vmi or debugger\n\n${BUILD_USAGE}`,
        );
        return EXIT_USAGE;
      }
      mode = m;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(BUILD_USAGE);
      return 0;
    } else {
      process.stderr.write(`hyperdbg-studio build: unknown option '${a ?? ''}'\n\n${BUILD_USAGE}`);
      return EXIT_USAGE;
    }
  }
  const text = await readStdin(MAX_BINDING_BYTES);
  if (text === undefined) {
    process.stderr.write(`binding: is larger than ${MAX_BINDING_BYTES} bytes\n`);
    return EXIT_USAGE;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    process.stderr.write(
      `binding: is not valid JSON (${e instanceof Error ? e.message : String(e)})\n`,
    );
    return EXIT_USAGE;
  }
  const result = buildEventCommand(input, mode);
  if (!result.ok) {
    for (const { field, message } of result.error) process.stderr.write(`${field}: ${message}\n`);
    return EXIT_USAGE;
  }
  for (const w of result.value.warnings) process.stderr.write(`warning: ${w}\n`);
  // Built, so the binding passed the schema: this parse only gives it its type.
  const binding = eventBindingSchema.safeParse(input);
  if (!allowNxCrash && binding.success && runsCustomCode(binding.data)) {
    // `build` knows no target, so it cannot refuse: it says what the line does to a stock one.
    const w = nxRiskWords(mode);
    process.stderr.write(
      `warning: on stock HyperDbg v0.18-v0.23: ${w.what} ${w.why} ${w.where} ${w.instead} (--allow-nx-crash: no warning)\n`,
    );
  }
  await write(`${result.value.line}\n`);
  return 0;
}

export const sessionCommands: Record<string, CliCommand> = {
  parse: {
    summary: 'parse a hyperdbg-cli transcript on stdin into JSON items, one per line',
    run: runParse,
  },
  build: {
    summary: 'build the hyperdbg-cli command line for an event binding (JSON on stdin)',
    run: runBuild,
  },
  capture: {
    summary: 'run a target (the simulator by default) with event bindings and write its records',
    run: runCapture,
  },
};
