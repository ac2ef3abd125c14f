// `.sympath`, `.sym`, `x`, `lm` and `dt` with the messages and formats of their v0.23 sources
// (meta-commands/sympath.cpp, sym.cpp; debugging-commands/x.cpp, lm.cpp, dt-struct.cpp;
// script-engine/symbol.cpp; symbol-parser.cpp; pdbex's offset view). Simulator side.
import { resolveAddressArgument } from '../events/addressArgument';
import { parseUInt32, parseUInt64 } from '../protocol/numbers';
import type { Token } from '../protocol/tokenizer';
import { fileNameOf, processModules, type ModuleImage } from '../symbols/modules';
import { renderStruct, separate64 } from '../symbols/pdbexView';
import { MSG } from './messages';
import type { Session } from './session';

/** Help texts (Command*Help in the sources above), printed by `.help` and after usage errors. */
export const SYMBOL_HELP_TEXTS: Readonly<Record<string, string>> = {
  CommandSympath:
    '.sympath : shows and sets the symbol server and path.\n\nsyntax : \t.sympath\nsyntax : \t.sympath [SymServer (string)]\n\n\t\te.g : .sympath\n\t\te.g : .sympath "SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols" \n',
  CommandSym:
    '.sym : performs the symbol actions.\n\nsyntax : \t.sym [table]\nsyntax : \t.sym [reload] [pid ProcessId (hex)]\nsyntax : \t.sym [download]\nsyntax : \t.sym [load]\nsyntax : \t.sym [unload]\nsyntax : \t.sym [add] [base Address (hex)] [path Path (string)]\n\n\t\te.g : .sym table\n\t\te.g : .sym reload\n\t\te.g : .sym reload pid 3a24\n\t\te.g : .sym load\n\t\te.g : .sym download\n\t\te.g : .sym add base fffff8077356000 path c:\\symbols\\my_dll.pdb\n\t\te.g : .sym add base fffff8077356000 path "c:\\symbols files\\my_dll.pdb"\n\t\te.g : .sym unload\n',
  CommandX:
    'x : searches and shows symbols (wildcard) and corresponding addresses.\n\nsyntax : \tx [Module!Name (wildcard string)]\n\n\t\te.g : x nt!ExAllocatePoolWithTag \n\t\te.g : x nt!ExAllocatePool* \n\t\te.g : x nt!* \n',
  CommandLm:
    "lm : lists user/kernel modules' base address, size, name and path.\n\nsyntax : \tlm [m Name (string)] [pid ProcessId (hex)] [Filter (string)]\n\n\t\te.g : lm\n\t\te.g : lm km\n\t\te.g : lm um\n\t\te.g : lm m nt\n\t\te.g : lm km m ntos\n\t\te.g : lm um m kernel32\n\t\te.g : lm um m kernel32 pid 1240\n",
  CommandDtAndStruct:
    "dt !dt : displays information about a local variable, global variable or data type.\n\nIf you want to read physical memory then add '!' at the start of the command\n\nsyntax : \tdt [Module!SymbolName (string)] [AddressExpression (string)] [pid ProcessId (hex)] [padding Padding (yesno)] [offset Offset (yesno)] [bitfield Bitfield (yesno)] [native Native (yesno)] [decl Declaration (yesno)] [def Definitions (yesno)] [func Functions (yesno)] [pragma Pragma (yesno)] [prefix Prefix (string)] [suffix Suffix (string)] [inline Expansion (string)] [output FileName (string)]\n\nsyntax : \t!dt [Module!SymbolName (string)] [AddressExpression (string)] [padding Padding (yesno)] [offset Offset (yesno)] [bitfield Bitfield (yesno)] [native Native (yesno)] [decl Declaration (yesno)] [def Definitions (yesno)] [func Functions (yesno)] [pragma Pragma (yesno)] [prefix Prefix (string)] [suffix Suffix (string)] [inline Expansion (string)] [output FileName (string)]\n\n\t\te.g : dt nt!_EPROCESS\n\t\te.g : dt nt!_EPROCESS fffff8077356f010\n\t\te.g : dt nt!_EPROCESS $proc\n\t\te.g : dt nt!_KPROCESS @rax+@rbx+c0\n\t\te.g : !dt nt!_EPROCESS 1f0300\n\t\te.g : dt MyModule!_MY_STRUCT 7ff00040 pid 1420\n\t\te.g : dt nt!_EPROCESS $proc inline all\n\t\te.g : dt nt!_EPROCESS fffff8077356f010 inline no\n",
};

/** `.help` keys of these commands by handler name (the interpreter maps tokens to handlers). */
const help = (s: Session, handler: keyof typeof SYMBOL_HELP_TEXTS): void =>
  s.print(SYMBOL_HELP_TEXTS[handler] as string);

const usage = (s: Session, t: readonly Token[], handler: keyof typeof SYMBOL_HELP_TEXTS): void => {
  s.print(`incorrect use of the '${(t[0] as Token).text}'\n\n`);
  help(s, handler);
};

/** The CLI's Trim: whitespace off both ends. */
const trim = (text: string): string => text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

/**
 * `.sympath` works on the command text itself, not its tokens (sympath.cpp): the command word is
 * cut off, and only a quoted server is taken from the token list.
 */
function sympath(s: Session, t: readonly Token[], command: string): void {
  if (t.length === 1) {
    if (s.symbols.server === null)
      s.print("symbol server is not configured, please use '.help .sympath'\n");
    else s.print(`current symbol server is : ${s.symbols.server}\n`);
    return;
  }
  let text = trim(trim(command).slice((t[0] as Token).text.length));
  if (text.startsWith('"')) text = (t[1] as Token).text;
  const star = text.indexOf('*');
  if (star >= 0 && text.slice(0, star).toLowerCase() === 'srv') {
    s.symbols.server = text;
    s.print('symbol server/path is configured successfully\n');
    s.print("use '.sym load', '.sym reload', or '.sym download' to load pdb files\n");
    return;
  }
  s.print('symbol path is invalid\n\n');
  help(s, 'CommandSympath');
}

/** SymbolBuildAndShowSymbolTable (`.sym table`). */
function showTable(s: Session): void {
  const table = s.symbols.tableEntries;
  if (table === null || table.length === 0) {
    s.print("err, symbol table is empty. please use '.sym reload' to build the symbol table\n");
    return;
  }
  for (const e of table) {
    s.print(`is pdb details available? : ${e.detailsFound ? 'true' : 'false'}\n`);
    s.print(
      `is pdb a path instead of module name? : ${e.detailsFound && e.localPath ? 'true' : 'false'}\n`,
    );
    s.print(`base address : ${e.baseAddress.toString(16)}\n`);
    s.print(`file path : ${e.filePath}\n`);
    s.print(`guid and age : ${e.detailsFound ? e.guidAndAge : ''}\n`);
    s.print(`module symbol path/name : ${e.detailsFound ? e.pdb : ''}\n`);
    s.print(`is user-mode? : ${e.userMode ? 'true' : 'false'} - is 32-bit? false\n`);
    s.print('========================================================================\n');
  }
}

async function sym(s: Session, t: readonly Token[]): Promise<void> {
  if (t.length === 1) {
    usage(s, t, 'CommandSym');
    return;
  }
  const what = (t[1] as Token).lower;
  const print = (text: string) => s.print(text);
  switch (what) {
    case 'table':
      if (t.length !== 2) usage(s, t, 'CommandSym');
      else showTable(s);
      return;
    case 'load':
    case 'download':
      if (t.length !== 2) usage(s, t, 'CommandSym');
      else await s.symbols.loadOrDownload(print, what === 'download', false);
      return;
    case 'reload': {
      if (t.length !== 2 && t.length !== 4) {
        usage(s, t, 'CommandSym');
        return;
      }
      if (t.length === 4) {
        if ((t[2] as Token).lower !== 'pid') {
          usage(s, t, 'CommandSym');
          return;
        }
        if (parseUInt32((t[3] as Token).text) === null) {
          s.print(`err, couldn't resolve error at '${(t[3] as Token).text}'\n\n`);
          help(s, 'CommandSym');
          return;
        }
      }
      if (s.link !== null) {
        // SymbolReloadSymbolTableInDebuggerMode: the debuggee sends its modules, the listener
        // runs SymbolInitialReload, then the command reports success.
        s.symbols.buildTable();
        await s.symbols.initialReload(print);
        s.print('symbol table updated successfully\n');
        return;
      }
      if (await s.symbols.localReload(print)) s.print('symbol table updated successfully\n');
      return;
    }
    case 'unload':
      if (t.length !== 2) usage(s, t, 'CommandSym');
      else s.symbols.unloadAll();
      return;
    case 'add':
      if (t.length < 6) {
        usage(s, t, 'CommandSym');
        return;
      }
      if ((t[2] as Token).lower !== 'base') {
        usage(s, t, 'CommandSym');
        return;
      }
      if (parseUInt64((t[3] as Token).text) === null) {
        s.print('please add a valid hex address to be used as the base address\n\n');
        help(s, 'CommandSym');
        return;
      }
      if ((t[4] as Token).lower !== 'path') {
        usage(s, t, 'CommandSym');
        return;
      }
      // No PDB a user names exists on the simulated machine's disk.
      s.print('pdb file not found\n');
      return;
    default:
      s.print(`unknown parameter at '${(t[1] as Token).text}'\n\n`);
      help(s, 'CommandSym');
  }
}

/** `x module!mask`: one "address  module!name" line per match, nothing when the module is unknown. */
function x(s: Session, t: readonly Token[]): void {
  if (t.length !== 2) {
    usage(s, t, 'CommandX');
    return;
  }
  const found = s.symbols.search((t[1] as Token).text);
  if (found === null) return;
  for (const sym of found.symbols)
    s.print(`${separate64(sym.address)}  ${found.moduleName}!${sym.name}\n`);
}

/** CommandLmShowUserModeModule's listing of one process's modules. */
function showUserModules(s: Session, pid: number | null, filter: string | null): void {
  if (!s.kdLoaded) {
    s.print(MSG.kdNotLoaded);
    return;
  }
  let modules: readonly ModuleImage[];
  if (pid === null) modules = s.symbols.cliModuleImages;
  else {
    const p = s.guest.processes.find((q) => q.pid === pid);
    if (p === undefined) {
      s.print(
        `err, the process id is invalid, make sure to enter the process id in hex format, or if you want to use it in decimal format, add '0n' prefix to the number (c000001e)\n`,
      );
      return;
    }
    if (p.peb === 0n) {
      s.print('err, unable to get user-mode modules of the process (c0000037)\n');
      return;
    }
    const imageBase = s.guest.memory.readU64(p.peb + 0x10n) ?? 0n; // PEB.ImageBaseAddress
    modules = processModules(p.imageName, imageBase, s.guest.ntdllBase);
  }
  s.print('user mode\n');
  s.print('start\t\t\tentrypoint\t\tpath\n\n');
  for (const m of modules) {
    if (filter !== null && !m.fullPath.toLowerCase().includes(filter)) continue;
    s.print(
      `${m.base.toString(16).padStart(16, '0')}\t${m.entryPoint.toString(16).padStart(16, '0')}\t${m.fullPath}\n`,
    );
  }
}

/** CommandLmShowKernelModeModule: name padded with TABs to the path column by its length. */
function showKernelModules(s: Session, filter: string | null): void {
  s.print('kernel mode\n');
  s.print('start\t\t\tsize\tname\t\t\t\tpath\n\n');
  for (const m of s.symbols.kernelModuleImages) {
    if (filter !== null && !m.fullPath.toLowerCase().includes(filter)) continue;
    const name = fileNameOf(m.fullPath);
    const pad =
      name.length >= 24 ? '' : name.length >= 16 ? '\t' : name.length >= 8 ? '\t\t' : '\t\t\t';
    s.print(`${separate64(m.base)}\t${m.size.toString(16)}\t${name}\t${pad}${m.fullPath}\n`);
  }
}

/** MAX_PATH: a longer `m` filter is refused (lm.cpp). */
const MAX_PATH = 260;

function lm(s: Session, t: readonly Token[]): void {
  let setPid = false;
  let setFilter = false;
  let pid: number | null = null;
  let filter: string | null = null;
  let kernelOnly = false;
  let userOnly = false;
  for (const tok of t) {
    if (tok.lower === 'lm') continue;
    if (tok.lower === 'pid' && !setPid) setPid = true;
    else if (tok.lower === 'm' && !setFilter) setFilter = true;
    else if (setPid) {
      const v = parseUInt32(tok.text);
      if (v === null) {
        s.print(`err, couldn't resolve error at '${tok.text}'\n\n`);
        help(s, 'CommandLm');
        return;
      }
      pid = v;
      setPid = false;
    } else if (setFilter) {
      if (tok.text.length >= MAX_PATH) {
        s.print('err, string is too large for search, please enter smaller string\n');
        return;
      }
      filter = tok.lower;
      setFilter = false;
    } else if (tok.lower === 'km' || tok.lower === 'um') {
      if ((tok.lower === 'km' && userOnly) || (tok.lower === 'um' && kernelOnly)) {
        s.print(
          "err, you cannot use both 'um', and 'km', by default HyperDbg shows both user-mode and kernel-mode modules\n",
        );
        return;
      }
      if (tok.lower === 'km') kernelOnly = true;
      else userOnly = true;
    } else {
      s.print(`err, couldn't resolve error at '${tok.text}'\n\n`);
      help(s, 'CommandLm');
      return;
    }
  }
  if (setPid) {
    s.print(
      "err, please enter a valid process id in hex format, or if you want to use it in decimal format, add '0n' prefix to the number\n",
    );
    return;
  }
  if (setFilter) {
    s.print('err, please enter a valid string to search in modules\n');
    return;
  }
  if (!kernelOnly) showUserModules(s, pid === 0 ? null : pid, filter);
  if (!userOnly) {
    if (!kernelOnly)
      s.print(
        '\n==============================================================================\n\n',
      );
    showKernelModules(s, filter);
  }
}

/** The dt options CommandDtAndStructConvertHyperDbgArgsToPdbex accepts; false after its error. */
function dtOptionsValid(s: Session, args: readonly Token[]): boolean {
  const yesNo = [
    'padding',
    'offset',
    'offsets',
    'bitfield',
    'bitfields',
    'native',
    'decl',
    'def',
    'func',
    'pragma',
  ];
  let expect: 'yesno' | 'string' | 'inline' | 'file' | 'pid' | null = null;
  for (const a of args) {
    if (expect === 'file' || expect === 'string') expect = null;
    else if (expect === 'pid') {
      if (parseUInt32(a.text) === null) {
        s.print('err, you should enter a valid process id\n\n');
        return false;
      }
      expect = null;
    } else if (expect === 'yesno') {
      if (a.lower !== 'yes' && a.lower !== 'no') {
        s.print("err, please insert 'yes' or 'no' as the argument\n\n");
        return false;
      }
      expect = null;
    } else if (expect === 'inline') {
      if (!['none', 'all', 'unnamed', 'unamed'].includes(a.lower)) {
        s.print("err, please insert 'none', 'unnamed', or 'all' as the argument\n\n");
        return false;
      }
      expect = null;
    } else if (a.lower === 'pid') expect = 'pid';
    else if (a.lower === 'output') expect = 'file';
    else if (a.lower === 'inline') expect = 'inline';
    else if (a.lower === 'prefix' || a.lower === 'suffix') expect = 'string';
    else if (yesNo.includes(a.lower)) expect = 'yesno';
    else {
      s.print(`err, unknown argument at '${a.text}'\n\n`);
      return false;
    }
  }
  if (expect !== null) {
    s.print('err, incomplete argument\n\n');
    return false;
  }
  return true;
}

/** CommandDtShowDataBasedOnSymbolTypes with pdbex's default view (options other than the defaults are accepted but not applied). */
function showType(s: Session, typeName: string, address: bigint): void {
  const type = s.symbols.type(typeName);
  if (address !== 0n) {
    if (type === null || type === 'no-module') {
      s.print(`err, couldn't resolve error at '${typeName}'\n`);
      return;
    }
    // HyperDbgReadMemory in the CLI's own process: as many bytes as are readable, then dt's checks.
    let readable = 0;
    while (readable < type.size && s.guest.memory.isReadable(address + BigInt(readable), 1))
      readable++;
    if (readable === 0) {
      s.print('err, invalid address');
      return;
    }
    if (readable < type.size) {
      s.print('err, invalid address or memory is smaller than the structure size');
      return;
    }
    s.print(renderStruct(type, s.guest.memory.read(address, type.size)));
    return;
  }
  if (type === 'no-module') {
    s.print(`err, couldn't resolve error at '${typeName}'\n`);
    return;
  }
  // pdbex reports an unknown type on stderr (PDBExtractor.cpp, MESSAGE_SYMBOL_NOT_FOUND).
  if (type === null) s.print('Symbol not found\n');
  else s.print(renderStruct(type, null));
}

function dt(s: Session, t: readonly Token[]): void {
  const first = (t[0] as Token).lower;
  if (first !== 'dt') {
    // `struct` prints pdbex's C header view and `!dt` reads physical memory: neither is modelled.
    s.print(`err, the simulator does not implement the '${(t[0] as Token).text}' command\n`);
    return;
  }
  if (t.length === 1) {
    usage(s, t, 'CommandDtAndStruct');
    return;
  }
  const rest = t.slice(1);
  if (rest.length === 1) {
    showType(s, (rest[0] as Token).text, 0n);
    return;
  }
  // SymbolConvertNameOrExprToAddress on the first argument, then (if it was not one) the second;
  // each failed try prints the script engine's diagnostic, as v0.23 does.
  const firstAddress = resolveAddressArgument(s, (rest[0] as Token).text);
  if (firstAddress !== null) {
    if (rest.length > 2 && !dtOptionsValid(s, rest.slice(2))) {
      help(s, 'CommandDtAndStruct');
      return;
    }
    showType(s, (rest[1] as Token).text, firstAddress);
    return;
  }
  const secondAddress = resolveAddressArgument(s, (rest[1] as Token).text);
  const options = secondAddress === null ? rest.slice(1) : rest.slice(2);
  if (options.length > 0 && !dtOptionsValid(s, options)) {
    help(s, 'CommandDtAndStruct');
    return;
  }
  showType(s, (rest[0] as Token).text, secondAddress ?? 0n);
}

export type SymbolCommandHandler = (
  s: Session,
  tokens: readonly Token[],
  command: string,
) => void | Promise<void>;

export const SYMBOL_COMMAND_HANDLERS: Readonly<Record<string, SymbolCommandHandler>> = {
  CommandSympath: sympath,
  CommandSym: sym,
  CommandX: x,
  CommandLm: lm,
  CommandDtAndStruct: dt,
};
