// The simulator against the second reading of v0.23's source (docs/hyperdbg-v0.23.md; each test
// names the HyperDbg file it was built from): the pause disassembly of `.debug remote pause`
// before the prompt, the debuggee's OS name, the Debugger-Mode pid rule, `settings syntax` and
// the per-option errors, the installer's warning, and `.logopen`/`.logclose`. Real pty.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/paths';
import { startSim, type SimPty } from '../../helpers/simPty';

const P = 'HyperDbg> ';
const K = '0: kHyperDbg> ';
/** A script that prints nothing: registers an event without output. */
const QUIET = 'script { .q = 1; }';
/** HyperDbgDisassembler64's line: "<hi8>`<lo8>   " + " %02X" per byte, padded, " <mnemonic>\n". */
const DISASSEMBLY =
  '(?:[^\\n]+:\\n)?[0-9a-f]{8}`[0-9a-f]{8} {4}(?:[0-9A-F]{2}[ ]+)+[a-z][^\\n]*\\n';
const CONNECT_LINES = (os: string) =>
  `waiting for debuggee to connect...\nconnected to debuggee ${os}\ngetting symbol details...\ninterpreting symbols and creating symbol maps\npress CTRL+C to pause the debuggee\n`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Runs dist/sim, which vitest's global setup (test/globalSetup.ts) builds once per run.

async function pausedDebuggee(extra: string[] = []): Promise<{ sim: SimPty; connect: string }> {
  const sim = await startSim(['--seed', '61', '--pacing', 'fast', ...extra]);
  const m = sim.mark();
  sim.send('.debug remote pause namedpipe \\\\.\\pipe\\HyperDbgPipe');
  const connect = await sim.waitFor(/kHyperDbg> $/, m);
  return { sim, connect };
}

describe('Debugger Mode (kd.cpp, kernel-listening.cpp, ValidateEvents.c)', () => {
  it('`.debug remote pause`: the pause disassembly comes before the prompt (KdBreakControlCheckAndPauseDebugger waits for it)', async () => {
    const { sim, connect } = await pausedDebuggee();
    expect(connect).toMatch(
      new RegExp(
        `^${escape(CONNECT_LINES('Windows 10 Pro - Client  (OS Build 18363)'))}${DISASSEMBLY}\\n${escape(K)}$`,
      ),
    );
    sim.kill();
  }, 30_000);

  it('`connected to debuggee` always carries "%s %s %s (OS Build %s)", DisplayVersion empty before 20H2 (KdGetWindowVersion)', async () => {
    for (const [build, os] of [
      ['18363', 'Windows 10 Pro - Client  (OS Build 18363)'],
      ['19041', 'Windows 10 Pro - Client  (OS Build 19041)'],
      ['19045', 'Windows 10 Pro - Client 22H2 (OS Build 19045)'],
      ['22631', 'Windows 10 Pro - Client 23H2 (OS Build 22631)'],
    ] as const) {
      const { sim, connect } = await pausedDebuggee(['--os-build', build]);
      expect(connect.startsWith(CONNECT_LINES(os))).toBe(true);
      sim.kill();
    }
  }, 60_000);

  it("a halted debuggee refuses a hook's pid only when it is not the halted core's process (ValidateEventMonitor and friends)", async () => {
    // `.debug remote pause` halts core 0 in KiIdleLoop: the current process is the idle one, 0.
    const { sim } = await pausedDebuggee();
    expect(await sim.run(`!epthook nt!ExAllocatePoolWithTag pid 0 ${QUIET}`)).toBe(`\n${K}`);
    expect(await sim.run(`!monitor rw nt!PsActiveProcessHead l 8 pid 0 ${QUIET}`)).toBe(`\n${K}`);
    expect(await sim.run(`!epthook2 nt!NtClose pid 4 ${QUIET}`)).toBe(
      "err, you cannot specify process id while the debugger is paused in the debugger mode. You can use the '.process' or the '.thread' command to switch to the target process's memory layout (c0000040)\n\n" +
        K,
    );
    // A kernel refusal comes after the ID: 0 and 1 were registered, 2 was used up.
    expect(await sim.run(`!epthook nt!NtClose ${QUIET}`)).toBe(`\n${K}`);
    expect(await sim.run('events')).toMatch(/\n3\t\(enabled\)\t {4}!epthook nt!NtClose /);
    sim.kill();
  }, 30_000);
});

describe('settings (settings.cpp)', () => {
  it('supports syntax intel|att|masm and answers bad values and extra tokens with the per-option line', async () => {
    const sim = await startSim(['--seed', '62']);
    const incorrect = (name: string) =>
      `incorrect use of the '${name}', please use 'help ${name}' for more information\n\n${P}`;
    expect(await sim.run('settings syntax')).toBe(`disassembler syntax is : intel\n\n${P}`);
    expect(await sim.run('settings syntax att')).toBe(`set syntax to at&t\n\n${P}`);
    expect(await sim.run('settings syntax')).toBe(`disassembler syntax is : at&t\n\n${P}`);
    expect(await sim.run('settings syntax MASM')).toBe(`set syntax to masm\n\n${P}`);
    expect(await sim.run('settings syntax at&t')).toBe(`set syntax to at&t\n\n${P}`);
    expect(await sim.run('settings syntax intel')).toBe(`set syntax to intel\n\n${P}`);
    expect(await sim.run('settings syntax nasm')).toBe(incorrect('settings'));
    expect(await sim.run('settings autoflush on now')).toBe(incorrect('settings'));
    expect(await sim.run('settings syntax intel please')).toBe(incorrect('settings'));
    expect(await sim.run('Settings bogus')).toBe(incorrect('Settings'));
    expect(await sim.run('settings autounpause')).toBe(`auto-unpause is enabled\n\n${P}`);
    expect(await sim.run('settings')).toMatch(
      /^incorrect use of the 'settings'\n\nsettings : queries, sets, or changes a value for a special settings option\.\n/,
    );
    sim.kill();
  }, 30_000);
});

describe('the installer (install.cpp ManageDriver, StopDriver)', () => {
  const LOAD_HEAD = 'loading the vmm module\n';
  const LOAD_TAIL =
    'virtualization technology is vt-x\nvmx operation is supported by your processor\nvmm module is running...\n';
  const EXISTS =
    'the service (driver) already exists\ntrying to remove the old instance of the driver first\n';
  const REINSTALL =
    'the old instance of the driver is removed successfully\ninstalling the driver again\n';
  const WARNING =
    'warning, failed to stop the driver. Possible reasons include the driver not currently running or an unsuccessful unload from a previous run. This is not an error, HyperDbg tries to remove the previous driver and load it again (426)\n';

  async function loadVmm(args: string[]): Promise<{ sim: SimPty; out: string }> {
    const sim = await startSim(['--seed', '63', ...args]);
    await sim.run('.connect local');
    return { sim, out: await sim.run('load vmm') };
  }

  it('a service left stopped (after a reboot) cannot be stopped: the warning with ERROR_SERVICE_NOT_ACTIVE, then the reinstall', async () => {
    const { sim, out } = await loadVmm(['--driver-service', 'stopped']);
    expect(out.startsWith(`${LOAD_HEAD}${EXISTS}${WARNING}${REINSTALL}${LOAD_TAIL}`)).toBe(true);
    sim.kill();
  }, 30_000);

  it('a running service is stopped quietly; a fresh machine has no installer lines; unload keeps the service, unload remove deletes it', async () => {
    const running = await loadVmm(['--driver-service', 'running']);
    expect(running.out.startsWith(`${LOAD_HEAD}${EXISTS}${REINSTALL}${LOAD_TAIL}`)).toBe(true);
    running.sim.kill();

    const { sim, out } = await loadVmm([]);
    expect(out.startsWith(`${LOAD_HEAD}${LOAD_TAIL}`)).toBe(true);
    await sim.run('unload vmm', 20_000);
    expect((await sim.run('load vmm')).startsWith(`${LOAD_HEAD}${EXISTS}${REINSTALL}`)).toBe(true);
    await sim.run('unload remove all', 20_000);
    expect((await sim.run('load vmm')).startsWith(`${LOAD_HEAD}${LOAD_TAIL}`)).toBe(true);
    sim.kill();
  }, 60_000);
});

describe('.logopen / .logclose (logopen.cpp, logclose.cpp, messaging.cpp)', () => {
  const STAMP = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}';

  it('copies ShowMessages text and command lines, not what main prints with printf; text mode gives \\r\\n; written at close', async () => {
    const file = join(tempDir('hds-log-'), 'session.log');
    const sim = await startSim(['--seed', '64', '--pacing', 'fast', '--rate', '500']);
    expect(await sim.run(`.logopen ${file}`)).toMatch(
      new RegExp(
        `^save commands and results into file : ${escape(file)} \\(${STAMP}\\)\\n\\n${P}$`,
      ),
    );
    await sim.run('.connect local');
    await sim.run('__x');
    // Still in the stream's buffer: nothing has reached the file yet.
    expect(readFileSync(file, 'latin1')).toBe('');
    expect(await sim.run('.logclose')).toMatch(
      new RegExp(`^log file closed \\(${STAMP}\\)\\n\\n${P}$`),
    );
    expect(readFileSync(file, 'latin1')).toMatch(
      new RegExp(
        `^save commands and results into file : ${escape(file)} \\(${STAMP}\\)\\r\\n` +
          `HyperDbg> \\.connect local\\r\\nlocal debugging \\(vmi-mode\\)\\r\\n` +
          `HyperDbg> __x\\r\\nerr, couldn't resolve command at '__x'\\r\\n` +
          `HyperDbg> \\.logclose\\r\\nlog file closed \\(${STAMP}\\)\\r\\n$`,
      ),
    );
    sim.kill();
  }, 30_000);

  it('kernel messages go to the log too; a full buffer reaches the file before the close', async () => {
    const file = join(tempDir('hds-log-'), 'kernel.log');
    const sim = await startSim(['--seed', '65', '--pacing', 'fast', '--rate', '2000']);
    await sim.run('.connect local');
    await sim.run('load vmm');
    await sim.run(`.logopen ${file}`);
    const m = sim.mark();
    sim.send('!syscall script { printf("K %x\\n", $context); }');
    await sim.waitFor({ test: (t: string) => t.split('K ').length > 1200 } as unknown as RegExp, m);
    const partial = readFileSync(file, 'latin1');
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length % 4096).toBe(0);
    expect(partial).toMatch(/\r\nK [0-9a-f]+\r\n/);
    sim.kill();
  }, 30_000);

  it('refuses what v0.23 refuses, with its messages', async () => {
    const sim = await startSim(['--seed', '66']);
    expect(await sim.run('.logclose')).toBe(
      `there is no opened log, did you use '.logopen'? \n\n${P}`,
    );
    expect(await sim.run('.logopen')).toMatch(
      /^incorrect use of the '\.logopen'\n\n\.logopen : saves commands and results in a file\.\n/,
    );
    const missing = join(tempDir('hds-log-'), 'no', 'such', 'dir.log');
    expect(await sim.run(`.logopen ${missing}`)).toBe(`unable to open file : ${missing}\n\n${P}`);
    const file = join(tempDir('hds-log-'), 'a.log');
    await sim.run(`.logopen ${file}`);
    expect(await sim.run(`.logopen ${file}`)).toBe(
      `log was opened previously, you have the close it first (using .logclose)\n\n${P}`,
    );
    expect(await sim.run('.logclose x')).toMatch(/^incorrect use of the '\.logclose'\n\n/);
    sim.kill();
  }, 30_000);
});

describe('commands the simulator does not implement', () => {
  it('refuses them with a clear line of its own, and goes on', async () => {
    const sim = await startSim(['--seed', '67']);
    for (const c of ['.process', 'k', 'bp nt!NtClose', 'r rax'])
      expect(await sim.run(c)).toBe(
        `err, the simulator does not implement the '${c.split(' ')[0] as string}' command\n\n${P}`,
      );
    sim.kill();
  }, 30_000);
});
