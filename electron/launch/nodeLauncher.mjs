// Entry of the built Node programs (web host, CLI, simulator): checks the Node version, then
// loads the real program. The check must come first and the program by dynamic import: a bundle's
// static imports (better-sqlite3, node-pty, koffi) would load before any of its code ran.
// The build fills in LAUNCH_PROGRAM (how a user started it) and LAUNCH_TARGET (the bundle).
/* global LAUNCH_PROGRAM, LAUNCH_TARGET */
import { requireSupportedNode } from './nodeVersion.mjs';

requireSupportedNode(LAUNCH_PROGRAM);
import(new URL(LAUNCH_TARGET, import.meta.url).href).catch(function (e) {
  process.stderr.write((e && e.stack) || String(e));
  process.stderr.write('\n');
  process.exitCode = 1;
});
