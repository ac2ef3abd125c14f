// Contract entries of the `app` domain: versions, data location and the host heartbeat.
import { z } from 'zod';
import { method, stream } from './define';
import type { SimulatorOptions } from './session';

export interface AppInfo {
  readonly name: string;
  readonly productName: string;
  readonly version: string;
  /** Which host serves the renderer: the Electron shell or the browser-mode web host. */
  readonly host: 'electron' | 'web';
  readonly platform: string;
  readonly dataDir: string;
  /** Runtime and dependency versions, e.g. `node`, `electron`, `better-sqlite3`. */
  readonly versions: Readonly<Record<string, string>>;
  /**
   * Simulator options the host was started with for the default target (`npm run web --
   * --sim-pacing fast`): the renderer passes them to `session:connect` for the simulator.
   */
  readonly simulatorDefaults: SimulatorOptions;
  /**
   * What is wrong with the data folder, one message per problem (it cannot be written: the
   * library is read-only and this run's records go elsewhere). Empty when nothing is.
   */
  readonly storageProblems: readonly string[];
}

export interface Heartbeat {
  readonly seq: number;
  readonly time: number;
  readonly uptimeMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/** Commands the native menu (or a global shortcut) asks the UI to perform. */
export const MENU_COMMANDS = [
  'library:import',
  'log:export',
  'session:connect',
  'session:toggle-run',
  'session:break',
  'view:toggle-theme',
  'palette:open',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const appMethods = {
  /** Application, runtime and dependency versions, and where the data lives. */
  'app:info': method<AppInfo>()(
    'Application, runtime and dependency versions.',
    z.object({}).strict(),
  ),
} as const;

export const appStreams = {
  /** Once a second: host liveness and memory, so the UI can show the host is alive. */
  'app:heartbeat': stream<Heartbeat>('Host liveness and memory, once a second.'),
  /** A native menu item was chosen; the renderer performs it. */
  'app:menu': stream<{ readonly command: MenuCommand }>('A native menu command for the UI.'),
} as const;
