// The library side of `capture --action`: finds the saved action in the data folder's library,
// resolves it for the connected target (TargetService, as the app's binder does), learns the
// event's rate when `--delivery auto` needs one (a short probe with the per-event log form, whose
// sequence numbers count every trigger, delivered or not: a guest's event rate is not something
// to guess, the simulator's --rate being its whole activity, not one event's), and
// composes the binding (captureAction.ts). Also the JSON form of a count table. Host side (CLI).
import type { ResolvedAction } from '../../../shared/contract/target';
import type { CountTable } from '../../../shared/delivery/countedTable';
import type { ProfileDraft } from '../../../shared/model/actionTarget';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { LibraryService } from '../../host/library/libraryService';
import type { SessionService } from '../../host/session/sessionService';
import { loadKnownBuilds } from '../../host/target/knownBuildsFile';
import { SimulatorDryRun } from '../../host/target/simulatorDryRun';
import { TargetService } from '../../host/target/targetService';
import {
  composeActionBinding,
  deliveryPathOf,
  type ActionRequest,
  type ComposeInput,
} from './captureAction';
import type { CaptureLoss } from './captureLoss';
import { PROBE_S } from './captureOptions';

export interface BindLibraryActionInput {
  readonly request: ActionRequest;
  readonly dataDir: string;
  readonly service: SessionService;
  readonly connection: ProfileDraft['connection'];
  readonly loss: CaptureLoss;
  readonly say: (text: string) => void;
}

/**
 * The binding to apply, null when the probe's event already is the right one (left active), or
 * a sentence saying why the action cannot be bound.
 */
export async function bindLibraryAction(
  input: BindLibraryActionInput,
): Promise<EventBinding | null | string> {
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
    const needsProbe = request.delivery === 'auto' && resolved?.logForm?.payload != null;
    if (!needsProbe) return announce(composeActionBinding(base), say);

    // The per-event log form numbers every trigger per core: the highest numbers seen after the
    // probe are the triggers so far, whatever the pipe dropped.
    const probe = composeActionBinding({
      ...base,
      returnsBuffers: false,
      request: { ...request, delivery: 'per-event' },
    });
    if (typeof probe === 'string') return probe;
    const ev = await service.applyEvent(probe.binding);
    const id = parseInt(ev.id, 16);
    const generation = service.getState().generation;
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, PROBE_S * 1000));
    const triggers = input.loss.gaps.cores(generation, id).reduce((n, c) => n + c.highest, 0);
    const rate = triggers / ((Date.now() - t0) / 1000);
    say(
      `probe: event ${ev.id} counted ${triggers} triggers in ${PROBE_S} s (${Math.round(rate)}/s)`,
    );
    const chosen = composeActionBinding({ ...base, rate, rateSource: 'observed' });
    if (typeof chosen === 'string') return chosen;
    if (chosen.form === 'log form' && chosen.strategy === 'per-event') {
      say(`delivery: ${chosen.describe}; the probe's event ${ev.id} stays`);
      return null;
    }
    await service.setEventState(ev.id, 'clear');
    return announce(chosen, say);
  } finally {
    await target.dispose();
    await library.close();
  }
}

function announce(
  c: ReturnType<typeof composeActionBinding>,
  say: (text: string) => void,
): EventBinding | string {
  if (typeof c === 'string') return c;
  say(`delivery: ${c.describe}`);
  return c.binding;
}

/** A count table as one JSON object (hex strings, as `parse` writes HyperDbg's numbers). */
export function countTableJson(t: CountTable): Record<string, unknown> {
  return {
    type: 'count-table',
    eventId: t.eventId.toString(16),
    seq: t.seq.toString(16),
    total: t.total.toString(16),
    other: t.other.toString(16),
    entries: t.entries.map((e) => ({ key: e.key.toString(16), count: e.count.toString(16) })),
  };
}
