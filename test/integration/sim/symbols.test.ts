// Symbols through the real simulator on a pty, with the messages and formats of v0.23's sources:
// symbol.cpp (SymbolLoadOrDownloadSymbols, SymbolBuildAndShowSymbolTable), symbol-parser.cpp
// (SymbolPdbDownload, SymbolInitLoad, SymShowSymbolDetails), sympath.cpp, sym.cpp, x.cpp, lm.cpp,
// dt-struct.cpp and pdbex's offset view. Expected text is built from those formats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WindowsGuest } from '../../../electron/sim/emulator/windowsGuest';
import { startSim, type SimPty } from '../../helpers/simPty';

const P = 'HyperDbg> ';
const SYMPATH = 'SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols';
const CONFIGURE = "please configure the symbol path (use '.help .sympath' for more information)\n";
const LOAD_VMM =
  'loading the vmm module\nvirtualization technology is vt-x\nvmx operation is supported by your processor\nvmm module is running...\ninterpreting symbols and creating symbol maps\n';
/** `x` prints "%s  %s!%s\n": the address as 8 hex digits, a backtick, 8 more (SymSeparateTo64BitValue). */
const X_LINE = /^[0-9a-f]{8}`[0-9a-f]{8} {2}nt!\w+$/;
const QUIET = 'script { .q = 1; }';

async function started(args: string[]): Promise<SimPty> {
  const sim = await startSim(['--seed', '7', '--pacing', 'fast', '--rate', '50', ...args]);
  await sim.run('.connect local');
  return sim;
}

describe('a fresh install: --symbols none (symbol.cpp, sympath.cpp, sym.cpp)', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await started(['--symbols', 'none']);
  });
  afterAll(() => sim.kill());

  it('load vmm asks for a symbol path after interpreting the (empty) symbol maps', async () => {
    expect(await sim.run('load vmm')).toBe(`${LOAD_VMM}${CONFIGURE}\n${P}`);
  });

  it('.sympath says none is configured', async () => {
    expect(await sim.run('.sympath')).toBe(
      `symbol server is not configured, please use '.help .sympath'\n\n${P}`,
    );
  });

  it('x finds no module, so it prints nothing', async () => {
    expect(await sim.run('x nt!ExAllocatePool*')).toBe(`\n${P}`);
  });

  it("an nt! address fails with the script engine's diagnostic, and the event ID is used (epthook.cpp: the general fields, tag included, are interpreted before the address)", async () => {
    const out = await sim.run(`!epthook nt!ExAllocatePoolWithTag ${QUIET}`);
    expect(out).toMatch(
      /^Line 0:\nformats\(nt!ExAllocatePoolWithTag\);\n {8}\^\nSyntax Error: Invalid Syntax\nerr, couldn't resolve error at 'nt!ExAllocatePoolWithTag'\n\n!epthook : /,
    );
    expect(await sim.run(`!epthook fffff8004ed6f010 ${QUIET}`)).toBe(`\n${P}`);
    expect(await sim.run('events')).toMatch(/^1\t\(enabled\)\t {4}!epthook fffff8004ed6f010 /);
  });

  it('a bare name in a script fails the same way (the scanner asks the symbol table)', async () => {
    const out = await sim.run('!syscall script { x = nt!PsInitialSystemProcess; }');
    expect(out).toMatch(
      /^Line 0:\n x = nt!PsInitialSystemProcess; \n {5}\^\nSyntax Error: Invalid Syntax\n/,
    );
  });

  it('.sym load and .sym reload without a path repeat the hint', async () => {
    expect(await sim.run('.sym load')).toBe(`${CONFIGURE}\n${P}`);
    expect(await sim.run('.sym reload')).toBe(
      `interpreting symbols and creating symbol maps\n${CONFIGURE}\n${P}`,
    );
  });

  it('refuses a path that does not start with srv*', async () => {
    expect(await sim.run('.sympath c:\\symbols')).toMatch(
      /^symbol path is invalid\n\n\.sympath : shows and sets the symbol server and path\.\n/,
    );
  });

  it('configures a path; reload then finds no PDB on disk yet, so names still fail', async () => {
    expect(await sim.run(`.sympath ${SYMPATH}`)).toBe(
      "symbol server/path is configured successfully\nuse '.sym load', '.sym reload', or '.sym download' to load pdb files\n\n" +
        P,
    );
    expect(await sim.run('.sympath')).toBe(`current symbol server is : ${SYMPATH}\n\n${P}`);
    expect(await sim.run('.sym reload')).toBe(
      `interpreting symbols and creating symbol maps\nsymbol table updated successfully\n\n${P}`,
    );
    expect(await sim.run('x nt!ExAllocatePool*')).toBe(`\n${P}`);
  });

  it('.sym download fetches each PDB ("downloading symbol ...", later "\\tdownloaded"), then loads it', async () => {
    const m = sim.mark();
    const started = Date.now();
    sim.send('.sym download');
    // The partial line comes first; "\tdownloaded" only when the file has arrived.
    await sim.waitFor(/downloading symbol 'ntkrnlmp\.pdb'\.\.\.$/, m);
    const out = await sim.waitFor(/\nHyperDbg> $/, m, 60_000);
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(out).toMatch(
      /downloading symbol 'ntkrnlmp\.pdb'\.\.\.\tdownloaded\nloading symbol 'c:\\Symbols\\ntkrnlmp\.pdb\\[0-9a-f]{33}\\ntkrnlmp\.pdb'\.\.\.\tloaded\n/,
    );
    // HyperDbg's own binaries name PDBs on the build machine: nothing is downloaded for them.
    expect(out).not.toContain('hyperkd.pdb');
    expect(out).not.toContain('hyperdbg-cli.pdb');
  }, 70_000);

  it('x lists the matches as "address  nt!name" (SymShowSymbolDetails)', async () => {
    const lines = (await sim.run('x nt!ExAllocatePool*')).split('\n').slice(0, -2);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l).toMatch(X_LINE);
    expect(lines).toContain('fffff800`4ed6f010  nt!ExAllocatePoolWithTag');
  });

  it('names resolve in event arguments once the PDB is loaded', async () => {
    expect(await sim.run(`!epthook nt!ExAllocatePoolWithTag ${QUIET}`)).toBe(`\n${P}`);
  });

  it('.sym load over loaded PDBs reports each as already loaded', async () => {
    const out = await sim.run('.sym load');
    expect(out).toContain(
      "'...err, loading symbols failed (0)\n\tnot loaded (already loaded?)\n".slice(1),
    );
  });
});

describe('configured symbols (the default), lm and .sym table', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await started([]);
  });
  afterAll(() => sim.kill());

  it('lm before load: the kd message, the separator, then the kernel modules (lm.cpp)', async () => {
    const out = await sim.run('lm');
    expect(out).toMatch(
      /^the kd \(kernel debugger\) module is not loaded\. Did you use 'load kd' command\?\n\n=+\n\nkernel mode\nstart\t\t\tsize\tname\t\t\t\tpath\n\n/,
    );
    // ntoskrnl.exe is 12 characters: "%s\t" then two TABs before the full path.
    expect(out).toContain(
      'fffff800`4ea00000\t700000\tntoskrnl.exe\t\t\t\\SystemRoot\\system32\\ntoskrnl.exe\n',
    );
  });

  it('load vmm is silent with a configured path, and nt! names resolve', async () => {
    expect(await sim.run('load vmm')).toBe(`${LOAD_VMM}\n${P}`);
    expect(await sim.run('x nt!PsInitialSystemProcess')).toMatch(
      /^[0-9a-f]{8}`[0-9a-f]{8} {2}nt!PsInitialSystemProcess\n\nHyperDbg> $/,
    );
  });

  it('lm um m ntdll lists the CLI process modules as "%016llx\\t%016llx\\t%ws"', async () => {
    const out = await sim.run('lm um m ntdll');
    expect(out).toMatch(
      /^user mode\nstart\t\t\tentrypoint\t\tpath\n\n[0-9a-f]{16}\t[0-9a-f]{16}\tC:\\Windows\\SYSTEM32\\ntdll\.dll\n\n/,
    );
    expect(await sim.run('lm km um')).toMatch(/^err, you cannot use both 'um', and 'km'/);
  });

  it('lm pid of a process without a PEB (System) reports the kernel error', async () => {
    expect(await sim.run('lm um pid 4')).toBe(
      `err, unable to get user-mode modules of the process (c0000037)\n\n${P}`,
    );
  });

  it(".sym table prints each module's details and a separator (SymbolBuildAndShowSymbolTable)", async () => {
    const out = await sim.run('.sym table');
    expect(out).toMatch(
      /is pdb details available\? : true\nis pdb a path instead of module name\? : false\nbase address : fffff8004ea00000\nfile path : c:\\windows\\system32\\ntoskrnl\.exe\nguid and age : [0-9a-f]{33}\nmodule symbol path\/name : ntkrnlmp\.pdb\nis user-mode\? : false - is 32-bit\? false\n={72}\n/,
    );
  });

  it('.sym with a wrong argument names it (sym.cpp)', async () => {
    expect(await sim.run('.sym foo')).toMatch(
      /^unknown parameter at 'foo'\n\n\.sym : performs the symbol actions\.\n/,
    );
  });
});

/** The address of a guest process's EPROCESS, from the same seed the simulator uses. */
function systemEprocess(osBuild: number): bigint {
  const guest = WindowsGuest.create({ seed: 7, cores: 4, osBuild });
  return (guest.processes.find((p) => p.pid === 4) as { eprocess: bigint }).eprocess;
}

for (const build of [18363, 19041]) {
  describe(`dt over build ${build}'s layouts (dt-struct.cpp, pdbex offset view)`, () => {
    let sim: SimPty;
    const imageFileName = build >= 19041 ? 0x5a8 : 0x450;
    const pid = build >= 19041 ? 0x440 : 0x2e8;
    const hex4 = (n: number) => n.toString(16).padStart(4, '0');
    beforeAll(async () => {
      sim = await started(['--os-build', String(build)]);
      await sim.run('load vmm');
    });
    afterAll(() => sim.kill());

    it("dt nt!_EPROCESS prints the structure with the build's offsets", async () => {
      const out = await sim.run('dt nt!_EPROCESS');
      expect(out.startsWith(' _EPROCESS\n  +0x0000 _KPROCESS Pcb\n')).toBe(true);
      expect(out).toContain(`  +0x${hex4(pid)} void* UniqueProcessId\n`);
      expect(out).toContain(`  +0x${hex4(imageFileName)} uint8_t ImageFileName[15]\n`);
      expect(out).toMatch(/ {2}\+0x0[0-9a-f]{3} uint32_t JobNotReallyActive, Pos 0, 1 Bit\n/);
      expect(out.endsWith(`\n\n\n\n${P}`)).toBe(true);
    });

    it('dt nt!_EPROCESS ImageFileName: v0.23 has no field filter, so both words are tried as addresses', async () => {
      const out = await sim.run('dt nt!_EPROCESS ImageFileName');
      expect(out).toMatch(
        /^Line 0:\nformats\(nt!_EPROCESS\);\n {8}\^\nSyntax Error: Invalid Syntax\nLine 0:\nformats\(ImageFileName\);\n {21}\^\nSyntax Error: Unresolved Variable\nerr, unknown argument at 'ImageFileName'\n\ndt !dt : displays information/,
      );
    });

    it('dt nt!_EPROCESS <address> appends the values read from guest memory', async () => {
      const e = systemEprocess(build);
      const out = await sim.run(`dt nt!_EPROCESS ${e.toString(16)}`);
      // The type name is tried as an address expression first (SymbolConvertNameOrExprToAddress).
      expect(out.startsWith('Line 0:\nformats(nt!_EPROCESS);\n')).toBe(true);
      expect(out).toContain(' _EPROCESS\n  +0x0000 _KPROCESS Pcb : _KPROCESS\n');
      expect(out).toContain(`  +0x${hex4(pid)} void* UniqueProcessId : 00000000\`00000004\n`);
      expect(out).toContain(`  +0x${hex4(imageFileName)} uint8_t ImageFileName[15] : (array)\n`);
      expect(out).toContain(`  +0x${hex4(imageFileName + 15)} uint8_t PriorityClass : 0x2\n`);
      expect(out).toMatch(
        /ActiveProcessLinks : _LIST_ENTRY \[ [0-9a-f]{8}`[0-9a-f]{8} - [0-9a-f]{8}`[0-9a-f]{8} \]\n/,
      );
      expect(out).toMatch(/uint32_t JobNotReallyActive, Pos 0, 1 Bit : 0y0\n/);
    });

    it('an unmapped address reads nothing: "err, invalid address"', async () => {
      expect(await sim.run('dt 1000 nt!_EPROCESS')).toBe(`err, invalid address\n${P}`);
    });

    it('dt nt!_KTHREAD: in the PDB from 19041, else pdbex\'s "Symbol not found"', async () => {
      const out = await sim.run('dt nt!_KTHREAD');
      if (build >= 19041) expect(out).toContain('  +0x0220 _KPROCESS* Process\n');
      else expect(out).toBe(`Symbol not found\n\n${P}`);
    });
  });
}

describe("Debugger Mode without a symbol path (SymbolInitialReload after the debuggee's details)", () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await startSim(['--seed', '7', '--symbols', 'none']);
  });
  afterAll(() => sim.kill());

  it('prints the hint while connecting, and the pause shows no nt! name (the map is empty)', async () => {
    const m = sim.mark();
    sim.send('.debug remote pause namedpipe \\\\.\\pipe\\HyperDbgPipe');
    // The pause's disassembly comes before the kernel prompt (docs/hyperdbg-v0.23.md §2.3).
    const out = await sim.waitFor(/pause\n+[0-9a-f]+: kHyperDbg> $/, m);
    expect(out).toContain(
      `getting symbol details...\ninterpreting symbols and creating symbol maps\n${CONFIGURE}press CTRL+C to pause the debuggee\n`,
    );
    expect(out).not.toContain('nt!KiIdleLoop');
    expect(out).toMatch(/fffff800`4edcc8ff {4}F3 90 {31}pause\n+[0-9a-f]+: kHyperDbg> $/);
  });
});
