// The debuggee kernel's view of registered events (hyperkd's event lists): per event type, newest
// first (events are inserted at the head, spec §5.3), each with its actions in the order they run
// (script before custom code, spec §5.3). Simulator side; pure bookkeeping.
import type { CompiledScript } from '../script/ast';
import type { OccurrenceKind } from './occurrence';

/**
 * The event types of spec §3.8 the simulated kernel dispatches on: one per occurrence kind of the
 * same name, plus the hooks and traps that other occurrences feed (calls feed !epthook/!epthook2,
 * memory accesses !monitor, syscalls and sysrets also !mode).
 */
export type EventType =
  Exclude<OccurrenceKind, 'call' | 'memory'> | 'epthook' | 'epthook2' | 'monitor' | 'mode';

export type Stage = 'pre' | 'post' | 'all';

export const APPLY_TO_ALL = 0xffffffff;

export type KernelAction =
  | {
      readonly kind: 'script';
      readonly script: CompiledScript;
      /** This action's own zeroed safe buffer (`$buffer`), 0 without `buffer` (spec §3.5). */
      readonly buffer: bigint;
      readonly bufferSize: number;
    }
  | {
      readonly kind: 'code';
      readonly address: bigint;
      readonly length: number;
      readonly buffer: bigint;
      readonly bufferSize: number;
    }
  | { readonly kind: 'break' };

export interface KernelEvent {
  readonly id: number;
  readonly type: EventType;
  enabled: boolean;
  readonly core: number;
  readonly pid: number;
  readonly stage: Stage;
  readonly shortCircuit: boolean;
  readonly immediate: boolean;
  /** Condition code address, or null. */
  readonly condition: bigint | null;
  readonly actions: KernelAction[];
  /** Command-specific options (OptionalParam1..3 of spec §3.8). */
  readonly p1: bigint;
  readonly p2: bigint;
  readonly p3: bigint;
  /** For !monitor: which accesses (1 read, 2 write, 4 execute) trigger it. */
  readonly access: number;
}

export class EventKernel {
  private readonly byType = new Map<EventType, KernelEvent[]>();
  private readonly byId = new Map<number, KernelEvent>();
  /** Bumped on every change, so hot paths can cache "does type X have listeners". */
  version = 0;

  register(event: KernelEvent): void {
    const list = this.byType.get(event.type) ?? [];
    list.unshift(event);
    this.byType.set(event.type, list);
    this.byId.set(event.id, event);
    this.version++;
  }

  /** Events of a type in trigger order (newest first). */
  listeners(type: EventType): readonly KernelEvent[] {
    return this.byType.get(type) ?? [];
  }

  get(id: number): KernelEvent | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  all(): KernelEvent[] {
    return [...this.byId.values()];
  }

  setEnabled(id: number, enabled: boolean): void {
    const e = this.byId.get(id);
    if (e !== undefined) e.enabled = enabled;
    this.version++;
  }

  remove(id: number): void {
    const e = this.byId.get(id);
    if (e === undefined) return;
    this.byId.delete(id);
    const list = this.byType.get(e.type) ?? [];
    this.byType.set(
      e.type,
      list.filter((x) => x !== e),
    );
    this.version++;
  }

  clear(): void {
    this.byType.clear();
    this.byId.clear();
    this.version++;
  }

  /** True when an enabled event could react to something. */
  hasEnabled(): boolean {
    for (const e of this.byId.values()) if (e.enabled && e.actions.length > 0) return true;
    return false;
  }

  hasEnabledOfType(type: EventType): boolean {
    return (this.byType.get(type) ?? []).some((e) => e.enabled);
  }
}
