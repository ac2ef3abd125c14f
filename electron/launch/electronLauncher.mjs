// Entry of the Electron main process: the same Node check as the other programs, then the real
// main bundle. Awaited at the top level: Electron emits `ready` only after the entry module has
// finished evaluating, and the main bundle must register its scheme before that.
/* global LAUNCH_PROGRAM, LAUNCH_TARGET */
import { requireSupportedNode } from './nodeVersion.mjs';

requireSupportedNode(LAUNCH_PROGRAM);
await import(new URL(LAUNCH_TARGET, import.meta.url).href);
