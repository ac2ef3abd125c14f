// How a connection profile becomes a process and a connect sequence: the built-in simulator when
// the CLI path is empty (`node dist/sim/index.mjs [options]`), else hyperdbg-cli itself (checked
// with the pty host's preflight); then the commands of spec §2 for the profile's connection,
// each with the messages that mean success. Host side.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions } from '../../../shared/contract/session';
import type { TargetMode } from '../../../shared/hyperdbg/commandBuilder';
import {
  DEFAULT_NAMED_PIPE,
  describeConnection,
  type ProfileDraft,
} from '../../../shared/model/actionTarget';
import { preflight, PTY_COLUMNS } from '../pty/ptyHost';
import { wordsFor } from './failureWords';

export interface LaunchPlan {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly isSimulator: boolean;
  readonly targetLabel: string;
  /** ConPTY hard-wraps at the pty width (spec §1.7): the parser joins such rows. */
  readonly wrapWidth: number | undefined;
  /** What preflight found that the user should know. */
  readonly warnings: readonly string[];
}

/**
 * The simulator bundle. Bundled hosts live in `dist/<host>/index.mjs`, so it is `../sim/` from
 * them; from sources (tests) it is the repository's `dist/sim/`.
 */
export function defaultSimulatorEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../sim/index.mjs'), join(here, '../../../dist/sim/index.mjs')];
  return candidates.find((c) => existsSync(c)) ?? (candidates[0] as string);
}

export function simulatorArgs(o: SimulatorOptions | undefined): string[] {
  const args: string[] = [];
  if (o === undefined) return args;
  if (o.seed !== undefined) args.push('--seed', String(o.seed));
  if (o.cores !== undefined) args.push('--cores', String(o.cores));
  if (o.rate !== undefined) args.push('--rate', String(o.rate));
  if (o.pacing !== undefined) args.push('--pacing', o.pacing);
  if (o.stock === true) args.push('--stock');
  if (o.osBuild !== undefined) args.push('--os-build', String(o.osBuild));
  if (o.symbols !== undefined) args.push('--symbols', o.symbols);
  return args;
}

export function connectionLabel(profile: ProfileDraft): string {
  return describeConnection(profile.connection);
}

export function planLaunch(
  profile: ProfileDraft,
  simulator: SimulatorOptions | undefined,
  extraSimulatorArgs: readonly string[],
  simulatorEntry: string,
  platform: NodeJS.Platform = process.platform,
): LaunchPlan {
  if (profile.cliPath === '') {
    const args = [simulatorEntry, ...simulatorArgs(simulator), ...extraSimulatorArgs];
    const seed = simulator?.seed;
    return {
      file: process.execPath,
      args,
      cwd: undefined,
      // Inside Electron, process.execPath is the app: this makes it run the script as Node.
      env: process.versions.electron !== undefined ? { ELECTRON_RUN_AS_NODE: '1' } : {},
      isSimulator: true,
      targetLabel: `Simulator${seed !== undefined ? ` (seed ${seed})` : ''}, ${connectionLabel(profile)}`,
      wrapWidth: extraSimulatorArgs.some((a) => a === '--conpty' || a === '--conpty-repaint')
        ? PTY_COLUMNS
        : undefined,
      warnings: existsSync(simulatorEntry)
        ? []
        : [`the simulator is not built (${simulatorEntry} is missing): run npm run build`],
    };
  }
  const warnings = preflight(profile.cliPath, platform);
  return {
    file: profile.cliPath,
    args: [],
    // config.ini and hyperkd.sys sit beside the exe (spec §1.1); run there unless told otherwise.
    cwd: profile.workingDirectory !== '' ? profile.workingDirectory : dirname(profile.cliPath),
    env: {},
    isSimulator: false,
    targetLabel: `${profile.name}, ${connectionLabel(profile)}`,
    wrapWidth: platform === 'win32' ? PTY_COLUMNS : undefined,
    warnings,
  };
}

/** The mode commands are built for: Debugger Mode over a serial or pipe link (spec §2.3). */
export function targetModeOf(profile: ProfileDraft): TargetMode {
  const k = profile.connection.kind;
  return k === 'namedPipe' || k === 'serial' ? 'debugger' : 'vmi';
}

export interface ConnectStep {
  readonly line: string;
  /** `.debug remote ...` blocks until the debuggee runs (spec §2.3). */
  readonly completion: 'marker' | 'blocking';
  /** Message codes that mean the step worked. */
  readonly success: readonly string[];
  /** What the step does, for messages ("loading the vmm module"). */
  readonly what: string;
}

/** A pipe path hyperdbg-cli's tokenizer reads as one token (quoted when it holds spaces). */
export function pipeToken(pipe: string): string {
  if (/["{}]/.test(pipe) || pipe.includes('//') || pipe.includes('/*'))
    throw new Error(
      `the pipe name ${pipe} holds ", { , } or a comment start, which hyperdbg-cli's command line cannot carry (docs/hyperdbg-v0.23.md §1.3)`,
    );
  if (!pipe.includes(' ')) return pipe;
  if (pipe.endsWith('\\'))
    throw new Error(`the pipe name ${pipe} ends in \\ and holds a space: it cannot be quoted`);
  return `"${pipe}"`;
}

/** The commands that connect a freshly started CLI to the profile's target (spec §2). */
export function connectSteps(profile: ProfileDraft): ConnectStep[] {
  const c = profile.connection;
  switch (c.kind) {
    case 'local':
      return [
        {
          line: '.connect local',
          completion: 'marker',
          success: ['connected-local', 'already-connected'],
          what: 'connecting locally (VMI mode)',
        },
        {
          line: 'load vmm',
          completion: 'marker',
          success: ['vmm-running', 'vmm-already-running'],
          what: 'loading the vmm module',
        },
      ];
    case 'namedPipe':
      return [
        {
          line: `.debug remote namedpipe ${pipeToken(c.pipe === '' ? DEFAULT_NAMED_PIPE : c.pipe)}`,
          completion: 'blocking',
          success: ['debuggee-running'],
          what: `connecting to the debuggee over ${c.pipe}`,
        },
      ];
    case 'serial':
      return [
        {
          // The baud rate is decimal here (spec §1.3: IsNumber + stoi).
          line: `.debug remote serial ${c.baud} ${c.port.toLowerCase()}`,
          completion: 'blocking',
          success: ['debuggee-running'],
          what: `connecting to the debuggee on ${c.port} at ${c.baud} baud`,
        },
      ];
    case 'tcp':
      return [
        {
          // The port is decimal too (spec §2.2).
          line: `.connect ${c.host} ${c.port}`,
          completion: 'marker',
          success: ['connected-remote'],
          what: `connecting to the remote debuggee at ${c.host}:${c.port}`,
        },
      ];
  }
}

/** A failed connect step in words: the first error HyperDbg printed that has words, else its text. */
export function explainStepFailure(
  step: ConnectStep,
  errors: readonly { readonly code: string; readonly text: string }[],
  lines: readonly string[],
): string {
  for (const e of errors) {
    const words = wordsFor(e);
    if (words !== undefined) return `${step.what} failed: ${words} ("${e.text}")`;
  }
  const first = errors[0]?.text ?? lines.find((l) => l.trim().length > 0);
  return `${step.what} failed${first !== undefined ? `: "${first}"` : ' without a message'}`;
}
