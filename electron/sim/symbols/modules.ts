// The modules a simulated symbol table is built from: the kernel modules the guest has loaded
// (NtQuerySystemInformation order, ntoskrnl first) and the modules of hyperdbg-cli's own process,
// each with the PDB its CodeView record names. Simulator side; pure data plus a seeded GUID.
import { NT_BASE, NT_DATA_SIZE, NT_TEXT_SIZE } from '../emulator/kernelImage';

export interface ModuleImage {
  /** As RTL_PROCESS_MODULE_INFORMATION.FullPathName (kernel) or the PEB's FullDllName (user). */
  readonly fullPath: string;
  readonly base: bigint;
  readonly size: number;
  /** User modules: the entry point `lm` prints. */
  readonly entryPoint: bigint;
  /**
   * The PDB named in the image's CodeView record: a bare name the symbol server serves, or an
   * absolute path where HyperDbg's own binaries were built (not present on a user's machine).
   */
  readonly pdb: string;
  /** Bytes a download of the PDB transfers (for the time `.sym download` takes). */
  readonly pdbBytes: number;
}

/** ntoskrnl's PDB is named after the multiprocessor kernel (SymCheckNtoskrnlPrefix). */
export const NT_PDB = 'ntkrnlmp.pdb';
/** Where HyperDbg's release binaries were built: their CodeView paths point here. */
const HYPERDBG_BUILD_DIR = 'D:\\a\\HyperDbg\\HyperDbg\\hyperdbg\\build\\bin\\release';
/** Where the simulated user unpacked HyperDbg (the CLI's directory, where hyperkd.sys lives too). */
export const HYPERDBG_INSTALL_DIR = 'C:\\HyperDbg';

const MB = 1 << 20;
const KB = 1 << 10;

const kernel = (
  fullPath: string,
  base: bigint,
  size: number,
  pdb: string,
  pdbBytes: number,
): ModuleImage => ({ fullPath, base, size, entryPoint: 0n, pdb, pdbBytes });

/** The guest's kernel modules: ntoskrnl at the synthetic image, the rest at plausible bases. */
export function kernelModules(hyperkdBase: bigint): readonly ModuleImage[] {
  return [
    kernel(
      '\\SystemRoot\\system32\\ntoskrnl.exe',
      NT_BASE,
      NT_TEXT_SIZE + NT_DATA_SIZE,
      NT_PDB,
      9 * MB,
    ),
    kernel('\\SystemRoot\\system32\\hal.dll', 0xfffff8004e3c0000n, 0x6d000, 'hal.pdb', 1200 * KB),
    kernel('\\SystemRoot\\system32\\kd.dll', 0xfffff8004e430000n, 0xb000, 'kd.pdb', 200 * KB),
    kernel(
      '\\SystemRoot\\system32\\mcupdate_GenuineIntel.dll',
      0xfffff8004f400000n,
      0x1e7000,
      'mcupdate_GenuineIntel.pdb',
      300 * KB,
    ),
    kernel(
      '\\SystemRoot\\System32\\drivers\\CLFS.SYS',
      0xfffff8004f5f0000n,
      0x6a000,
      'clfs.pdb',
      900 * KB,
    ),
    kernel(
      '\\SystemRoot\\System32\\drivers\\tm.sys',
      0xfffff8004f660000n,
      0x27000,
      'tm.pdb',
      400 * KB,
    ),
    kernel(
      '\\SystemRoot\\system32\\PSHED.dll',
      0xfffff8004f690000n,
      0x19000,
      'pshed.pdb',
      200 * KB,
    ),
    kernel(
      '\\SystemRoot\\system32\\BOOTVID.dll',
      0xfffff8004f6b0000n,
      0xb000,
      'bootvid.pdb',
      100 * KB,
    ),
    kernel(
      '\\SystemRoot\\System32\\drivers\\FLTMGR.SYS',
      0xfffff8004f6c0000n,
      0x6c000,
      'fltMgr.pdb',
      1100 * KB,
    ),
    kernel(
      '\\SystemRoot\\System32\\drivers\\msrpc.sys',
      0xfffff8004f730000n,
      0x61000,
      'msrpc.pdb',
      700 * KB,
    ),
    kernel(
      '\\SystemRoot\\System32\\drivers\\ksecdd.sys',
      0xfffff8004f7a0000n,
      0x2a000,
      'ksecdd.pdb',
      300 * KB,
    ),
    kernel('\\SystemRoot\\System32\\CI.dll', 0xfffff8004f7d0000n, 0xd9000, 'ci.pdb', 1500 * KB),
    kernel(
      '\\SystemRoot\\System32\\drivers\\ACPI.sys',
      0xfffff8004f8b0000n,
      0xc6000,
      'acpi.pdb',
      1400 * KB,
    ),
    kernel(
      '\\SystemRoot\\System32\\Drivers\\Ntfs.sys',
      0xfffff8004fa00000n,
      0x26d000,
      'ntfs.pdb',
      4 * MB,
    ),
    kernel(
      '\\SystemRoot\\System32\\drivers\\tcpip.sys',
      0xfffff8004fc70000n,
      0x2c6000,
      'tcpip.pdb',
      5 * MB,
    ),
    kernel(
      `\\??\\${HYPERDBG_INSTALL_DIR}\\hyperkd.sys`,
      hyperkdBase,
      0x40000,
      `${HYPERDBG_BUILD_DIR}\\hyperkd.pdb`,
      0,
    ),
  ];
}

const user = (
  fullPath: string,
  base: bigint,
  entryOffset: number,
  pdb: string,
  pdbBytes: number,
): ModuleImage => ({
  fullPath,
  base,
  size: 0,
  entryPoint: base + BigInt(entryOffset),
  pdb,
  pdbBytes,
});

/** The modules loaded in hyperdbg-cli.exe's process (the process VMI-mode `lm` and `.sym` use). */
export function cliProcessModules(): readonly ModuleImage[] {
  const local = (name: string) => `${HYPERDBG_BUILD_DIR}\\${name}`;
  return [
    user(
      `${HYPERDBG_INSTALL_DIR}\\hyperdbg-cli.exe`,
      0x00007ff6a1b40000n,
      0x1e30,
      local('hyperdbg-cli.pdb'),
      0,
    ),
    user('C:\\Windows\\SYSTEM32\\ntdll.dll', 0x00007ffd2a5b0000n, 0, 'ntdll.pdb', 2400 * KB),
    user(
      'C:\\Windows\\System32\\KERNEL32.DLL',
      0x00007ffd29c20000n,
      0x17010,
      'kernel32.pdb',
      900 * KB,
    ),
    user(
      'C:\\Windows\\System32\\KERNELBASE.dll',
      0x00007ffd27e60000n,
      0x2f6a0,
      'kernelbase.pdb',
      3 * MB,
    ),
    user(
      `${HYPERDBG_INSTALL_DIR}\\libhyperdbg.dll`,
      0x00007ffd0e8b0000n,
      0x1b4a40,
      local('libhyperdbg.pdb'),
      0,
    ),
    user(
      `${HYPERDBG_INSTALL_DIR}\\script-engine.dll`,
      0x00007ffd1e6f0000n,
      0x4c9e0,
      local('script-engine.pdb'),
      0,
    ),
    user(
      `${HYPERDBG_INSTALL_DIR}\\symbol-parser.dll`,
      0x00007ffd1f8c0000n,
      0x2a1c0,
      local('symbol-parser.pdb'),
      0,
    ),
    user(
      'C:\\Windows\\System32\\ucrtbase.dll',
      0x00007ffd28340000n,
      0x2b4f0,
      'ucrtbase.pdb',
      1100 * KB,
    ),
    user(
      'C:\\Windows\\SYSTEM32\\VCRUNTIME140.dll',
      0x00007ffd1c9d0000n,
      0xe370,
      'vcruntime140.amd64.pdb',
      300 * KB,
    ),
    user(
      'C:\\Windows\\SYSTEM32\\MSVCP140.dll',
      0x00007ffd0f1a0000n,
      0x18a90,
      'msvcp140.amd64.pdb',
      1300 * KB,
    ),
    user(
      'C:\\Windows\\System32\\ADVAPI32.dll',
      0x00007ffd28a40000n,
      0x1fd10,
      'advapi32.pdb',
      700 * KB,
    ),
    user('C:\\Windows\\System32\\msvcrt.dll', 0x00007ffd28b00000n, 0x1a910, 'msvcrt.pdb', 800 * KB),
    user(
      'C:\\Windows\\System32\\sechost.dll',
      0x00007ffd29f70000n,
      0x13430,
      'sechost.pdb',
      600 * KB,
    ),
    user(
      'C:\\Windows\\System32\\RPCRT4.dll',
      0x00007ffd29010000n,
      0x2e6c0,
      'rpcrt4.pdb',
      1300 * KB,
    ),
    user(
      'C:\\Windows\\SYSTEM32\\dbghelp.dll',
      0x00007ffd1a0c0000n,
      0x1b880,
      'dbghelp.pdb',
      1900 * KB,
    ),
  ];
}

/** Modules of a guest process (`lm pid N`): its image, then the system DLLs every process maps. */
export function processModules(
  imageName: string,
  imageBase: bigint,
  ntdllBase: bigint,
): readonly ModuleImage[] {
  const system32 = 'C:\\Windows\\System32';
  const dir = imageName.toLowerCase() === 'explorer.exe' ? 'C:\\Windows' : system32;
  const image = imageName.toLowerCase().endsWith('.exe') ? imageName : `${imageName}.exe`;
  return [
    user(`${dir}\\${image}`, imageBase, 0x1b70, `${image.replace(/\.exe$/i, '')}.pdb`, 0),
    user('C:\\Windows\\SYSTEM32\\ntdll.dll', ntdllBase, 0, 'ntdll.pdb', 0),
    user(`${system32}\\KERNEL32.DLL`, 0x00007ffd29c20000n, 0x17010, 'kernel32.pdb', 0),
    user(`${system32}\\KERNELBASE.dll`, 0x00007ffd27e60000n, 0x2f6a0, 'kernelbase.pdb', 0),
  ];
}

/** The file name part of a Windows path (what OffsetToFileName points at). */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('\\') + 1);
}

/**
 * The PDB's GUID and age as "%08x%04x%04x%02x...%x" (pdb-identity.cpp): synthetic, but fixed
 * per build and PDB so the symbol-server paths repeat from run to run.
 */
export function pdbGuidAndAge(pdb: string, osBuild: number): string {
  let h = 0x811c9dc5 ^ osBuild;
  const words: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${pdb.toLowerCase()}#${round}`) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    words.push(h.toString(16).padStart(8, '0'));
  }
  return `${words.join('')}1`;
}
