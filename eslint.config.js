// ESLint flat config. Besides style, it enforces the architecture's layers (docs/DEVELOPING.md)
// with a local rule, `studio/layers` (lint/layers.mjs), over every kind of import, dynamic ones
// included: who may import whom, which packages each layer refuses, and the one owner of each
// native package. test/static/boundaries.test.ts proves each rule bites.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import studio from './lint/layers.mjs';

/** Package groups a layer may refuse, and why. `node: true` means Node's built-in modules. */
const PACKAGES = {
  node: { node: true, why: 'this code runs in the browser too (or sandboxed): no Node built-ins.' },
  electron: {
    names: ['electron'],
    why: 'only electron/main and electron/preload import electron.',
  },
  'node-packages': {
    names: ['better-sqlite3', 'node-pty', 'koffi', 'iced-x86', 'keystone-wasm', 'ws'],
    why: 'native and Node-only packages belong to the Node programs under electron/.',
  },
  ui: {
    names: ['react', 'react-dom', '@xterm/*', 'codemirror', '@codemirror/*'],
    why: 'UI packages belong to renderer/.',
  },
};

/**
 * The layers: each folder, the layers it may import (`*`: anything, for tests and scripts), and
 * the package groups it refuses. A folder that is no layer's may be imported by anyone.
 */
const LAYERS = [
  {
    name: 'shared',
    dir: 'shared',
    may: ['shared'],
    refuse: ['node', 'electron', 'node-packages', 'ui'],
  },
  {
    name: 'renderer',
    dir: 'renderer/src',
    may: ['shared', 'renderer'],
    refuse: ['node', 'electron', 'node-packages'],
  },
  { name: 'host', dir: 'electron/host', may: ['shared', 'host'], refuse: ['electron', 'ui'] },
  { name: 'main', dir: 'electron/main', may: ['shared', 'host', 'main'], refuse: ['ui'] },
  // Sandboxed: the preload can require nothing but electron, so it takes no Node code at all.
  {
    name: 'preload',
    dir: 'electron/preload',
    may: ['shared', 'preload'],
    refuse: ['node', 'node-packages', 'ui'],
  },
  { name: 'web', dir: 'electron/web', may: ['shared', 'host', 'web'], refuse: ['electron', 'ui'] },
  { name: 'cli', dir: 'electron/cli', may: ['shared', 'host', 'cli'], refuse: ['electron', 'ui'] },
  { name: 'sim', dir: 'electron/sim', may: ['shared', 'host', 'sim'], refuse: ['electron', 'ui'] },
  { name: 'test', dir: 'test', may: '*' },
];

/** One owner per native package: only this folder imports it. */
const OWNERS = {
  'node-pty': 'electron/host/pty',
  'better-sqlite3': 'electron/host/store',
  koffi: 'electron/sim/emulator',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      '.tsbuild/**',
      'node_modules/**',
      'test-artifacts/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { studio },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'studio/layers': ['error', { layers: LAYERS, packages: PACKAGES, owners: OWNERS }],
    },
  },
  { files: ['**/*.mjs', '**/*.js', 'scripts/**'], languageOptions: { globals: globals.node } },
  {
    // Type-aware where it pays: a promise nobody awaits loses its error (a failed write to the
    // pty or the database would vanish), and a promise where a callback's result is ignored
    // (an async event handler) does the same. Each file is checked with its own program's
    // tsconfig (the project service finds it).
    files: ['electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
