// `asm` (source -> the hex a `code {}` block takes, or errors with line numbers and exit 2) and
// `disasm` (hex -> the seed-style listing, annotated for custom or condition code).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assembleAction, disassembleAction } from '../../host/asm/asmService';
import { formatListing } from '../../host/asm/listing';
import { loadKnownBuilds } from '../../host/target/knownBuildsFile';
import { tableEnvironment } from '../../../shared/model/knownBuilds';
import { AppError } from '../../../shared/contract/result';
import { buildOption, cliDryRun, DRY_RUN_OPTIONS, DRY_RUN_USAGE } from './dryRunCli';
import {
  ASM_OPTIONS,
  asmContext,
  EXIT_INPUT,
  formatDiagnostic,
  readStdin,
  UsageError,
} from './cliSupport';

const ASM_USAGE = `usage: hyperdbg-studio asm [SOURCE|-] [--file PATH] [--condition] [--event KIND]
                            [--buffer HEX] [--target auto|sim|stock|patched] [--listing]
                            [--build N] [--dry-run [--arg A]... [--samples N] [--seed N]
                            [--schema TEXT]]
  assembles x86-64 Intel-syntax source (one instruction per line, labels, ; comments), checks
  every line against what Keystone encoded, and prints the bytes as upper-case hex without
  spaces, as a code { } block takes them. SOURCE is the text itself; '-' or none reads stdin.
  Errors go to stderr as 'line N: error: ...' with exit status 2; warnings also go to stderr.
  --file PATH   read the source from a file
  --condition   condition code (RCX = GUEST_REGS, RDX = Context) instead of custom code
  --event KIND  the event the code is for (!syscall, epthook2, ...): gives Context its meaning
  --buffer HEX  the safe buffer size, hex like HyperDbg's 'buffer' (18 = 0x18 bytes)
  --target T    what the target can do with custom code (default auto)
  --listing     print the annotated listing (on stdout, before the hex)
  Structure fields may be named (EPROCESS.ImageFileName): they resolve for --build from the
  table of known Windows builds.
${DRY_RUN_USAGE}`;

const DISASM_USAGE = `usage: hyperdbg-studio disasm [--condition] [--event KIND] [--buffer HEX]
                               [--target auto|sim|stock|patched] [--source] [--build N]
                               [--dry-run ...] HEX...|-
  prints the listing of hex bytes (spaces allowed; '-' reads stdin) in the seed document's style,
  annotated: [rdx+0x40] is Regs->r8 in custom code, [rcx+0x40] in condition code (--condition).
  --source   print assembly source that assembles back to the same bytes instead
  --build N  name structure offsets as that Windows build has them
${DRY_RUN_USAGE}`;

function usageError(command: string, usage: string, e: unknown): number {
  if (!(e instanceof UsageError) && !(e instanceof TypeError)) throw e;
  process.stderr.write(`hyperdbg-studio ${command}: ${(e as Error).message}\n\n${usage}`);
  return EXIT_INPUT;
}

export async function runAsm(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        ...ASM_OPTIONS,
        ...DRY_RUN_OPTIONS,
        file: { type: 'string' },
        listing: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      process.stdout.write(ASM_USAGE);
      return 0;
    }
    if (parsed.positionals.length > 1)
      throw new UsageError('give the source as one argument (quote it) or on stdin');
  } catch (e) {
    return usageError('asm', ASM_USAGE, e);
  }
  const { values, positionals } = parsed;
  let source: string;
  try {
    const ctx = asmContext(values);
    const arg = positionals[0];
    if (values.file !== undefined) {
      if (arg !== undefined) throw new UsageError('give either --file or SOURCE, not both');
      source = readFileSync(values.file, 'utf8');
    } else if (arg === undefined || arg === '-') {
      if (arg === undefined && process.stdin.isTTY)
        throw new UsageError('no source: give it as an argument or on stdin');
      source = await readStdin();
    } else source = arg;
    const build = buildOption(values);
    const fields =
      build === undefined
        ? undefined
        : tableEnvironment(loadKnownBuilds(), build, 'given with --build');
    const result = await assembleAction(source, { ...ctx, fields });
    for (const d of result.diagnostics)
      process.stderr.write(`hyperdbg-studio asm: ${formatDiagnostic(d)}\n`);
    if (!result.ok) return EXIT_INPUT;
    if (values['dry-run']) return await printDryRun('asm', source, ctx, values);
    if (values.listing) process.stdout.write(`${formatListing(result.listing)}\n\n`);
    process.stdout.write(`${result.bytesHex}\n`);
    return 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return usageError('asm', ASM_USAGE, new UsageError(`--file: ${(e as Error).message}`));
    return usageError('asm', ASM_USAGE, e);
  }
}

/** Hex as people paste it: spaces, `0x`/`\x` prefixes (HyperDbg's code {} accepts those too). */
export function parseHexArgument(text: string): Uint8Array {
  const digits = text
    .replace(/\\x/gi, ' ')
    .split(/[\s,]+/)
    .map((t) => t.replace(/^0x/i, ''))
    .join('');
  if (digits === '') throw new UsageError('no bytes given');
  if (!/^[0-9a-f]+$/i.test(digits)) {
    const bad = /[^0-9a-f]/i.exec(digits)?.[0] ?? '';
    throw new UsageError(`'${bad}' is not a hex digit`);
  }
  if (digits.length % 2 !== 0)
    throw new UsageError(
      `${digits.length} hex digits is not a whole number of bytes (HyperDbg would pad a 0 at the front and shift every byte, docs/hyperdbg-v0.23.md §3.2)`,
    );
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

export async function runDisasm(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        ...ASM_OPTIONS,
        ...DRY_RUN_OPTIONS,
        source: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      process.stdout.write(DISASM_USAGE);
      return 0;
    }
  } catch (e) {
    return usageError('disasm', DISASM_USAGE, e);
  }
  const { values, positionals } = parsed;
  try {
    const ctx = asmContext(values);
    if (positionals.length === 0 && process.stdin.isTTY) throw new UsageError('no bytes given');
    const text =
      positionals.length === 0 || (positionals.length === 1 && positionals[0] === '-')
        ? await readStdin()
        : positionals.join(' ');
    const bytes = parseHexArgument(text);
    const build = buildOption(values);
    const result = await disassembleAction(bytes, {
      ...ctx,
      ...(build === undefined
        ? {}
        : { fields: tableEnvironment(loadKnownBuilds(), build, 'given with --build') }),
    });
    if (values['dry-run']) {
      if (result.source === null) {
        process.stderr.write(
          'hyperdbg-studio disasm: these bytes have no source that assembles back to them exactly, so they cannot be dry-run\n',
        );
        return EXIT_INPUT;
      }
      return await printDryRun('disasm', result.source, ctx, values);
    }
    if (values.source) {
      if (result.source === null) {
        process.stderr.write(
          'hyperdbg-studio disasm: these bytes have no source that assembles back to them exactly\n',
        );
        return EXIT_INPUT;
      }
      process.stdout.write(`${result.source}\n`);
    } else process.stdout.write(`${formatListing(result.listing)}\n`);
    for (const d of result.diagnostics)
      process.stderr.write(`hyperdbg-studio disasm: ${formatDiagnostic(d)}\n`);
    return result.ok ? 0 : EXIT_INPUT;
  } catch (e) {
    return usageError('disasm', DISASM_USAGE, e);
  }
}

/** Prints a dry run's report; the simulator missing or failing is exit status 1. */
async function printDryRun(
  command: string,
  source: string,
  ctx: ReturnType<typeof asmContext>,
  values: Parameters<typeof cliDryRun>[0]['values'],
): Promise<number> {
  try {
    const report = await cliDryRun({
      source,
      role: ctx.role,
      eventKind: ctx.eventKind,
      bufferSize: ctx.bufferSize,
      target: ctx.target,
      values,
    });
    process.stdout.write(report.text);
    return 0;
  } catch (e) {
    if (e instanceof AppError && e.code === 'invalid-input') {
      process.stderr.write(`hyperdbg-studio ${command}: ${e.message}\n`);
      return EXIT_INPUT;
    }
    if (e instanceof AppError) {
      process.stderr.write(`hyperdbg-studio ${command}: the dry run failed: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
