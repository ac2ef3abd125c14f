#!/usr/bin/env node
// Entry of the `hyperdbg-studio` command: checks the Node version, then runs the built CLI bundle.
import { requireSupportedNode } from '../electron/launch/nodeVersion.mjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

requireSupportedNode('hyperdbg-studio');
const cli = fileURLToPath(new URL('../dist/cli/index.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('hyperdbg-studio: not built yet; run `npm run build` first.\n');
  process.exit(1);
}
await import(cli);
