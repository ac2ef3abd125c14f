// hyperdbg-cli's connection, module and control commands (spec §2) and `events` (spec §4), with the
// exact messages of their v0.23 sources (meta-commands/*.cpp, debugging-commands/*.cpp). Each is
// keyed by its v0.23 handler name. Simulator side.
import { isNumberLike, decimalInt, isValidIp, parseUInt64 } from '../protocol/numbers';
import type { Token } from '../protocol/tokenizer';
import { resolveAddressArgument } from '../events/addressArgument';
import { runDebugCommand } from './debuggerMode';
import { MSG } from './messages';
import type { Session } from './session';

export type CommandHandler = (
  s: Session,
  tokens: readonly Token[],
  command: string,
) => void | Promise<void>;

/** "Test: Should be removed" — HyperDbgUnloadKd waits this long for pending IRPs (libhyperdbg.cpp). */
export const KD_UNLOAD_WAIT_MS = 1000;
/** What a refused TCP connection costs before "unable to connect to the server" (ms). */
const TCP_REFUSED_MS = 30;
/** The Ctrl+C handler sleeps this long before it prints (BreakController). */
export const BREAK_HANDLER_SLEEP_MS = 300;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function connect(s: Session, t: readonly Token[]): Promise<void> | void {
  const name = t[0]?.text ?? '.connect';
  if (s.connectedLocally) {
    s.print(MSG.connectedToDebugger);
    return;
  }
  if (s.link !== null) {
    s.print(MSG.connectedToInstance);
    return;
  }
  if (t.length === 1) {
    s.usage(name, '.connect');
    return;
  }
  if (t[1]?.lower === 'local' && t.length === 2) {
    s.print('local debugging (vmi-mode)\n');
    s.connectedLocally = true;
    return;
  }
  if (t.length === 2 || t.length === 3) {
    const ip = (t[1] as Token).text;
    if (!isValidIp(ip)) {
      s.print('incorrect ip address\n');
      return;
    }
    if (t.length === 3) {
      const port = (t[2] as Token).text;
      // IsNumber then stoi: text stoi cannot read would end the real CLI; here it is refused.
      const v = isNumberLike(port) ? decimalInt(port) : null;
      if (v === null || v > 65535) {
        s.print('incorrect port\n');
        return;
      }
    }
    // No HyperDbg listens on any address here (spec §2.2): the connection is refused.
    return sleep(TCP_REFUSED_MS).then(() => s.print('unable to connect to the server\n'));
  }
  s.usage(name, '.connect');
}

function disconnect(s: Session, t: readonly Token[]): void {
  if (t.length !== 1) {
    s.usage((t[0] as Token).text, '.disconnect');
    return;
  }
  if (!s.connectedLocally) {
    s.print(MSG.notConnected);
    return;
  }
  if (s.kdLoaded) {
    s.print(
      "you cannot disconnect in local debugging while the driver is still loaded. please use 'unload' command before disconnecting from the current instance of debugger\n",
    );
    return;
  }
  s.connectedLocally = false;
  s.print('disconnected successfully\n');
}

function status(s: Session, t: readonly Token[]): void {
  // CommandStatus prints the usage error and then still reports the state (no return in v0.23).
  if (t.length !== 1) s.usage((t[0] as Token).text, '.status');
  if (s.link !== null) s.print("remote debugging - debugger ('debugger mode')\n");
  else if (s.connectedLocally) s.print("local debugging ('vmi mode')\n");
  else s.print("err, you're not connected to any instance of HyperDbg\n");
}

/** HyperDbgInstallKdDriver's messages when the service survives from an earlier load (install.cpp). */
function installDriver(s: Session): void {
  if (s.kdLoaded) return;
  if (s.serviceInstalled) {
    s.print('the service (driver) already exists\n');
    s.print('trying to remove the old instance of the driver first\n');
    s.print('the old instance of the driver is removed successfully\n');
    s.print('installing the driver again\n');
  }
  s.serviceInstalled = true;
}

async function loadVmm(s: Session): Promise<void> {
  s.print('loading the vmm module\n');
  installDriver(s);
  if (s.traceLoaded) {
    s.print(
      "err, the trace module is currently loaded and should be unloaded before loading the vmm module\nNote that HyperTrace (trace) uses the hypervisor (vmm) features when it is loaded after the vmm module, however, HyperTrace can also operate without the vmm module, although hypervisor-specific features will not be available\nto solve this problem, first unload the trace module using the 'unload trace' command, next, load the vmm module and then load the trace module again. This way, the trace module is reloaded with hypervisor APIs\n",
    );
    s.print('failed to install or load the driver\n');
    return;
  }
  s.print('virtualization technology is vt-x\n');
  s.print('vmx operation is supported by your processor\n');
  s.kdLoaded = true;
  s.vmmLoaded = true;
  s.dispatcher.initializeScriptEngine();
  s.print('vmm module is running...\n');
  // SymbolLocalReload: silent when a symbol path is configured, a hint when it is not.
  await s.symbols.localReload((text) => s.print(text));
}

async function load(s: Session, t: readonly Token[]): Promise<void> {
  if (t.length !== 2) {
    s.usage((t[0] as Token).text, 'load');
    return;
  }
  if (!s.connectedLocally) {
    s.print(MSG.notConnected);
    return;
  }
  const what = (t[1] as Token).lower;
  if (what === 'all' || what === '.') {
    s.print('loading the all modules\n');
    installDriver(s);
    if (!s.vmmLoaded) {
      s.print('virtualization technology is vt-x\n');
      s.print('vmx operation is supported by your processor\n');
      s.kdLoaded = true;
      s.vmmLoaded = true;
      s.print('vmm module is running...\n');
    }
    if (!s.traceLoaded) {
      s.traceLoaded = true;
      s.print('hypertrace (trace) module is running...\n');
    }
    await s.symbols.localReload((text) => s.print(text));
  } else if (what === 'vmm' || what === 'vm') {
    if (s.vmmLoaded) {
      s.print(
        "the vmm module is already running, if you use 'load' before, please first unload it using the 'unload' command\n",
      );
      return;
    }
    await loadVmm(s);
  } else if (what === 'trace' || what === 'hypertrace') {
    if (s.traceLoaded) {
      s.print(
        "the trace module is already running, if you use 'load' before, please first unload it using the 'unload' command\n",
      );
      return;
    }
    s.print('loading the trace module\n');
    installDriver(s);
    s.kdLoaded = true;
    s.traceLoaded = true;
    s.print('hypertrace (trace) module is running...\n');
  } else if (['kd', 'dbg', 'debugger', 'debug', 'kerneldebugger', 'kerneldebug'].includes(what)) {
    if (s.kdLoaded) {
      s.print(
        "the kd module is already running, if you use 'load' before, please first unload it using the 'unload' command\n",
      );
      return;
    }
    s.print('loading the kd module\n');
    installDriver(s);
    s.kdLoaded = true;
  } else s.print('err, module not found\n');
}

async function unloadVmmAndKd(s: Session): Promise<void> {
  // HyperDbgUnloadVmm, then HyperDbgUnloadKd (spec §2.6); the hypervisor's events go with it,
  // while the CLI's own list keeps them (spec §2.6, [inferred]).
  s.print('start terminating vmm...\n');
  if (s.traceLoaded) {
    s.print(
      "the trace module is currently loaded and will be unloaded before the vmm module\nnote that hypertrace (trace) use the hypervisor (vmm) features when it is loaded after vmm, however, hypertrace can also operate without the vmm module, although hypervisor-specific features will not be available\nthe 'trace' module will now be unloaded automatically. You can reload it later using the command 'load trace', which will load the trace module again without enabling hypervisor-dependent features\n",
    );
    s.print('start terminating trace module...\n');
    s.traceLoaded = false;
    s.print('the trace module is unloaded!\n');
  }
  s.vmmLoaded = false;
  s.kernel.clear();
  s.print("you're not on HyperDbg's hypervisor anymore!\n");
  await unloadKd(s);
}

async function unloadKd(s: Session): Promise<void> {
  if (!s.kdLoaded) {
    s.print(MSG.kdNotLoaded);
    return;
  }
  if (s.traceLoaded) {
    s.print(
      "err, unable to unload the kd module because the trace module is currently loaded and uses the kd module, if you want to unload the kd module, please first unload the trace module using the 'unload trace' command\n",
    );
    return;
  }
  if (s.vmmLoaded) {
    s.print(
      "err, unable to unload the kd module because the vmm module is currently loaded and uses the kd module, if you want to unload the kd module, please first unload the vmm module using the 'unload vmm' command\n",
    );
    return;
  }
  await sleep(KD_UNLOAD_WAIT_MS);
  s.kdLoaded = false;
  s.transport.flush();
  s.print('the debugger module is unloaded!\n');
}

async function unloadAll(s: Session): Promise<void> {
  if (s.traceLoaded) {
    s.print('start terminating trace module...\n');
    s.traceLoaded = false;
    s.print('the trace module is unloaded!\n');
  }
  if (s.vmmLoaded) await unloadVmmAndKd(s);
  else if (s.kdLoaded) await unloadKd(s);
}

async function unload(s: Session, t: readonly Token[]): Promise<void> {
  if (t.length !== 2 && t.length !== 3) {
    s.usage((t[0] as Token).text, 'unload');
    return;
  }
  const a = (t[1] as Token).lower;
  const b = t[2]?.lower;
  const environmentOk = (): boolean => {
    if (!s.connectedLocally) {
      s.print(MSG.notConnected);
      return false;
    }
    if (s.link !== null) {
      s.print(MSG.connectedToInstance);
      return false;
    }
    return true;
  };
  if (t.length === 2 && (a === 'vmm' || a === 'vm')) {
    if (!environmentOk()) return;
    if (s.vmmLoaded) await unloadVmmAndKd(s);
    else s.print('the vmm module is not loadedd\n');
  } else if (t.length === 2 && (a === 'trace' || a === 'hypertrace')) {
    if (!environmentOk()) return;
    if (s.traceLoaded) {
      s.print('start terminating trace module...\n');
      s.traceLoaded = false;
      s.print('the trace module is unloaded!\n');
    } else s.print('the trace (hypertrace) module is not loadedd\n');
  } else if (
    t.length === 2 &&
    ['kd', 'dbg', 'debugger', 'debug', 'kerneldebugger', 'kerneldebug'].includes(a)
  ) {
    if (!environmentOk()) return;
    if (s.kdLoaded) await unloadKd(s);
    else s.print('the kd (kernel debugger) module is not loadedd\n');
  } else if (t.length === 2 && (a === 'all' || a === '.')) {
    if (!environmentOk()) return;
    if (!s.kdLoaded && !s.vmmLoaded && !s.traceLoaded) {
      s.print('no module is loaded\n');
      return;
    }
    s.print('unloading all modules\n');
    await unloadAll(s);
    s.print('all modules are unloaded\n');
  } else if (
    t.length === 3 &&
    a === 'remove' &&
    b !== undefined &&
    ['all', '.', 'vmm', 'vm'].includes(b)
  ) {
    if (!environmentOk()) return;
    await unloadAll(s);
    s.serviceInstalled = false;
    s.print('all drivers are removed\n');
  } else s.print('err, module not found\n');
}

async function g(s: Session, t: readonly Token[]): Promise<void> {
  if (t.length !== 1) {
    s.usage((t[0] as Token).text, 'g');
    return;
  }
  if (s.link !== null) {
    // KdBreakControlCheckAndContinueDebugger: blocks until Ctrl+C or a break (spec §2.7).
    if (!s.debuggeeRunning) await s.runDebuggee();
    return;
  }
  s.paused = false;
}

function pause(s: Session, t: readonly Token[]): void {
  if (t.length !== 1) {
    s.usage((t[0] as Token).text, 'pause');
    return;
  }
  s.paused = true;
  s.print('pausing...\n');
}

async function exit(s: Session, t: readonly Token[]): Promise<void> {
  if (t.length !== 1) {
    s.usage((t[0] as Token).text, 'exit');
    return;
  }
  if (s.connectedLocally) {
    if (s.kdLoaded || s.vmmLoaded || s.traceLoaded) await unloadAll(s);
  } else if (s.link !== null) {
    s.print('unloading debugger vmm module on debuggee...');
  }
  throw new ExitRequest(0);
}

/** Thrown by `exit`: the REPL flushes, writes the stats file and ends the process. */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super('exit');
  }
}

function flush(s: Session, t: readonly Token[]): void {
  if (t.length !== 1) {
    s.usage((t[0] as Token).text, 'flush');
    return;
  }
  if (s.link !== null) {
    s.print(
      `flushing buffers was successful, total ${s.transport.flush()} messages were cleared.\n`,
    );
    return;
  }
  if (!s.kdLoaded) {
    s.print(MSG.kdNotLoaded);
    return;
  }
  s.print(`flushing buffers was successful, total ${s.transport.flush()} messages were cleared.\n`);
}

function settings(s: Session, t: readonly Token[]): void {
  const name = (t[0] as Token).text;
  if (t.length !== 2 && t.length !== 3) {
    s.usage(name, 'settings');
    return;
  }
  const option = (t[1] as Token).lower;
  const value = t[2]?.lower;
  const flags: Record<string, ['autoUnpause' | 'autoFlush' | 'addressConversion', string]> = {
    autounpause: ['autoUnpause', 'auto-unpause'],
    autoflush: ['autoFlush', 'auto-flush'],
    addressconversion: ['addressConversion', 'address conversion'],
  };
  const flag = flags[option];
  if (flag === undefined) {
    s.print(`incorrect use of the '${name}', please use 'help ${name}' for more information\n`);
    return;
  }
  const [key, label] = flag;
  if (value === undefined) s.print(`${label} is ${s[key] ? 'enabled' : 'disabled'}\n`);
  else if (value === 'on' || value === 'off') {
    s[key] = value === 'on';
    s.print(`set ${label} to ${value === 'on' ? 'enabled' : 'disabled'}\n`);
  } else
    s.print(`incorrect use of the '${name}', please use 'help ${name}' for more information\n`);
}

/** `events` (spec §4; events.cpp). */
function events(s: Session, t: readonly Token[]): void {
  const name = (t[0] as Token).text;
  if (t.length !== 1 && t.length !== 3) {
    s.usage(name, 'events');
    return;
  }
  if (t.length === 1) {
    if (!s.eventTraceInitialized || s.events.length === 0) {
      s.print('no active/disabled events \n');
      return;
    }
    for (const ev of [...s.events].reverse()) {
      let text = ev.text.replaceAll('\n', ' ');
      if (text.length > 70) text = `${text.slice(0, 70)}...`;
      const enabled = queryEnabled(s, ev.id);
      s.print(`${ev.id.toString(16)}\t(${enabled ? 'enabled' : 'disabled'})\t    ${text}\n`);
    }
    return;
  }
  const action = (t[1] as Token).lower;
  const arg = t[2] as Token;
  if (action === 'sc') {
    if (arg.lower === 'on' || arg.lower === 'off') {
      if (s.link === null) s.print("err, handle to remote debuggee's com port is not found\n");
      else s.print(`the event's short-circuiting state changed to '${arg.lower}'\n`);
      return;
    }
    s.print("please specify a correct 'on' or 'off' state for the short-circuiting state\n\n");
    s.help('events');
    return;
  }
  if (action !== 'e' && action !== 'd' && action !== 'c') {
    s.usage(name, 'events');
    return;
  }
  let id: number | 'all';
  if (arg.lower === 'all') id = 'all';
  else {
    const v = parseUInt64(arg.text);
    if (v === null) {
      s.print('please specify a correct hex value for tag id (event number)\n\n');
      s.help('events');
      return;
    }
    id = v > 0xffffffn ? -1 : Number(v);
  }
  modifyEvents(s, id, action);
}

/** CommandEventQueryEventState: the kernel is asked live; an error row shows "(disabled)". */
function queryEnabled(s: Session, id: number): boolean {
  if (s.link === null && !s.vmmLoaded) {
    s.print(MSG.vmmNotLoaded);
    return false;
  }
  const k = s.kernel.get(id);
  if (k === undefined) {
    s.print('err, modify event with invalid tag (c000000e)\n');
    return false;
  }
  return k.enabled;
}

function modifyEvents(s: Session, id: number | 'all', action: 'e' | 'd' | 'c'): void {
  const exists =
    s.eventTraceInitialized &&
    (id === 'all' ? s.events.length > 0 : s.events.some((e) => e.id === id));
  if (!exists) {
    s.print(id === 'all' ? 'there is no event\n' : 'err, tag id is invalid\n');
    return;
  }
  if (s.link === null && !s.vmmLoaded) {
    s.print(MSG.vmmNotLoaded);
    return;
  }
  const ids = id === 'all' ? s.events.map((e) => e.id) : [id];
  if (id !== 'all' && !s.kernel.has(id)) {
    s.print('err, modify event with invalid tag (c000000e)\n');
    return;
  }
  for (const i of ids) {
    if (!s.kernel.has(i)) continue;
    if (action === 'e') s.kernel.setEnabled(i, true);
    else if (action === 'd') s.kernel.setEnabled(i, false);
    else if (s.link !== null) {
      // "HyperDbg cannot clear events instantly. Instead, it first disables the events".
      s.kernel.setEnabled(i, false);
      s.pendingClears.add(i);
    } else s.kernel.remove(i);
  }
  if (action === 'c') {
    for (const i of ids) {
      const at = s.events.findIndex((e) => e.id === i);
      if (at >= 0) s.events.splice(at, 1);
    }
    if (s.link !== null) {
      s.print(
        `${id === 'all' ? 'events are' : 'the event is'} successfully cleared, but please note in the Debugger Mode (current mode), HyperDbg cannot clear events instantly. Instead, it first disables the events, and when you continue the debuggee (e.g., by pressing the 'g' command), the event will be cleared. Reapplying the same event without first continuing the debuggee may result in undefined behavior\n`,
      );
    }
  }
  if ((action === 'd' || action === 'c') && s.paused && s.link === null) {
    if (!s.autoFlush) s.print(MSG.autoFlushDisabled);
    else
      s.print(
        `flushing buffers was successful, total ${s.transport.flush()} messages were cleared.\n`,
      );
  }
}

/** `prealloc <type> <count>` (prealloc.cpp): reserves instant-event pools on the debuggee. */
export function prealloc(s: Session, t: readonly Token[]): boolean {
  if (t.length !== 3) {
    s.usage((t[0] as Token).text, 'prealloc');
    return false;
  }
  const type = (t[1] as Token).lower;
  const known = [
    'thread-interception',
    'monitor',
    '!monitor',
    'epthook',
    '!epthook',
    'epthook2',
    '!epthook2',
    'regular-event',
    'big-event',
    'regular-safe-buffer',
    'big-safe-buffer',
  ];
  if (!known.includes(type)) {
    s.print(`err, couldn't resolve error at '${(t[1] as Token).text}'\n`);
    return false;
  }
  const count = resolveAddressArgument(s, (t[2] as Token).text);
  if (count === null) {
    s.print(`err, couldn't resolve error at '${(t[2] as Token).text}'\n`);
    return false;
  }
  if (s.link === null && !s.kdLoaded) {
    s.print(MSG.kdNotLoaded);
    return false;
  }
  const n = Number(count & 0xffffffffn);
  const pools = s.preallocated;
  if (type === 'regular-event') pools.regularEvents += n;
  else if (type === 'big-event') pools.bigEvents += n;
  else if (type === 'regular-safe-buffer') pools.regularSafeBuffers += n;
  else if (type === 'big-safe-buffer') pools.bigSafeBuffers += n;
  s.print('the requested pools are allocated and reserved\n');
  return true;
}

export const COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  CommandPrealloc: (s, t) => void prealloc(s, t),
  CommandConnect: connect,
  CommandDisconnect: disconnect,
  CommandStatus: status,
  CommandLoad: load,
  CommandUnload: unload,
  CommandG: g,
  CommandPause: pause,
  CommandExit: exit,
  CommandFlush: flush,
  CommandSettings: settings,
  CommandEvents: events,
  CommandDebug: runDebugCommand,
};
