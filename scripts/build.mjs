// Builds every bundle: main, preload (one CommonJS file, as a sandboxed preload must be), the
// headless CLI, the simulator and the web host with esbuild; the renderer with Vite.
// Why not electron-vite: five Node entry points with different formats are one esbuild call
// each, and the renderer is a plain Vite app; one small script keeps the build readable.
// Each program's dist/<name>/index.mjs is a launcher (electron/launch/) that checks the Node
// version before it loads the real bundle, run.mjs.
import { requireSupportedNode } from '../electron/launch/nodeVersion.mjs';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

requireSupportedNode('npm run build');
// Loaded after the check: on an old Node they fail in ways that do not say why.
const { build: esbuild } = await import('esbuild');
const { build: viteBuild } = await import('vite');

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
// Runtime dependencies stay outside the bundles: they are native or load their own wasm.
const external = ['electron', ...Object.keys(pkg.dependencies ?? {})];

// ESM bundles that inline CommonJS code need `require`, `__dirname` and `__filename`.
const esmBanner = [
  "import { createRequire as __cr } from 'node:module';",
  "import { fileURLToPath as __fu } from 'node:url';",
  "import { dirname as __dn } from 'node:path';",
  'const require = __cr(import.meta.url);',
  'const __filename = __fu(import.meta.url);',
  'const __dirname = __dn(__filename);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  external,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** [source, output folder, how a user starts it (for the Node version message)]. */
const nodeEntries = [
  ['electron/main/index.ts', 'main', 'the Electron app'],
  ['electron/cli/index.ts', 'cli', 'hyperdbg-studio'],
  ['electron/sim/index.ts', 'sim', 'the simulator'],
  ['electron/web/index.ts', 'web', 'npm run web'],
];
/** The real program beside each launcher. */
const RUN_FILE = 'run.mjs';

/** dist/<dir>/index.mjs: checks Node, then imports run.mjs (see electron/launch/). */
function launcher(dir, program) {
  return esbuild({
    ...common,
    entryPoints: [
      dir === 'main' ? 'electron/launch/electronLauncher.mjs' : 'electron/launch/nodeLauncher.mjs',
    ],
    outfile: `dist/${dir}/index.mjs`,
    format: 'esm',
    // Like every bundle: what shipped code was built from stays checkable (test/static/bundles).
    sourcemap: true,
    define: {
      LAUNCH_PROGRAM: JSON.stringify(program),
      LAUNCH_TARGET: JSON.stringify(`./${RUN_FILE}`),
    },
  });
}

// The renderer's vite.config imports shared/ TypeScript without an extension, which Vite's
// default (bundling) config loader handles; silence the notice about the future native loader.
process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
// What ships is what tests exercise: always the production React runtime, even when the build is
// started from an environment that set NODE_ENV (vitest sets `test`, which would bundle jsxDEV).
process.env.NODE_ENV = 'production';

/**
 * The preload needs only the contract's channel names, not its zod schemas (zod would make the
 * preload ~0.75 MB). Evaluate the contract once at build time and hand the preload a module
 * that holds just the two name lists.
 */
async function contractNamesPlugin() {
  const out = await esbuild({
    ...common,
    entryPoints: ['shared/contract/index.ts'],
    write: false,
    format: 'esm',
    external: [],
    sourcemap: false,
  });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
  const { methodNames, streamNames } = await import(url);
  const source = `export const methodNames = ${JSON.stringify(methodNames)};\nexport const streamNames = ${JSON.stringify(streamNames)};\n`;
  return {
    name: 'contract-names',
    setup(b) {
      b.onLoad({ filter: /shared[\\/]contract[\\/]index\.ts$/ }, () => ({
        contents: source,
        loader: 'js',
      }));
    },
  };
}

const started = Date.now();
for (const dir of ['main', 'preload', 'cli', 'sim', 'web'])
  rmSync(`${root}/dist/${dir}`, { recursive: true, force: true });
await Promise.all([
  ...nodeEntries.map(([entry, dir]) =>
    esbuild({
      ...common,
      entryPoints: [entry],
      outfile: `dist/${dir}/${RUN_FILE}`,
      format: 'esm',
      banner: { js: esmBanner },
    }),
  ),
  ...nodeEntries.map(([, dir, program]) => launcher(dir, program)),
  esbuild({
    ...common,
    entryPoints: ['electron/preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    format: 'cjs',
    target: 'chrome140',
    platform: 'node',
    // A sandboxed preload can require nothing but `electron`: everything else is inlined.
    external: ['electron'],
    plugins: [await contractNamesPlugin()],
  }),
  viteBuild({ configFile: `${root}/renderer/vite.config.ts`, logLevel: 'warn' }),
]);
console.log(`build: done in ${Date.now() - started} ms`);
