// How an event binding gets the app's forwarding sink (docs/hyperdbg-v0.23.md §6.4): actions that
// print (custom code, scripts) get `output {sink}` added; never with `imm no` (refused with
// output, §3.7), never filling the fifth slot (v0.23 then reports every message as failed).
// The host sends what this gives; the binder previews the same. Pure.
import { MAX_OUTPUT_SINKS, type EventBinding } from '../model/eventBinding';

/** The result of routing: the binding as sent, and why it keeps the console, if it does. */
export interface RoutedBinding {
  readonly binding: EventBinding;
  readonly note: string | null;
}

/** Names the app gives its sinks: `hds_` and 8 hex digits (short: `events` cuts at 70). */
export const APP_SINK_NAME_RE = /^hds_[0-9a-f]{8}$/;

/**
 * `binding` with the app's `sink` (null: records use the console) added to its outputs, after
 * dropping the app's older sinks (`isOwn`), e.g. when a listed event's binding is applied again.
 */
export function routeToSink(
  binding: EventBinding,
  sink: string | null,
  isOwn: (name: string) => boolean,
): RoutedBinding {
  const given = binding.output ?? [];
  const others = given.filter((n) => !isOwn(n));
  let base: EventBinding = binding;
  if (others.length !== given.length) {
    const { output: _dropped, ...rest } = binding;
    base = others.length > 0 ? { ...rest, output: others } : rest;
  }
  // Custom code and scripts print what becomes records; a break prints nothing to forward.
  if (sink === null || (base.script === undefined && base.code === undefined))
    return { binding: base, note: null };
  if (base.imm === 'no')
    return {
      binding: base,
      note: `${base.kind} uses imm no, which HyperDbg refuses with output forwarding (docs/hyperdbg-v0.23.md §3.7): its records come through the console`,
    };
  if (others.length >= MAX_OUTPUT_SINKS - 1)
    return {
      binding: base,
      note: `${base.kind} already names ${others.length} output sinks: adding the app's would fill all ${MAX_OUTPUT_SINKS} slots, and HyperDbg then reports every message as failed (docs/hyperdbg-v0.23.md §6.4). Its messages go to its own sinks, not to the log`,
    };
  return { binding: { ...base, output: [...others, sink] }, note: null };
}
