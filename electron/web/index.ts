// `npm run web`: the browser-mode host. Starts the host services, serves the renderer on
// 127.0.0.1 and prints the one line tools look for. Plain Node.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pkg from '../../package.json' with { type: 'json' };
import { simulatorOptionsSchema, type SimulatorOptions } from '../../shared/contract/session';
import { createHost } from '../host/composition';
import { installFatalHandlers } from '../host/fatal';
import { defaultDataDir } from '../host/paths';
import { LAUNCH_CODE_TTL_MS, LaunchCodes, newToken } from './auth';
import { LAUNCH_PATH, LOOPBACK, startWebServer } from './server';

const USAGE = `usage: npm run web -- [--port N] [--no-open] [--data-dir DIR]
       [--sim-pacing realistic|fast] [--sim-seed N] [--sim-rate N] [--sim-cores N]
       [--sim-stock] [--sim-os-build N] [--sim-symbols configured|none]
       (options of the default simulator target)`;

/** The `--sim-*` flags as the simulator options the renderer connects the default target with. */
function simulatorDefaults(v: Record<string, string | boolean | undefined>): SimulatorOptions {
  const int = (name: string) => {
    const text = v[name];
    if (text === undefined) return undefined;
    if (typeof text !== 'string' || !/^\d+$/.test(text)) {
      console.error(`--${name}: expected a whole number, got ${JSON.stringify(text)}\n${USAGE}`);
      process.exit(2);
    }
    return Number(text);
  };
  const pacing = v['sim-pacing'];
  const parsed = simulatorOptionsSchema.safeParse({
    seed: int('sim-seed'),
    rate: int('sim-rate'),
    cores: int('sim-cores'),
    osBuild: int('sim-os-build'),
    pacing,
    stock: v['sim-stock'] === true ? true : undefined,
    symbols: v['sim-symbols'],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(
      `--sim-${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}\n${USAGE}`,
    );
    process.exit(2);
  }
  return Object.fromEntries(
    Object.entries(parsed.data).filter(([, x]) => x !== undefined),
  ) as SimulatorOptions;
}

/**
 * Opens the user's browser on the app without putting the token on any command line (every
 * local user can read those): the launcher gets the path of a page only this user can read,
 * which sends the browser to a one-time launch code the host exchanges for the token cookie.
 * The page is deleted once the code is used, or when it expires. Returns the clean-up.
 */
function openInBrowser(port: number, launchCodes: LaunchCodes, dir: string): void {
  const page = join(dir, 'open-hyperdbg-studio.html');
  const url = `http://${LOOPBACK}:${port}${LAUNCH_PATH}?code=${launchCodes.issue()}`;
  try {
    writeFileSync(
      page,
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>HyperDbg Studio</title>\n`,
      { mode: 0o600, flag: 'wx' },
    );
  } catch {
    return; // No private page: the printed URL is enough.
  }
  const target = process.platform === 'win32' ? page : pathToFileURL(page).href;
  const [cmd, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '', target]]
      : process.platform === 'darwin'
        ? ['open', [target]]
        : ['xdg-open', [target]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser launcher: the printed URL is enough.
  }
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'no-open': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', default: false },
        'sim-pacing': { type: 'string' },
        'sim-seed': { type: 'string' },
        'sim-rate': { type: 'string' },
        'sim-cores': { type: 'string' },
        'sim-os-build': { type: 'string' },
        'sim-symbols': { type: 'string' },
        'sim-stock': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: expected an integer 0..65535, got ${JSON.stringify(values.port)}`);
    process.exit(2);
  }
  const host = await createHost({
    hostKind: 'web',
    dataDir: values['data-dir'] ?? defaultDataDir(),
    appVersion: pkg.version,
    simulatorDefaults: simulatorDefaults(values),
  });
  installFatalHandlers({ flushSync: () => host.flushSync() });
  // The launch page lives in a folder only this user can open (mkdtemp makes it 0700); it goes
  // once its code is used or expires.
  let launchDir: string | undefined;
  const dropLaunchPage = () => {
    if (launchDir !== undefined) rmSync(launchDir, { recursive: true, force: true });
    launchDir = undefined;
  };
  const launchCodes = new LaunchCodes(dropLaunchPage);
  const server = await startWebServer({
    handlers: host.handlers,
    hub: host.hub,
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    token: newToken(),
    port,
    exportsDir: host.log.exportsDir,
    launchCodes,
  });
  console.log(`HyperDbg Studio listening on ${server.url}`);
  for (const problem of host.storageProblems) console.error(`HyperDbg Studio: ${problem}`);
  if (!values['no-open']) {
    try {
      launchDir = mkdtempSync(join(tmpdir(), 'hyperdbg-studio-launch-'));
      openInBrowser(server.port, launchCodes, launchDir);
      setTimeout(dropLaunchPage, LAUNCH_CODE_TTL_MS).unref();
    } catch {
      // No private folder for the page: the printed URL is enough.
    }
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    dropLaunchPage();
    await server.close();
    await host.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
