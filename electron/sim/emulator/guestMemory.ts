// The guest's virtual address space as the emulator's host sees it: named regions with page
// protections, each backed by memory the emulator executes from. Simulator side; pure TypeScript.

/** Page protection of a region, as x86 page tables would give it. */
export type Protection = 'r' | 'rw' | 'rx' | 'rwx';

/** Where a region's bytes live: a zero-copy view (Node) or copy-in/copy-out (Electron). */
export interface RegionStore {
  /** The bytes themselves when the runtime allows a view; null for the copying fallback. */
  readonly bytes: Uint8Array | null;
  read(offset: number, length: number): Uint8Array;
  write(offset: number, data: Uint8Array): void;
}

export interface GuestRegion {
  readonly name: string;
  readonly base: bigint;
  readonly size: number;
  readonly end: bigint;
  readonly protection: Protection;
  readonly store: RegionStore;
}

/** A store over a plain array: used where no emulator is needed (tests, address bookkeeping). */
export function arrayStore(size: number): RegionStore {
  const bytes = new Uint8Array(size);
  return {
    bytes,
    read: (offset, length) => bytes.slice(offset, offset + length),
    write: (offset, data) => bytes.set(data, offset),
  };
}

const U64_MASK = (1n << 64n) - 1n;

export class GuestMemory {
  private readonly regions: GuestRegion[] = [];
  private last: GuestRegion | null = null;

  /** Adds a region; regions never overlap (the caller lays the address space out). */
  add(region: GuestRegion): GuestRegion {
    for (const r of this.regions) {
      if (region.base < r.end && r.base < region.end)
        throw new Error(`guest region '${region.name}' overlaps '${r.name}'`);
    }
    this.regions.push(region);
    this.regions.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    return region;
  }

  list(): readonly GuestRegion[] {
    return this.regions;
  }

  /** The region holding `address`, or null. */
  regionOf(address: bigint): GuestRegion | null {
    const last = this.last;
    if (last !== null && address >= last.base && address < last.end) return last;
    for (const r of this.regions) {
      if (address >= r.base && address < r.end) {
        this.last = r;
        return r;
      }
    }
    return null;
  }

  /** True when every byte of [address, address+length) is mapped and readable. */
  isReadable(address: bigint, length: number): boolean {
    let a = address & U64_MASK;
    let left = length;
    while (left > 0) {
      const r = this.regionOf(a);
      if (r === null) return false;
      const here = Math.min(left, Number(r.end - a));
      left -= here;
      a += BigInt(here);
    }
    return true;
  }

  /**
   * A zero-copy window onto [address, address+length) when it lies in one region whose bytes are
   * directly visible (the Node fast path); null otherwise (use `read`).
   */
  window(address: bigint, length: number): { bytes: Uint8Array; offset: number } | null {
    const a = address & U64_MASK;
    const r = this.regionOf(a);
    if (r === null || r.store.bytes === null) return null;
    const offset = Number(a - r.base);
    return offset + length <= r.size ? { bytes: r.store.bytes, offset } : null;
  }

  /** Reads bytes, or null when any byte is unmapped (a page fault, for the caller to report). */
  read(address: bigint, length: number): Uint8Array | null {
    const a = address & U64_MASK;
    const r = this.regionOf(a);
    if (r === null) return null;
    const offset = Number(a - r.base);
    if (offset + length <= r.size) {
      const bytes = r.store.bytes;
      return bytes === null ? r.store.read(offset, length) : bytes.slice(offset, offset + length);
    }
    if (!this.isReadable(a, length)) return null;
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const cur = this.regionOf(a + BigInt(done)) as GuestRegion;
      const off = Number(a + BigInt(done) - cur.base);
      const n = Math.min(length - done, cur.size - off);
      out.set(cur.store.read(off, n), done);
      done += n;
    }
    return out;
  }

  /** Writes bytes; false (and nothing written) when any byte is unmapped. */
  write(address: bigint, data: Uint8Array): boolean {
    const a = address & U64_MASK;
    if (!this.isReadable(a, data.length)) return false;
    let done = 0;
    while (done < data.length) {
      const cur = this.regionOf(a + BigInt(done)) as GuestRegion;
      const off = Number(a + BigInt(done) - cur.base);
      const n = Math.min(data.length - done, cur.size - off);
      cur.store.write(off, data.subarray(done, done + n));
      done += n;
    }
    return true;
  }

  readU8(address: bigint): number | null {
    const b = this.read(address, 1);
    return b === null ? null : (b[0] as number);
  }

  readU16(address: bigint): number | null {
    const b = this.read(address, 2);
    return b === null ? null : (b[0] as number) | ((b[1] as number) << 8);
  }

  readU32(address: bigint): number | null {
    const b = this.read(address, 4);
    return b === null ? null : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }

  readU64(address: bigint): bigint | null {
    const b = this.read(address, 8);
    return b === null ? null : new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }

  writeU8(address: bigint, value: number): boolean {
    return this.write(address, Uint8Array.of(value & 0xff));
  }

  writeU16(address: bigint, value: number): boolean {
    return this.write(address, Uint8Array.of(value & 0xff, (value >>> 8) & 0xff));
  }

  writeU32(address: bigint, value: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.write(address, b);
  }

  writeU64(address: bigint, value: bigint): boolean {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, value & U64_MASK, true);
    return this.write(address, b);
  }

  /**
   * Reads a NUL-terminated byte string of at most `max` bytes (Windows-1252/ASCII, as kernel
   * strings are), or null when the first byte is unmapped. Stops early at unmapped memory.
   */
  readCString(address: bigint, max: number): string | null {
    let out = '';
    for (let i = 0; i < max; i++) {
      const c = this.readU8(address + BigInt(i));
      if (c === null) return i === 0 ? null : out;
      if (c === 0) break;
      out += String.fromCharCode(c);
    }
    return out;
  }

  /** Reads a NUL-terminated UTF-16LE string of at most `max` characters. */
  readWString(address: bigint, max: number): string | null {
    let out = '';
    for (let i = 0; i < max; i++) {
      const c = this.readU16(address + BigInt(i * 2));
      if (c === null) return i === 0 ? null : out;
      if (c === 0) break;
      out += String.fromCharCode(c);
    }
    return out;
  }
}
