// The message table: stable, unique codes; the spec's typos kept; specific rows win over the
// general `err, %s (%x)`.
import { describe, expect, it } from 'vitest';
import { matchMessage, MESSAGES } from '../../../shared/hyperdbg/messages';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';

describe('message table', () => {
  it('has unique codes in kebab case and a spec section for every row', () => {
    const codes = MESSAGES.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const m of MESSAGES) {
      expect(m.code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(m.section).toMatch(/^§\d/);
    }
  });

  it('matches every literal row to itself', () => {
    for (const m of MESSAGES.filter((x) => !/%[sxdu]/.test(x.format)))
      expect(matchMessage(m.format)?.def.code, m.format).toBe(m.code);
  });

  it('keeps the typos a parser must match exactly (spec §9.18)', () => {
    expect(matchMessage('the vmm module is not loadedd')?.def.code).toBe('vmm-not-loaded');
    expect(matchMessage('the vmm module is not loaded')).toBeUndefined();
    expect(
      matchMessage(
        "you're connected to a an instance of HyperDbg, please use '.debug close' command",
      )?.def.code,
    ).toBe('already-connected-debugger');
    expect(
      matchMessage("the entry should be between 0x0 to 0x1f or first 32 entries'")?.def.code,
    ).toBe('exception-index-range');
    expect(matchMessage('err, rror occurred while creating the pipe (5)')?.def.code).toBe(
      'pipe-create-failed',
    );
  });

  it('tolerates trailing spaces dropped or added by the console', () => {
    expect(matchMessage('no active/disabled events')?.def.code).toBe('events-empty');
    expect(matchMessage('local debugging (vmi-mode)   ')?.def.code).toBe('connected-local');
  });

  it('prefers the specific kernel errors to the general one', () => {
    expect(matchMessage('err, invalid address (c0000005)')?.def.code).toBe('invalid-address');
    expect(matchMessage('err, occurred while connecting to the server (2)')?.def.code).toBe(
      'namedpipe-connect-failed',
    );
    expect(matchMessage('err, anything else (c0000099)')).toMatchObject({
      def: { code: 'kernel-error' },
      args: ['anything else', 'c0000099'],
    });
  });

  it('gives the sync marker command back (spec §1.8)', () => {
    expect(matchMessage("err, couldn't resolve command at '__hdbg_sync_00ff'")).toMatchObject({
      def: { code: 'unknown-command', severity: 'error' },
      args: ['__hdbg_sync_00ff'],
    });
  });
});

/** Code and severity the real parser gives each line of `output` (pipe transcript). */
function classified(output: string): [string, string][] {
  const p = createOutputParser();
  return [...p.push(output), ...p.end()].flatMap((i) =>
    i.type === 'error' || i.type === 'status' ? [[i.type, i.code] as [string, string]] : [],
  );
}

describe('lines of v0.23 that are not `err, ` table rows elsewhere (HyperDbg source text)', () => {
  it('a non-elevated `load vmm`: OpenSCManager refused twice (install, then remove), then the two summaries', () => {
    // load.cpp, HyperDbgInstallKdDriver, HyperDbgStartDriver, ManageDriver (install.cpp).
    expect(
      classified(
        'loading the vmm module\nerr, OpenSCManager failed (5)\nerr, OpenSCManager failed (5)\nunable to install KD driver\nfailed to install or load the driver\n\n',
      ),
    ).toEqual([
      ['status', 'loading-vmm'],
      ['error', 'scm-open-failed'],
      ['error', 'scm-open-failed'],
      ['error', 'kd-driver-install-failed'],
      ['error', 'driver-load-failed'],
    ]);
    expect(matchMessage('err, OpenSCManager failed (5)')?.args).toEqual(['5']);
  });

  it('driver signature enforcement / HVCI: StartService gave ERROR_INVALID_IMAGE_HASH', () => {
    const lines = [
      'err, failed loading driver',
      "it's because either the driver signature enforcement is enabled or HVCI prevents the driver from loading",
      'you should disable the driver signature enforcement by attaching WinDbg or from the boot menu',
      'if the driver signature enforcement is disabled, HVCI might prevent the driver from loading',
      'HyperDbg is not compatible with Virtualization Based Security (VBS)',
      // The original has a space before its "\n".
      'please follow the instructions from: https://docs.hyperdbg.org/getting-started/build-and-install ',
    ];
    expect(classified(`${lines.join('\n')}\n`).map(([, c]) => c)).toEqual([
      'driver-signature-blocked',
      'driver-signature-hint',
      'driver-signature-disable-hint',
      'driver-hvci-hint',
      'driver-vbs-hint',
      'driver-install-docs-hint',
    ]);
  });

  it('the installer after a reboot: the service exists but is stopped, so StopDriver warns (not an error)', () => {
    expect(
      classified(
        'the service (driver) already exists\ntrying to remove the old instance of the driver first\nwarning, failed to stop the driver. Possible reasons include the driver not currently running or an unsuccessful unload from a previous run. This is not an error, HyperDbg tries to remove the previous driver and load it again (426)\nthe old instance of the driver is removed successfully\ninstalling the driver again\n',
      ),
    ).toEqual([
      ['status', 'driver-service-exists'],
      ['status', 'driver-old-instance-removing'],
      ['status', 'driver-stop-warning'],
      ['status', 'driver-old-instance-removed'],
      ['status', 'driver-installing-again'],
    ]);
  });

  it('classifies every failure line that has no `err, ` prefix as an error', () => {
    const failures: [string, string][] = [
      ['failed to install or load drivers', 'drivers-load-failed'],
      [
        "the kd module is already running, if you use 'load' before, please first unload it using the 'unload' command",
        'kd-already-running',
      ],
      ['the kd (kernel debugger) module is not loadedd', 'kd-not-loadedd'],
      [
        "the utilization of 'post' or 'all' event calling stages is not meaningful for the mode (user-mode/kernel-mode) change traps; therefore, this command does not support them",
        'mode-stage',
      ],
      [
        "symbol table is empty, please use '.sym reload' to build a symbol table",
        'symbol-table-empty',
      ],
      ['unable to open file : c:\\logs\\x.txt', 'logopen-failed'],
      ["incorrect option at 'reopen'", 'output-incorrect-option'],
      ["incorrect type near 'pipe'", 'output-incorrect-type'],
      [
        'please specify a correct hex value for the process id that you want to operate on it',
        'invalid-hex-value',
      ],
      ['maybe an incorrect COM source is specified', 'incorrect-com-source-hint'],
      [
        'oOh, no! there might be a misinterpretation in disassembling the current instruction',
        'disassembly-misinterpretation',
      ],
      [
        "incorrect use of the 'settings', please use 'help settings' for more information",
        'settings-incorrect-use',
      ],
    ];
    for (const [line, code] of failures)
      expect(classified(`${line}\n`), line).toEqual([['error', code]]);
    // The `.sympath` query's answer is a state, not a failure.
    expect(classified("symbol server is not configured, please use '.help .sympath'\n")).toEqual([
      ['status', 'sympath-not-configured'],
    ]);
    // The events' hex message keeps its own code.
    expect(classified('please specify a correct hex value for tag id (event number)\n\n')).toEqual([
      ['error', 'invalid-tag-hex'],
    ]);
  });

  it('`settings syntax` and the other settings answers (settings.cpp)', () => {
    expect(
      classified(
        'disassembler syntax is : intel\nset syntax to at&t\nset syntax to masm\nauto-unpause is disabled\nset auto-unpause to enabled\nset auto-flush to disabled\naddress conversion is enabled\n',
      ),
    ).toEqual([
      ['status', 'settings-syntax'],
      ['status', 'settings-syntax-set'],
      ['status', 'settings-syntax-set'],
      ['status', 'settings-autounpause-off'],
      ['status', 'settings-autounpause-set-on'],
      ['status', 'settings-autoflush-set-off'],
      ['status', 'settings-addrconv-on'],
    ]);
    expect(matchMessage('set syntax to at&t')?.args).toEqual(['at&t']);
  });
});
