// The dry-run port: what the app needs to run an action's code on a synthetic guest without
// knowing how (the simulator program serves it, see simulatorDryRun.ts). Host side; types only.
import type { DryRunResult, DryRunRunRequest } from '../../../shared/model/dryRunWire';

/** A dry-run request without the wire's envelope (`id`, `op`). */
export type DryRunJob = Omit<DryRunRunRequest, 'id' | 'op'>;

export interface DryRunPort {
  /** Runs one job; rejects with an Error saying what went wrong (a crash, a timeout, a refusal). */
  run(job: DryRunJob): Promise<DryRunResult>;
  /** Ends whatever the port keeps running. */
  dispose(): Promise<void>;
}
