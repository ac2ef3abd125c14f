// The library side of `capture --action`: finds the saved action in the data folder's library,
// resolves it for the connected target (TargetService, as the app's binder does), learns the
// event's rate when `--delivery auto` needs one (a short probe counting its triggers in the
// target: a guest's event rate is not something to guess, the simulator's --rate being its whole
// activity, not one event's), and
// composes the binding (captureAction.ts). Also the JSON form of a count table. Host side (CLI).
import type { EventSource } from '../../../shared/contract/session';
import type { ResolvedAction } from '../../../shared/contract/target';
import { buildEventCommand } from '../../../shared/hyperdbg/commandBuilder';
import { keyText, type CountTable } from '../../../shared/delivery/countedTable';
import type { ProfileDraft } from '../../../shared/model/actionTarget';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { LibraryService } from '../../host/library/libraryService';
import type { SessionService } from '../../host/session/sessionService';
import { loadKnownBuilds } from '../../host/target/knownBuildsFile';
import { SimulatorDryRun } from '../../host/target/simulatorDryRun';
import { TargetService } from '../../host/target/targetService';
import {
  composeActionBinding,
  composeProbeBinding,
  deliveryPathOf,
  type ActionRequest,
  type ComposeInput,
} from './captureAction';

/** Count tables of one event, hidden from the capture's output and summary (a probe's). */
export interface ProbeTables {
  /** From now on, the tables of this event are the probe's; returns its latest and its arrival. */
  watch(
    generation: number,
    eventId: number,
  ): () => { readonly total: bigint; readonly at: number } | null;
}
import { probeRate, RATE_PROBE_S } from '../../../shared/delivery/rateProbe';

export interface BindLibraryActionInput {
  readonly request: ActionRequest;
  readonly dataDir: string;
  readonly service: SessionService;
  readonly connection: ProfileDraft['connection'];
  /** The count tables the capture receives: the probe reads its own from here. */
  readonly tables: ProbeTables;
  readonly say: (text: string) => void;
}

/** A library action's binding and the source its event carries (records decode by it). */
export interface BoundAction {
  readonly binding: EventBinding;
  readonly source: EventSource;
}

/** The binding to apply with its source, or a sentence saying why the action cannot be bound. */
export async function bindLibraryAction(
  input: BindLibraryActionInput,
): Promise<BoundAction | string> {
  const { request, service, say } = input;
  const library = new LibraryService({ dataDir: input.dataDir });
  const target = new TargetService({
    session: {
      state: () => service.getState(),
      command: (line, timeoutMs) => service.command(line, timeoutMs),
      detectBuild: () => service.detectBuild(),
    },
    library: { get: (id) => library.get(id) },
    table: loadKnownBuilds(),
    dryRun: new SimulatorDryRun(),
  });
  try {
    const action = await library.find(request.name);
    if (action === undefined) {
      const names = (await library.list()).map((a) => a.name);
      return `no action named '${request.name}' in the library of ${input.dataDir} (${names.length} actions${names.length > 0 ? `: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''}` : ''})`;
    }
    // The event and its arguments are the user's: checked before anything reaches the target
    // (a probe included), each error naming the argument.
    const kind = request.event ?? action.eventKinds[0];
    if (kind !== undefined) {
      const mode = service.getState().mode === 'debugger' ? 'debugger' : 'vmi';
      const checked = buildEventCommand(
        {
          kind,
          ...(request.args.length > 0 ? { args: [...request.args] } : {}),
          script: 'print(0);',
        },
        mode,
      );
      if (!checked.ok)
        return checked.error
          .map((e) => `${e.field === 'kind' ? '--event' : `--${e.field}`}: ${e.message}`)
          .join('; ');
    }
    let resolved: ResolvedAction | null = null;
    if (action.kind === 'code') {
      // Structure fields resolve for the target's Windows build: probe it as the app does.
      if (service.getState().windowsBuild.state !== 'known')
        await service.detectBuild().catch(() => undefined);
      resolved = await target.resolveAction(action.id);
      say(`action: '${action.name}' v${action.version}, resolved for ${resolved.resolvedFor}`);
    } else say(`action: '${action.name}' v${action.version} (log)`);
    const base: ComposeInput = {
      request,
      action,
      resolved,
      returnsBuffers: service.getState().capability?.returnsBuffers ?? false,
      path: deliveryPathOf(input.connection),
      rate: null,
      rateSource: 'observed',
    };
    // auto needs the rate to choose; batched and counted to size K and the table's period.
    const needsProbe = request.delivery !== 'per-event' && resolved?.logForm?.payload != null;
    const source: EventSource = {
      actionIds: [action.id],
      actionNames: [action.name],
      versionHashes: [`v${action.version}`],
    };
    if (!needsProbe) return announce(composeActionBinding(base), source, say);

    const rate = await measureRate(input, composeProbeBinding(base));
    if (typeof rate === 'string') return rate;
    return announce(composeActionBinding({ ...base, rate, rateSource: 'observed' }), source, say);
  } finally {
    await target.dispose();
    await library.close();
  }
}

/**
 * Triggers/s of the event, measured in the target: a one-slot table counted there and printed at
 * geometrically spaced counts (countedTable.ts), so a few dozen packets cover any rate and the
 * pipe never falls behind what it measures. (Record lines' sequence numbers would lag by the
 * ring's backlog: at 100 events/s, v0.23's 1000-slot ring takes 15 s to fill, and until then the
 * delivered numbers grow at the reader's 33/s, not the event's.) The rate is the latest table's
 * count over the time from the event's registration to the table's arrival.
 */
async function measureRate(
  input: BindLibraryActionInput,
  probe: EventBinding | string,
): Promise<number | string> {
  const { service, say } = input;
  if (typeof probe === 'string') return probe;
  const ev = await service.applyEvent(probe);
  // Counting starts as the event is registered, a few ms before the CLI's answer.
  const t0 = Date.now();
  const latest = input.tables.watch(service.getState().generation, parseInt(ev.id, 16));
  await new Promise((r) => setTimeout(r, RATE_PROBE_S * 1000));
  await service.setEventState(ev.id, 'clear');
  const seen = latest();
  const triggers = seen === null ? 0 : Number(seen.total);
  const rate = seen === null ? 0 : probeRate(triggers, t0, seen.at);
  say(
    `probe: event ${ev.id} counted ${triggers} triggers in the target in ${RATE_PROBE_S} s (${Math.round(rate)}/s)`,
  );
  return rate;
}

function announce(
  c: ReturnType<typeof composeActionBinding>,
  source: EventSource,
  say: (text: string) => void,
): BoundAction | string {
  if (typeof c === 'string') return c;
  say(`delivery: ${c.describe}`);
  return { binding: c.binding, source };
}

/**
 * A count table as one JSON object (hex strings, as `parse` writes HyperDbg's numbers), each key
 * also as the user reads it (an ImageFileName prefix as text).
 */
export function countTableJson(t: CountTable): Record<string, unknown> {
  return {
    type: 'count-table',
    eventId: t.eventId.toString(16),
    seq: t.seq.toString(16),
    total: t.total.toString(16),
    other: t.other.toString(16),
    entries: t.entries.map((e) => ({
      key: e.key.toString(16),
      name: keyText(e.key),
      count: e.count.toString(16),
    })),
  };
}
