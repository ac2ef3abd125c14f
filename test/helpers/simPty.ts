// Drives the built simulator (`node dist/sim/index.mjs`) through a real pseudo-terminal, as the
// app will drive hyperdbg-cli: write keys, read bytes, wait for prompts. Test side (node-pty).
import { join } from 'node:path';
import * as pty from 'node-pty';
import { distDir } from './paths';

/** Any prompt of spec §1.4 at the very end of the output (with --conpty, before the cursor-show sequence). */
const ESC = String.fromCharCode(0x1b);
export const PROMPT_AT_END = new RegExp(
  `(?:HyperDbg> |[0-9a-f]+: kHyperDbg> )(?:${ESC}\\[\\?25h)?$`,
);

/** The first prompt anywhere in the output (asynchronous lines may follow it). */
const PROMPT_ANYWHERE = /(?:HyperDbg> |[0-9a-f]+: kHyperDbg> )/;

/** Removes VT escape sequences (CSI and OSC) from --conpty output. */
export function stripVt(text: string): string {
  return text.replace(
    new RegExp(
      `${ESC}\\[[0-9;?]*[A-Za-z]|${ESC}\\][^${String.fromCharCode(7)}]*${String.fromCharCode(7)}`,
      'g',
    ),
    '',
  );
}
const DEFAULT_TIMEOUT_MS = 10_000;

export interface SimOptions {
  readonly cols?: number;
  readonly rows?: number;
  /** The script and leading arguments to run instead of `dist/sim/index.mjs`. */
  readonly program?: readonly string[];
}

export interface SimPty {
  /** Everything received so far. */
  readonly output: string;
  /** Current length of the output, to read what comes after it with `since`. */
  mark(): number;
  since(mark: number): string;
  /** Types `text` followed by Enter (`\r`, as a ConPTY user's Enter). */
  send(text: string): void;
  write(data: string): void;
  /** Waits until the output after `from` matches `pattern`; returns that output. */
  waitFor(pattern: string | RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /**
   * Sends a command and returns what followed it up to and including the next prompt (the first
   * one after the command: asynchronous lines may already follow it when the output is read).
   */
  run(command: string, timeoutMs?: number): Promise<string>;
  /**
   * Like `run` while asynchronous lines stream (a prompt is then rarely the last thing read):
   * waits for the first prompt after the command and returns the text up to it, without the
   * whole lines that match `noise`.
   */
  runAmid(command: string, noise: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process ends. */
  exited(timeoutMs?: number): Promise<number>;
  /** Sends `signal` (default SIGHUP, node-pty's) unless the process already ended. */
  kill(signal?: string): void;
}

export async function startSim(args: readonly string[], options: SimOptions = {}): Promise<SimPty> {
  const program = options.program ?? [join(distDir, 'sim/index.mjs')];
  const child = pty.spawn(process.execPath, [...program, ...args], {
    name: 'xterm',
    cols: options.cols ?? 1000,
    rows: options.rows ?? 50,
    env: { ...process.env } as Record<string, string>,
  });
  let output = '';
  let exitCode: number | null = null;
  const listeners = new Set<() => void>();
  child.onData((d) => {
    output += d;
    for (const l of listeners) l();
  });
  child.onExit((e) => {
    exitCode = e.exitCode;
    for (const l of listeners) l();
  });

  const waitUntil = (
    check: () => boolean,
    describe: () => string,
    timeoutMs: number,
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      if (check()) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(
          new Error(
            `${describe()} (timed out after ${timeoutMs} ms)\n--- output so far ---\n${JSON.stringify(output.slice(-3000))}`,
          ),
        );
      }, timeoutMs);
      const listener = () => {
        if (check()) {
          clearTimeout(timer);
          listeners.delete(listener);
          resolve();
        }
      };
      listeners.add(listener);
    });

  const sim: SimPty = {
    get output() {
      return output;
    },
    mark: () => output.length,
    since: (m) => output.slice(m),
    send: (text) => child.write(`${text}\r`),
    write: (data) => child.write(data),
    async waitFor(pattern, from = 0, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const test = () => {
        const s = output.slice(from);
        return typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s);
      };
      await waitUntil(test, () => `expected ${String(pattern)}`, timeoutMs);
      return output.slice(from);
    },
    async run(command, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const m = output.length;
      child.write(`${command}\r`);
      await waitUntil(
        () => PROMPT_ANYWHERE.test(output.slice(m)),
        () => `no prompt after '${command}'`,
        timeoutMs,
      );
      const text = output.slice(m);
      const found = PROMPT_ANYWHERE.exec(text) as RegExpExecArray;
      return text.slice(0, found.index + found[0].length);
    },
    async runAmid(command, noise, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const text = await sim.run(command, timeoutMs);
      const whole = new RegExp(`^(?:${noise.source})$`);
      return text
        .split(/(?<=\n)/)
        .filter((l) => !(l.endsWith('\n') && whole.test(l.slice(0, -1))))
        .join('');
    },
    async exited(timeoutMs = DEFAULT_TIMEOUT_MS) {
      await waitUntil(
        () => exitCode !== null,
        () => 'the simulator did not exit',
        timeoutMs,
      );
      return exitCode as number;
    },
    kill: (signal?: string) => {
      if (exitCode === null) child.kill(signal);
    },
  };
  await sim.waitFor(PROMPT_AT_END);
  return sim;
}

/** The banner's three lines and blank line (spec §1.2), with the simulator's version. */
export function bannerPattern(version = 'v0.23.0-sim'): RegExp {
  return new RegExp(
    `^HyperDbg Debugger \\[version: ${version.replaceAll('.', '\\.')}, build: \\d{8}\\.\\d{4}\\]\\nPlease visit https://docs\\.hyperdbg\\.org for more information\\.\\.\\.\\nHyperDbg is released under the GNU Public License v3 \\(GPLv3\\)\\.\\n\\nHyperDbg> $`,
  );
}

/** `HDBG1` record lines (buffer-records.md §2) found in `text`. */
export interface RecordLine {
  readonly eventId: number;
  readonly core: number;
  readonly context: bigint;
  readonly length: number;
  readonly bytes: Uint8Array;
}

export function parseRecords(text: string): RecordLine[] {
  const out: RecordLine[] = [];
  for (const m of text.matchAll(
    /HDBG1 ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)((?: [0-9a-f]{1,16})*)\n/g,
  )) {
    const length = parseInt(m[4] as string, 16);
    const words = (m[5] as string)
      .trim()
      .split(' ')
      .filter((w) => w.length > 0);
    const bytes = new Uint8Array(words.length * 8);
    const view = new DataView(bytes.buffer);
    words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(`0x${w}`), true));
    out.push({
      eventId: parseInt(m[1] as string, 16),
      core: parseInt(m[2] as string, 16),
      context: BigInt(`0x${m[3] as string}`),
      length,
      bytes: bytes.slice(0, length),
    });
  }
  return out;
}

/** A NUL-terminated string at the start of bytes (the `cstr[N]` schema type). */
export function cstr(bytes: Uint8Array, max: number): string {
  let s = '';
  for (let i = 0; i < Math.min(max, bytes.length) && bytes[i] !== 0; i++)
    s += String.fromCharCode(bytes[i] as number);
  return s;
}
