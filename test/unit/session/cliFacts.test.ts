// The CLI's state as its output tells it (spec §1.2, §1.4, §2): transcripts of the spec's exact
// strings through the real parser into the facts reducer.
import { describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import { INITIAL_FACTS, reduceFacts, type CliFacts } from '../../../electron/host/session/cliFacts';

function after(transcript: string, from: CliFacts = INITIAL_FACTS): CliFacts {
  const p = createOutputParser();
  return [...p.push(transcript), ...p.end()].reduce(reduceFacts, from);
}

const BANNER =
  'HyperDbg Debugger [version: v0.23.0, build: 20260803.1412]\nPlease visit https://docs.hyperdbg.org for more information...\nHyperDbg is released under the GNU Public License v3 (GPLv3).\n\nHyperDbg> ';

describe('CLI facts from output', () => {
  it('reads the banner and the first prompt: mode none before .connect (§1.2, §1.4)', () => {
    const f = after(BANNER);
    expect(f).toMatchObject({
      banner: { version: 'v0.23.0', build: '20260803.1412' },
      bannerIsSimulator: false,
      prompted: true,
      mode: 'none',
    });
    expect(after(BANNER.replace('v0.23.0', 'v0.23.0-sim')).bannerIsSimulator).toBe(true);
  });

  it('follows .connect local and load vmm (§2.1, §2.6)', () => {
    const f = after(
      `${BANNER}local debugging (vmi-mode)\n\nHyperDbg> loading the vmm module\nvirtualization technology is vt-x\nvmx operation is supported by your processor\nvmm module is running...\ninterpreting symbols and creating symbol maps\n\nHyperDbg> `,
    );
    expect(f).toMatchObject({ mode: 'vmi', connectedLocally: true, vmmLoaded: true });
    const unloaded = after(
      "start terminating vmm...\nyou're not on HyperDbg's hypervisor anymore!\nthe debugger module is unloaded!\n\nHyperDbg> ",
      f,
    );
    expect(unloaded).toMatchObject({ vmmLoaded: false, mode: 'vmi' });
    expect(after('disconnected successfully\n\nHyperDbg> ', unloaded)).toMatchObject({
      mode: 'none',
      connectedLocally: false,
    });
  });

  it('mutes on VMI pause and on the Ctrl+C message, and learns auto-unpause (§2.7)', () => {
    const vmi = after(`${BANNER}local debugging (vmi-mode)\n\nHyperDbg> `);
    expect(after('pausing...\n\nHyperDbg> ', vmi).muted).toBe(true);
    const ctrlC = after(
      "\npausing...\nauto-unpause mode is disabled, you should run 'g' when you want to continue, otherwise run 'settings autounpause on'\n\nHyperDbg> ",
      vmi,
    );
    expect(ctrlC).toMatchObject({ muted: true, autoUnpause: false });
  });

  it("learns auto-unpause from `settings autounpause` (settings.cpp's answers)", () => {
    const vmi = after(`${BANNER}local debugging (vmi-mode)\n\nHyperDbg> `);
    const off = after('set auto-unpause to disabled\n\nHyperDbg> ', vmi);
    expect(off.autoUnpause).toBe(false);
    expect(after('auto-unpause is enabled\n\nHyperDbg> ', off).autoUnpause).toBe(true);
    expect(after('set auto-unpause to enabled\n\nHyperDbg> ', off).autoUnpause).toBe(true);
    expect(after('auto-unpause is disabled\n\nHyperDbg> ', vmi).autoUnpause).toBe(false);
  });

  it("reads the debuggee's Windows from `connected to debuggee` and forgets it when the link closes", () => {
    const running = after(
      `${BANNER}waiting for debuggee to connect...\nconnected to debuggee Windows 10 Pro - Client  (OS Build 18363)\ngetting symbol details...\n`,
    );
    expect(running.debuggeeOs).toMatchObject({ product: 'Windows 10 Pro', build: 18363 });
    expect(running.mode).toBe('debugger');
    expect(after('\nthe remote connection is closed\n', running).debuggeeOs).toBeNull();
  });

  it('detects a missing symbol path, and follows .sympath and .sym reload (symbol.cpp, sympath.cpp, sym.cpp)', () => {
    const loaded = `${BANNER}local debugging (vmi-mode)\n\nHyperDbg> loading the vmm module\nvirtualization technology is vt-x\nvmx operation is supported by your processor\nvmm module is running...\ninterpreting symbols and creating symbol maps\n`;
    // A configured install loads symbols silently: nothing is known.
    expect(after(`${loaded}\nHyperDbg> `).symbols).toBe('unknown');
    const missing = after(
      `${loaded}please configure the symbol path (use '.help .sympath' for more information)\n\nHyperDbg> `,
    );
    expect(missing.symbols).toBe('missing');
    expect(
      after("symbol server is not configured, please use '.help .sympath'\n\nHyperDbg> ").symbols,
    ).toBe('missing');
    const set = after(
      "symbol server/path is configured successfully\nuse '.sym load', '.sym reload', or '.sym download' to load pdb files\n\nHyperDbg> ",
      missing,
    );
    expect(set.symbols).toBe('path-set');
    expect(
      after(
        'current symbol server is : SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols\n',
        missing,
      ).symbols,
    ).toBe('path-set');
    const reloaded = after(
      'interpreting symbols and creating symbol maps\nsymbol table updated successfully\n\nHyperDbg> ',
      set,
    );
    expect(reloaded.symbols).toBe('loaded');
    // `.sym download` (symbol-parser.cpp SymbolInitLoad): each PDB downloaded, then loaded.
    const downloaded = after(
      "downloading symbol 'ntkrnlmp.pdb'...\tdownloaded\nloading symbol 'c:\\Symbols\\ntkrnlmp.pdb\\3844DBB920174967BE7AA4A2C20430FA2\\ntkrnlmp.pdb'...\tloaded\n\nHyperDbg> ",
      set,
    );
    expect(downloaded.symbols).toBe('loaded');
  });

  it('follows a Debugger-Mode connection, run, pause with the kernel prompt, and close (§2.3, §2.4, §2.7)', () => {
    const running = after(
      `${BANNER}waiting for debuggee to connect...\nconnected to debuggee Windows 10 Pro - Client 22H2 (OS Build 19045)\ngetting symbol details...\ninterpreting symbols and creating symbol maps\npress CTRL+C to pause the debuggee\ndebuggee is running...\n`,
    );
    expect(running).toMatchObject({ mode: 'debugger', debuggee: 'running' });
    const paused = after(
      'event 0x3 triggered (pre)\nfffff801`3c8f2d30    0F 05                                   syscall\n\n2: kHyperDbg> ',
      running,
    );
    expect(paused).toMatchObject({ mode: 'debugger', debuggee: 'paused', currentCore: 2 });
    expect(after('debuggee is running...\n', paused).debuggee).toBe('running');
    const closed = after('\nthe remote connection is closed\n', paused);
    expect(closed).toMatchObject({ mode: 'none', debuggee: 'unknown', eventsResetCount: 1 });
    const closedByUs = after('unloading debugger vmm module on debuggee...\nHyperDbg> ', paused);
    expect(closedByUs).toMatchObject({ mode: 'none', eventsResetCount: 0 });
  });

  it('reads remote and user-mode prompts (§1.4, §2.2)', () => {
    expect(after('connected to 192.168.1.5:50000\n\n[192.168.1.5:50000] HyperDbg> ').mode).toBe(
      'remote',
    );
    expect(after('1a4:1c8 (paused) u64HyperDbg> ').mode).toBe('user');
  });

  it('returns the same object when nothing changed', () => {
    const f = after(`${BANNER}`);
    const p = createOutputParser();
    for (const item of p.push('some text\nHyperDbg> ')) expect(reduceFacts(f, item)).toBe(f);
  });
});
