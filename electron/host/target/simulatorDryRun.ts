// The dry-run port over the simulator program: one long-lived `sim --dry-run-server` child,
// JSON lines checked with the shared schemas on both sides, a timeout per request, a child that
// crashes reported (pending requests fail with its exit and last words) and started again on the
// next request, killed on dispose. Host side.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  dryRunResponseSchema,
  MAX_DRY_RUN_LINE_CHARS,
  type DryRunResult,
} from '../../../shared/model/dryRunWire';
import { defaultSimulatorEntry } from '../session/launchPlan';
import type { DryRunJob, DryRunPort } from './dryRunPort';

/** Starting Node and loading Unicorn takes ~0.3 s; a loaded machine may take several. */
export const DRY_RUN_START_MS = 15_000;
/**
 * One job builds a guest (~0.2 s the first time per build) and runs at most 16 samples of at
 * most 10^7 instructions each (~0.1 s per million): 30 s covers the worst allowed job.
 */
export const DRY_RUN_JOB_MS = 30_000;
/** Characters of the child's stderr kept to explain a crash. */
const STDERR_KEPT = 2_000;
/** A response line longer than this is broken output, not a result (results are ~100 KB at most). */
const MAX_RESPONSE_CHARS = MAX_DRY_RUN_LINE_CHARS * 20;

interface Pending {
  readonly resolve: (r: DryRunResult) => void;
  readonly reject: (e: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly ready: Promise<void>;
  stderr: string;
  exited: boolean;
}

export interface SimulatorDryRunOptions {
  readonly simulatorEntry?: string;
  readonly startMs?: number;
  readonly jobMs?: number;
}

export class SimulatorDryRun implements DryRunPort {
  private child: Child | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  private readonly entry: string;
  private readonly startMs: number;
  private readonly jobMs: number;

  constructor(options: SimulatorDryRunOptions = {}) {
    this.entry = options.simulatorEntry ?? defaultSimulatorEntry();
    this.startMs = options.startMs ?? DRY_RUN_START_MS;
    this.jobMs = options.jobMs ?? DRY_RUN_JOB_MS;
  }

  async run(job: DryRunJob): Promise<DryRunResult> {
    if (this.disposed) throw new Error('the dry-run service is shut down');
    const child = this.ensureChild();
    await child.ready;
    const id = this.nextId++;
    return new Promise<DryRunResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new Error(
            `the dry run gave no answer within ${this.jobMs} ms; the simulator was restarted`,
          ),
        );
        // A stuck child is no use for the next job either.
        this.killChild(child);
      }, this.jobMs);
      this.pending.set(id, { resolve, reject, timer });
      child.proc.stdin.write(`${JSON.stringify({ id, op: 'run', ...job })}\n`);
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const c = this.child;
    if (c !== null) this.killChild(c);
    this.failAll(new Error('the dry-run service is shut down'));
    if (c !== null && !c.exited)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2_000);
        c.proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
  }

  private ensureChild(): Child {
    if (this.child !== null && !this.child.exited) return this.child;
    if (!existsSync(this.entry))
      throw new Error(`the simulator is not built (${this.entry} is missing): run npm run build`);
    const proc = spawn(process.execPath, [this.entry, '--dry-run-server'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Inside Electron, process.execPath is the app: this makes it run the script as Node.
      env: {
        ...process.env,
        ...(process.versions.electron !== undefined ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
      },
    });
    let markReady: () => void = () => undefined;
    let failReady: (e: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    const child: Child = { proc, ready, stderr: '', exited: false };
    this.child = child;
    const startTimer = setTimeout(() => {
      failReady(new Error(`the dry-run simulator did not start within ${this.startMs} ms`));
      this.killChild(child);
    }, this.startMs);
    ready.catch(() => undefined);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d: string) => {
      child.stderr = (child.stderr + d).slice(-STDERR_KEPT);
    });
    proc.stdin.on('error', () => undefined); // a dead child: its exit handler reports it
    const lines = createInterface({ input: proc.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const response = this.parse(line);
      if (response === null) return;
      if ('ready' in response) {
        clearTimeout(startTimer);
        markReady();
        return;
      }
      if (response.id < 0) return; // an answer to a line it could not read: none of ours
      const p = this.pending.get(response.id);
      if (p === undefined) return;
      this.pending.delete(response.id);
      clearTimeout(p.timer);
      if (!response.ok) p.reject(new Error(`the dry run failed: ${response.error}`));
      else if ('result' in response) p.resolve(response.result);
      else p.reject(new Error('the dry-run simulator answered a run with a pong'));
    });
    proc.on('error', (e) => {
      clearTimeout(startTimer);
      failReady(new Error(`the dry-run simulator could not start: ${e.message}`));
    });
    proc.on('exit', (code, signal) => {
      child.exited = true;
      clearTimeout(startTimer);
      const how = signal !== null ? `killed by ${signal}` : `exit code ${code ?? '?'}`;
      const words = child.stderr.trim().split('\n').slice(-3).join(' | ');
      const e = new Error(
        `the dry-run simulator ended (${how})${words !== '' ? `: ${words}` : ''}; the next dry run starts it again`,
      );
      failReady(e);
      this.failAll(e);
      if (this.child === child) this.child = null;
    });
    return child;
  }

  /** A checked response, or null for a line that is not one (it is ignored, never trusted). */
  private parse(line: string) {
    if (line.length > MAX_RESPONSE_CHARS) return null;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return null;
    }
    const r = dryRunResponseSchema.safeParse(json);
    return r.success ? r.data : null;
  }

  private failAll(e: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(e);
    }
  }

  private killChild(c: Child): void {
    if (!c.exited) c.proc.kill('SIGKILL');
  }
}
