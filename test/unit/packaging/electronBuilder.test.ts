// electron-builder's own schema accepts our configuration, and the settings this product depends
// on are present: Windows first and elevated, native modules unpacked, no rebuild on install.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/paths';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  win?: { target?: unknown[]; requestedExecutionLevel?: string };
  linux?: { target?: unknown[] };
  mac?: { target?: unknown[] };
  asarUnpack?: string[];
  npmRebuild?: boolean;
  asar?: boolean;
  electronFuses?: Record<string, boolean>;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder validation and keeps the essential settings', async () => {
    const { getConfig, validateConfiguration } =
      require('app-builder-lib/out/util/config/config') as {
        getConfig(dir: string, path: string | null, opts: null): Promise<BuilderConfig>;
        validateConfiguration(
          config: BuilderConfig,
          logger: { isEnabled: boolean; add(): void },
        ): Promise<void>;
      };
    const config = await getConfig(repoRoot, null, null);
    await validateConfiguration(config, { isEnabled: false, add: () => undefined });
    expect(config.win?.target).toEqual(['nsis', 'portable']);
    expect(config.win?.requestedExecutionLevel).toBe('requireAdministrator');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    for (const native of ['node-pty', 'better-sqlite3', 'koffi']) {
      expect(config.asarUnpack?.some((p) => p.startsWith(`node_modules/${native}/`))).toBe(true);
    }
    expect(config.npmRebuild).toBe(false);
  });

  it('flips the Electron fuses a debugger that runs elevated needs', async () => {
    const { getConfig } = require('app-builder-lib/out/util/config/config') as {
      getConfig(dir: string, path: string | null, opts: null): Promise<BuilderConfig>;
    };
    const config = await getConfig(repoRoot, null, null);
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      // The built-in simulator runs as Node through the app's own binary under a pty: kept on
      // on purpose (electron-builder.yml says why); everything else that turns the signed binary
      // into a general Node runtime or debugger is off.
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('never rebuilds native modules on install', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.postinstall).toBeUndefined();
    expect(pkg.scripts.dist).toContain('install-app-deps');
  });

  it('lists every shipped runtime dependency in the third-party notices', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const notices = readFileSync(join(repoRoot, 'THIRD_PARTY_NOTICES.md'), 'utf8');
    for (const name of Object.keys(pkg.dependencies)) expect(notices).toContain(`| ${name} |`);
  });
});
