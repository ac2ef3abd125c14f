// A reusable x86-64 machine on Unicorn: guest memory in stable host buffers, and one primitive,
// `call`, that runs until a sentinel return, a fault or an instruction budget. Simulator side; the
// app reaches it only through the simulator program, never by importing this folder.
import {
  GUEST_REG_COUNT,
  GUEST_REG_INDEX,
  GUEST_REG_NAMES,
  type GuestRegName,
} from '../../../shared/model/guestRegs';
import { GuestMemory, type GuestRegion, type Protection, type RegionStore } from './guestMemory';
import {
  allocStable,
  decodeBytes,
  decodeU64,
  encodeBytes,
  encodeU64,
  registerHooks,
  type NativeHooks,
  type NativePointer,
  type StableMemory,
  UC_ARCH_X86,
  UC_MODE_64,
  UC_PROT_EXEC,
  UC_PROT_READ,
  UC_PROT_WRITE,
  UC_HOOK_CODE,
  UC_HOOK_MEM_INVALID,
  UC_HOOK_MEM_READ,
  UC_HOOK_MEM_WRITE,
  UC_MEM_READ,
  UC_MEM_WRITE,
  ucErrorName,
  unicorn,
  X86_REG,
} from './unicornBindings';

/** Unicorn maps whole 4 KiB pages. */
export const PAGE_SIZE = 0x1000;

/** Register state a call starts from; every general-purpose register is set, so runs repeat. */
export type CallRegisters = Record<GuestRegName | 'gsBase', bigint>;

export type CallOutcome =
  | { readonly status: 'returned'; readonly rax: bigint }
  /** The CPU stopped on an error Unicorn reports (`UC_ERR_*`), at `rip`. */
  | { readonly status: 'fault'; readonly error: string; readonly rip: bigint }
  /** The instruction budget ran out (a runaway loop), or a `hlt` stopped the CPU early. */
  | { readonly status: 'runaway'; readonly rip: bigint };

/**
 * The registers a call writes before it starts, in the order of the input batch: GUEST_REGS order
 * (any order would do for Unicorn; this one lets GUEST_REGS indexes double as batch indexes), then
 * the GS base.
 */
const CALL_REGISTER_ORDER: readonly (keyof CallRegisters)[] = [...GUEST_REG_NAMES, 'gsBase'];

/** Index of each register in CALL_REGISTER_ORDER, for `setInput`. */
export const CALL_REGISTER_INDEX = { ...GUEST_REG_INDEX, gsBase: GUEST_REG_COUNT } as const;
export type CallRegisterIndex = (typeof CALL_REGISTER_INDEX)[keyof typeof CALL_REGISTER_INDEX];

const PROT_BITS: Record<Protection, number> = {
  r: UC_PROT_READ,
  rw: UC_PROT_READ | UC_PROT_WRITE,
  rx: UC_PROT_READ | UC_PROT_EXEC,
  rwx: UC_PROT_READ | UC_PROT_WRITE | UC_PROT_EXEC,
};

/** Register ids, values and the pointer array `uc_reg_*_batch` wants, in stable memory. */
class RegisterBatch {
  private readonly ids: StableMemory;
  private readonly values: StableMemory;
  private readonly pointers: StableMemory;
  private readonly valueView: BigUint64Array | null;

  constructor(regIds: readonly number[]) {
    const n = regIds.length;
    this.ids = allocStable(n * 4);
    this.values = allocStable(n * 8);
    this.pointers = allocStable(n * 8);
    this.valueView = this.values.view === null ? null : new BigUint64Array(this.values.view);
    const idBytes = new Uint8Array(n * 4);
    const idView = new DataView(idBytes.buffer);
    regIds.forEach((id, i) => idView.setInt32(i * 4, id, true));
    const ptrBytes = new Uint8Array(n * 8);
    const ptrView = new DataView(ptrBytes.buffer);
    for (let i = 0; i < n; i++)
      ptrView.setBigUint64(i * 8, this.values.address + BigInt(i * 8), true);
    this.fill(this.ids, idBytes);
    this.fill(this.pointers, ptrBytes);
  }

  private fill(mem: StableMemory, bytes: Uint8Array): void {
    if (mem.view !== null) new Uint8Array(mem.view).set(bytes);
    else encodeBytes(mem, 0, bytes);
  }

  set(i: number, v: bigint): void {
    if (this.valueView !== null) this.valueView[i] = v;
    else encodeU64(this.values, i * 8, v);
  }

  get(i: number): bigint {
    return this.valueView !== null ? (this.valueView[i] as bigint) : decodeU64(this.values, i * 8);
  }

  get idPointer(): NativePointer {
    return this.ids.pointer;
  }

  get valuePointers(): NativePointer {
    return this.pointers.pointer;
  }
}

function viewStore(mem: StableMemory, size: number): RegionStore {
  if (mem.view !== null) {
    const bytes = new Uint8Array(mem.view, 0, size);
    return {
      bytes,
      read: (offset, length) => bytes.slice(offset, offset + length),
      write: (offset, data) => bytes.set(data, offset),
    };
  }
  return {
    bytes: null,
    read: (offset, length) => decodeBytes(mem, offset, length),
    write: (offset, data) => encodeBytes(mem, offset, data),
  };
}

/** One memory access a traced run made, in order, with the instruction that made it. */
export interface TracedAccess {
  /** Address of the instruction that made it. */
  readonly rip: bigint;
  readonly kind: 'read' | 'write' | 'fault';
  /** For a fault: Unicorn's `uc_mem_type` name (`UC_MEM_READ_UNMAPPED`...). */
  readonly faultType: string | null;
  readonly address: bigint;
  readonly size: number;
  /** What was read (from guest memory as it was) or written; null when unreadable. */
  readonly value: bigint | null;
}

/** What a traced call did besides its outcome: every instruction and memory access, in order. */
export interface CallTrace {
  readonly instructions: readonly bigint[];
  readonly accesses: readonly TracedAccess[];
}

const MEM_TYPE_NAMES: Readonly<Record<number, string>> = {
  19: 'UC_MEM_READ_UNMAPPED',
  20: 'UC_MEM_WRITE_UNMAPPED',
  21: 'UC_MEM_FETCH_UNMAPPED',
  22: 'UC_MEM_WRITE_PROT',
  23: 'UC_MEM_READ_PROT',
  24: 'UC_MEM_FETCH_PROT',
};

/** Instructions a traced run records before it stops recording (a runaway loop's flood). */
const MAX_TRACED_STEPS = 10_000;

export class X86Emulator {
  readonly memory = new GuestMemory();
  private readonly uc: NativePointer;
  private readonly api = unicorn();
  private readonly inputs = new RegisterBatch(CALL_REGISTER_ORDER.map((k) => X86_REG[k]));
  private readonly outputs = new RegisterBatch([X86_REG.rax, X86_REG.rip]);
  /** Keeps native allocations reachable for as long as Unicorn uses them. */
  private readonly backing: StableMemory[] = [];
  private closed = false;
  private hooks: { native: NativeHooks; handles: (bigint | number)[] } | null = null;
  private tracing: { instructions: bigint[]; accesses: TracedAccess[]; rip: bigint } | null = null;

  /**
   * `copyMemory` forces the copy-in/copy-out fallback Electron needs (its V8 sandbox refuses
   * external buffers), so that path can be exercised anywhere.
   */
  constructor(private readonly options: { readonly copyMemory?: boolean } = {}) {
    const out: [NativePointer | null] = [null];
    const err = this.api.uc_open(UC_ARCH_X86, UC_MODE_64, out);
    if (err !== 0 || out[0] === null) throw new Error(`uc_open failed: ${ucErrorName(err)}`);
    this.uc = out[0];
  }

  /** True when guest memory is a zero-copy view (Node); false on the copying fallback. */
  get zeroCopy(): boolean {
    return this.memory.list().every((r) => r.store.bytes !== null);
  }

  /** Maps a page-aligned region backed by zeroed host memory that Unicorn executes from. */
  map(name: string, base: bigint, size: number, protection: Protection): GuestRegion {
    if (base % BigInt(PAGE_SIZE) !== 0n || size % PAGE_SIZE !== 0 || size <= 0)
      throw new Error(`guest region '${name}' must be page-aligned (base ${base.toString(16)})`);
    const mem = allocStable(size, this.options.copyMemory !== true);
    const err = this.api.uc_mem_map_ptr(this.uc, base, size, PROT_BITS[protection], mem.pointer);
    if (err !== 0) throw new Error(`uc_mem_map_ptr '${name}' failed: ${ucErrorName(err)}`);
    this.backing.push(mem);
    return this.memory.add({
      name,
      base,
      size,
      end: base + BigInt(size),
      protection,
      store: viewStore(mem, size),
    });
  }

  /**
   * Drops Unicorn's translated blocks for code written behind its back (through the shared
   * host memory), so a later call never runs stale translations of an old action.
   */
  invalidateCode(address: bigint, length: number): void {
    this.api.uc_ctl_remove_cache(this.uc, address, address + BigInt(Math.max(1, length)));
  }

  /**
   * Runs from `entry` with `regs` until the code returns to `returnAddress` (which the caller
   * pushed at [rsp]), faults, or executes `maxInstructions` instructions.
   */
  call(
    entry: bigint,
    returnAddress: bigint,
    regs: CallRegisters,
    maxInstructions: number,
  ): CallOutcome {
    for (let i = 0; i < CALL_REGISTER_ORDER.length; i++)
      this.inputs.set(i, regs[CALL_REGISTER_ORDER[i] as keyof CallRegisters]);
    return this.callPrepared(entry, returnAddress, maxInstructions);
  }

  /**
   * The hot-path form of `call`: the caller has set the entry registers with `setInput`
   * (in CALL_REGISTER_ORDER), so no object is built per run.
   */
  setInput(index: CallRegisterIndex, value: bigint): void {
    this.inputs.set(index, value);
  }

  callPrepared(entry: bigint, returnAddress: bigint, maxInstructions: number): CallOutcome {
    if (this.closed) throw new Error('emulator is closed');
    const inputs = this.inputs;
    this.api.uc_reg_write_batch(
      this.uc,
      inputs.idPointer,
      inputs.valuePointers,
      CALL_REGISTER_ORDER.length,
    );
    const err = this.api.uc_emu_start(this.uc, entry, returnAddress, 0, maxInstructions);
    this.api.uc_reg_read_batch(this.uc, this.outputs.idPointer, this.outputs.valuePointers, 2);
    const rax = this.outputs.get(0);
    const rip = this.outputs.get(1);
    if (err !== 0) return { status: 'fault', error: ucErrorName(err), rip };
    if (rip !== returnAddress) return { status: 'runaway', rip };
    return { status: 'returned', rax };
  }

  /**
   * `call` with every instruction and memory access recorded (Unicorn hooks; slow, for a dry
   * run, never the simulator's hot path). The hooks stay installed only for this call.
   */
  traceCall(
    entry: bigint,
    returnAddress: bigint,
    regs: CallRegisters,
    maxInstructions: number,
  ): { outcome: CallOutcome; trace: CallTrace } {
    for (let i = 0; i < CALL_REGISTER_ORDER.length; i++)
      this.inputs.set(i, regs[CALL_REGISTER_ORDER[i] as keyof CallRegisters]);
    return this.traced(() => this.callPrepared(entry, returnAddress, maxInstructions));
  }

  /** Runs `fn` (a prepared call) with the hooks on; returns its outcome and what it did. */
  traced(fn: () => CallOutcome): { outcome: CallOutcome; trace: CallTrace } {
    this.installHooks();
    const t = { instructions: [] as bigint[], accesses: [] as TracedAccess[], rip: 0n };
    this.tracing = t;
    try {
      return { outcome: fn(), trace: { instructions: t.instructions, accesses: t.accesses } };
    } finally {
      this.tracing = null;
      this.removeHooks();
    }
  }

  private installHooks(): void {
    if (this.hooks !== null) return;
    const native = registerHooks(
      (type, address, size, value) => {
        const t = this.tracing;
        if (t === null || t.accesses.length >= MAX_TRACED_STEPS) return;
        if (type === UC_MEM_READ) {
          const bytes = this.memory.read(address, size);
          let v: bigint | null = null;
          if (bytes !== null) {
            v = 0n;
            for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] ?? 0);
          }
          t.accesses.push({ rip: t.rip, kind: 'read', faultType: null, address, size, value: v });
        } else if (type === UC_MEM_WRITE) {
          const masked = size >= 8 ? value : value & ((1n << BigInt(size * 8)) - 1n);
          t.accesses.push({
            rip: t.rip,
            kind: 'write',
            faultType: null,
            address,
            size,
            value: masked,
          });
        } else
          t.accesses.push({
            rip: t.rip,
            kind: 'fault',
            faultType: MEM_TYPE_NAMES[type] ?? `uc_mem_type ${type}`,
            address,
            size,
            value: null,
          });
      },
      (address) => {
        const t = this.tracing;
        if (t === null) return;
        t.rip = address;
        if (t.instructions.length < MAX_TRACED_STEPS) t.instructions.push(address);
      },
    );
    const handles: (bigint | number)[] = [];
    const add = (type: number, cb: NativePointer) => {
      const h: [bigint | number] = [0n];
      const err = this.api.uc_hook_add(this.uc, h, type, cb, null, 1n, 0n);
      if (err !== 0) throw new Error(`uc_hook_add failed: ${ucErrorName(err)}`);
      handles.push(h[0]);
    };
    add(UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, native.mem);
    add(UC_HOOK_MEM_INVALID, native.invalid);
    add(UC_HOOK_CODE, native.code);
    this.hooks = { native, handles };
  }

  private removeHooks(): void {
    const h = this.hooks;
    if (h === null) return;
    for (const handle of h.handles) this.api.uc_hook_del(this.uc, handle);
    h.native.unregister();
    this.hooks = null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.removeHooks();
    this.api.uc_close(this.uc);
  }
}
