// profile:check-cli: a CLI path is refused with a reason when missing, a folder, not executable
// or relative; a driver missing beside it is a note, not a refusal (spec §1.1).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCliPath } from '../../../electron/host/library/cliCheck';
import { tempDir } from '../../helpers/paths';

describe('checkCliPath', () => {
  it('refuses an empty, relative, missing or folder path, saying why', async () => {
    const dir = tempDir();
    expect((await checkCliPath('', '')).problems[0]).toMatch(/simulator/);
    expect((await checkCliPath('hyperdbg-cli.exe', '')).problems[0]).toMatch(/full path/);
    const missing = join(dir, 'hyperdbg-cli');
    expect(await checkCliPath(missing, '')).toMatchObject({
      ok: false,
      problems: [`${missing} does not exist`],
    });
    expect((await checkCliPath(dir, '', 'linux')).problems[0]).toMatch(
      /is a folder, not a program/,
    );
  });

  it('accepts an executable file and notes a missing hyperkd.sys beside it', async () => {
    const dir = tempDir();
    const cli = join(dir, 'hyperdbg-cli');
    writeFileSync(cli, '#!/bin/sh\n');
    chmodSync(cli, 0o644);
    expect((await checkCliPath(cli, '', 'linux')).problems).toEqual([`${cli} is not executable`]);
    chmodSync(cli, 0o755);
    const r = await checkCliPath(cli, '', 'linux');
    expect(r.ok).toBe(true);
    expect(r.notes.join('\n')).toMatch(/hyperkd\.sys is not beside it/);
    writeFileSync(join(dir, 'hyperkd.sys'), '');
    expect((await checkCliPath(cli, '', 'linux')).notes).toEqual([]);
  });

  it('on Windows wants an .exe, and checks the working folder', async () => {
    const dir = tempDir();
    const cli = join(dir, 'hyperdbg-cli');
    writeFileSync(cli, '');
    expect((await checkCliPath(cli, '', 'win32')).problems).toEqual([
      'hyperdbg-cli is not an .exe',
    ]);
    mkdirSync(join(dir, 'wd'));
    const exe = join(dir, 'hyperdbg-cli.exe');
    writeFileSync(exe, '');
    expect((await checkCliPath(exe, join(dir, 'wd'), 'win32')).ok).toBe(true);
    expect((await checkCliPath(exe, join(dir, 'nope'), 'win32')).problems[0]).toMatch(
      /working folder .* does not exist/,
    );
  });
});
