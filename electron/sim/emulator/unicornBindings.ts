// The slice of Debian's libunicorn2 (Unicorn 2.0 C API) the emulator uses, bound through koffi.
// Simulator side; this folder is the only importer of koffi. Constants come from
// /usr/include/unicorn/{unicorn,x86}.h (libunicorn-dev 2.0.1) and were checked with a C compiler.
import koffi from 'koffi';

/** `uc_arch`/`uc_mode` for x86-64. */
export const UC_ARCH_X86 = 4;
export const UC_MODE_64 = 8;

/** `uc_prot` bits. */
export const UC_PROT_READ = 1;
export const UC_PROT_WRITE = 2;
export const UC_PROT_EXEC = 4;

/** `uc_x86_reg` ids used by the emulator (x86.h, Unicorn 2.0). */
export const X86_REG = {
  rax: 35,
  rbx: 37,
  rcx: 38,
  rdx: 40,
  rsi: 43,
  rdi: 39,
  rbp: 36,
  rsp: 44,
  rip: 41,
  r8: 106,
  r9: 107,
  r10: 108,
  r11: 109,
  r12: 110,
  r13: 111,
  r14: 112,
  r15: 113,
  eflags: 25,
  gsBase: 251,
} as const;

/** `uc_err` names, indexed by value (unicorn.h order). */
export const UC_ERROR_NAMES = [
  'UC_ERR_OK',
  'UC_ERR_NOMEM',
  'UC_ERR_ARCH',
  'UC_ERR_HANDLE',
  'UC_ERR_MODE',
  'UC_ERR_VERSION',
  'UC_ERR_READ_UNMAPPED',
  'UC_ERR_WRITE_UNMAPPED',
  'UC_ERR_FETCH_UNMAPPED',
  'UC_ERR_HOOK',
  'UC_ERR_INSN_INVALID',
  'UC_ERR_MAP',
  'UC_ERR_WRITE_PROT',
  'UC_ERR_READ_PROT',
  'UC_ERR_FETCH_PROT',
  'UC_ERR_ARG',
  'UC_ERR_READ_UNALIGNED',
  'UC_ERR_WRITE_UNALIGNED',
  'UC_ERR_FETCH_UNALIGNED',
  'UC_ERR_HOOK_EXIST',
  'UC_ERR_RESOURCE',
  'UC_ERR_EXCEPTION',
] as const;

/** `uc_hook_type` bits (unicorn.h, Unicorn 2.0): code, valid accesses, and invalid ones. */
export const UC_HOOK_CODE = 1 << 2;
export const UC_HOOK_MEM_READ = 1 << 10;
export const UC_HOOK_MEM_WRITE = 1 << 11;
/** READ/WRITE/FETCH _UNMAPPED (bits 4-6) and _PROT (bits 7-9): the accesses that fault. */
export const UC_HOOK_MEM_INVALID = 0x3f0;
/** `uc_mem_type` values the memory hooks report (UC_MEM_READ = 16 onwards). */
export const UC_MEM_READ = 16;
export const UC_MEM_WRITE = 17;
export const UC_MEM_FETCH = 18;
export const UC_MEM_READ_UNMAPPED = 19;
export const UC_MEM_WRITE_UNMAPPED = 20;
export const UC_MEM_FETCH_UNMAPPED = 21;
export const UC_MEM_WRITE_PROT = 22;
export const UC_MEM_READ_PROT = 23;
export const UC_MEM_FETCH_PROT = 24;

/** `UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)`: drop translated blocks of [begin, end). */
export const UC_CTL_TB_REMOVE_CACHE_WRITE = 0x48000009;

/** The Debian package's soname; Unicorn 1 (`libunicorn.so.1`) lacks the API used here. */
export const UNICORN_SONAME = 'libunicorn.so.2';

/** Native handle types are opaque to the rest of the emulator. */
export type NativePointer = unknown;

export interface UnicornApi {
  uc_open(arch: number, mode: number, out: [NativePointer | null]): number;
  uc_close(uc: NativePointer): number;
  uc_mem_map(uc: NativePointer, address: bigint, size: number, perms: number): number;
  uc_mem_map_ptr(
    uc: NativePointer,
    address: bigint,
    size: number,
    perms: number,
    ptr: NativePointer,
  ): number;
  uc_mem_read(uc: NativePointer, address: bigint, out: Uint8Array, size: number): number;
  uc_mem_write(uc: NativePointer, address: bigint, bytes: Uint8Array, size: number): number;
  uc_reg_write(uc: NativePointer, regid: number, value: Uint8Array): number;
  uc_reg_read(uc: NativePointer, regid: number, out: Uint8Array): number;
  uc_reg_write_batch(
    uc: NativePointer,
    ids: NativePointer,
    vals: NativePointer,
    count: number,
  ): number;
  uc_reg_read_batch(
    uc: NativePointer,
    ids: NativePointer,
    vals: NativePointer,
    count: number,
  ): number;
  uc_emu_start(
    uc: NativePointer,
    begin: bigint,
    until: bigint,
    timeout: number,
    count: number,
  ): number;
  uc_ctl_remove_cache(uc: NativePointer, begin: bigint, end: bigint): number;
  uc_version(major: [number], minor: [number]): number;
  /** Adds a hook over every address (begin 1 > end 0); `handle[0]` receives its id. */
  uc_hook_add(
    uc: NativePointer,
    handle: [bigint | number],
    type: number,
    callback: NativePointer,
    user: NativePointer | null,
    begin: bigint,
    end: bigint,
  ): number;
  uc_hook_del(uc: NativePointer, handle: bigint | number): number;
}

/** A memory hook's report: valid accesses (`uc_cb_hookmem_t`) and faulting ones (`uc_cb_eventmem_t`). */
export type MemHookFn = (type: number, address: bigint, size: number, value: bigint) => void;
/** A code hook's report: the address and length of the instruction about to run. */
export type CodeHookFn = (address: bigint, size: number) => void;

/** Native callbacks for the hooks; `unregister` frees them (after `uc_hook_del`). */
export interface NativeHooks {
  readonly mem: NativePointer;
  readonly invalid: NativePointer;
  readonly code: NativePointer;
  unregister(): void;
}

/** Wraps JavaScript functions as the native callbacks Unicorn calls during `uc_emu_start`. */
/** The callback types, declared once (koffi refuses a second type of the same name). */
let protos: {
  mem: ReturnType<typeof koffi.proto>;
  invalid: ReturnType<typeof koffi.proto>;
  code: ReturnType<typeof koffi.proto>;
} | null = null;

export function registerHooks(mem: MemHookFn, code: CodeHookFn): NativeHooks {
  unicorn();
  // koffi hands large uint64 values over as negative bigints: make them unsigned again.
  const big = (v: number | bigint) => BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(v));
  protos ??= {
    mem: koffi.proto(
      'void UcMemHook(void *uc, int type, uint64_t address, int size, int64_t value, void *user)',
    ),
    invalid: koffi.proto(
      'bool UcInvalidHook(void *uc, int type, uint64_t address, int size, int64_t value, void *user)',
    ),
    code: koffi.proto('void UcCodeHook(void *uc, uint64_t address, uint32_t size, void *user)'),
  };
  const memProto = protos.mem;
  const invalidProto = protos.invalid;
  const codeProto = protos.code;
  const memPtr = koffi.register(
    (_uc: unknown, type: number, address: number | bigint, size: number, value: number | bigint) =>
      mem(type, big(address), size, BigInt.asUintN(64, big(value))),
    koffi.pointer(memProto),
  );
  const invalidPtr = koffi.register(
    (
      _uc: unknown,
      type: number,
      address: number | bigint,
      size: number,
      value: number | bigint,
    ) => {
      mem(type, big(address), size, BigInt.asUintN(64, big(value)));
      return false; // not handled: the access faults, as on the real machine
    },
    koffi.pointer(invalidProto),
  );
  const codePtr = koffi.register(
    (_uc: unknown, address: number | bigint, size: number) => code(big(address), size),
    koffi.pointer(codeProto),
  );
  return {
    mem: memPtr,
    invalid: invalidPtr,
    code: codePtr,
    unregister: () => {
      koffi.unregister(memPtr);
      koffi.unregister(invalidPtr);
      koffi.unregister(codePtr);
    },
  };
}

/** Native memory that never moves (for `uc_mem_map_ptr` and the batch register arrays). */
export interface StableMemory {
  readonly pointer: NativePointer;
  readonly address: bigint;
  /** A zero-copy view, or null where the runtime forbids external buffers (Electron). */
  readonly view: ArrayBuffer | null;
}

let api: UnicornApi | null = null;

/**
 * Loads libunicorn once. Throws an Error that names the missing package, so a machine without
 * `libunicorn2` gets a clear message rather than a dlopen trace.
 */
export function unicorn(): UnicornApi {
  if (api !== null) return api;
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(UNICORN_SONAME);
  } catch (e) {
    throw new Error(
      `the Unicorn engine (${UNICORN_SONAME}) could not be loaded: install Debian's 'libunicorn2' package (${e instanceof Error ? e.message : String(e)})`,
      { cause: e },
    );
  }
  const ucCtl = lib.func('int uc_ctl(void *uc, int control, ...)');
  api = {
    uc_open: lib.func('int uc_open(int arch, int mode, _Out_ void **uc)') as UnicornApi['uc_open'],
    uc_close: lib.func('int uc_close(void *uc)') as UnicornApi['uc_close'],
    uc_mem_map: lib.func(
      'int uc_mem_map(void *uc, uint64_t address, size_t size, uint32_t perms)',
    ) as UnicornApi['uc_mem_map'],
    uc_mem_map_ptr: lib.func(
      'int uc_mem_map_ptr(void *uc, uint64_t address, size_t size, uint32_t perms, void *ptr)',
    ) as UnicornApi['uc_mem_map_ptr'],
    uc_mem_read: lib.func(
      'int uc_mem_read(void *uc, uint64_t address, _Out_ uint8_t *bytes, size_t size)',
    ) as UnicornApi['uc_mem_read'],
    uc_mem_write: lib.func(
      'int uc_mem_write(void *uc, uint64_t address, const uint8_t *bytes, size_t size)',
    ) as UnicornApi['uc_mem_write'],
    uc_reg_write: lib.func(
      'int uc_reg_write(void *uc, int regid, const uint8_t *value)',
    ) as UnicornApi['uc_reg_write'],
    uc_reg_read: lib.func(
      'int uc_reg_read(void *uc, int regid, _Out_ uint8_t *value)',
    ) as UnicornApi['uc_reg_read'],
    uc_reg_write_batch: lib.func(
      'int uc_reg_write_batch(void *uc, void *regs, void *vals, int count)',
    ) as UnicornApi['uc_reg_write_batch'],
    uc_reg_read_batch: lib.func(
      'int uc_reg_read_batch(void *uc, void *regs, void *vals, int count)',
    ) as UnicornApi['uc_reg_read_batch'],
    uc_emu_start: lib.func(
      'int uc_emu_start(void *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)',
    ) as UnicornApi['uc_emu_start'],
    uc_ctl_remove_cache: (uc, begin, end) =>
      ucCtl(uc, UC_CTL_TB_REMOVE_CACHE_WRITE, 'uint64_t', begin, 'uint64_t', end) as number,
    uc_version: lib.func(
      'unsigned int uc_version(_Out_ unsigned int *major, _Out_ unsigned int *minor)',
    ) as UnicornApi['uc_version'],
    uc_hook_add: lib.func(
      'int uc_hook_add(void *uc, _Out_ size_t *hh, int type, void *callback, void *user, uint64_t begin, uint64_t end, ...)',
    ) as UnicornApi['uc_hook_add'],
    uc_hook_del: lib.func('int uc_hook_del(void *uc, size_t hh)') as UnicornApi['uc_hook_del'],
  };
  return api;
}

/** Allocates native memory that stays put; `view` is null where external buffers are refused. */
export function allocStable(size: number, allowView = true): StableMemory {
  const pointer = koffi.alloc('uint8_t', size) as NativePointer;
  let view: ArrayBuffer | null = null;
  if (allowView) {
    try {
      view = koffi.view(pointer, size);
    } catch {
      view = null; // Electron's V8 sandbox forbids external ArrayBuffers (see koffi's docs).
    }
  }
  const mem = { pointer, address: koffi.address(pointer), view };
  if (view !== null) new Uint8Array(view).fill(0);
  else {
    const zeros = new Uint8Array(Math.min(size, ZERO_CHUNK_BYTES));
    for (let at = 0; at < size; at += zeros.length)
      encodeBytes(mem, at, zeros.subarray(0, Math.min(zeros.length, size - at)));
  }
  return mem;
}

/** Zeroing without a view goes through koffi.encode in chunks of this many bytes. */
const ZERO_CHUNK_BYTES = 0x10000;

/** Copies bytes into stable memory that has no view (the Electron fallback). */
export function encodeBytes(mem: StableMemory, offset: number, bytes: Uint8Array): void {
  koffi.encode(mem.pointer, offset, koffi.array('uint8_t', bytes.length), Array.from(bytes));
}

/** Copies bytes out of stable memory that has no view. */
export function decodeBytes(mem: StableMemory, offset: number, length: number): Uint8Array {
  const values = koffi.decode(mem.pointer, offset, 'uint8_t', length) as number[];
  return Uint8Array.from(values);
}

/** Writes one little-endian u64 into stable memory that has no view. */
export function encodeU64(mem: StableMemory, offset: number, value: bigint): void {
  koffi.encode(mem.pointer, offset, 'uint64_t', value);
}

/** Reads one little-endian u64 from stable memory that has no view. */
export function decodeU64(mem: StableMemory, offset: number): bigint {
  const v = koffi.decode(mem.pointer, offset, 'uint64_t') as number | bigint;
  return typeof v === 'bigint' ? v : BigInt(v);
}

export function ucErrorName(code: number): string {
  return UC_ERROR_NAMES[code] ?? `UC_ERR_${code}`;
}
