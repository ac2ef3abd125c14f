// Handlers of the `app` domain.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { SimulatorOptions } from '../../../shared/contract/session';
import { runtimeVersions } from './versions';
import { PRODUCT_NAME } from '../paths';

export interface AppHandlerOptions {
  readonly hostKind: 'electron' | 'web';
  readonly dataDir: string;
  readonly appVersion: string;
  /** Options for the default (simulator) target, from the host's command line. */
  readonly simulatorDefaults?: SimulatorOptions;
  /** What is wrong with the data folder (dataFolders.ts). */
  readonly storageProblems?: readonly string[];
}

type AppHandlers = Pick<Handlers, 'app:info'>;

export function createAppHandlers(opts: AppHandlerOptions): AppHandlers {
  return {
    'app:info': () => ({
      name: 'hyperdbg-studio',
      productName: PRODUCT_NAME,
      version: opts.appVersion,
      host: opts.hostKind,
      platform: process.platform,
      dataDir: opts.dataDir,
      versions: runtimeVersions(),
      simulatorDefaults: opts.simulatorDefaults ?? {},
      storageProblems: opts.storageProblems ?? [],
    }),
  };
}
