// The debuggee's Windows as `connected to debuggee %s` names it. v0.23's KdGetWindowVersion
// (kd.cpp) reads ProductName, DisplayVersion and CurrentBuild from the registry and always
// formats "%s %s %s (OS Build %s)" with "- Client" or "- Server" in the middle (its failure
// returns are commented out, so a value may be empty but the shape stays). Pure.

export interface DebuggeeOs {
  /** Everything after `connected to debuggee `, as printed. */
  readonly description: string;
  /** ProductName, e.g. `Windows 10 Pro` (Windows 11 still says 10 there). */
  readonly product: string;
  readonly edition: 'client' | 'server';
  /** DisplayVersion, e.g. `22H2`; empty on builds before 20H2 (18363 has none). */
  readonly displayVersion: string;
  /** CurrentBuild as a number, or null when the registry gave none. */
  readonly build: number | null;
}

const OS_RE = /^(.*?) - (Client|Server) (.*)\(OS Build ([^)]*)\)\s*$/;

/** The OS in `connected to debuggee`'s text, or null when it does not have v0.23's shape. */
export function parseDebuggeeOs(description: string): DebuggeeOs | null {
  const m = OS_RE.exec(description);
  if (m === null) return null;
  const build = (m[4] as string).trim();
  return {
    description,
    product: (m[1] as string).trim(),
    edition: m[2] === 'Server' ? 'server' : 'client',
    displayVersion: (m[3] as string).trim(),
    build: /^\d{1,9}$/.test(build) ? Number(build) : null,
  };
}
