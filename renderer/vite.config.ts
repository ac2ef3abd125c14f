// Vite build of the renderer. The CSP meta tag is written from the same constant the hosts
// send as a header, so the two cannot drift.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { RENDERER_CSP_META } from '../shared/contract/csp';

const cspMeta = (): Plugin => ({
  name: 'studio-csp-meta',
  transformIndexHtml: (html) =>
    html.replace(
      '<!--CSP-->',
      `<meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP_META}" />`,
    ),
});

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  logLevel: 'warn',
});
