// What hyperdbg-cli v0.23 knows about symbols (symbol.cpp, symbol-parser.cpp): the configured
// symbol server (config.ini's SymbolServer), the module table, which PDBs the local symbol
// directory holds, which modules DbgHelp has loaded, and the disassembler's name map.
// `--symbols none` starts with no symbol server, as a fresh install does. Simulator side.
import { describeAddress, NT_BASE, NT_SYMBOLS } from '../emulator/kernelImage';
import {
  cliProcessModules,
  fileNameOf,
  kernelModules,
  type ModuleImage,
  pdbGuidAndAge,
} from './modules';
import { ntTypesForBuild, type StructType } from './typeTable';

export type SymbolsMode = 'configured' | 'none';

/** The symbol path HyperDbg's documentation suggests (the `.sympath` help's example). */
export const DEFAULT_SYMBOL_SERVER = 'SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols';

/**
 * How fast the simulated machine fetches PDBs from the symbol server (bytes per ms): about
 * 80 Mbit/s, an ordinary broadband line, so ntkrnlmp.pdb (~9 MB) takes about a second.
 */
const DOWNLOAD_BYTES_PER_MS = 10_000;

/** One row of g_SymbolTable (MODULE_SYMBOL_DETAIL). */
export interface SymbolTableEntry {
  readonly baseAddress: bigint;
  readonly filePath: string;
  readonly detailsFound: boolean;
  readonly localPath: boolean;
  readonly pdb: string;
  readonly guidAndAge: string;
  readonly userMode: boolean;
  readonly pdbBytes: number;
}

/** One of g_LoadedModules (SYMBOL_LOADED_MODULE_DETAILS). */
interface LoadedModule {
  readonly base: bigint;
  /** The PDB's file name without extension, lower case (SymLoadFileSymbol). */
  readonly name: string;
  /** "nt" for the kernel (SymCheckNtoskrnlPrefix), else ''. */
  readonly alternativeName: string;
  readonly pdbPath: string;
}

export interface FoundSymbol {
  readonly address: bigint;
  readonly name: string;
}

/**
 * Public names of the synthetic ntoskrnl beyond the functions the guest runs: exports a user
 * looks up with `x`, at offsets no other symbol uses (their code is the image's int3 filler).
 */
const EXTRA_NT_NAMES: readonly { name: string; offset: number }[] = [
  { name: 'ExAllocatePool', offset: 0x36ef00 },
  { name: 'ExAllocatePoolWithQuotaTag', offset: 0x36f1a0 },
  { name: 'ExAllocatePoolWithTagPriority', offset: 0x36f230 },
  { name: 'ExAllocatePoolWithQuota', offset: 0x36f3f0 },
  { name: 'ExAllocatePool3', offset: 0x370290 },
  { name: 'ExFreePool', offset: 0x36f3e0 },
  { name: 'PsGetCurrentProcessId', offset: 0x3d9d20 },
  { name: 'PsGetProcessImageFileName', offset: 0x3d9d40 },
  { name: 'PsGetCurrentThreadId', offset: 0x3d9d60 },
];

/** Every public name of the simulated nt, by address (DbgHelp enumerates a module this way). */
const NT_PUBLICS: readonly FoundSymbol[] = [
  ...NT_SYMBOLS.map((s) => ({ name: s.name, address: NT_BASE + BigInt(s.offset) })),
  ...EXTRA_NT_NAMES.map((s) => ({ name: s.name, address: NT_BASE + BigInt(s.offset) })),
].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));

const KERNEL_PDB_NAMES = ['ntkrnlmp', 'ntoskrnl', 'ntkrpamp', 'ntkrnlpa'];

/** DbgHelp's mask matching (SYMOPT_CASE_INSENSITIVE): `*` any run, `?` any one character. */
function maskMatches(mask: string, name: string): boolean {
  const re = new RegExp(
    `^${mask
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return re.test(name);
}

export type Print = (text: string) => void;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SymbolState {
  /** config.ini's SymbolServer, or null when none is configured. */
  server: string | null;
  private table: SymbolTableEntry[] | null = null;
  /** PDB files present on the (simulated) disk, by lower-case full path. */
  private readonly onDisk = new Set<string>();
  private loaded: LoadedModule[] = [];
  /** g_DisassemblerSymbolMap is non-empty: disassembly lines get `nt!Name+0x..` headers. */
  private disassemblerMap = false;
  private readonly kernel: readonly ModuleImage[];
  private readonly user: readonly ModuleImage[];

  constructor(
    mode: SymbolsMode,
    private readonly osBuild: number,
    hyperkdBase: bigint,
  ) {
    this.kernel = kernelModules(hyperkdBase);
    this.user = cliProcessModules();
    this.server = mode === 'configured' ? DEFAULT_SYMBOL_SERVER : null;
    // A configured machine has downloaded its PDBs before (`.sym download` on an earlier run).
    if (mode === 'configured') {
      const dir = this.symbolDirectory();
      if (dir !== null)
        for (const e of this.buildEntries())
          if (e.detailsFound && !e.localPath) this.onDisk.add(this.pdbPath(dir, e).toLowerCase());
    }
  }

  get tableEntries(): readonly SymbolTableEntry[] | null {
    return this.table;
  }

  get kernelModuleImages(): readonly ModuleImage[] {
    return this.kernel;
  }

  get cliModuleImages(): readonly ModuleImage[] {
    return this.user;
  }

  /**
   * SymbolBuildSymbolTable: SymbolDeleteSymTable first (which unloads every PDB), then user
   * modules of the CLI's process and the kernel modules.
   */
  buildTable(): void {
    this.unloadAll();
    this.table = this.buildEntries();
  }

  private buildEntries(): SymbolTableEntry[] {
    const entry = (m: ModuleImage, userMode: boolean): SymbolTableEntry => {
      const filePath = userMode ? m.fullPath : m.fullPath.replace(/^\\SystemRoot/i, 'c:\\windows');
      // CodeView is read from the file on disk; \??\ paths cannot be opened that way.
      const readable = !filePath.startsWith('\\??\\');
      const localPath = m.pdb.includes(':\\');
      return {
        baseAddress: m.base,
        filePath,
        detailsFound: readable,
        localPath,
        pdb: m.pdb,
        guidAndAge: pdbGuidAndAge(m.pdb, this.osBuild),
        userMode,
        pdbBytes: m.pdbBytes,
      };
    };
    return [...this.user.map((m) => entry(m, true)), ...this.kernel.map((m) => entry(m, false))];
  }

  /** SplitedSymPath[1] when it is a drive path, else null (SymbolInitLoad gives up). */
  private symbolDirectory(): string | null {
    const parts = (this.server ?? '').split('*').filter((p) => p !== '');
    const dir = parts[1];
    return dir !== undefined && dir.includes(':\\') ? dir : null;
  }

  private pdbPath(dir: string, e: SymbolTableEntry): string {
    return `${dir}\\${e.pdb}\\${e.guidAndAge}\\${e.pdb}`;
  }

  /** SymbolLocalReload: the message, a new table, then a silent load of what is on disk. */
  async localReload(print: Print): Promise<boolean> {
    print('interpreting symbols and creating symbol maps\n');
    this.buildTable();
    return this.loadOrDownload(print, false, true);
  }

  /** SymbolInitialReload (Debugger Mode, after the debuggee sent its module details). */
  async initialReload(print: Print): Promise<boolean> {
    print('interpreting symbols and creating symbol maps\n');
    if (this.table === null) this.buildTable();
    return this.loadOrDownload(print, false, true);
  }

  /** SymbolLoadOrDownloadSymbols. */
  async loadOrDownload(print: Print, download: boolean, silent: boolean): Promise<boolean> {
    if (this.server === null) {
      print("please configure the symbol path (use '.help .sympath' for more information)\n");
      return false;
    }
    if (this.table === null || this.table.length === 0) {
      print("symbol table is empty, please use '.sym reload' to build a symbol table\n");
      return false;
    }
    const result = await this.initLoad(print, download, silent);
    // SymbolCreateDisassemblerSymbolMap: rebuilt from every loaded module (only nt has names).
    this.disassemblerMap = this.loaded.some((m) => m.alternativeName === 'nt');
    return result;
  }

  /** SymbolInitLoad (symbol-parser.cpp). */
  private async initLoad(print: Print, download: boolean, silent: boolean): Promise<boolean> {
    const dir = this.symbolDirectory();
    if (dir === null) return false;
    for (const e of this.table ?? []) {
      if (!e.detailsFound || e.localPath) continue; // a build-machine path: no such file here
      const path = this.pdbPath(dir, e);
      if (download && !this.onDisk.has(path.toLowerCase()))
        await this.downloadPdb(print, e, silent);
      if (!this.onDisk.has(path.toLowerCase())) continue;
      if (!silent) print(`loading symbol '${path}'...`);
      const ok = this.loadFile(print, e, path);
      if (!silent) print(ok ? '\tloaded\n' : '\tnot loaded (already loaded?)\n');
    }
    return true;
  }

  /** SymbolPdbDownload: "downloading symbol '%s'..." and, when the file has arrived, "\tdownloaded". */
  private async downloadPdb(print: Print, e: SymbolTableEntry, silent: boolean): Promise<void> {
    const parts = (this.server ?? '').split('*');
    const server = parts[2];
    if (server === undefined || !/https?:/.test(server)) return;
    if (!silent) print(`downloading symbol '${e.pdb}'...`);
    await sleep(Math.ceil(e.pdbBytes / DOWNLOAD_BYTES_PER_MS));
    const dir = this.symbolDirectory() as string;
    this.onDisk.add(this.pdbPath(dir, e).toLowerCase());
    if (!silent) print('\tdownloaded\n');
  }

  /**
   * SymLoadFileSymbol. DbgHelp's SymLoadModule64 returns 0 with ERROR_SUCCESS for a module it
   * already has, which the CLI reports as a failure (its error line is not silenced).
   */
  private loadFile(print: Print, e: SymbolTableEntry, path: string): boolean {
    if (this.loaded.some((m) => m.base === e.baseAddress)) {
      print('err, loading symbols failed (0)\n');
      return false;
    }
    const name = fileNameOf(path)
      .replace(/\.pdb$/i, '')
      .toLowerCase();
    this.loaded.push({
      base: e.baseAddress,
      name,
      alternativeName: !e.userMode && KERNEL_PDB_NAMES.includes(name) ? 'nt' : '',
      pdbPath: path,
    });
    return true;
  }

  /** SymUnloadAllSymbols (`.sym unload`): silent; the disassembler's map is kept. */
  unloadAll(): void {
    this.loaded = [];
  }

  /** SymGetModuleBaseFromSearchMask: the module a `module!name` text names (nt when no `!`). */
  private moduleFor(text: string): { module: LoadedModule; shownAs: string } | null {
    const bang = text.indexOf('!');
    const wanted = bang >= 0 ? text.slice(0, bang).toLowerCase() : 'nt';
    if (wanted === '') return null;
    for (const m of this.loaded) {
      if (m.name === wanted) return { module: m, shownAs: m.name };
      if (m.alternativeName === wanted) return { module: m, shownAs: m.alternativeName };
    }
    return null;
  }

  private publicsOf(module: LoadedModule): readonly FoundSymbol[] {
    return module.alternativeName === 'nt' ? NT_PUBLICS : [];
  }

  /** SymConvertNameToAddress (the scanner's and the address arguments' lookup); null if unknown. */
  resolve(text: string): bigint | null {
    const bang = text.indexOf('!');
    const hit = this.moduleFor(bang >= 0 ? text : `nt!${text}`);
    if (hit === null) return null;
    const name = (bang >= 0 ? text.slice(bang + 1) : text).toLowerCase();
    return this.publicsOf(hit.module).find((s) => s.name.toLowerCase() === name)?.address ?? null;
  }

  /** SymSearchSymbolForMask (`x`): the module name to print and the matches; null if no module. */
  search(mask: string): { moduleName: string; symbols: readonly FoundSymbol[] } | null {
    const hit = this.moduleFor(mask);
    if (hit === null) return null;
    const bang = mask.indexOf('!');
    const pattern = bang >= 0 ? mask.slice(bang + 1) : mask;
    return {
      moduleName: hit.shownAs,
      symbols: this.publicsOf(hit.module).filter((s) => maskMatches(pattern, s.name)),
    };
  }

  /** The structure `module!_TYPE` names, `'no-module'` when that module has no symbols loaded. */
  type(text: string): StructType | 'no-module' | null {
    const hit = this.moduleFor(text);
    if (hit === null) return 'no-module';
    if (hit.module.alternativeName !== 'nt') return null;
    const bang = text.indexOf('!');
    const name = bang >= 0 ? text.slice(bang + 1) : text;
    return ntTypesForBuild(this.osBuild).get(name) ?? null;
  }

  /** SymbolShowFunctionNameBasedOnAddress's name, when the disassembler's map was built. */
  describe(address: bigint): string | null {
    return this.disassemblerMap ? describeAddress(address) : null;
  }
}
