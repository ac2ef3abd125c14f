// Command-line options of `hyperdbg-studio capture`, checked with a message naming the option.
// Simulator flags are passed through to `node dist/sim/index.mjs` (which checks them itself).
// Host side.
import type { ProfileDraft } from '../../../shared/model/actionTarget';
import { RATE_PROBE_S } from '../../../shared/delivery/rateProbe';
import { EVENT_KINDS, type EventKind } from '../../../shared/model/eventKinds';
import { DELIVERY_OPTIONS, type ActionRequest, type DeliveryOption } from './captureAction';
import {
  DEFAULT_NAMED_PIPE,
  DEFAULT_TCP_PORT,
  profileDraftSchema,
  TARGET_CAPABILITIES,
} from '../../../shared/model/actionTarget';

/** Seconds captured when `--duration` is not given. */
export const DEFAULT_DURATION_S = 10;
/**
 * Longest wait for the target to drain after the capture (s): v0.23's reader empties two full
 * 1000-packet rings at ~33 packets/s in about 60 s (docs/hyperdbg-v0.23.md §6.1).
 */
export const DEFAULT_DRAIN_S = 65;
/** Longest capture: a day, far above any benchmark; guards against a typo such as 1e9. */
const MAX_DURATION_S = 86_400;

export const CAPTURE_USAGE = `usage: hyperdbg-studio capture --binding JSON [--binding JSON]... [options]
       hyperdbg-studio capture --action NAME [--event KIND] [--args A]... [--delivery D] [options]
  starts a target, registers the bindings as events, captures for --duration seconds, writes
  each record as the JSON object \`parse\` gives, and ends with one summary line:
  records=N malformed=M rate=R/s lost=L in_flight<=K
  lost: records the target lost, from the gaps in their sequence numbers (HDBG2 lines,
  docs/buffer-records.md §2a; \`unknown\` when no record carried one); in_flight: records that
  may still sit in the target (0 once it drained); with the simulator, also
  sim_emitted=E sim_dropped=D sim_pending=P from its --stats-file; when a script counted in
  the target, also tables=N counted=T (tables printed, triggers counted up to the last one),
  each table written to --out as {"type":"count-table",...}

  --drain S           after the capture, disable the events and read on until the target is
                      quiet, at most S seconds (default ${DEFAULT_DRAIN_S}; 0: stop at once)

  --binding JSON      an event binding, the schema \`build\` reads (repeatable)
  --action NAME       a saved action of the data folder's library (by name or id), resolved for
                      the target and bound as the binder binds it
  --event KIND        its event, e.g. !syscall (default: the action's first event kind)
  --args A            one argument of the event, e.g. --args 55 for a syscall number (repeatable)
  --delivery D        auto (default) | per-event | batched | counted: how its records leave the
                      target (docs/buffer-records.md §2a, §2b, §7); on a target that returns no
                      buffers a code action is bound as its log form. The event's rate is
                      measured first in a ${RATE_PROBE_S}-second probe that counts its triggers in
                      the target (a table printed at 1, 2, 4, 7, 11, ... triggers: a few dozen
                      packets whatever the rate); auto takes the delivery plan's choice for it,
                      batched the plan's K, counted a table about every second
  --duration S        seconds to capture after the bindings are registered (default ${DEFAULT_DURATION_S})
  --out FILE          write each record as one JSON line to FILE
  --cli PATH          a real hyperdbg-cli (default: the built-in simulator)
  --connect TARGET    local (default) | namedpipe[:NAME] | serial:PORT:BAUD | tcp:IP[:PORT]
  --capability C      auto (default) | sim | stock | patched
  --data-dir DIR      where the session database and transcript go (default: the app's data
                      folder); \`sessions list\` shows the capture like any app run
  --no-transcript     do not write the raw session transcript
  --no-session        do not write the session database
  --records auto|console
                      auto (default): records travel through an output sink the capture listens
                      on, where the target supports it (local VMI, Debugger Mode); console: the
                      CLI's console (docs/hyperdbg-v0.23.md §6.4)
  --allow-nx-crash    apply bindings with custom or condition code even on a stock HyperDbg
                      v0.18-v0.23 target, which most likely bug-checks on their first trigger
                      (docs/hyperdbg-v0.23.md §5.6); without it such bindings are refused there
 simulator only (passed through to \`hyperdbg-studio sim\`):
  --pacing realistic|fast, --rate N|max, --seed N, --cores N, --stock, --conpty
  --sim-arg ARG       any other simulator option, e.g. --sim-arg=--os-build=19041 (repeatable)
  --sim-stats FILE    keep the simulator's statistics (the JSON of its --stats-file: triggers,
                      records, dropped per event, triggers by process) at FILE
`;

export class CaptureUsageError extends Error {}

export interface CaptureOptions {
  readonly bindings: readonly unknown[];
  /** A library action to bind (`--action`), null without. */
  readonly action: ActionRequest | null;
  readonly durationS: number;
  /** Seconds to wait for the target to drain after the capture (0: do not). */
  readonly drainS: number;
  readonly out: string | null;
  readonly profile: ProfileDraft;
  readonly dataDir: string | null;
  readonly transcript: boolean;
  /** Write the session database (the app's Sessions view and `sessions` open it). */
  readonly session: boolean;
  readonly simulatorArgs: readonly string[];
  readonly records: 'auto' | 'console';
  readonly allowNxCrash: boolean;
  /** Where to keep the simulator's own statistics (its --stats-file JSON); null: not kept. */
  readonly simStats: string | null;
  readonly help: boolean;
}

/** `local`, `namedpipe[:NAME]`, `serial:PORT:BAUD`, `tcp:IP[:PORT]`. */
export function parseConnect(text: string): ProfileDraft['connection'] {
  const [kind, ...rest] = text.split(':');
  const tail = rest.join(':');
  switch (kind?.toLowerCase()) {
    case 'local':
      if (rest.length > 0) break;
      return { kind: 'local' };
    case 'namedpipe':
      return { kind: 'namedPipe', pipe: tail.length > 0 ? tail : DEFAULT_NAMED_PIPE };
    case 'serial': {
      const [port, baud] = rest;
      if (port === undefined || baud === undefined || rest.length !== 2) break;
      return { kind: 'serial', port: port.toUpperCase() as 'COM1', baud: Number(baud) };
    }
    case 'tcp': {
      const [host, port] = rest;
      if (host === undefined || rest.length > 2) break;
      return { kind: 'tcp', host, port: port === undefined ? DEFAULT_TCP_PORT : Number(port) };
    }
    default:
      break;
  }
  throw new CaptureUsageError(
    `--connect: '${text}' is not local, namedpipe[:NAME], serial:PORT:BAUD or tcp:IP[:PORT]`,
  );
}

export function parseCaptureOptions(argv: readonly string[]): CaptureOptions {
  const bindings: unknown[] = [];
  let durationS = DEFAULT_DURATION_S;
  let drainS = DEFAULT_DRAIN_S;
  let out: string | null = null;
  let cliPath = '';
  let connection: ProfileDraft['connection'] = { kind: 'local' };
  let capability = 'auto';
  let dataDir: string | null = null;
  let transcript = true;
  let session = true;
  let help = false;
  let records: 'auto' | 'console' = 'auto';
  let allowNxCrash = false;
  let simStats: string | null = null;
  const simulatorArgs: string[] = [];
  let actionName: string | null = null;
  let event: EventKind | null = null;
  const eventArgs: string[] = [];
  let delivery: DeliveryOption | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new CaptureUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--binding': {
        const text = value();
        try {
          bindings.push(JSON.parse(text));
        } catch (e) {
          throw new CaptureUsageError(
            `--binding ${bindings.length + 1}: not valid JSON (${e instanceof Error ? e.message : String(e)})`,
          );
        }
        break;
      }
      case '--action': {
        const v = value();
        if (v.trim() === '') throw new CaptureUsageError('--action: give an action name');
        if (actionName !== null) throw new CaptureUsageError('--action: one action per capture');
        actionName = v;
        break;
      }
      case '--event': {
        const v = value();
        if (!(EVENT_KINDS as readonly string[]).includes(v))
          throw new CaptureUsageError(
            `--event: '${v}' is not an event kind (${EVENT_KINDS.slice(0, 4).join(', ')}, ...)`,
          );
        event = v as EventKind;
        break;
      }
      case '--args':
        eventArgs.push(value());
        break;
      case '--delivery': {
        const v = value();
        if (!(DELIVERY_OPTIONS as readonly string[]).includes(v))
          throw new CaptureUsageError(
            `--delivery: one of ${DELIVERY_OPTIONS.join(', ')}, not '${v}'`,
          );
        delivery = v as DeliveryOption;
        break;
      }
      case '--duration': {
        const v = value();
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0) || n > MAX_DURATION_S)
          throw new CaptureUsageError(
            `--duration: '${v}' is not a number of seconds (0-${MAX_DURATION_S})`,
          );
        durationS = n;
        break;
      }
      case '--drain': {
        const v = value();
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || n > MAX_DURATION_S)
          throw new CaptureUsageError(
            `--drain: '${v}' is not a number of seconds (0-${MAX_DURATION_S})`,
          );
        drainS = n;
        break;
      }
      case '--out':
        out = value();
        break;
      case '--cli':
        cliPath = value();
        break;
      case '--connect':
        connection = parseConnect(value());
        break;
      case '--capability':
        capability = value();
        if (!(TARGET_CAPABILITIES as readonly string[]).includes(capability))
          throw new CaptureUsageError(`--capability: one of ${TARGET_CAPABILITIES.join(', ')}`);
        break;
      case '--data-dir':
        dataDir = value();
        break;
      case '--no-transcript':
        transcript = false;
        break;
      case '--no-session':
        session = false;
        break;
      case '--records': {
        const v = value();
        if (v !== 'auto' && v !== 'console')
          throw new CaptureUsageError(`--records: auto or console, not '${v}'`);
        records = v;
        break;
      }
      case '--allow-nx-crash':
        allowNxCrash = true;
        break;
      case '--pacing':
      case '--rate':
      case '--seed':
      case '--cores':
        simulatorArgs.push(flag, value());
        break;
      case '--stock':
      case '--conpty':
        simulatorArgs.push(flag);
        break;
      case '--sim-arg': {
        const v = value();
        if (/^--stats-file(=|$)/.test(v))
          throw new CaptureUsageError(
            '--sim-arg: capture sets --stats-file itself; use --sim-stats FILE',
          );
        simulatorArgs.push(v);
        break;
      }
      case '--sim-stats':
        simStats = value();
        break;
      default:
        throw new CaptureUsageError(`unknown option '${a}'`);
    }
  }
  const profile = profileDraftSchema.safeParse({
    name: 'capture',
    cliPath,
    connection,
    capability,
  });
  if (!profile.success) {
    const issue = profile.error.issues[0];
    throw new CaptureUsageError(
      `${issue?.path.join('.') === 'cliPath' ? '--cli' : '--connect'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (!help && bindings.length === 0 && actionName === null)
    throw new CaptureUsageError(
      'give at least one --binding (the JSON `build` reads) or --action NAME',
    );
  if (actionName === null && (event !== null || eventArgs.length > 0 || delivery !== null))
    throw new CaptureUsageError('--event, --args and --delivery go with --action NAME');
  if (cliPath !== '' && (simulatorArgs.length > 0 || simStats !== null))
    throw new CaptureUsageError(
      'simulator options (--pacing, --rate, --sim-arg, ...) need the simulator, not --cli',
    );
  return {
    bindings,
    action:
      actionName === null
        ? null
        : { name: actionName, event, args: eventArgs, delivery: delivery ?? 'auto' },
    durationS,
    drainS,
    out,
    profile: profile.data,
    dataDir,
    transcript,
    session,
    simulatorArgs,
    records,
    allowNxCrash,
    simStats,
    help,
  };
}
