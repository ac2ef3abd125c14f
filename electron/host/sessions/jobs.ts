// Long jobs a client started and may follow or cancel by the id it chose: exports, import scans,
// imports and uploads. Progress goes out on `sessions:progress` a few times a second, never
// once per record; cancel aborts the job's signal and the job removes what it half wrote.
// Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import { AppError } from '../../../shared/contract/result';
import type { JobProgress } from '../../../shared/contract/sessions';

/** Progress messages per job: smooth enough for a bar, nothing next to the work itself. */
export const PROGRESS_INTERVAL_MS = 200;

export interface Job {
  readonly id: string | null;
  readonly signal: AbortSignal;
  /** Reports progress (published at most every PROGRESS_INTERVAL_MS, and the last one always). */
  progress(done: number, of: number): void;
  /** Throws `cancelled` when the job was cancelled. */
  check(): void;
  end(): void;
}

export class Jobs {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly hub: StreamHub) {}

  /** Starts a job; a job without an id can be neither followed nor cancelled. */
  start(
    id: string | undefined,
    phase: JobProgress['phase'],
    unit: JobProgress['unit'],
    what: string,
  ): Job {
    if (id !== undefined && this.running.has(id))
      throw new AppError('conflict', `a job named ${id} is already running`, 'jobId');
    const controller = new AbortController();
    if (id !== undefined) this.running.set(id, controller);
    let last = 0;
    let lastDone = -1;
    const publish = (done: number, of: number) => {
      if (id === undefined) return;
      lastDone = done;
      this.hub.publish('sessions:progress', { jobId: id, phase, done, of, unit });
    };
    return {
      id: id ?? null,
      signal: controller.signal,
      progress: (done, of) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS && done < of) return;
        last = now;
        if (done !== lastDone) publish(done, of);
      },
      check: () => {
        if (controller.signal.aborted) throw new AppError('cancelled', `${what} was cancelled`);
      },
      end: () => {
        if (id !== undefined && this.running.get(id) === controller) this.running.delete(id);
      },
    };
  }

  /** Cancels a running job; false when none has that id. */
  cancel(id: string): boolean {
    const c = this.running.get(id);
    if (c === undefined) return false;
    c.abort();
    return true;
  }

  /** Cancels every job (the host is closing). */
  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
