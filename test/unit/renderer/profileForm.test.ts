// The connection dialog's form: every kind of target becomes the profile draft spec §2 needs,
// and each wrong value is refused on its own field.
import { describe, expect, it } from 'vitest';
import {
  checkProfileForm,
  describeProfile,
  emptyForm,
  formFromProfile,
} from '../../../renderer/src/session/profileForm';

describe('checkProfileForm', () => {
  it('the simulator needs no CLI path', () => {
    const r = checkProfileForm({ ...emptyForm('simulator'), cliPath: 'ignored' });
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'Simulator',
        cliPath: '',
        connection: { kind: 'local' },
        workingDirectory: '',
        capability: 'auto',
      },
    });
  });
  it('the simulator can play Debugger Mode behind a named pipe (spec §2.3)', () => {
    const r = checkProfileForm({ ...emptyForm('simulator'), simMode: 'debugger' });
    expect(r.ok && r.value).toMatchObject({
      name: 'Simulator (Debugger Mode)',
      cliPath: '',
      connection: { kind: 'namedPipe', pipe: '\\\\.\\pipe\\HyperDbgPipe' },
    });
    expect(r.ok && describeProfile(r.value)).toBe('built-in simulator, Debugger Mode');
    expect(r.ok && formFromProfile(r.value)).toMatchObject({
      kind: 'simulator',
      simMode: 'debugger',
    });
  });

  it('real targets need an absolute CLI path', () => {
    const missing = checkProfileForm(emptyForm('local'));
    expect(!missing.ok && missing.error.cliPath).toMatch(/required/);
    const relative = checkProfileForm({ ...emptyForm('local'), cliPath: 'hyperdbg-cli.exe' });
    expect(!relative.ok && relative.error.cliPath).toMatch(/full path/);
  });
  it('builds each connection kind, with a default name', () => {
    const cli = 'C:\\HyperDbg\\hyperdbg-cli.exe';
    const pipe = checkProfileForm({ ...emptyForm('namedPipe'), cliPath: cli });
    expect(pipe.ok && pipe.value).toMatchObject({
      name: 'Pipe \\\\.\\pipe\\HyperDbgPipe',
      connection: { kind: 'namedPipe', pipe: '\\\\.\\pipe\\HyperDbgPipe' },
    });
    const serial = checkProfileForm({
      ...emptyForm('serial'),
      cliPath: cli,
      port: 'COM2',
      baud: '115200',
    });
    expect(serial.ok && serial.value.connection).toEqual({
      kind: 'serial',
      port: 'COM2',
      baud: 115200,
    });
    const tcp = checkProfileForm({
      ...emptyForm('tcp'),
      cliPath: cli,
      host: '10.0.0.2',
      tcpPort: '50000',
      name: 'VM',
    });
    expect(tcp.ok && tcp.value).toMatchObject({
      name: 'VM',
      connection: { kind: 'tcp', host: '10.0.0.2', port: 50000 },
    });
    expect(tcp.ok && describeProfile(tcp.value)).toBe('10.0.0.2:50000');
  });
  it('refuses bad values on their field', () => {
    const cli = '/opt/hyperdbg-cli';
    const serial = checkProfileForm({
      ...emptyForm('serial'),
      cliPath: cli,
      port: 'COM9',
      baud: '123',
    });
    expect(!serial.ok && serial.error).toMatchObject({
      port: expect.stringMatching(/COM1 to COM4/),
      baud: expect.stringMatching(/115200/),
    });
    const tcp = checkProfileForm({
      ...emptyForm('tcp'),
      cliPath: cli,
      host: '300.1.1.1',
      tcpPort: '70000',
    });
    expect(!tcp.ok && tcp.error).toMatchObject({
      host: expect.stringMatching(/IPv4/),
      tcpPort: expect.stringMatching(/0\.\.65535/),
    });
    const pipe = checkProfileForm({ ...emptyForm('namedPipe'), cliPath: cli, pipe: 'a\nb' });
    expect(!pipe.ok && pipe.error.pipe).toMatch(/one line/);
  });
  it('reads a saved profile back into the form', () => {
    const f = formFromProfile({
      name: 'S',
      cliPath: 'C:\\h.exe',
      connection: { kind: 'serial', port: 'COM3', baud: 9600 },
      workingDirectory: '',
      capability: 'stock',
    });
    expect(f).toMatchObject({ kind: 'serial', port: 'COM3', baud: '9600', capability: 'stock' });
  });
});
