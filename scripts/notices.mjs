// Writes THIRD_PARTY_NOTICES.md: every package that ships inside the app (runtime dependencies
// and the packages bundled into the renderer), with its license. Run after changing dependencies.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
/** Bundled into the renderer or the Node bundles although they are devDependencies. */
const BUNDLED = [
  'react',
  'react-dom',
  '@xterm/xterm',
  '@xterm/addon-fit',
  'codemirror',
  '@codemirror/state',
  '@codemirror/view',
  '@codemirror/language',
  '@codemirror/commands',
  '@codemirror/lint',
  '@codemirror/search',
];
/** Licenses the package metadata does not state. */
const KNOWN = {
  'keystone-wasm':
    'GPL-2.0 (the Keystone assembler engine compiled to WebAssembly; the wrapper states no license)',
};
const names = [...Object.keys(pkg.dependencies), ...BUNDLED, 'electron'].sort();
const rows = names.map((name) => {
  const p = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8'));
  const license = KNOWN[name] ?? (typeof p.license === 'string' ? p.license : 'see package');
  const home =
    p.homepage ?? (typeof p.repository === 'string' ? p.repository : p.repository?.url) ?? '';
  return `| ${name} | ${p.version} | ${license} | ${home} |`;
});
writeFileSync(
  new URL('THIRD_PARTY_NOTICES.md', root),
  `# Third-party notices

HyperDbg Studio is licensed under the GNU General Public License, version 2 or (at your option) any
later version (see LICENSE). It ships the packages below. keystone-wasm contains the Keystone
assembler engine, which is licensed under GPLv2; that is why HyperDbg Studio itself is GPLv2-or-later.
HyperDbg itself (GPLv3) is not included: the app drives its command-line program as a separate
process, and no HyperDbg source code is copied.

Each package's full license text is in its folder under \`node_modules/\` (and inside the
packaged app's \`resources/app.asar\`).

| package | version | license | home |
|---|---|---|---|
${rows.join('\n')}
`,
);
console.log(`THIRD_PARTY_NOTICES.md: ${rows.length} packages`);
