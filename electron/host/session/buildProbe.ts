// Detects the target's Windows build with a one-shot script event (shared/hyperdbg/buildProbe.ts):
// apply it, wait for its marker line, clear it. The event is the app's own and says so in the
// event list; its output shows in the console like any script's. Host side, over a narrow port.
import { AppError } from '../../../shared/contract/result';
import type { EventInfo, EventSource, WindowsBuildFact } from '../../../shared/contract/session';
import {
  buildProbeBinding,
  BUILD_PROBE_NAME,
  parseBuildProbeLine,
} from '../../../shared/hyperdbg/buildProbe';
import type { EventBinding } from '../../../shared/model/eventBinding';
import type { FactsTest } from './runSupervisor';

/**
 * How long the probe's line may take: `!syscall` fires within milliseconds on a running system,
 * but v0.23's reader delivers one packet per 30 ms behind whatever is queued (records of other
 * events), so allow a few seconds before calling it failed.
 */
export const BUILD_PROBE_TIMEOUT_MS = 5_000;

export interface BuildProbePort {
  apply(binding: EventBinding, source: EventSource): Promise<EventInfo>;
  clear(id: string): Promise<void>;
  waitFor(test: FactsTest, timeoutMs: number, what: string): Promise<void>;
  /** The release the table of known builds gives a build (`Windows 10 1909`), if any. */
  release(build: number): string | null;
}

const PROBE_SOURCE: EventSource = {
  actionIds: [],
  actionNames: [BUILD_PROBE_NAME],
  versionHashes: [],
};

/** Runs the probe once; the fact it ends with (known, or failed with why). */
export async function runBuildProbe(
  port: BuildProbePort,
  timeoutMs = BUILD_PROBE_TIMEOUT_MS,
): Promise<WindowsBuildFact> {
  let seen: number | null = null;
  // Listen before applying: the first trigger may print before the apply command returns.
  const heard = port
    .waitFor(
      (_f, item) => {
        if (item?.type !== 'text') return false;
        seen = parseBuildProbeLine(item.text);
        return seen !== null;
      },
      timeoutMs,
      "the build probe's NtBuildNumber line",
    )
    .then(
      () => null,
      (e: unknown) => e,
    );
  let event: EventInfo;
  try {
    event = await port.apply(buildProbeBinding(probeTag()), PROBE_SOURCE);
  } catch (e) {
    void heard;
    return failed(
      `the build probe event was refused: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const problem = await heard;
  await port.clear(event.id).catch(() => undefined);
  const build: number | null = seen;
  if (build === null)
    return failed(
      problem instanceof AppError && problem.code === 'timeout'
        ? `the build probe (event ${event.id}) printed nothing within ${timeoutMs} ms: is the target muted or idle?`
        : `the build probe ended without an answer (${problem instanceof Error ? problem.message : String(problem)})`,
    );
  return {
    state: 'known',
    build,
    source: 'probe',
    release: port.release(build),
    detail: `KUSER_SHARED_DATA.NtBuildNumber, read by event ${event.id} (cleared)`,
  };
}

/** A fresh name for the probe's flag: globals outlive events (shared/hyperdbg/buildProbe.ts). */
function probeTag(): string {
  return Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
}

function failed(detail: string): WindowsBuildFact {
  return { state: 'failed', build: null, source: null, release: null, detail };
}
