// `npm run web`: the browser-mode host. Starts the host services, serves the renderer on
// 127.0.0.1 and prints the one line tools look for. Plain Node.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pkg from '../../package.json' with { type: 'json' };
import { simulatorOptionsSchema, type SimulatorOptions } from '../../shared/contract/session';
import { createHost } from '../host/composition';
import { defaultDataDir } from '../host/paths';
import { newToken } from './auth';
import { startWebServer } from './server';

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

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
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
  const server = await startWebServer({
    handlers: host.handlers,
    hub: host.hub,
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    token: newToken(),
    port,
    exportsDir: host.log.exportsDir,
  });
  console.log(`HyperDbg Studio listening on ${server.url}`);
  if (!values['no-open']) openInBrowser(server.url);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await host.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
