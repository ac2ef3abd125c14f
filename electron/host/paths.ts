// Where the app keeps its data when no host tells it (browser mode, CLI): the same folder
// Electron's app.getPath('userData') gives for this product name, so both hosts share it.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'HyperDbg Studio';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}
