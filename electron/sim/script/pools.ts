// Where script variables live in v0.23: one CLI-wide table of global names (GlobalIdTable, kept
// across every script the CLI compiles), and the memory that holds values: the kernel's
// g_ScriptGlobalVariables (MAX_VAR_COUNT slots for the whole system, shared by every event and
// core) and one stack buffer per core (zeroed at the start of each run). Simulator side.
import type { GuestMemory } from '../emulator/guestMemory';
import { MAX_STACK_BUFFER_COUNT, MAX_VAR_COUNT, SLOT_BYTES } from './limits';
import type { ScriptType } from './types';

/** GlobalIdTable: a global's index is its order of first assignment in any script of the session. */
export class GlobalNames {
  private readonly names: string[] = [];
  private readonly types: ScriptType[] = [];

  indexOf(name: string): number {
    return this.names.indexOf(name);
  }

  typeOf(index: number): ScriptType {
    return this.types[index] as ScriptType;
  }

  /** NewGlobalIdentifier: registered at compile time, even if the script later fails to compile. */
  register(name: string, type: ScriptType): number {
    this.names.push(name);
    this.types.push(type);
    return this.names.length - 1;
  }

  setType(index: number, type: ScriptType): void {
    this.types[index] = type;
  }

  get count(): number {
    return this.names.length;
  }
}

/** The size of one core's stack buffer in bytes. */
const STACK_BYTES = MAX_STACK_BUFFER_COUNT * SLOT_BYTES;
/** The size of g_ScriptGlobalVariables in bytes. */
const GLOBAL_BYTES = MAX_VAR_COUNT * SLOT_BYTES;

/** One pool buffer: its address and the bytes behind it. */
interface PoolBuffer {
  readonly base: bigint;
  readonly end: bigint;
  readonly bytes: Uint8Array;
}

/**
 * The pool buffers of one script engine: the addresses that `&.name`, `&local` and arrays hand
 * out, and that the memory functions (dq, eq, memcpy, ...) reach like any other memory. When the
 * buffers lie in guest memory (the kernel's, allocated from its non-paged pool), their bytes are
 * the guest's own, so every other reader sees the same values.
 */
export class ScriptPools {
  private globals: PoolBuffer;
  private globalView: DataView;
  private readonly stacks: PoolBuffer[];
  private readonly views = new WeakMap<GuestMemory, ScriptMemory>();

  /**
   * `globalsBase` and `stackBases[core]` are the buffers' addresses; with `guest`, bytes that
   * guest memory maps there are shared, else the engine keeps its own (the CLI's user-mode engine).
   */
  constructor(
    globalsBase: bigint,
    stackBases: readonly bigint[],
    guest: GuestMemory | null = null,
  ) {
    const buffer = (base: bigint, size: number): PoolBuffer => {
      const w = guest?.window(base, size) ?? null;
      const bytes = w === null ? new Uint8Array(size) : w.bytes.subarray(w.offset, w.offset + size);
      return { base, end: base + BigInt(size), bytes };
    };
    this.globals = buffer(globalsBase, GLOBAL_BYTES);
    this.globalView = new DataView(
      this.globals.bytes.buffer,
      this.globals.bytes.byteOffset,
      this.globals.bytes.byteLength,
    );
    this.stacks = stackBases.map((b) => buffer(b, STACK_BYTES));
  }

  /** Bytes each buffer takes: g_ScriptGlobalVariables, and one stack buffer per core. */
  static readonly GLOBAL_BYTES = GLOBAL_BYTES;
  static readonly STACK_BYTES = STACK_BYTES;

  /** DebuggerInitializeScriptEngine zeroes the globals when the driver loads. */
  resetGlobals(): void {
    this.globals.bytes.fill(0);
  }

  /**
   * A global's slot. Names beyond MAX_VAR_COUNT index past the kernel's buffer (v0.23 does not
   * check); the simulator gives them storage of their own rather than corrupt the pool.
   */
  private ensureGlobal(index: number): void {
    if ((index + 1) * SLOT_BYTES <= this.globals.bytes.length) return;
    const bigger = new Uint8Array(
      Math.max(this.globals.bytes.length * 2, (index + 1) * SLOT_BYTES),
    );
    bigger.set(this.globals.bytes);
    this.globals = {
      base: this.globals.base,
      end: this.globals.base + BigInt(bigger.length),
      bytes: bigger,
    };
    this.globalView = new DataView(bigger.buffer);
  }

  getGlobal(index: number): bigint {
    this.ensureGlobal(index);
    return this.globalView.getBigUint64(index * SLOT_BYTES, true);
  }

  setGlobal(index: number, v: bigint): void {
    this.ensureGlobal(index);
    this.globalView.setBigUint64(index * SLOT_BYTES, v, true);
  }

  globalAddress(index: number): bigint {
    return this.globals.base + BigInt(index * SLOT_BYTES);
  }

  /** Core `core`'s stack buffer (the last one for a core beyond the list). */
  stack(core: number): Uint8Array {
    return this.stackBuffer(core).bytes;
  }

  stackAddress(core: number): bigint {
    return this.stackBuffer(core).base;
  }

  private stackBuffer(core: number): PoolBuffer {
    return (this.stacks[core] ?? this.stacks[this.stacks.length - 1]) as PoolBuffer;
  }

  /** The pool bytes behind `address` (offset into them), or null when it is not pool memory. */
  find(address: bigint, length: number): { bytes: Uint8Array; at: number } | null {
    const end = address + BigInt(length);
    const g = this.globals;
    if (address >= g.base && end <= g.end) return { bytes: g.bytes, at: Number(address - g.base) };
    for (const s of this.stacks)
      if (address >= s.base && end <= s.end)
        return { bytes: s.bytes, at: Number(address - s.base) };
    return null;
  }

  /** Memory as a script sees it: the pools, else the guest. */
  view(guest: GuestMemory): ScriptMemory {
    let v = this.views.get(guest);
    if (v === undefined) {
      v = new ScriptMemory(this, guest);
      this.views.set(guest, v);
    }
    return v;
  }
}

/** The subset of guest memory the evaluator uses, with the pool buffers mapped in. */
export class ScriptMemory {
  constructor(
    private readonly pools: ScriptPools,
    readonly guest: GuestMemory,
  ) {}

  read(address: bigint, length: number): Uint8Array | null {
    const p = this.pools.find(address, length);
    if (p !== null) return p.bytes.slice(p.at, p.at + length);
    return this.guest.read(address, length);
  }

  write(address: bigint, data: Uint8Array): boolean {
    const p = this.pools.find(address, data.length);
    if (p !== null) {
      p.bytes.set(data, p.at);
      return true;
    }
    return this.guest.write(address, data);
  }

  readUnsigned(address: bigint, size: number): bigint | null {
    const p = this.pools.find(address, size);
    if (p === null) {
      switch (size) {
        case 1: {
          const v = this.guest.readU8(address);
          return v === null ? null : BigInt(v);
        }
        case 2: {
          const v = this.guest.readU16(address);
          return v === null ? null : BigInt(v);
        }
        case 4: {
          const v = this.guest.readU32(address);
          return v === null ? null : BigInt(v);
        }
        default:
          return this.guest.readU64(address);
      }
    }
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(p.bytes[p.at + i] as number);
    return v;
  }

  writeUnsigned(address: bigint, size: number, value: bigint): boolean {
    const p = this.pools.find(address, size);
    if (p === null) {
      switch (size) {
        case 1:
          return this.guest.writeU8(address, Number(value & 0xffn));
        case 2:
          return this.guest.writeU16(address, Number(value & 0xffffn));
        case 4:
          return this.guest.writeU32(address, Number(value & 0xffffffffn));
        default:
          return this.guest.writeU64(address, value & 0xffffffffffffffffn);
      }
    }
    let v = value;
    for (let i = 0; i < size; i++) {
      p.bytes[p.at + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return true;
  }

  isReadable(address: bigint, length: number): boolean {
    return this.pools.find(address, length) !== null || this.guest.isReadable(address, length);
  }

  readCString(address: bigint, max: number): string | null {
    const p = this.pools.find(address, 1);
    if (p === null) return this.guest.readCString(address, max);
    let s = '';
    for (let i = p.at; i < p.bytes.length && s.length < max; i++) {
      const b = p.bytes[i] as number;
      if (b === 0) return s;
      s += String.fromCharCode(b);
    }
    return s;
  }

  readWString(address: bigint, max: number): string | null {
    const p = this.pools.find(address, 2);
    if (p === null) return this.guest.readWString(address, max);
    let s = '';
    for (let i = p.at; i + 1 < p.bytes.length && s.length < max; i += 2) {
      const c = (p.bytes[i] as number) | ((p.bytes[i + 1] as number) << 8);
      if (c === 0) return s;
      s += String.fromCharCode(c);
    }
    return s;
  }
}
