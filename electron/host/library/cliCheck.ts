// Checks a connection profile's CLI path before anything is started: the file exists, is a file
// the app can run, and has HyperDbg's driver beside it (hyperkd.sys and config.ini are looked up
// next to the executable, spec §1.1). Host side (node:fs).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';

export interface CliCheck {
  /** The path can be started (problems empty). */
  readonly ok: boolean;
  readonly path: string;
  /** Why it cannot be used, one sentence each. */
  readonly problems: readonly string[];
  /** Things worth knowing that do not stop it (a driver file not found beside it). */
  readonly notes: readonly string[];
}

/** The driver HyperDbg loads from the executable's folder (spec §1.1). */
const DRIVER_FILE = 'hyperkd.sys';

export async function checkCliPath(
  cliPath: string,
  workingDirectory: string,
  platform: NodeJS.Platform = process.platform,
): Promise<CliCheck> {
  const problems: string[] = [];
  const notes: string[] = [];
  const done = () => ({ ok: problems.length === 0, path: cliPath, problems, notes });
  if (cliPath.trim() === '') {
    problems.push('no path given (an empty path means the built-in simulator)');
    return done();
  }
  if (!isAbsolute(cliPath) && !/^[A-Za-z]:[\\/]/.test(cliPath)) {
    problems.push('give the full path of hyperdbg-cli, e.g. C:\\HyperDbg\\hyperdbg-cli.exe');
    return done();
  }
  const info = await stat(cliPath).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    problems.push(
      info.code === 'ENOENT'
        ? `${cliPath} does not exist`
        : `${cliPath} cannot be read (${info.code ?? info.message})`,
    );
    return done();
  }
  if (!info.isFile()) {
    problems.push(
      `${cliPath} is a ${info.isDirectory() ? 'folder' : 'special file'}, not a program`,
    );
    return done();
  }
  if (platform === 'win32') {
    if (!/\.exe$/i.test(cliPath)) problems.push(`${basename(cliPath)} is not an .exe`);
  } else if (
    await access(cliPath, constants.X_OK).then(
      () => false,
      () => true,
    )
  ) {
    problems.push(`${cliPath} is not executable`);
  }
  if (!/hyperdbg-cli/i.test(basename(cliPath)))
    notes.push(`${basename(cliPath)} is not named hyperdbg-cli; make sure it is HyperDbg's CLI`);
  const driver = join(dirname(cliPath), DRIVER_FILE);
  if (
    await stat(driver).then(
      (s) => !s.isFile(),
      () => true,
    )
  )
    notes.push(
      `${DRIVER_FILE} is not beside it: HyperDbg loads its driver from ${dirname(cliPath)} (docs/hyperdbg-v0.23.md §1.1)`,
    );
  if (workingDirectory.trim() !== '') {
    const wd = await stat(workingDirectory).catch(() => null);
    if (wd === null || !wd.isDirectory())
      problems.push(`the working folder ${workingDirectory} does not exist`);
  }
  return done();
}
