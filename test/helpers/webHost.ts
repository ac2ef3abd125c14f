// Starts the built browser-mode host (`node dist/web/index.mjs`) as its own process and finds
// its URL from the one line it prints, exactly as a user or tool would.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { distDir, tempDir } from './paths';

export const LISTENING_LINE =
  /^HyperDbg Studio listening on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+))$/;

export interface RunningWebHost {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Everything the host printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startWebHost(
  extraArgs: readonly string[] = [],
  dataDir = tempDir(),
  /** `open`: let the host open a browser (tests put a stand-in launcher on PATH via `env`). */
  opts: { readonly open?: boolean; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<RunningWebHost> {
  const child = spawn(
    process.execPath,
    [
      join(distDir, 'web/index.mjs'),
      '--port',
      '0',
      ...(opts.open === true ? [] : ['--no-open']),
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web host did not print its URL in 20 s:\n${out}`)),
      20_000,
    );
    const check = () => {
      for (const line of out.split('\n')) {
        const m = LISTENING_LINE.exec(line.trimEnd());
        if (m) {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          resolve(m);
          return;
        }
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${out}`));
    });
  });
  const port = Number(match[2]);
  return {
    url: match[1] as string,
    origin: `http://127.0.0.1:${port}`,
    port,
    token: match[3] as string,
    dataDir,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
