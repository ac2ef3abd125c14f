// `asm --dry-run` and `disasm --dry-run`: the app's dry run from the command line, with no
// session: the code runs on sample events of a synthetic guest of `--build` (default: the
// reference build) through the simulator's dry-run server, and the report is printed as text.
import type { DryRunReport } from '../../../shared/contract/target';
import { UNKNOWN_WINDOWS_BUILD, type SessionState } from '../../../shared/contract/session';
import { AppError } from '../../../shared/contract/result';
import { parseBufferSchemaText, type BufferSchema } from '../../../shared/model/bufferSchema';
import type { EventKind } from '../../../shared/model/eventKinds';
import type { TargetCapability } from '../../../shared/model/actionTarget';
import { loadKnownBuilds } from '../../host/target/knownBuildsFile';
import { SimulatorDryRun } from '../../host/target/simulatorDryRun';
import { TargetService } from '../../host/target/targetService';
import { UsageError } from './cliSupport';

/** No session: the CLI's dry runs have no connected target. */
const NO_SESSION: SessionState = {
  status: 'disconnected',
  targetLabel: null,
  isSimulator: false,
  profileId: null,
  mode: 'none',
  debuggee: 'unknown',
  currentCore: null,
  vmmLoaded: false,
  muted: false,
  banner: null,
  debuggeeOs: null,
  windowsBuild: UNKNOWN_WINDOWS_BUILD,
  symbols: 'unknown',
  capability: null,
  notices: [],
  error: null,
  exit: null,
  queued: 0,
  records: { kind: 'none' },
  generation: 0,
};

export const DRY_RUN_OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  build: { type: 'string' },
  samples: { type: 'string' },
  seed: { type: 'string' },
  arg: { type: 'string', multiple: true },
  schema: { type: 'string' },
} as const;

export const DRY_RUN_USAGE = `  --build N     the Windows build structure fields resolve for, and the dry run's guest
                (default: the reference build ${19041})
  --dry-run     run the code on sample events of a synthetic guest of that build and print
                what it reads and writes, its faults and the record it returns
  --arg A       the event's argument (repeatable), e.g. --event epthook --arg nt!NtCreateFile
  --samples N   sample events (1-16, default 4); --seed N picks other samples
  --schema TXT  the buffer schema decoding the returned record ('Name: type @ offset' lines)
`;

function int(name: string, text: string | undefined, lo: number, hi: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < lo || Number(text) > hi)
    throw new UsageError(`--${name}: a whole number from ${lo} to ${hi}, got '${text}'`);
  return Number(text);
}

export function buildOption(values: { build?: string }): number | undefined {
  return int('build', values.build, 1, 99_999);
}

export interface DryRunCliInput {
  readonly source: string;
  readonly role: 'code' | 'condition';
  readonly eventKind: EventKind | null;
  readonly bufferSize: number;
  readonly target: TargetCapability;
  readonly values: {
    build?: string;
    samples?: string;
    seed?: string;
    arg?: string[];
    schema?: string;
  };
}

/** Runs one dry run and returns its report; a usage problem throws UsageError. */
export async function cliDryRun(input: DryRunCliInput): Promise<DryRunReport> {
  let schema: BufferSchema = [];
  if (input.values.schema !== undefined) {
    const r = parseBufferSchemaText(input.values.schema.replace(/;/g, '\n'), input.bufferSize);
    if (!r.ok) throw new UsageError(`--schema: line ${r.error[0]?.line}: ${r.error[0]?.message}`);
    schema = r.value;
  }
  const dryRun = new SimulatorDryRun();
  const service = new TargetService({
    session: {
      state: () => NO_SESSION,
      command: () => Promise.reject(new AppError('session', 'no session')),
      detectBuild: () => Promise.resolve(NO_SESSION),
    },
    library: { get: (id) => Promise.reject(new AppError('not-found', `no action ${id}`)) },
    table: loadKnownBuilds(),
    dryRun,
  });
  try {
    return await service.dryRun({
      draft: {
        name: 'the source given',
        code: input.role === 'code' ? input.source : null,
        condition: input.role === 'condition' ? input.source : null,
        bufferSize: input.bufferSize,
        bufferSchema: [...schema],
      },
      eventKind: input.eventKind ?? '!syscall',
      args: input.values.arg ?? [],
      build: buildOption(input.values),
      samples: int('samples', input.values.samples, 1, 16),
      seed: int('seed', input.values.seed, 0, 0xffffffff),
      target: input.target,
    });
  } finally {
    await service.dispose();
  }
}
