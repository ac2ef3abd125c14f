// Shared pieces of the library's CLI commands: exit codes, option parsing errors, stdin, and the
// assembler options (`--condition`, `--event`, `--buffer`, `--target`) asm and disasm share.
import { isEventKind, type EventKind } from '../../../shared/model/eventKinds';
import { MAX_RECORD_BYTES } from '../../../shared/model/bufferSchema';
import { TARGET_CAPABILITIES, type TargetCapability } from '../../../shared/model/actionTarget';
import type { AsmDiagnostic } from '../../../shared/model/actionAssembly';
import type { AsmContext } from '../../host/asm/asmService';

/** Bad usage or input the user must fix (an assembly error, a refused file). */
export const EXIT_INPUT = 2;
/** The library could not be used (a corrupt or newer database). */
export const EXIT_UNAVAILABLE = 1;
/** Largest source or hex read from stdin: far above any action, small enough to hold. */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

export class UsageError extends Error {}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > MAX_STDIN_BYTES)
      throw new UsageError(`stdin is larger than ${MAX_STDIN_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `--event` takes `!syscall` or `syscall` (a bare `!` is history expansion in some shells). */
export function parseEvent(value: string | undefined): EventKind | null {
  if (value === undefined) return null;
  const kind = value.startsWith('!') ? value : `!${value}`;
  if (!isEventKind(kind))
    throw new UsageError(`--event: '${value}' is not an event kind (e.g. !syscall)`);
  return kind;
}

/** `--buffer` is hex, like HyperDbg's `buffer` keyword (spec §3.5): `18` is 0x18 bytes. */
export function parseBuffer(value: string | undefined): number {
  if (value === undefined) return 0;
  const m = /^(?:0x)?([0-9a-f]+)$/i.exec(value);
  const n = m === null ? NaN : Number.parseInt(m[1] as string, 16);
  if (!Number.isSafeInteger(n) || n > MAX_RECORD_BYTES)
    throw new UsageError(
      `--buffer: '${value}' is not a hex size up to 3e7 (docs/hyperdbg-v0.23.md §3.5)`,
    );
  return n;
}

export function parseTarget(value: string | undefined): TargetCapability {
  if (value === undefined) return 'auto';
  if (!(TARGET_CAPABILITIES as readonly string[]).includes(value))
    throw new UsageError(`--target: one of ${TARGET_CAPABILITIES.join(', ')}`);
  return value as TargetCapability;
}

export const ASM_OPTIONS = {
  condition: { type: 'boolean', default: false },
  event: { type: 'string' },
  buffer: { type: 'string' },
  target: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function asmContext(values: {
  condition?: boolean;
  event?: string;
  buffer?: string;
  target?: string;
}): AsmContext {
  return {
    role: values.condition === true ? 'condition' : 'code',
    eventKind: parseEvent(values.event),
    bufferSize: parseBuffer(values.buffer),
    target: parseTarget(values.target),
  };
}

/** `line 3: warning: ...` (or without a line). */
export function formatDiagnostic(d: AsmDiagnostic): string {
  return `${d.line === null ? '' : `line ${d.line}: `}${d.severity}: ${d.message}`;
}
