// The synthetic ntoskrnl: function and variable addresses (nt!ExAllocatePoolWithTag at the seed's
// fffff800`4ed6f010), known instructions with the text HyperDbg's disassembler prints, and symbol
// lookups both ways. Simulator side; pure data.

/** One instruction: its bytes and its Intel-syntax text as `u`/pause lines show it. */
export interface KernelInstruction {
  readonly bytes: readonly number[];
  readonly text: string;
}

export interface KernelSymbol {
  /** Without the module prefix, e.g. `ExAllocatePoolWithTag`. */
  readonly name: string;
  readonly offset: number;
  /** Bytes the symbol covers (for `name+0x..` display). */
  readonly size: number;
  /** Known instructions inside a function (from `bodyOffset`); empty for data. */
  readonly body: readonly KernelInstruction[];
  /** Where `body` starts inside the function (0: at its first byte). */
  readonly bodyOffset: number;
}

export const NT_MODULE = 'nt';
export const NT_BASE = 0xfffff8004ea00000n;
/** .text spans [base, base + NT_TEXT_SIZE) (read/execute); .data follows (read/write). */
export const NT_TEXT_SIZE = 0x600000;
export const NT_DATA_SIZE = 0x100000;
/** Filler between functions: `int3`, as linkers pad x64 code. */
export const NT_TEXT_FILL = 0xcc;

const I = (bytes: number[], text: string): KernelInstruction => ({ bytes, text });
const PUSH_RBX = I([0x40, 0x53], 'push rbx');
const MOV_R11_RSP = I([0x4c, 0x8b, 0xdc], 'mov r11, rsp');

const fn = (
  name: string,
  offset: number,
  size: number,
  body: KernelInstruction[],
  bodyOffset = 0,
): KernelSymbol => ({ name, offset, size, body, bodyOffset });
const data = (name: string, offset: number, size: number): KernelSymbol => ({
  name,
  offset: NT_TEXT_SIZE + offset,
  size,
  body: [],
  bodyOffset: 0,
});

/** The functions and variables the workload and users refer to (offsets from NT_BASE). */
export const NT_SYMBOLS: readonly KernelSymbol[] = [
  fn(
    'KiIdleLoop',
    0x3cc8d0,
    0x1d0,
    [I([0xf3, 0x90], 'pause'), I([0xfb], 'sti'), I([0xf4], 'hlt')],
    0x2f,
  ),
  fn('KiSystemCall64', 0x3d4480, 0x6c0, [I([0x0f, 0x01, 0xf8], 'swapgs')]),
  fn('KiSystemServiceExit', 0x3d4b40, 0x180, [
    I([0x0f, 0x01, 0xf8], 'swapgs'),
    I([0x48, 0x0f, 0x07], 'sysret'),
  ]),
  fn('ExAllocatePoolWithTag', 0x36f010, 0x130, [
    MOV_R11_RSP,
    I([0x53], 'push rbx'),
    I([0x48, 0x83, 0xec, 0x40], 'sub rsp, 0x40'),
  ]),
  fn('ExFreePoolWithTag', 0x36f300, 0xe0, [PUSH_RBX, I([0x48, 0x83, 0xec, 0x30], 'sub rsp, 0x30')]),
  fn('ExAllocatePool2', 0x370120, 0x160, [MOV_R11_RSP]),
  fn('NtCreateFile', 0x5c1f40, 0x90, [
    I([0x48, 0x81, 0xec, 0x88, 0x00, 0x00, 0x00], 'sub rsp, 0x88'),
  ]),
  fn('NtReadFile', 0x5a2c10, 0x9a0, [MOV_R11_RSP]),
  fn('NtWriteFile', 0x5a3e80, 0xa40, [MOV_R11_RSP]),
  fn('NtClose', 0x5d0120, 0x60, [PUSH_RBX]),
  fn('NtOpenProcess', 0x59e340, 0x70, [I([0x48, 0x83, 0xec, 0x38], 'sub rsp, 0x38')]),
  fn('NtAllocateVirtualMemory', 0x5b6e50, 0x280, [MOV_R11_RSP]),
  fn('NtQuerySystemInformation', 0x5bf0b0, 0x40, [I([0x48, 0x83, 0xec, 0x28], 'sub rsp, 0x28')]),
  fn('NtDeviceIoControlFile', 0x5a1520, 0x80, [I([0x48, 0x83, 0xec, 0x68], 'sub rsp, 0x68')]),
  fn('NtWaitForSingleObject', 0x5a0a30, 0xe0, [MOV_R11_RSP]),
  fn('IoCreateFile', 0x5c3e00, 0x120, [
    I([0x48, 0x81, 0xec, 0x98, 0x00, 0x00, 0x00], 'sub rsp, 0x98'),
  ]),
  fn('ObReferenceObjectByHandle', 0x5a8c90, 0x60, [I([0x48, 0x83, 0xec, 0x48], 'sub rsp, 0x48')]),
  fn('PsLookupProcessByProcessId', 0x5d9d70, 0x120, [MOV_R11_RSP]),
  fn('KeBugCheckEx', 0x3c1ea0, 0x40, [
    I([0x48, 0x89, 0x4c, 0x24, 0x08], 'mov qword ptr ss:[rsp+0x08], rcx'),
  ]),
  fn('RtlCopyMemory', 0x3c9e40, 0x3c0, [I([0x48, 0x8b, 0xc1], 'mov rax, rcx')]),
  // Where the instructions that cause VM exits live (the sites a Debugger-Mode break shows).
  fn('KiCpuId', 0x3d9a10, 0x40, [I([0x0f, 0xa2], 'cpuid')], 0x12),
  fn('KiReadMsr', 0x3d9a60, 0x20, [I([0x0f, 0x32], 'rdmsr')], 0x4),
  fn('KiWriteMsr', 0x3d9a90, 0x20, [I([0x0f, 0x30], 'wrmsr')], 0x8),
  fn('KiReadPortUchar', 0x3d9ac0, 0x10, [I([0xec], 'in al, dx')], 0x3),
  fn('KiWritePortUchar', 0x3d9ae0, 0x10, [I([0xee], 'out dx, al')], 0x5),
  fn('KeQueryPerformanceCounter', 0x3d9b00, 0x90, [I([0x0f, 0x31], 'rdtsc')], 0x1c),
  fn('KiSetCr4', 0x3d9bb0, 0x20, [I([0x0f, 0x22, 0xe1], 'mov cr4, rcx')], 0x6),
  fn('KiSaveXState', 0x3d9be0, 0x60, [I([0x0f, 0x01, 0xd1], 'xsetbv')], 0x21),
  fn('KiReadPmc', 0x3d9c50, 0x10, [I([0x0f, 0x33], 'rdpmc')], 0x2),
  fn('KiSetDebugRegister', 0x3d9c70, 0x40, [I([0x0f, 0x23, 0xf9], 'mov dr7, rcx')], 0xd),
  fn('HvlInvokeHypercall', 0x3d9cc0, 0x20, [I([0x0f, 0x01, 0xc1], 'vmcall')], 0x9),
  fn('KiPageFault', 0x3d5a00, 0x480, [I([0x55], 'push rbp')], 0x0),
  fn('KiInterruptDispatch', 0x3d6200, 0x300, [I([0x55], 'push rbp')], 0x0),
  data('PsActiveProcessHead', 0x2e480, 0x10),
  data('PsInitialSystemProcess', 0x2e500, 0x8),
  data('KdDebuggerEnabled', 0x30a10, 0x1),
  data('Kd_DEFAULT_Mask', 0x31d80, 0x4),
  data('KeNumberProcessors', 0x2f2b0, 0x4),
];

export function ntAddress(name: string): bigint {
  const s = NT_SYMBOLS.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no nt symbol ${name}`);
  return NT_BASE + BigInt(s.offset);
}

/**
 * Resolves `nt!Name` (or a bare `Name`, which HyperDbg looks up in nt first), case-insensitively
 * as DbgHelp's default SYMOPT_CASE_INSENSITIVE does. Null when unknown.
 */
export function resolveNtSymbol(text: string): bigint | null {
  let name = text;
  const bang = text.indexOf('!');
  if (bang >= 0) {
    if (
      text.slice(0, bang).toLowerCase() !== NT_MODULE &&
      text.slice(0, bang).toLowerCase() !== 'ntoskrnl'
    )
      return null;
    name = text.slice(bang + 1);
  }
  const lower = name.toLowerCase();
  const s = NT_SYMBOLS.find((x) => x.name.toLowerCase() === lower);
  return s === undefined ? null : NT_BASE + BigInt(s.offset);
}

/**
 * The symbol covering `address`: `nt!Name` at its start, `nt!Name+0x1c` inside it (the form
 * `SymbolShowFunctionNameBasedOnAddress` prints before a disassembly line). Null when none.
 */
export function describeAddress(address: bigint): string | null {
  for (const s of NT_SYMBOLS) {
    const start = NT_BASE + BigInt(s.offset);
    if (address === start) return `${NT_MODULE}!${s.name}`;
    if (address > start && address < start + BigInt(s.size))
      return `${NT_MODULE}!${s.name}+0x${(address - start).toString(16)}`;
  }
  return null;
}

/** The address of a function's first known instruction (`bodyOffset` into it). */
export function ntSite(name: string): bigint {
  const s = NT_SYMBOLS.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no nt symbol ${name}`);
  return NT_BASE + BigInt(s.offset + s.bodyOffset);
}

/** The instruction starting at `address` inside a function's known body, if any. */
export function instructionAt(address: bigint): KernelInstruction | null {
  for (const s of NT_SYMBOLS) {
    let at = NT_BASE + BigInt(s.offset + s.bodyOffset);
    for (const ins of s.body) {
      if (at === address) return ins;
      at += BigInt(ins.bytes.length);
    }
  }
  return null;
}
