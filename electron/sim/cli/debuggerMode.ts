// `.debug remote|prepare ...` and `.debug close` (spec §2.3-§2.4; debug.cpp and kd.cpp, v0.23):
// argument checks with their messages, then the simulated debuggee connecting over the named pipe
// or COM port, symbol sync, and the blocking "debuggee is running..." until Ctrl+C. Simulator side.
import { displayVersion } from '../emulator/windowsLayouts';
import { isNumberLike, decimalInt } from '../protocol/numbers';
import type { Token } from '../protocol/tokenizer';
import { MSG } from './messages';
import type { DebuggerLink, Session } from './session';
import { serialBytesPerSecond } from '../../../shared/delivery/linkBudget';

const BAUD_RATES = [
  110, 300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 56000, 57600, 115200, 128000, 256000,
];
const COM_PORTS = ['com1', 'com2', 'com3', 'com4'];
/** How long the simulated VM's debuggee takes to answer the first packet (ms). */
const DEBUGGEE_CONNECT_MS = 150;
/** Symbol details arrive from the debuggee after this long (ms). */
const SYMBOL_SYNC_MS = 100;
/** ERROR_FILE_NOT_FOUND: CreateFile on a pipe path that names no pipe. */
const ERROR_FILE_NOT_FOUND = 2;
/** Named pipes live under \\.\pipe\; anything else cannot be a VM's serial port pipe. */
const PIPE_PREFIX = '\\\\.\\pipe\\';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function debugError(s: Session, message: string): void {
  s.print(message);
  s.help('.debug');
}

export async function runDebugCommand(s: Session, t: readonly Token[]): Promise<void> {
  const name = (t[0] as Token).text;
  if (t.length === 2 && (t[1] as Token).lower === 'close') {
    if (s.link === null) {
      s.print('err, debugger is not attached to any instance of debuggee\n');
      return;
    }
    // KdCloseConnection prints this without a newline; main's "\n" ends the line (spec §2.4).
    s.print('unloading debugger vmm module on debuggee...');
    s.link = null;
    s.debuggeeRunning = false;
    s.transport.debuggerMode = false;
    s.transport.ignoreNewMessages = false;
    s.transport.link.setRate(null);
    s.kernel.clear();
    s.pendingClears.clear();
    s.currentRemoteCore = 0;
    Object.assign(s.preallocated, {
      regularEvents: 0,
      bigEvents: 0,
      regularSafeBuffers: 0,
      bigSafeBuffers: 0,
    });
    return;
  }
  if (t.length <= 3) {
    s.usage(name, '.debug');
    return;
  }
  let remote = false;
  let prepare = false;
  let serial = false;
  let pipe = false;
  let pauseAfter = false;
  let pipeAddress: string | null = null;
  let baud: number | null = null;
  let com: string | null = null;
  for (const tok of t.slice(1)) {
    const l = tok.lower;
    if (!remote && l === 'remote') remote = true;
    else if (!prepare && l === 'prepare') prepare = true;
    else if (!serial && l === 'serial') serial = true;
    else if (!pipe && l === 'namedpipe') pipe = true;
    else if (!pauseAfter && l === 'pause') pauseAfter = true;
    else if (pipeAddress === null && pipe) pipeAddress = tok.text;
    else if (baud === null && serial && isNumberLike(tok.text)) {
      const v = decimalInt(tok.text);
      if (v === null || !BAUD_RATES.includes(v)) {
        debugError(s, 'err, baud rate is invalid\n\n');
        return;
      }
      baud = v;
    } else if (com === null && serial) {
      if (!COM_PORTS.includes(l)) {
        debugError(s, 'err, COM port is invalid\n\n');
        return;
      }
      com = l;
    } else {
      debugError(s, `err, couldn't resolve error at '${tok.text}'\n\n`);
      return;
    }
  }
  if (remote && prepare)
    return debugError(s, "err, both 'remote' and 'prepare' can't be used together\n\n");
  if (!remote && !prepare)
    return debugError(s, "err, either 'remote' or 'prepare' should be used\n\n");
  if (prepare && pauseAfter) return debugError(s, "err, 'pause' cannot be used with 'prepare'\n\n");
  if (pipe && prepare) return debugError(s, "err, named pipe cannot be used with 'prepare'\n\n");
  if (pipe && (pipeAddress === null || pipeAddress.length === 0))
    return debugError(s, 'err, named pipe address is empty\n\n');
  if (serial && (com === null || baud === null))
    return debugError(s, 'err, COM port address or baudrate is unknown\n\n');

  // IsConnectedToAnyInstanceOfDebuggerOrDebuggee (kd.cpp): a loaded driver blocks it.
  if (s.kdLoaded) {
    s.print(MSG.alreadyLocal);
    return;
  }
  if (s.link !== null) {
    s.print(MSG.alreadySerialDebuggee);
    return;
  }
  if (prepare) {
    // Making this machine a debuggee needs a debugger on the other end of a real COM port.
    s.print("err, port can't be opened\n");
    return;
  }
  if (pipe) {
    const path = pipeAddress as string;
    if (!path.toLowerCase().startsWith(PIPE_PREFIX)) {
      s.print(
        `err, occurred while connecting to the server (${ERROR_FILE_NOT_FOUND.toString(16)})\n`,
      );
      s.print('is the virtual machine running?\n');
      return;
    }
  }
  await connectDebuggee(
    s,
    pipe
      ? { kind: 'namedpipe', address: pipeAddress as string }
      : { kind: 'serial', address: com as string, baud: baud as number },
    pauseAfter,
  );
}

/** KdPrepareSerialConnectionToRemoteSystem and the listener's first packets (spec §2.3). */
async function connectDebuggee(s: Session, link: DebuggerLink, pauseAfter: boolean): Promise<void> {
  s.print('waiting for debuggee to connect...\n');
  s.ignorePauseRequests = true;
  await sleep(DEBUGGEE_CONNECT_MS);
  s.print(`connected to debuggee ${osName(s.guest.osBuild)}\n`);
  s.print('getting symbol details...\n');
  await sleep(SYMBOL_SYNC_MS);
  // SymbolInitialReload: the debuggee's modules, loaded silently from the local symbol path.
  s.symbols.buildTable();
  await s.symbols.initialReload((text) => s.print(text));
  s.link = link;
  s.transport.debuggerMode = true;
  s.transport.link.setRate(
    link.kind === 'serial' && link.baud !== undefined
      ? serialBytesPerSecond(link.baud)
      : (s.options.pipeRate ?? null),
  );
  s.currentRemoteCore = 0;
  s.ignorePauseRequests = false;
  s.print('press CTRL+C to pause the debuggee\n');
  if (pauseAfter) {
    await s.pauseAfterConnect();
    return;
  }
  await s.runDebuggee();
}

/**
 * KdGetWindowVersion (kd.cpp): "%s %s %s (OS Build %s)" from the registry's ProductName,
 * Client/Server, DisplayVersion and CurrentBuild. Every `return FALSE` there is commented out, so
 * before 20H2 (19042), which has no DisplayVersion, the field is just empty (two spaces).
 */
function osName(build: number): string {
  return `Windows 10 Pro - Client ${displayVersion(build) ?? ''} (OS Build ${build})`;
}
