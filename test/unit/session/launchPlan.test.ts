// Connection profiles become the commands of spec §2 (exact syntax), pipe paths the CLI's
// tokenizer can carry (§1.3), launch plans for the simulator and a real CLI, and failures of
// the connect steps in words (§2.1-§2.6).
import { describe, expect, it } from 'vitest';
import { PtySpawnError } from '../../../electron/host/pty/ptyHost';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import {
  connectSteps,
  explainStepFailure,
  pipeToken,
  planLaunch,
  targetModeOf,
} from '../../../electron/host/session/launchPlan';
import { profileDraftSchema, type ProfileDraft } from '../../../shared/model/actionTarget';

const profile = (connection: unknown, cliPath = ''): ProfileDraft =>
  profileDraftSchema.parse({ name: 'p', cliPath, connection });

describe('connect sequences (spec §2)', () => {
  it('local VMI: .connect local, then load vmm (§2.1, §2.6)', () => {
    expect(connectSteps(profile({ kind: 'local' })).map((s) => [s.line, s.completion])).toEqual([
      ['.connect local', 'marker'],
      ['load vmm', 'marker'],
    ]);
    expect(targetModeOf(profile({ kind: 'local' }))).toBe('vmi');
  });

  it('named pipe (default \\\\.\\pipe\\HyperDbgPipe), serial and TCP (§2.2, §2.3, §7)', () => {
    expect(connectSteps(profile({ kind: 'namedPipe' }))[0]).toMatchObject({
      line: '.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe',
      completion: 'blocking',
      success: ['debuggee-running'],
    });
    expect(connectSteps(profile({ kind: 'serial', port: 'COM2', baud: 115200 }))[0]?.line).toBe(
      '.debug remote serial 115200 com2',
    );
    expect(connectSteps(profile({ kind: 'tcp', host: '192.168.1.5' }))[0]?.line).toBe(
      '.connect 192.168.1.5 50000',
    );
    expect(targetModeOf(profile({ kind: 'serial', port: 'COM1', baud: 9600 }))).toBe('debugger');
  });

  it('quotes a pipe path with spaces and refuses what the command line cannot carry (§1.3)', () => {
    expect(pipeToken('\\\\.\\pipe\\my pipe')).toBe('"\\\\.\\pipe\\my pipe"');
    expect(() => pipeToken('\\\\.\\pipe\\a"b')).toThrow(/cannot carry/);
    expect(() => pipeToken('\\\\.\\pipe\\{x}')).toThrow(/cannot carry/);
    expect(() => pipeToken('//./pipe/x')).toThrow(/comment/);
    expect(() => pipeToken('\\\\.\\pipe\\a b\\')).toThrow(/cannot be quoted/);
  });

  it('explains failures in words: hyperkd.sys missing, administrator rights, VT-x (§2.6)', () => {
    const [, load] = connectSteps(profile({ kind: 'local' }));
    const why = (code: string, text: string) =>
      explainStepFailure(load as never, [{ code, text }], [text]);
    expect(why('driver-file-missing', 'err, target file is not loaded')).toMatch(
      /hyperkd\.sys missing/,
    );
    expect(why('access-denied', 'err, access denied')).toMatch(/needs administrator rights/);
    expect(why('vmx-not-supported', 'vmx operation is not supported by your processor')).toMatch(
      /VBS/,
    );
    expect(explainStepFailure(load as never, [], ['something odd'])).toBe(
      'loading the vmm module failed: "something odd"',
    );
  });

  /** What the step summary says for what `load vmm` printed (HyperDbg v0.23's own lines). */
  function explainLoad(output: string): string {
    const [, load] = connectSteps(profile({ kind: 'local' }));
    const p = createOutputParser();
    const errors = [...p.push(output), ...p.end()].flatMap((i) =>
      i.type === 'error' ? [{ code: i.code, text: i.text }] : [],
    );
    return explainStepFailure(load as never, errors, []);
  }

  it('explains a non-elevated load: OpenSCManager refused with error 5 (install.cpp)', () => {
    const why = explainLoad(
      'loading the vmm module\nerr, OpenSCManager failed (5)\nerr, OpenSCManager failed (5)\nunable to install KD driver\nfailed to install or load the driver\n\n',
    );
    expect(why).toMatch(
      /^loading the vmm module failed: hyperdbg-cli is not running as administrator/,
    );
    expect(why).toMatch(/Start HyperDbg Studio as administrator/);
    expect(why).toContain('("err, OpenSCManager failed (5)")');
    // Another Windows error is named, not taken for elevation.
    expect(explainLoad('err, OpenSCManager failed (6ba)\n')).toMatch(/OpenSCManager error 6ba/);
  });

  it('explains driver signature enforcement and HVCI, with what HyperDbg says to do', () => {
    const why = explainLoad(
      "loading the vmm module\nthe service (driver) already exists\nerr, failed loading driver\nit's because either the driver signature enforcement is enabled or HVCI prevents the driver from loading\nyou should disable the driver signature enforcement by attaching WinDbg or from the boot menu\nif the driver signature enforcement is disabled, HVCI might prevent the driver from loading\nHyperDbg is not compatible with Virtualization Based Security (VBS)\nplease follow the instructions from: https://docs.hyperdbg.org/getting-started/build-and-install \nunable to install KD driver\nfailed to install or load the driver\n",
    );
    expect(why).toMatch(/driver signature enforcement is on, or HVCI/);
    expect(why).toMatch(/disable driver signature enforcement/);
    expect(why).toMatch(/turn off Memory integrity and VBS/);
    expect(why).toContain('https://docs.hyperdbg.org/getting-started/build-and-install');
    expect(why).not.toMatch(/could not be installed/);
  });
});

describe('launch plans', () => {
  it('runs the simulator with its options when the CLI path is empty', () => {
    const plan = planLaunch(
      profile({ kind: 'local' }),
      { seed: 3, cores: 2, rate: 500, pacing: 'fast', stock: true, osBuild: 19041 },
      ['--conpty'],
      '/x/dist/sim/index.mjs',
    );
    expect(plan.file).toBe(process.execPath);
    expect(plan.args).toEqual([
      '/x/dist/sim/index.mjs',
      '--seed',
      '3',
      '--cores',
      '2',
      '--rate',
      '500',
      '--pacing',
      'fast',
      '--stock',
      '--os-build',
      '19041',
      '--conpty',
    ]);
    expect(plan.isSimulator).toBe(true);
    expect(plan.wrapWidth).toBe(8000);
    expect(plan.targetLabel).toBe('Simulator (seed 3), local VMI');
  });

  it('checks a real CLI path first, and on Windows warns when hyperkd.sys is not beside it', () => {
    expect(() =>
      planLaunch(profile({ kind: 'local' }, '/no/hyperdbg-cli.exe'), undefined, [], ''),
    ).toThrow(PtySpawnError);
    const plan = planLaunch(
      profile({ kind: 'local' }, process.execPath),
      undefined,
      [],
      '',
      'linux',
    );
    expect(plan).toMatchObject({
      file: process.execPath,
      isSimulator: false,
      wrapWidth: undefined,
    });
  });
});
