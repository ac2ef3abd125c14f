// ESLint flat config. Besides style, it enforces the architecture's dependency rules as import
// zones, so a forbidden import (renderer -> electron, shared -> node:*, host -> electron, a second
// importer of a native package) fails the lint.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const rule = (group, message) => ({ group, message });
// Anchored to bare specifiers: a gitignore-style group would also refuse the app's own folders
// that share a built-in's name (`../events/EventBinder`, `../stream/batcher`).
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NODE = {
  regex: `^(?:node:.*|(?:${builtinModules.map(escapeRe).join('|')})(?:/.*)?)$`,
  message: 'shared/ and renderer/ run in the browser too: no Node built-ins.',
};
const ELECTRON = rule(
  ['electron', 'electron/*'],
  'Only electron/main and electron/preload may import electron.',
);
const NATIVE = rule(
  ['better-sqlite3', 'node-pty', 'koffi', 'iced-x86', 'keystone-wasm', 'ws'],
  'Native and host-only packages belong to electron/host.',
);
const UI = rule(
  ['react', 'react-dom', 'react-dom/*', '@xterm/*', 'codemirror', '@codemirror/*'],
  'UI packages belong to renderer/.',
);
const TO_ELECTRON_DIR = rule(
  ['**/electron/**', '../electron', '../../electron'],
  'This folder may not import from electron/.',
);
const TO_RENDERER = rule(['**/renderer/**'], 'Nothing outside renderer/ imports the renderer.');
const TO_MAIN = rule(
  ['**/main/**', '**/preload/**'],
  'Host code may not import the Electron shell.',
);

/** One owner per native package: only these folders may import them. */
const owned = (pkg, owner) => rule([pkg, `${pkg}/*`], `${pkg} is imported only in ${owner}.`);
const PTY = owned('node-pty', 'electron/host/pty/');
const SQLITE = owned('better-sqlite3', 'electron/host/store/');
const KOFFI = owned('koffi', 'electron/sim/emulator/');

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

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
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js', 'scripts/**'], languageOptions: { globals: globals.node } },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(NODE, ELECTRON, NATIVE, UI, TO_ELECTRON_DIR, TO_RENDERER),
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(NODE, ELECTRON, NATIVE, TO_ELECTRON_DIR),
    },
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: restrict(ELECTRON, UI, TO_RENDERER, TO_MAIN, PTY, SQLITE, KOFFI),
  },
  {
    files: ['electron/host/pty/**/*.ts'],
    rules: restrict(ELECTRON, UI, TO_RENDERER, TO_MAIN, SQLITE, KOFFI),
  },
  {
    files: ['electron/host/store/**/*.ts'],
    rules: restrict(ELECTRON, UI, TO_RENDERER, TO_MAIN, PTY, KOFFI),
  },
  {
    files: ['electron/{web,cli,sim}/**/*.ts'],
    rules: restrict(ELECTRON, UI, TO_RENDERER, TO_MAIN, PTY, SQLITE, KOFFI),
  },
  // After the sim block, so it overrides it: the emulator is the simulator's only koffi importer.
  {
    files: ['electron/sim/emulator/**/*.ts'],
    rules: restrict(ELECTRON, UI, TO_RENDERER, TO_MAIN, PTY, SQLITE),
  },
  {
    files: ['electron/{main,preload}/**/*.ts'],
    rules: restrict(UI, TO_RENDERER, PTY, SQLITE, KOFFI),
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
