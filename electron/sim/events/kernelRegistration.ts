// SendEventToKernel and RegisterActionToEvent against the simulated kernel: its validation errors,
// auto-unpause, then the actions, which the kernel may refuse without a word (spec §3.5, §3.6).
// Simulator side.
import {
  APPLY_TO_ALL,
  type EventType,
  type KernelAction,
  type KernelEvent,
} from '../engine/kernelEvents';
import {
  ERR_INVALID_ADDRESS,
  ERR_INVALID_CORE_ID,
  ERR_NO_BIG_INSTANT_EVENT,
  ERR_NO_REGULAR_INSTANT_EVENT,
  ERR_PID_WHILE_PAUSED,
  ERR_UNABLE_TO_CREATE_EVENT,
  kernelError,
  MSG,
} from '../cli/messages';
import type { Session } from '../cli/session';
import type { ParsedEvent } from './eventParser';

/** MaximumPacketsCapacity: requested buffers must stay below it (spec §3.5). */
export const MAX_REQUESTED_BUFFER = 1000;
/** MAXIMUM_REGULAR_INSTANT_EVENTS: events Debugger Mode can hold without `prealloc` (spec §11.1). */
export const MAX_REGULAR_INSTANT_EVENTS = 20;
/** Condition bytes (with the appended c3) that fit a regular instant event (spec §3.2). */
export const MAX_INSTANT_CONDITION_BYTES = 100;
/** Action bytes (code plus script) that fit a regular instant event: PAGE_SIZE * 2 (Constants.h). */
export const MAX_INSTANT_ACTION_BYTES = 0x2000;

/** REGULAR_INSTANT_EVENT_REQUESTED_SAFE_BUFFER (PAGE_SIZE): bigger buffers need the big pool. */
export const REGULAR_SAFE_BUFFER_BYTES = 0x1000;

export interface EventOptions {
  readonly type: EventType;
  readonly p1: bigint;
  readonly p2: bigint;
  readonly p3: bigint;
  /** !monitor's access mask: 1 read, 2 write, 4 execute. */
  readonly access: number;
}

/** The kernel's verdict on an event, or null when it accepts it. */
function validate(s: Session, p: ParsedEvent, o: EventOptions): number | null {
  if (s.link !== null) {
    // Applied from VMX root, these hooks cannot switch to another process's address space; only
    // the halted core's own process is accepted (ValidateEvents.c, spec §3.4).
    if (
      (o.type === 'monitor' || o.type === 'epthook' || o.type === 'epthook2') &&
      p.pid !== APPLY_TO_ALL &&
      p.pid !== s.haltedProcessId
    )
      return ERR_PID_WHILE_PAUSED;
    const pools = s.preallocated;
    if (p.condition !== null && p.condition.length > MAX_INSTANT_CONDITION_BYTES) {
      if (pools.bigEvents === 0) return ERR_NO_BIG_INSTANT_EVENT;
      pools.bigEvents--;
    } else if (s.kernel.all().length >= MAX_REGULAR_INSTANT_EVENTS + pools.regularEvents) {
      return ERR_NO_REGULAR_INSTANT_EVENT;
    }
  }
  if (p.core !== APPLY_TO_ALL && p.core >= s.guest.cores.length) return ERR_INVALID_CORE_ID;
  const mem = s.guest.memory;
  if ((o.type === 'epthook' || o.type === 'epthook2') && !mem.isReadable(o.p1, 1))
    return ERR_INVALID_ADDRESS;
  if (o.type === 'monitor') {
    if (!mem.isReadable(o.p1, 1) || !mem.isReadable(o.p2, 1) || o.p1 >= o.p2)
      return ERR_INVALID_ADDRESS;
  }
  return null;
}

/** Registers the event and its actions; prints what the CLI prints. The ID is already used. */
export function sendEventToKernel(s: Session, p: ParsedEvent, o: EventOptions): boolean {
  if (s.link === null && !s.vmmLoaded) {
    s.print(MSG.vmmNotLoaded);
    return false;
  }
  const error = validate(s, p, o);
  if (error !== null) {
    s.print(kernelError(error));
    return false;
  }
  if (s.link === null && s.paused && s.autoUnpause) {
    s.paused = false;
    s.print('\n');
  }
  const g = s.guest;
  // The event (with its condition) is allocated first; failing that is an error the CLI shows.
  let condition: bigint | null = null;
  if (p.condition !== null) {
    condition = g.allocateCode(p.condition);
    if (condition === null) {
      s.print(kernelError(ERR_UNABLE_TO_CREATE_EVENT));
      return false;
    }
  }
  const actions: KernelAction[] = [];
  // The kernel refuses an action whose requested buffer is too big (no message, spec §3.5); in
  // Debugger Mode requested buffers come from pools `prealloc` fills, empty by default (spec §3.5).
  const bufferOk = p.requestBuffer < MAX_REQUESTED_BUFFER;
  const allocBuffer = (): bigint | null => {
    if (p.requestBuffer === 0) return 0n;
    if (s.link !== null) {
      const pools = s.preallocated;
      if (p.requestBuffer <= REGULAR_SAFE_BUFFER_BYTES && pools.regularSafeBuffers > 0)
        pools.regularSafeBuffers--;
      else if (pools.bigSafeBuffers > 0) pools.bigSafeBuffers--;
      else return null;
    }
    return g.tryAllocatePool(p.requestBuffer);
  };
  // RegisterActionToEvent sends break, code, script; the kernel inserts each at the head of the
  // list, so they run script, code, break (spec §5.3).
  if (p.breakAction) actions.unshift({ kind: 'break' });
  const actionBytes = (p.code?.length ?? 0) + (p.script?.source.length ?? 0);
  const fitsInstant = s.link === null || actionBytes <= MAX_INSTANT_ACTION_BYTES;
  // An action the kernel cannot allocate is dropped without a word, like any action error (§3.5).
  if (p.code !== null && bufferOk && fitsInstant) {
    const address = g.allocateCode(p.code);
    const buffer = allocBuffer();
    if (address !== null && buffer !== null)
      actions.unshift({
        kind: 'code',
        address,
        length: p.code.length,
        buffer,
        bufferSize: p.requestBuffer,
      });
  }
  if (p.script !== null && bufferOk && fitsInstant) {
    const buffer = allocBuffer();
    if (buffer !== null)
      actions.unshift({ kind: 'script', script: p.script, buffer, bufferSize: p.requestBuffer });
  }
  const event: KernelEvent = {
    id: p.id,
    type: o.type,
    enabled: true,
    core: p.core,
    pid: p.pid,
    stage: p.stage,
    shortCircuit: p.shortCircuit,
    immediate: p.immediate,
    condition,
    actions,
    p1: o.p1,
    p2: o.p2,
    p3: o.p3,
    access: o.access,
  };
  s.kernel.register(event);
  s.events.unshift({ id: p.id, text: p.commandText, outputTags: p.outputTags });
  s.eventTraceInitialized = true;
  return true;
}
