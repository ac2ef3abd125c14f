// Where actions run: what a target can do with custom code (buffer-records.md §1, spec §5.6) and
// the connection profiles that say how to reach it (spec §2). Pure.
import { z } from 'zod';
import { ONE_LINE } from '../text/controlChars';

/**
 * What the target does with custom code:
 * - `sim`: the built-in simulator (runs code, returns RAX buffers);
 * - `patched`: a HyperDbg build patched to return buffers as the seed documents;
 * - `stock`: stock v0.23 (RAX ignored, spec §5.2; code probably in NX memory, spec §5.6);
 * - `auto`: decide from the banner when connected (`-sim` suffix = sim, else stock).
 */
export const TARGET_CAPABILITIES = ['auto', 'sim', 'stock', 'patched'] as const;
export type TargetCapability = (typeof TARGET_CAPABILITIES)[number];
export const targetCapabilitySchema = z.enum(TARGET_CAPABILITIES);

/** The pipe HyperDbg's help text and test constant use (spec §7). */
export const DEFAULT_NAMED_PIPE = '\\\\.\\pipe\\HyperDbgPipe';
/** `.connect <ip>` default port (spec §2.2, DEFAULT_PORT). */
export const DEFAULT_TCP_PORT = 50000;
/** The only rates `.debug remote serial` accepts (spec §2.3). */
export const SERIAL_BAUD_RATES = [
  110, 300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 56000, 57600, 115200, 128000, 256000,
] as const;
/** HyperDbg maps only COM1..COM4 to I/O ports (spec §7). */
export const SERIAL_PORTS = ['COM1', 'COM2', 'COM3', 'COM4'] as const;

const MAX_PATH_LENGTH = 4096;
/** Paths and names are shown and passed on the command line: one line, read as stored. */
const oneLine = ONE_LINE;
const pathSchema = z.string().max(MAX_PATH_LENGTH).regex(oneLine, 'a path is one line');

/** `.connect <ip>` needs four dotted decimal parts, each 0..255 (spec §2.2). */
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export const connectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z
    .object({
      kind: z.literal('namedPipe'),
      pipe: z
        .string()
        .trim()
        .min(1, 'the pipe name is required')
        .max(256)
        .regex(oneLine, 'a pipe name is one line')
        .default(DEFAULT_NAMED_PIPE),
    })
    .strict(),
  z
    .object({
      kind: z.literal('serial'),
      port: z.enum(SERIAL_PORTS),
      baud: z
        .number()
        .int()
        .refine((b) => (SERIAL_BAUD_RATES as readonly number[]).includes(b), {
          message: `the baud rate must be one of ${SERIAL_BAUD_RATES.join(', ')}`,
        }),
    })
    .strict(),
  z
    .object({
      kind: z.literal('tcp'),
      host: z.string().regex(ipv4, 'an IPv4 address (four numbers 0..255)'),
      port: z.number().int().min(0).max(65535).default(DEFAULT_TCP_PORT),
    })
    .strict(),
]);
export type Connection = z.output<typeof connectionSchema>;

export const profileDraftSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'a name is required')
      .max(120)
      .regex(oneLine, 'a name is one line'),
    /** hyperdbg-cli.exe; empty = the built-in simulator. */
    cliPath: pathSchema.default(''),
    connection: connectionSchema,
    /** Where hyperdbg-cli runs (its config.ini and hyperkd.sys sit beside the exe, spec §1.1). */
    workingDirectory: pathSchema.default(''),
    capability: targetCapabilitySchema.default('auto'),
  })
  .strict();
export type ProfileDraft = z.output<typeof profileDraftSchema>;

export type ConnectionProfile = Readonly<
  ProfileDraft & { readonly id: string; readonly createdAt: number; readonly updatedAt: number }
>;

/** Where a connection goes, in a few words (`COM2 @ 115200`, `named pipe \\.\pipe\X`). */
export function describeConnection(c: Connection): string {
  switch (c.kind) {
    case 'local':
      return 'local VMI';
    case 'namedPipe':
      return `named pipe ${c.pipe}`;
    case 'serial':
      return `${c.port} @ ${c.baud}`;
    case 'tcp':
      return `${c.host}:${c.port}`;
  }
}
