// Command-line options of the simulator (`npx hyperdbg-studio sim [options]`), validated with a
// clear message for anything malformed. Simulator side; pure.
import { DEFAULT_PIPE_BYTES_PER_S } from '../../shared/delivery/linkBudget';
import { DEFAULT_OS_BUILD, OLDEST_SUPPORTED_BUILD } from './emulator/windowsLayouts';
import type { DriverService, SimOptions } from './cli/session';

/** Events per second the simulated system produces unless --rate says otherwise. */
export const DEFAULT_RATE = 1000;
export const DEFAULT_CORES = 4;
/**
 * Instruction budget for one custom-code or condition run: far above any real action (the seed's
 * are 4-6 instructions) and still only a few milliseconds of emulation when a loop runs away.
 */
export const DEFAULT_MAX_INSTRUCTIONS = 1_000_000;
/** Unicorn runs about 100-300 M simple instructions/s; more than this could stall the CLI. */
const MAX_INSTRUCTION_LIMIT = 100_000_000;

export const USAGE = `usage: hyperdbg-studio sim [options]

Plays hyperdbg-cli v0.23 on this terminal, with a synthetic Windows guest whose custom code
really runs in an x86-64 emulator.

options:
  --seed N              seed of everything random (addresses, pids, the event stream); default: time
  --cores N             simulated processors (1-64, default ${DEFAULT_CORES})
  --rate N|max          events per second the guest produces (default ${DEFAULT_RATE})
  --pacing realistic|fast
                        realistic: v0.23's reader (one packet per 30 ms, 1000-slot rings that
                        overwrite); fast: print at once (default realistic)
  --pipe-rate N|max     bytes/s a Debugger-Mode named pipe carries (default ${DEFAULT_PIPE_BYTES_PER_S});
                        a serial link carries its baud / 10 (8N1), as '.debug remote serial' says.
                        Either way each packet also carries about 33 bytes of framing, and the
                        sending debuggee core waits while it crosses (docs/hyperdbg-v0.23.md §6.2)
  --conpty              add what Windows' ConPTY adds: echo, VT sequences, \\r\\n, hard wraps
  --conpty-repaint      --conpty as a re-rendering conhost may paint it: trailing blanks trimmed,
                        the typed line repainted with its prompt (CUP, CR, CHA; erase-in-line),
                        TABs expanded, blank runs as cursor-forward
  --stock               play a stock v0.23 build: custom code's RAX is ignored (no HDBG1 records),
                        and the first custom or condition code to run bug-checks the machine
                        (NX pool, 0xFC): local VMI exits with status 252
  --os-build N          Windows build whose structure offsets the guest uses (default ${DEFAULT_OS_BUILD})
  --symbols configured|none
                        configured: a symbol path is set and its PDBs are downloaded; none: a
                        fresh install with no symbol path, so nt! names fail until '.sympath'
                        and '.sym download' (default configured)
  --stats-file PATH     on exit, write per-event counts (triggers, records, dropped) and
                        triggers by process, in all and up to each event's last message, as
                        JSON
  --fill-pipe           measure the VMI pipe: after 'load vmm', keep the kernel ring full of
                        ready-made packets of 4094 characters (lines 'fill <packet> <line>...',
                        packets numbered from 0 in hex), so the reader's output shows the
                        packets/s and characters/s it carries; realistic pacing only
  --max-instructions N  instruction budget of one custom-code run (default ${DEFAULT_MAX_INSTRUCTIONS})
  --driver-service none|running|stopped
                        the hyperkd service when the CLI starts: none (fresh machine, default),
                        running (loaded earlier in this boot) or stopped (loaded before a reboot)
  --dry-run-server      (alone) serve the app's dry runs: JSON lines on stdin/stdout, no CLI
  --help                this text
`;

export class OptionsError extends Error {}

function integer(name: string, text: string | undefined, lo: number, hi: number): number {
  if (text === undefined || !/^\d+$/.test(text))
    throw new OptionsError(`${name} needs a whole number, got '${text ?? ''}'`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < lo || v > hi)
    throw new OptionsError(`${name} must be between ${lo} and ${hi}, got ${text}`);
  return v;
}

export function parseOptions(argv: readonly string[], now = Date.now()): SimOptions | 'help' {
  let seed = now % 0x100000000;
  let cores = DEFAULT_CORES;
  let rate: number | 'max' = DEFAULT_RATE;
  let pacing: SimOptions['pacing'] = 'realistic';
  let conpty = false;
  let conptyRepaint = false;
  let stock = false;
  let osBuild = DEFAULT_OS_BUILD;
  let statsFile: string | null = null;
  let fillPipe = false;
  let maxInstructions = DEFAULT_MAX_INSTRUCTIONS;
  let symbols: SimOptions['symbols'] = 'configured';
  let driverService: DriverService = 'none';
  let pipeRate: number | null = DEFAULT_PIPE_BYTES_PER_S;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--seed':
        seed = integer('--seed', value(), 0, Number.MAX_SAFE_INTEGER);
        break;
      case '--cores':
        cores = integer('--cores', value(), 1, 64);
        break;
      case '--rate': {
        const v = value();
        rate = v === 'max' ? 'max' : integer('--rate', v, 1, 10_000_000);
        break;
      }
      case '--pacing': {
        const v = value();
        if (v !== 'realistic' && v !== 'fast')
          throw new OptionsError(`--pacing must be 'realistic' or 'fast', got '${v ?? ''}'`);
        pacing = v;
        break;
      }
      case '--pipe-rate': {
        const v = value();
        pipeRate = v === 'max' ? null : integer('--pipe-rate', v, 1, 10_000_000_000);
        break;
      }
      case '--conpty':
        conpty = true;
        break;
      case '--conpty-repaint':
        conpty = true;
        conptyRepaint = true;
        break;
      case '--stock':
        stock = true;
        break;
      case '--os-build':
        osBuild = integer('--os-build', value(), OLDEST_SUPPORTED_BUILD, 99999);
        break;
      case '--stats-file': {
        const v = value();
        if (v === undefined || v.length === 0) throw new OptionsError('--stats-file needs a path');
        statsFile = v;
        break;
      }
      case '--fill-pipe':
        fillPipe = true;
        break;
      case '--symbols': {
        const v = value();
        if (v !== 'configured' && v !== 'none')
          throw new OptionsError(`--symbols must be 'configured' or 'none', got '${v ?? ''}'`);
        symbols = v;
        break;
      }
      case '--max-instructions':
        maxInstructions = integer('--max-instructions', value(), 1, MAX_INSTRUCTION_LIMIT);
        break;
      case '--driver-service': {
        const v = value();
        if (v !== 'none' && v !== 'running' && v !== 'stopped')
          throw new OptionsError(
            `--driver-service must be 'none', 'running' or 'stopped', got '${v ?? ''}'`,
          );
        driverService = v;
        break;
      }
      default:
        throw new OptionsError(`unknown option '${a}'`);
    }
  }
  if (fillPipe && pacing !== 'realistic')
    throw new OptionsError(
      '--fill-pipe measures the realistic reader: it needs --pacing realistic',
    );
  return {
    seed,
    cores,
    rate,
    pacing,
    conpty,
    conptyRepaint,
    stock,
    osBuild,
    statsFile,
    fillPipe,
    maxInstructions,
    symbols,
    driverService,
    pipeRate,
  };
}
