// `capture --action NAME --event KIND`: a saved library action bound the way the binder binds it.
// The action is resolved for the connected target (its structure fields for the target's build),
// then bound with a delivery strategy: its own custom code where the target returns buffers and
// records go one per event; otherwise its log form (a script: per event, batched K per packet,
// or counted in the target, buffer-records.md §2a, §2b, §7). `auto` takes the delivery plan's
// recommendation for the event's rate (shared/delivery/deliveryPlan.ts). Host side (CLI).
import type { ResolvedAction } from '../../../shared/contract/target';
import { countedTableScript, DEFAULT_TABLE_SLOTS } from '../../../shared/delivery/countedTable';
import { rateProbeBinding } from '../../../shared/delivery/rateProbe';
import {
  planDelivery,
  tablePeriodTriggers,
  type DeliveryPath,
  type DeliveryStrategy,
} from '../../../shared/delivery/deliveryPlan';
import {
  chooseBatchSize,
  maxBatchSize,
  payloadToBatchScript,
  payloadToRecordScript,
  SEQUENCE_BUFFER_BYTES,
} from '../../../shared/hyperdbg/recordScript';
import type { Action } from '../../../shared/model/action';
import type { ProfileDraft } from '../../../shared/model/actionTarget';
import type { EventBinding } from '../../../shared/model/eventBinding';
import type { EventKind } from '../../../shared/model/eventKinds';
import type { RecordPayload } from '../../../shared/model/recordPayload';

export type DeliveryOption = 'auto' | DeliveryStrategy;
export const DELIVERY_OPTIONS: readonly DeliveryOption[] = [
  'auto',
  'per-event',
  'batched',
  'counted',
];

/** What `--action` asked for. */
export interface ActionRequest {
  readonly name: string;
  /** The event kind; null: the action's first. */
  readonly event: EventKind | null;
  readonly args: readonly string[];
  readonly delivery: DeliveryOption;
}

/** The binding and the words `capture` says about it. */
export interface ComposedBinding {
  readonly binding: EventBinding;
  readonly strategy: DeliveryStrategy;
  /** `code` (the action's own bytes), `script` (a log action), `log form`. */
  readonly form: 'code' | 'script' | 'log form';
  /** Records per packet (batched), 1 otherwise. */
  readonly k: number;
  readonly describe: string;
}

/** The delivery path of a connection, as the plan models it. */
export function deliveryPathOf(connection: ProfileDraft['connection']): DeliveryPath {
  if (connection.kind === 'serial') return { kind: 'serial', baud: connection.baud };
  if (connection.kind === 'namedPipe') return { kind: 'pipe' };
  return { kind: 'vmi' };
}

/** Short random names for globals: a table's or a batch's own (globals outlive events). */
function tag(prefix: string): string {
  return `${prefix}${Math.floor(Math.random() * 36 * 36)
    .toString(36)
    .padStart(2, '0')}`;
}

export interface ComposeInput {
  readonly request: ActionRequest;
  readonly action: Action;
  /** The code action resolved for the target (null for a log action). */
  readonly resolved: ResolvedAction | null;
  /** Whether the target hands custom code's buffers back (false on stock v0.23). */
  readonly returnsBuffers: boolean;
  readonly path: DeliveryPath;
  /** Triggers/s of the event (known or probed), null when not known. */
  readonly rate: number | null;
  readonly rateSource: 'observed' | 'expected';
}

const hex = (n: number) => n.toString(16);

/**
 * The binding for `input`, or what makes it impossible (said in a sentence naming the action).
 * Pure.
 */
export function composeActionBinding(input: ComposeInput): ComposedBinding | string {
  const { request, action } = input;
  const kind = request.event ?? action.eventKinds[0];
  if (kind === undefined)
    return `'${action.name}' names no event kind: give --event (e.g. --event !syscall)`;
  const base: EventBinding = {
    kind,
    ...(request.args.length > 0 ? { args: [...request.args] } : {}),
  };

  if (action.kind === 'log') {
    if (request.delivery === 'batched' || request.delivery === 'counted')
      return `'${action.name}' is a log action: its own script prints its lines, so only per-event delivery applies (batched and counted need a code action's record payload)`;
    return {
      binding: {
        ...base,
        ...(action.bufferSize > 0 ? { buffer: hex(action.bufferSize) } : {}),
        script: action.script,
      },
      strategy: 'per-event',
      form: 'script',
      k: 1,
      describe: `per event, the action's own script`,
    };
  }
  if (action.kind !== 'code') return `'${action.name}' is not a code or log action`;
  const r = input.resolved;
  if (r === null) return `'${action.name}' was not resolved for the target`;
  const payload: RecordPayload | null = r.logForm?.payload ?? null;
  const noLogForm =
    r.logForm === null
      ? 'it is not custom code'
      : r.logForm.payload === null
        ? r.logForm.reason
        : null;
  const debuggerMode = input.path.kind !== 'vmi';
  const unavailable: Partial<Record<DeliveryStrategy, string>> = {};
  if (payload === null) {
    unavailable.batched = `no log form: ${noLogForm ?? 'none'}`;
    unavailable.counted = unavailable.batched;
  }
  if (debuggerMode) unavailable.batched = 'Debugger Mode sends each record at once: no batches';

  // The plan, where the rate is known: its recommendation for auto, and its K for batched (the
  // same K its words name).
  const plan =
    payload === null || input.rate === null
      ? null
      : planDelivery({
          path: input.path,
          eventsPerSecond: input.rate,
          rateSource: input.rateSource,
          recordBytes: payload.length,
          unavailable,
        });
  let strategy: DeliveryStrategy;
  let why = '';
  if (request.delivery === 'auto') {
    if (plan === null || input.rate === null) strategy = 'per-event';
    else {
      strategy = plan.recommended;
      why = ` (plan for ${Math.round(input.rate)} events/s ${input.rateSource}: ${plan.reason})`;
    }
  } else {
    strategy = request.delivery;
    const no = unavailable[strategy];
    if (no !== undefined) return `'${action.name}' cannot be delivered ${strategy}: ${no}`;
  }

  // The action's own code: only where its buffer comes back and records go one per event.
  if (strategy === 'per-event' && (input.returnsBuffers || payload === null)) {
    if (!input.returnsBuffers)
      return `'${action.name}' has no log form (${noLogForm ?? 'none'}) and this target returns no buffers from custom code (docs/buffer-records.md §1): nothing it records would arrive`;
    if (r.code?.bytesHex == null)
      return `'${action.name}' does not resolve for this target: ${r.code?.errors.join('; ') || 'no code'}`;
    if (action.condition !== null && r.condition?.bytesHex == null)
      return `the condition of '${action.name}' does not resolve for this target: ${r.condition?.errors.join('; ') || 'no code'}`;
    return {
      binding: {
        ...base,
        ...(action.bufferSize > 0 ? { buffer: hex(action.bufferSize) } : {}),
        ...(r.condition?.bytesHex != null ? { condition: r.condition.bytesHex } : {}),
        code: r.code.bytesHex,
      },
      strategy,
      form: 'code',
      k: 1,
      describe: `per event, the action's code (resolved for ${r.resolvedFor})${why}`,
    };
  }
  const p = payload as RecordPayload;
  if (strategy === 'counted') {
    const period = tablePeriodTriggers(
      input.path,
      Math.max(1, input.rate ?? 1000),
      DEFAULT_TABLE_SLOTS,
    );
    return {
      binding: {
        ...base,
        script: countedTableScript({ payload: p, tag: tag('c'), periodTriggers: period }),
      },
      strategy,
      form: 'log form',
      k: 1,
      describe: `counted in the target by its first payload word, a table every ${period} triggers${why}`,
    };
  }
  const planned = plan?.outcomes.find((o) => o.strategy === 'batched')?.perPacket;
  const k =
    strategy === 'batched'
      ? Math.min(
          maxBatchSize(p.length),
          Math.max(2, planned ?? chooseBatchSize(input.rate ?? 0, p.length)),
        )
      : 1;
  return {
    binding: {
      ...base,
      buffer: hex(SEQUENCE_BUFFER_BYTES),
      script: k > 1 ? payloadToBatchScript(p, k, tag('b')) : payloadToRecordScript(p),
    },
    strategy,
    form: 'log form',
    k,
    describe: `${strategy === 'batched' ? `batched, ${k} records per packet` : 'per event'}, the action's log form${why}`,
  };
}

/**
 * The rate probe (shared/delivery/rateProbe.ts) for the action's event, a string when the action
 * has no log form. Pure.
 */
export function composeProbeBinding(input: ComposeInput): EventBinding | string {
  const { request, action } = input;
  const kind = request.event ?? action.eventKinds[0];
  if (kind === undefined)
    return `'${action.name}' names no event kind: give --event (e.g. --event !syscall)`;
  const payload = input.resolved?.logForm?.payload;
  if (payload == null) return `'${action.name}' has no log form to probe the event's rate with`;
  return rateProbeBinding(kind, request.args, payload);
}
