// Which Node.js the project runs on, checked first by every entry (app, web host, CLI, simulator,
// build, tests): better-sqlite3 13 and the other native modules crash an older Node with a bare
// "Segmentation fault". Plain JavaScript with no imports and old syntax (no `?.`, `??`, top-level
// await), so even a very old Node parses it and prints the message instead of a syntax error.

/** better-sqlite3 13 needs Node 22.12 (package.json `engines`); older ones crash when it loads. */
export const MIN_NODE = [22, 12, 0];
/** The major of Electron 45's own Node: the native modules tested are the ones that ship. */
export const RECOMMENDED_NODE_MAJOR = 24;
/** Exit status when Node is too old: an ordinary failure, never a signal. */
export const UNSUPPORTED_NODE_EXIT_CODE = 1;

/** [major, minor, patch] of `22.12.0` or `v22.12.0`; null when it is not a version. */
export function parseNodeVersion(text) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(text));
  return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Whether `version` (e.g. process.versions.node) is at least MIN_NODE. */
export function isSupportedNode(version) {
  const v = parseNodeVersion(version);
  if (v === null) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== MIN_NODE[i]) return v[i] > MIN_NODE[i];
  return true;
}

/** The npm package holding Node's binary for this platform (the npm-registry route). */
export function nodePackageName(platform, arch) {
  return 'node-' + (platform === 'win32' ? 'win' : platform) + '-' + arch;
}

/**
 * What to tell a user running `program` on Node `version`: what is needed, what runs, and how to
 * get a suitable Node, including through the npm registry alone (no GitHub or nodejs.org needed).
 */
export function unsupportedNodeMessage(program, version, execPath, platform, arch) {
  const min = MIN_NODE.slice(0, 2).join('.');
  const lines = [
    'HyperDbg Studio (' +
      program +
      ') needs Node.js ' +
      min +
      ' or newer (' +
      RECOMMENDED_NODE_MAJOR +
      ' recommended); this is Node.js ' +
      version +
      ' (' +
      execPath +
      ').',
    'Its native modules (better-sqlite3 13) crash older versions, so it stops here.',
    '',
    'Get Node.js ' + RECOMMENDED_NODE_MAJOR + ':',
  ];
  if (platform === 'linux' || platform === 'darwin') {
    const dir = '$HOME/.cache/hyperdbg-studio/node' + RECOMMENDED_NODE_MAJOR;
    const pkg = nodePackageName(platform, arch);
    lines.push(
      '  from the npm registry (works where GitHub and nodejs.org are unreachable):',
      '    npm install --prefix "' + dir + '" --no-save ' + pkg + '@' + RECOMMENDED_NODE_MAJOR,
      '    export PATH="' + dir + '/node_modules/' + pkg + '/bin:$PATH"',
      '  or from https://nodejs.org/ (or a version manager: nvm install ' +
        RECOMMENDED_NODE_MAJOR +
        ').',
      'Then run npm ci again, so the native modules are built for the new Node.',
    );
  } else {
    lines.push(
      '  from https://nodejs.org/ (the Windows installer), or: winget install OpenJS.NodeJS.LTS',
      'Then run npm ci again, so the native modules are built for the new Node.',
    );
  }
  return lines.join('\n') + '\n';
}

/** Stops the process with the message when this Node is too old; returns when it is fine. */
export function requireSupportedNode(program) {
  const version = process.versions.node;
  if (isSupportedNode(version)) return;
  process.stderr.write(
    unsupportedNodeMessage(program, version, process.execPath, process.platform, process.arch),
  );
  process.exit(UNSUPPORTED_NODE_EXIT_CODE);
}
