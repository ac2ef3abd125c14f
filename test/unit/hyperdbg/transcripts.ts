// Transcripts of every message family hyperdbg-cli v0.23 prints, written from the spec's exact
// strings (section cited with each), with the items a correct parser must give. The expected
// items are written by hand from the spec, never taken from the parser's output.
import type { ItemJson } from '../../../shared/hyperdbg/itemJson';
import type { ParseSetup } from './parserHelpers';

export interface Family extends ParseSetup {
  readonly name: string;
  readonly transcript: string;
  readonly expected: readonly ItemJson[];
}

const P = { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' } as const;
const blank = { type: 'text', text: '' } as const;
const status = (code: string, text: string, args: string[] = []): ItemJson => ({
  type: 'status',
  code,
  text,
  args,
});
const error = (code: string, text: string, args: string[] = []): ItemJson => ({
  type: 'error',
  code,
  text,
  args,
});
const text = (t: string): ItemJson => ({ type: 'text', text: t });

// §1.2: the exact banner lines.
const BANNER = 'HyperDbg Debugger [version: v0.23.0, build: 20260803.1412]';
const DOCS = 'Please visit https://docs.hyperdbg.org for more information...';
const LICENSE = 'HyperDbg is released under the GNU Public License v3 (GPLv3).';

// §2.7: the VMI Ctrl+C messages.
const AUTOUNPAUSE_ON =
  "auto-unpause mode is enabled, debugger will automatically continue when you run a new event command, if you want to change this behaviour then run run 'settings autounpause off'";
const AUTOUNPAUSE_OFF =
  "auto-unpause mode is disabled, you should run 'g' when you want to continue, otherwise run 'settings autounpause on'";
const PROCESS_HINT = "To pause the target process, run the 'pause' command";

// §3.7 (the missing space before "For" is the original's).
const BREAK_IN_VMI =
  'err, the script or assembly code is either not found or invalid. As a result, the default action is to break. However, breaking to the debugger is not possible in the VMI Mode. To achieve full control of the system, you can switch to the Debugger Mode. In the VMI Mode, you can still use scripts and run custom code for local debugging.For more information, please check: https://docs.hyperdbg.org/using-hyperdbg/prerequisites/operation-modes';

/**
 * §2.7 `HyperDbgDisassembler64`: `<hi8>`<lo8>   `, ` %02X` per byte, three spaces per byte short
 * of 12, ` <instruction>`, optional ` [taken]`/` [not taken]`.
 */
export function disassemblyLine(address: string, bytes: string[], instruction: string): string {
  const hi = address.slice(0, 8);
  const lo = address.slice(8);
  const padding = '   '.repeat(Math.max(0, 12 - bytes.length));
  return `${hi}\`${lo}   ${bytes.map((b) => ` ${b}`).join('')}${padding} ${instruction}`;
}

const DIS1 = disassemblyLine(
  'fffff8004ed6f010',
  ['48', '8B', '5A', '40'],
  'mov rbx, qword ptr ds:[rdx+0x40]',
);
const DIS2 = disassemblyLine('fffff8004ed6f017', ['74', '02'], 'jz 0xFFFFF8004ED6F01B [taken]');
const DIS_LONG = disassemblyLine(
  'fffff8004ed6f019',
  ['48', 'B8', '88', '77', '66', '55', '44', '33', '22', '11', '90', '90', '90'],
  'mov rax, 0x1122334455667788',
);

// buffer-records.md §2: record lines.
const REC_3 = 'HDBG1 3 1 55 18 1122334455667788 99aabbccddeeff00 123456789abcdef0';
const REC_PNAME = 'HDBG1 0 2 fffff8004ed6f010 f 2e74736f68637673 ff00000000657865';
/** 125 zero words: the payload of a 0x3e7-byte record. */
const MAX_WORDS = ' 0'.repeat(125);

export const FAMILIES: readonly Family[] = [
  {
    name: '§1.2 banner, then the first prompt',
    transcript: `${BANNER}\n${DOCS}\n${LICENSE}\n\nHyperDbg> `,
    expected: [
      {
        type: 'banner',
        version: 'v0.23.0',
        build: '20260803.1412',
        simulator: false,
        text: BANNER,
      },
      status('banner-docs', DOCS),
      status('banner-license', LICENSE),
      blank,
      P,
    ],
  },
  {
    name: 'buffer-records.md §1: the simulator banner carries -sim',
    transcript: 'HyperDbg Debugger [version: v0.23.0-sim, build: 20260101.0000]\n',
    expected: [
      {
        type: 'banner',
        version: 'v0.23.0-sim',
        build: '20260101.0000',
        simulator: true,
        text: 'HyperDbg Debugger [version: v0.23.0-sim, build: 20260101.0000]',
      },
    ],
  },
  {
    name: '§1.4 every prompt form',
    transcript:
      'HyperDbg> \n[192.168.1.5:50000] HyperDbg> \n1a4:1c8 (paused) u64HyperDbg> \n2f0:10 (running) u86HyperDbg> \n0: kHyperDbg> \n1f: kHyperDbg> ',
    expected: [
      P,
      {
        type: 'prompt',
        mode: 'remote',
        text: '[192.168.1.5:50000] HyperDbg> ',
        host: '192.168.1.5',
        port: '50000',
      },
      {
        type: 'prompt',
        mode: 'user',
        text: '1a4:1c8 (paused) u64HyperDbg> ',
        pid: '1a4',
        tid: '1c8',
        state: 'paused',
        arch: '64',
      },
      {
        type: 'prompt',
        mode: 'user',
        text: '2f0:10 (running) u86HyperDbg> ',
        pid: '2f0',
        tid: '10',
        state: 'running',
        arch: '86',
      },
      { type: 'prompt', mode: 'kernel', text: '0: kHyperDbg> ', core: '0' },
      { type: 'prompt', mode: 'kernel', text: '1f: kHyperDbg> ', core: '1f' },
    ],
  },
  {
    name: '§1.3 continuation prompts of a multi-line command, as a pipe shows them (no echo)',
    transcript: 'HyperDbg> > > \nHyperDbg> ',
    // `HyperDbg> > > \n`: the line holds only prompts, so no blank text item follows them.
    expected: [
      P,
      { type: 'prompt', mode: 'continuation', text: '> ' },
      { type: 'prompt', mode: 'continuation', text: '> ' },
      P,
    ],
  },
  {
    name: '§1.3, §1.7 continuation prompts with conhost echo',
    transcript:
      'HyperDbg> !cpuid script {\r\n> printf("%x\\n", $context);\r\n> }\r\n\r\nHyperDbg> ',
    expected: [
      P,
      text('!cpuid script {'),
      { type: 'prompt', mode: 'continuation', text: '> ' },
      text('printf("%x\\n", $context);'),
      { type: 'prompt', mode: 'continuation', text: '> ' },
      text('}'),
      blank,
      P,
    ],
  },
  {
    name: '§1.8 the sync marker: unknown command, blank line, prompt (pipe: no echo)',
    transcript: "HyperDbg> err, couldn't resolve command at '__hdbg_sync_0001'\n\nHyperDbg> ",
    expected: [
      P,
      error('unknown-command', "err, couldn't resolve command at '__hdbg_sync_0001'", [
        '__hdbg_sync_0001',
      ]),
      blank,
      P,
    ],
  },
  {
    name: '§1.7, §1.8 conhost echo of the sent lines under ConPTY (CRLF)',
    echoes: ['events', '__hdbg_sync_0002'],
    transcript:
      "HyperDbg> events\r\nno active/disabled events \r\n\r\nHyperDbg> __hdbg_sync_0002\r\nerr, couldn't resolve command at '__hdbg_sync_0002'\r\n\r\nHyperDbg> ",
    expected: [
      P,
      { type: 'echo', text: 'events' },
      status('events-empty', 'no active/disabled events '),
      blank,
      P,
      { type: 'echo', text: '__hdbg_sync_0002' },
      error('unknown-command', "err, couldn't resolve command at '__hdbg_sync_0002'", [
        '__hdbg_sync_0002',
      ]),
      blank,
      P,
    ],
  },
  {
    name: '§1.5 a .script run echoes each command after a prompt',
    transcript: 'HyperDbg> .connect local\nlocal debugging (vmi-mode)\n\n',
    expected: [
      P,
      text('.connect local'),
      status('connected-local', 'local debugging (vmi-mode)'),
      blank,
    ],
  },
  {
    name: '§1.3 EOF on stdin: "\\n\\n" and a prompt, again',
    transcript: 'HyperDbg> \n\nHyperDbg> \n\nHyperDbg> ',
    expected: [P, blank, P, blank, P],
  },
  {
    name: '§2.1 .connect local and its errors',
    transcript:
      "HyperDbg> local debugging (vmi-mode)\n\nHyperDbg> you're connected to a debugger, please use '.disconnect' command\n\nHyperDbg> you're connected to a an instance of HyperDbg, please use '.debug close' command\n\nHyperDbg> ",
    expected: [
      P,
      status('connected-local', 'local debugging (vmi-mode)'),
      blank,
      P,
      error(
        'already-connected',
        "you're connected to a debugger, please use '.disconnect' command",
      ),
      blank,
      P,
      error(
        'already-connected-debugger',
        "you're connected to a an instance of HyperDbg, please use '.debug close' command",
      ),
      blank,
      P,
    ],
  },
  {
    name: '§2.2 TCP remote: connect, a remote prompt, the remote closing',
    transcript:
      'HyperDbg> connected to 192.168.1.5:50000\n\n[192.168.1.5:50000] HyperDbg> \nrecv failed with error: 10054\nthe remote system closes the connection.\n\nHyperDbg> incorrect ip address\nincorrect port\nunable to connect to the server\ngetaddrinfo failed (2af9)\nerr, WSAStartup failed (276d)\n',
    expected: [
      P,
      status('connected-remote', 'connected to 192.168.1.5:50000', ['192.168.1.5', '50000']),
      blank,
      {
        type: 'prompt',
        mode: 'remote',
        text: '[192.168.1.5:50000] HyperDbg> ',
        host: '192.168.1.5',
        port: '50000',
      },
      error('recv-failed', 'recv failed with error: 10054', ['10054']),
      status('remote-closed', 'the remote system closes the connection.'),
      blank,
      P,
      error('incorrect-ip', 'incorrect ip address'),
      error('incorrect-port', 'incorrect port'),
      error('connect-failed', 'unable to connect to the server'),
      error('getaddrinfo-failed', 'getaddrinfo failed (2af9)', ['2af9']),
      error('wsastartup-failed', 'err, WSAStartup failed (276d)', ['276d']),
    ],
  },
  {
    name: '§2.2 .listen on the remote side',
    transcript:
      'listening on 0.0.0.0 ...\nconnected to : 192.168.1.9:50123\nclosing the connection...\n',
    expected: [
      status('listening', 'listening on 0.0.0.0 ...', ['0.0.0.0']),
      status('client-connected', 'connected to : 192.168.1.9:50123', ['192.168.1.9', '50123']),
      status('closing-connection', 'closing the connection...'),
    ],
  },
  {
    name: '§2.3 Debugger Mode: connecting, running, a pause with its reason and disassembly',
    transcript: [
      'HyperDbg> waiting for debuggee to connect...',
      'connected to debuggee Windows 10 Pro - Client 2009 (OS Build 19045)',
      'getting symbol details...',
      'interpreting symbols and creating symbol maps',
      'press CTRL+C to pause the debuggee',
      'debuggee is running...',
      'event 0x3 triggered (pre)',
      DIS1,
      '',
      `0: kHyperDbg> `,
    ].join('\n'),
    expected: [
      P,
      status('waiting-for-debuggee', 'waiting for debuggee to connect...'),
      status(
        'connected-debuggee',
        'connected to debuggee Windows 10 Pro - Client 2009 (OS Build 19045)',
        ['Windows 10 Pro - Client 2009 (OS Build 19045)'],
      ),
      status('getting-symbols', 'getting symbol details...'),
      status('interpreting-symbols', 'interpreting symbols and creating symbol maps'),
      status('press-ctrl-c', 'press CTRL+C to pause the debuggee'),
      status('debuggee-running', 'debuggee is running...'),
      {
        type: 'pause',
        reason: 'event',
        eventId: '3',
        stage: 'pre',
        text: 'event 0x3 triggered (pre)',
      },
      {
        type: 'disassembly',
        address: 'fffff8004ed6f010',
        bytes: '488b5a40',
        instruction: 'mov rbx, qword ptr ds:[rdx+0x40]',
        text: DIS1,
      },
      blank,
      { type: 'prompt', mode: 'kernel', text: '0: kHyperDbg> ', core: '0' },
    ],
  },
  {
    name: '§2.7 Debugger Mode pause reasons, branch results, a 13-byte instruction',
    transcript: [
      'event 0x1a triggered (post)',
      'breakpoint 0x2 hit',
      DIS2,
      'switched to the specified process',
      'switched to the specified thread',
      'the target module is loaded and a breakpoint is set to the entrypoint',
      "press 'g' to reach to the entrypoint of the main module...",
      DIS_LONG,
      'err, unable to continue the debuggee',
      'err, unable to pause the debuggee',
      '',
    ].join('\n'),
    expected: [
      {
        type: 'pause',
        reason: 'event',
        eventId: '1a',
        stage: 'post',
        text: 'event 0x1a triggered (post)',
      },
      { type: 'pause', reason: 'breakpoint', breakpointId: '2', text: 'breakpoint 0x2 hit' },
      {
        type: 'disassembly',
        address: 'fffff8004ed6f017',
        bytes: '7402',
        instruction: 'jz 0xFFFFF8004ED6F01B',
        branch: 'taken',
        text: DIS2,
      },
      { type: 'pause', reason: 'process-switch', text: 'switched to the specified process' },
      { type: 'pause', reason: 'thread-switch', text: 'switched to the specified thread' },
      {
        type: 'pause',
        reason: 'entrypoint',
        text: 'the target module is loaded and a breakpoint is set to the entrypoint',
      },
      status('entrypoint-hint', "press 'g' to reach to the entrypoint of the main module..."),
      {
        type: 'disassembly',
        address: 'fffff8004ed6f019',
        bytes: '48b88877665544332211909090',
        instruction: 'mov rax, 0x1122334455667788',
        text: DIS_LONG,
      },
      error('continue-failed', 'err, unable to continue the debuggee'),
      error('pause-failed', 'err, unable to pause the debuggee'),
    ],
  },
  {
    name: '§2.3 .debug validation messages',
    transcript: [
      'err, baud rate is invalid',
      '',
      'err, COM port is invalid',
      '',
      "err, couldn't resolve error at 'sreial'",
      '',
      "err, both 'remote' and 'prepare' can't be used together",
      "err, either 'remote' or 'prepare' should be used",
      "err, 'pause' cannot be used with 'prepare'",
      "err, named pipe cannot be used with 'prepare'",
      'err, named pipe address is empty',
      'err, COM port address or baudrate is unknown',
      "err, the current system is already connected to the local debugging, use '.disconnect' to disconnect",
      'err, occurred while connecting to the server (2)',
      'is the virtual machine running?',
      "err, port can't be opened",
      'err, to Get the COM state',
      'err, to Setting DCB Structure',
      'is the debugger listening? retry handshaking with the debugger... (timeout: 5 seconds)',
      "synchronizing modules' symbol details",
      'the operation was successful',
      '',
    ].join('\n'),
    expected: [
      error('invalid-baud-rate', 'err, baud rate is invalid'),
      blank,
      error('invalid-com-port', 'err, COM port is invalid'),
      blank,
      error('unresolved-token', "err, couldn't resolve error at 'sreial'", ['sreial']),
      blank,
      error('remote-and-prepare', "err, both 'remote' and 'prepare' can't be used together"),
      error('remote-or-prepare-missing', "err, either 'remote' or 'prepare' should be used"),
      error('pause-with-prepare', "err, 'pause' cannot be used with 'prepare'"),
      error('namedpipe-with-prepare', "err, named pipe cannot be used with 'prepare'"),
      error('namedpipe-empty', 'err, named pipe address is empty'),
      error('com-or-baud-unknown', 'err, COM port address or baudrate is unknown'),
      error(
        'already-connected-local',
        "err, the current system is already connected to the local debugging, use '.disconnect' to disconnect",
      ),
      error('namedpipe-connect-failed', 'err, occurred while connecting to the server (2)', ['2']),
      error('namedpipe-vm-hint', 'is the virtual machine running?'),
      error('serial-open-failed', "err, port can't be opened"),
      error('serial-get-state-failed', 'err, to Get the COM state'),
      error('serial-set-dcb-failed', 'err, to Setting DCB Structure'),
      status(
        'handshake-retry',
        'is the debugger listening? retry handshaking with the debugger... (timeout: 5 seconds)',
      ),
      status('synchronizing-symbols', "synchronizing modules' symbol details"),
      status('operation-successful', 'the operation was successful'),
    ],
  },
  {
    name: '§2.4 .debug close (no trailing newline of its own), the debuggee leaving',
    transcript:
      '0: kHyperDbg> unloading debugger vmm module on debuggee...\nHyperDbg> err, debugger is not attached to any instance of debuggee\n\nHyperDbg> \nthe remote connection is closed\n',
    expected: [
      { type: 'prompt', mode: 'kernel', text: '0: kHyperDbg> ', core: '0' },
      status('unloading-debuggee-vmm', 'unloading debugger vmm module on debuggee...'),
      P,
      error('not-attached', 'err, debugger is not attached to any instance of debuggee'),
      blank,
      P,
      status('remote-connection-closed', 'the remote connection is closed'),
    ],
  },
  {
    name: '§2.5 .disconnect (note the space before the newline)',
    transcript:
      "you're not connected to any instance of HyperDbg, did you use '.connect'? \nyou cannot disconnect in local debugging while the driver is still loaded. please use 'unload' command before disconnecting from the current instance of debugger\ndisconnected successfully\n",
    expected: [
      error(
        'not-connected',
        "you're not connected to any instance of HyperDbg, did you use '.connect'? ",
      ),
      error(
        'disconnect-driver-loaded',
        "you cannot disconnect in local debugging while the driver is still loaded. please use 'unload' command before disconnecting from the current instance of debugger",
      ),
      status('disconnected', 'disconnected successfully'),
    ],
  },
  {
    name: '§2.6 load vmm: success',
    transcript: [
      'loading the vmm module',
      'the service (driver) already exists',
      'virtualization technology is vt-x',
      'vmx operation is supported by your processor',
      'vmm module is running...',
      'interpreting symbols and creating symbol maps',
      "please configure the symbol path (use '.help .sympath' for more information)",
      '',
    ].join('\n'),
    expected: [
      status('loading-vmm', 'loading the vmm module'),
      status('driver-service-exists', 'the service (driver) already exists'),
      status('vtx-detected', 'virtualization technology is vt-x'),
      status('vmx-supported', 'vmx operation is supported by your processor'),
      status('vmm-running', 'vmm module is running...'),
      status('interpreting-symbols', 'interpreting symbols and creating symbol maps'),
      status(
        'symbol-path-hint',
        "please configure the symbol path (use '.help .sympath' for more information)",
      ),
    ],
  },
  {
    name: '§2.6 load vmm: every error, multi-line ones line by line',
    transcript: [
      "the vmm module is already running, if you use 'load' before, please first unload it using the 'unload' command",
      'failed to install or load the driver',
      'err, target file is not loaded',
      'unable to install KD driver',
      'err, this program is not designed to run in a non-VT-x environment. It needs an Intel processor.',
      'vmx operation is not supported by your processor (if you are using an Intel processor, it might be because VBS is not disabled!)',
      'err, access denied',
      'are you sure you have administrator rights?',
      'err, a device attached to the system is not functioning',
      'vmx feature might be disabled from BIOS or VBS/HVCI is active',
      'err, CreateFile failed (5)',
      "err, couldn't set debug privilege",
      'ioctl failed with code 0xc0000001',
      'err, initializing VMM module',
      'err, module not found',
      '',
    ].join('\n'),
    expected: [
      error(
        'vmm-already-running',
        "the vmm module is already running, if you use 'load' before, please first unload it using the 'unload' command",
      ),
      error('driver-load-failed', 'failed to install or load the driver'),
      error('driver-file-missing', 'err, target file is not loaded'),
      error('kd-driver-install-failed', 'unable to install KD driver'),
      error(
        'not-vtx',
        'err, this program is not designed to run in a non-VT-x environment. It needs an Intel processor.',
      ),
      error(
        'vmx-not-supported',
        'vmx operation is not supported by your processor (if you are using an Intel processor, it might be because VBS is not disabled!)',
      ),
      error('access-denied', 'err, access denied'),
      error('access-denied-hint', 'are you sure you have administrator rights?'),
      error('device-not-functioning', 'err, a device attached to the system is not functioning'),
      error(
        'device-not-functioning-hint',
        'vmx feature might be disabled from BIOS or VBS/HVCI is active',
      ),
      error('createfile-failed', 'err, CreateFile failed (5)', ['5']),
      error('debug-privilege-failed', "err, couldn't set debug privilege"),
      error('ioctl-failed', 'ioctl failed with code 0xc0000001', ['c0000001']),
      error('vmm-init-failed', 'err, initializing VMM module'),
      error('module-not-found', 'err, module not found'),
    ],
  },
  {
    name: '§2.6 unload (the "loadedd" typo is the original\'s)',
    transcript: [
      'start terminating vmm...',
      "you're not on HyperDbg's hypervisor anymore!",
      'the debugger module is unloaded!',
      'the vmm module is not loadedd',
      'unloading all modules',
      'all modules are unloaded',
      'no module is loaded',
      'all drivers are removed',
      '',
    ].join('\n'),
    expected: [
      status('terminating-vmm', 'start terminating vmm...'),
      status('vmm-terminated', "you're not on HyperDbg's hypervisor anymore!"),
      status('debugger-unloaded', 'the debugger module is unloaded!'),
      error('vmm-not-loaded', 'the vmm module is not loadedd'),
      status('unloading-all', 'unloading all modules'),
      status('all-unloaded', 'all modules are unloaded'),
      status('no-module-loaded', 'no module is loaded'),
      status('drivers-removed', 'all drivers are removed'),
    ],
  },
  {
    name: '§2.7 VMI pause and Ctrl+C (asynchronous prompt; "run run" is the original\'s)',
    transcript: `HyperDbg> pausing...\n\nHyperDbg> \npausing...\n${AUTOUNPAUSE_ON}\n\nHyperDbg> \npausing...\n${PROCESS_HINT}\n${AUTOUNPAUSE_OFF}\n\nHyperDbg> `,
    expected: [
      P,
      status('pausing', 'pausing...'),
      blank,
      P,
      status('pausing', 'pausing...'),
      status('autounpause-enabled', AUTOUNPAUSE_ON),
      blank,
      P,
      status('pausing', 'pausing...'),
      status('pause-process-hint', PROCESS_HINT),
      status('autounpause-disabled', AUTOUNPAUSE_OFF),
      blank,
      P,
    ],
  },
  {
    name: '§2.9, §1.6 asynchronous script output glued to a prompt',
    transcript: 'HyperDbg> pid 4 name System\nHyperDbg> HDBG1 2 0 55 8 4847464544434241\n',
    expected: [
      P,
      text('pid 4 name System'),
      P,
      {
        type: 'record',
        eventId: '2',
        core: '0',
        context: '55',
        length: '8',
        bytes: '4142434445464748',
      },
    ],
  },
  {
    name: '§1.6 a script printf without "\\n" leaves the line open: the next line the CLI prints starts mid-line',
    transcript:
      "pid 4 err, oops\nabcerr, couldn't resolve command at '__hdbg_sync_0001'\n\nHyperDbg> xyzHDBG1 2 0 55 8 4847464544434241\nname: (12:01:02.345 - core : 3 - vmx-root? yes)\t [-] Warning (EptHookPerformPageHook:88) | the page is already hooked\nprogress Line 3:\nq=1event 0x3 triggered (pre)\nplain text, nothing glued\n",
    expected: [
      // An `err, ` no table row knows stays inside the user's text.
      text('pid 4 err, oops'),
      text('abc'),
      error('unknown-command', "err, couldn't resolve command at '__hdbg_sync_0001'", [
        '__hdbg_sync_0001',
      ]),
      blank,
      P,
      text('xyz'),
      {
        type: 'record',
        eventId: '2',
        core: '0',
        context: '55',
        length: '8',
        bytes: '4142434445464748',
      },
      text('name: '),
      {
        type: 'kernel-log',
        time: '12:01:02.345',
        core: 3,
        vmxRoot: true,
        level: 'warning',
        function: 'EptHookPerformPageHook',
        line: 88,
        message: 'the page is already hooked',
        text: '(12:01:02.345 - core : 3 - vmx-root? yes)\t [-] Warning (EptHookPerformPageHook:88) | the page is already hooked',
      },
      text('progress '),
      error('script-syntax-line', 'Line 3:', ['3']),
      text('q=1'),
      {
        type: 'pause',
        reason: 'event',
        eventId: '3',
        stage: 'pre',
        text: 'event 0x3 triggered (pre)',
      },
      text('plain text, nothing glued'),
    ],
  },
  {
    name: '§2.3 a command holding a record format (as .logopen files log it) is text, not a broken record; a broken record at a line start still is',
    transcript:
      'HyperDbg> !syscall script { printf("HDBG1 %x %x %llx %x %llx\\n", $event_id, $core, $context, 8, dq($pname)); }\nHDBG1 1 0 55 f 7265726f6c707865\n',
    expected: [
      P,
      text(
        '!syscall script { printf("HDBG1 %x %x %llx %x %llx\\n", $event_id, $core, $context, 8, dq($pname)); }',
      ),
      {
        type: 'text',
        text: 'HDBG1 1 0 55 f 7265726f6c707865',
        malformed: true,
        reason: '1 payload words for length 0xf; expected 2',
      },
    ],
  },
  {
    name: '§2.10 kernel log lines (the trailing "\\n \\n" of a script error is real)',
    transcript:
      '(12:01:02.345 - core : 3 - vmx-root? yes)\t [+] Information (DebuggerPerformRunScript:1417) | Err, ScriptEngineExecute, function = dq\n \n(00:00:07.001 - core : 12 - vmx-root? no)\t [-] Warning (EptHookPerformPageHook:88) | the page is already hooked\n(23:59:59.999 - core : 0 - vmx-root? yes)\t [!] Error (VmxInitialize:42) | cannot allocate\n',
    expected: [
      {
        type: 'kernel-log',
        time: '12:01:02.345',
        core: 3,
        vmxRoot: true,
        level: 'information',
        function: 'DebuggerPerformRunScript',
        line: 1417,
        message: 'Err, ScriptEngineExecute, function = dq',
        text: '(12:01:02.345 - core : 3 - vmx-root? yes)\t [+] Information (DebuggerPerformRunScript:1417) | Err, ScriptEngineExecute, function = dq',
      },
      text(' '),
      {
        type: 'kernel-log',
        time: '00:00:07.001',
        core: 12,
        vmxRoot: false,
        level: 'warning',
        function: 'EptHookPerformPageHook',
        line: 88,
        message: 'the page is already hooked',
        text: '(00:00:07.001 - core : 12 - vmx-root? no)\t [-] Warning (EptHookPerformPageHook:88) | the page is already hooked',
      },
      {
        type: 'kernel-log',
        time: '23:59:59.999',
        core: 0,
        vmxRoot: true,
        level: 'error',
        function: 'VmxInitialize',
        line: 42,
        message: 'cannot allocate',
        text: '(23:59:59.999 - core : 0 - vmx-root? yes)\t [!] Error (VmxInitialize:42) | cannot allocate',
      },
    ],
  },
  {
    name: '§2.11 .status',
    transcript:
      "remote debugging - debugger ('debugger mode')\nremote debugging - debuggee ('debugger mode')\nremote debugging ('vmi mode'), ip : 10.0.0.2:50000 \nlocal debugging ('vmi mode')\nerr, you're not connected to any instance of HyperDbg\n",
    expected: [
      status('status-debugger-mode', "remote debugging - debugger ('debugger mode')"),
      status('status-debuggee-mode', "remote debugging - debuggee ('debugger mode')"),
      status('status-remote-vmi', "remote debugging ('vmi mode'), ip : 10.0.0.2:50000 ", [
        '10.0.0.2',
        '50000',
      ]),
      status('status-local-vmi', "local debugging ('vmi mode')"),
      error('status-not-connected', "err, you're not connected to any instance of HyperDbg"),
    ],
  },
  {
    name: '§3.2, §3.3 code and script errors (a script syntax error spans lines)',
    transcript: [
      'please enter condition code in a hex notation',
      "err, assemble error code: '1'",
      '',
      "err, either script file is not found or it's empty",
      'Line 1:',
      'printf("%02x", 1);',
      '       ^',
      'Syntax Error: Invalid Syntax',
      'Undefined Function',
      '',
    ].join('\n'),
    expected: [
      error('hex-expected', 'please enter condition code in a hex notation'),
      error('assemble-error', "err, assemble error code: '1'", ['1']),
      blank,
      error('script-file-missing', "err, either script file is not found or it's empty"),
      error('script-syntax-line', 'Line 1:', ['1']),
      text('printf("%02x", 1);'),
      text('       ^'),
      error('script-syntax-error', 'Syntax Error: Invalid Syntax', ['Invalid Syntax']),
      error('script-undefined-function', 'Undefined Function'),
    ],
  },
  {
    name: '§3.1, §3.4, §3.5 keyword errors and notices',
    transcript: [
      'err, pid is invalid',
      'err, core id is invalid',
      'err, immediate messaging token is invalid',
      "err, the specified execution mode is invalid; you can either choose 'pre' or 'post'",
      "err, the specified short-circuiting state is invalid; you can either choose 'on' or 'off'",
      'err, no input found',
      'err, based on this build of HyperDbg, the maximum input sources for a single event is 0x5 sources but you entered 0x6 sources',
      "err, the name you entered, not found. Did you use 'output' command to create it?",
      'err, output source already closed',
      "some of the output(s) are not opened, it's not an error, but please ensure to open the output using the 'output' command to forward the results to the target resource",
      "err, you cannot specify process id while the debugger is paused in the debugger mode. You can use the '.process' or the '.thread' command to switch to the target process's memory layout (c000003e)",
      'err, buffer size is invalid',
      'err, the requested optional buffer is bigger than the debuggers send/receive stack, please select a smaller requested buffer for the target event (c0000048)',
      "notice: as you're debugging a user-mode application, this event will only trigger on your current debugging process (pid:1a4). If you want the event from the entire system, add 'pid all' to the event",
      '',
    ].join('\n'),
    expected: [
      error('invalid-pid', 'err, pid is invalid'),
      error('invalid-core', 'err, core id is invalid'),
      error('invalid-imm', 'err, immediate messaging token is invalid'),
      error(
        'invalid-stage',
        "err, the specified execution mode is invalid; you can either choose 'pre' or 'post'",
      ),
      error(
        'invalid-sc',
        "err, the specified short-circuiting state is invalid; you can either choose 'on' or 'off'",
      ),
      error('output-no-input', 'err, no input found'),
      error(
        'output-too-many',
        'err, based on this build of HyperDbg, the maximum input sources for a single event is 0x5 sources but you entered 0x6 sources',
        ['5', '6'],
      ),
      error(
        'output-not-found',
        "err, the name you entered, not found. Did you use 'output' command to create it?",
      ),
      error('output-closed', 'err, output source already closed'),
      status(
        'output-not-opened',
        "some of the output(s) are not opened, it's not an error, but please ensure to open the output using the 'output' command to forward the results to the target resource",
      ),
      error(
        'pid-while-paused',
        "err, you cannot specify process id while the debugger is paused in the debugger mode. You can use the '.process' or the '.thread' command to switch to the target process's memory layout (c000003e)",
        ['c000003e'],
      ),
      error('invalid-buffer', 'err, buffer size is invalid'),
      error(
        'buffer-too-big',
        'err, the requested optional buffer is bigger than the debuggers send/receive stack, please select a smaller requested buffer for the target event (c0000048)',
        ['c0000048'],
      ),
      status(
        'notice-current-process',
        "notice: as you're debugging a user-mode application, this event will only trigger on your current debugging process (pid:1a4). If you want the event from the entire system, add 'pid all' to the event",
        ['1a4'],
      ),
    ],
  },
  {
    name: '§3.6 kernel registration errors (multi-line invalid address)',
    transcript: [
      "the vmm (virtualization) module is not loaded. Did you use 'load vmm' command?",
      "handle of the driver not found, probably the driver is not loaded. Did you use 'load' command?",
      'err, invalid address (c0000005)',
      "address may be paged-out or unavailable on the page table due to 'demand paging'",
      'please refer to https://docs.hyperdbg.org/tips-and-tricks/considerations/accessing-invalid-address for further information',
      "err, the page modification is not applied, make sure that you don't put multiple EPT Hooks or Monitors on a single page (c0000026)",
      'err, error not found (c00000ff)',
      'err, the requested event is considered as a "big instant event" and there is no pre-allocated buffer (c000004a)',
      'err, some kernel failure (c0000031)',
      '',
    ].join('\n'),
    expected: [
      error(
        'vmm-not-loaded-event',
        "the vmm (virtualization) module is not loaded. Did you use 'load vmm' command?",
      ),
      error(
        'driver-handle-missing',
        "handle of the driver not found, probably the driver is not loaded. Did you use 'load' command?",
      ),
      error('invalid-address', 'err, invalid address (c0000005)', ['c0000005']),
      error(
        'invalid-address-paging',
        "address may be paged-out or unavailable on the page table due to 'demand paging'",
      ),
      error(
        'invalid-address-docs',
        'please refer to https://docs.hyperdbg.org/tips-and-tricks/considerations/accessing-invalid-address for further information',
      ),
      error(
        'ept-page-modification',
        "err, the page modification is not applied, make sure that you don't put multiple EPT Hooks or Monitors on a single page (c0000026)",
        ['c0000026'],
      ),
      error('unknown-kernel-error', 'err, error not found (c00000ff)', ['c00000ff']),
      error(
        'big-instant-event',
        'err, the requested event is considered as a "big instant event" and there is no pre-allocated buffer (c000004a)',
        [' and there is no pre-allocated buffer (c000004a)'],
      ),
      error('kernel-error', 'err, some kernel failure (c0000031)', [
        'some kernel failure',
        'c0000031',
      ]),
    ],
  },
  {
    name: '§3.7, §3.8 errors after the id is assigned, and per-command messages',
    transcript: [
      "err, please specify a value for 'buffer'",
      "err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!",
      BREAK_IN_VMI,
      "err, non-immediate message passing is not supported in 'output-forwarding mode'",
      'err, allocation error',
      "unknown parameter 'foo'",
      '',
      "incorrect use of the '!tsc'",
      '',
      'please choose an address to put the hidden breakpoint on it',
      'please choose an address to put the hook on it',
      "the utilization of 'post' or 'all' event calling stages is not meaningful for the hidden hook; therefore, this command does not support them",
      'err, you should enter a valid length',
      "please choose the 'from' or 'to' values or specify the length",
      "please choose the 'from' value first, then choose the 'to' value",
      'please specify the attribute(s) that you want to monitor (r, w, x, rw, rx, wx, rwx)',
      "the entry should be between 0x0 to 0x1f or first 32 entries'",
      'the entry should be between 0x20 to 0xFF or the entries between 32 to 255',
      "please specify an interrupt index to monitor, HyperDbg doesn't support to trigger events on all interrupts because it's not reasonable and make the system unresponsive",
      'please specify the mode(s) that you want to intercept their execution (u, k, ku)',
      "this event only applies to the selected process(es). please specify the 'pid' or the process id of the target process that you want to trap its execution",
      'please choose either 0 for cr0 or 4 for cr4',
      'please specify the trace type',
      '',
    ].join('\n'),
    expected: [
      error('missing-value', "err, please specify a value for 'buffer'", ['buffer']),
      error(
        'sc-with-post',
        "err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!",
      ),
      error('break-in-vmi', BREAK_IN_VMI),
      error(
        'imm-no-with-output',
        "err, non-immediate message passing is not supported in 'output-forwarding mode'",
      ),
      error('allocation-error', 'err, allocation error'),
      error('unknown-parameter', "unknown parameter 'foo'", ['foo']),
      blank,
      error('incorrect-use', "incorrect use of the '!tsc'", ['!tsc']),
      blank,
      error(
        'epthook-address-missing',
        'please choose an address to put the hidden breakpoint on it',
      ),
      error('epthook2-address-missing', 'please choose an address to put the hook on it'),
      error(
        'hidden-hook-stage',
        "the utilization of 'post' or 'all' event calling stages is not meaningful for the hidden hook; therefore, this command does not support them",
      ),
      error('monitor-invalid-length', 'err, you should enter a valid length'),
      error(
        'monitor-range-missing',
        "please choose the 'from' or 'to' values or specify the length",
      ),
      error(
        'monitor-from-first',
        "please choose the 'from' value first, then choose the 'to' value",
      ),
      error(
        'monitor-attributes-missing',
        'please specify the attribute(s) that you want to monitor (r, w, x, rw, rx, wx, rwx)',
      ),
      error(
        'exception-index-range',
        "the entry should be between 0x0 to 0x1f or first 32 entries'",
      ),
      error(
        'interrupt-index-range',
        'the entry should be between 0x20 to 0xFF or the entries between 32 to 255',
      ),
      error(
        'interrupt-index-missing',
        "please specify an interrupt index to monitor, HyperDbg doesn't support to trigger events on all interrupts because it's not reasonable and make the system unresponsive",
      ),
      error(
        'mode-missing',
        'please specify the mode(s) that you want to intercept their execution (u, k, ku)',
      ),
      error(
        'mode-pid-missing',
        "this event only applies to the selected process(es). please specify the 'pid' or the process id of the target process that you want to trap its execution",
      ),
      error('crwrite-register-invalid', 'please choose either 0 for cr0 or 4 for cr4'),
      error('trace-type-missing', 'please specify the trace type'),
    ],
  },
  {
    name: "§4 events listing: rows (the spec's own examples), and the empty list",
    transcript: [
      '0\t(enabled)\t    !syscall 55 pid 4 buffer 40 code 9090 script  printf("x\\n");  ',
      '1a\t(disabled)\t    !epthook nt!NtCreateFile script    printf("pid %x name %s\\n", $pid, $p...',
      '',
      'HyperDbg> no active/disabled events ',
      '',
      'HyperDbg> ',
    ].join('\n'),
    expected: [
      {
        type: 'events-row',
        id: '0',
        enabled: true,
        command: '!syscall 55 pid 4 buffer 40 code 9090 script  printf("x\\n");  ',
        truncated: false,
      },
      {
        type: 'events-row',
        id: '1a',
        enabled: false,
        command: '!epthook nt!NtCreateFile script    printf("pid %x name %s\\n", $pid, $p...',
        truncated: true,
      },
      blank,
      P,
      status('events-empty', 'no active/disabled events '),
      blank,
      P,
    ],
  },
  {
    name: '§4 events e|d|c and events sc messages',
    transcript: [
      'the event is successfully cleared, but please note in the Debugger Mode (current mode), HyperDbg cannot clear events instantly. (illustrative tail)',
      "auto-flush mode is disabled, if there is still messages or buffers in the kernel, you continue to see the messages when you run 'g' until the kernel buffers are empty. you can run 'settings autoflush on' and after disabling and clearing events, kernel buffers will be flushed automatically",
      'err, tag id is invalid',
      'there is no event',
      'please specify a correct hex value for tag id (event number)',
      '',
      'err, modify event with invalid tag (c000000e)',
      "err, the event was successfully, disabled but can't apply it to the user-mode structures",
      "the event's short-circuiting state changed to 'on'",
      "err, handle to remote debuggee's com port is not found",
      "please specify a correct 'on' or 'off' state for the short-circuiting state",
      '',
      "incorrect use of the 'events'",
      '',
    ].join('\n'),
    expected: [
      status(
        'events-cleared-debugger-mode',
        'the event is successfully cleared, but please note in the Debugger Mode (current mode), HyperDbg cannot clear events instantly. (illustrative tail)',
        ['the event is', ' (illustrative tail)'],
      ),
      status(
        'autoflush-disabled',
        "auto-flush mode is disabled, if there is still messages or buffers in the kernel, you continue to see the messages when you run 'g' until the kernel buffers are empty. you can run 'settings autoflush on' and after disabling and clearing events, kernel buffers will be flushed automatically",
      ),
      error('invalid-tag', 'err, tag id is invalid'),
      status('no-event', 'there is no event'),
      error('invalid-tag-hex', 'please specify a correct hex value for tag id (event number)'),
      blank,
      error('modify-invalid-tag', 'err, modify event with invalid tag (c000000e)', ['c000000e']),
      error(
        'events-usermode-mismatch',
        "err, the event was successfully, disabled but can't apply it to the user-mode structures",
        ['disabled'],
      ),
      status('events-sc-changed', "the event's short-circuiting state changed to 'on'", ['on']),
      error('no-debuggee-com-handle', "err, handle to remote debuggee's com port is not found"),
      error(
        'events-sc-invalid',
        "please specify a correct 'on' or 'off' state for the short-circuiting state",
      ),
      blank,
      error('incorrect-use', "incorrect use of the 'events'", ['events']),
    ],
  },
  {
    name: '§6.2, §6.4, §7 flush, output, serial desync, command files, config (typos are originals)',
    transcript: [
      'flushing buffers was successful, total 12 messages were cleared.',
      'flushing buffers was not successful :(',
      "the kd (kernel debugger) module is not loaded. Did you use 'load kd' command?",
      'output forwarding list is empty',
      'err, the name you entered, already exists, please choose another name',
      'err, invalid address or cannot open or find the address',
      'name of the output cannot exceed form 50 characters',
      '',
      'err, there was an error transferring the message to the remote sources',
      'err, serial stream desynced (a buffer exceeded the buffer limitation with no end marker); resyncing',
      'err, invalid file specified for the script',
      'please specify a file',
      '',
      'err, incorrect auto unpause settings',
      'err, rror occurred while creating the pipe (e7)',
      'err, invalid command line options passed to the HyperDbg!',
      'err, something nobody listed',
      '',
    ].join('\n'),
    expected: [
      status('flush-ok', 'flushing buffers was successful, total 12 messages were cleared.', [
        '12',
      ]),
      error('flush-failed', 'flushing buffers was not successful :('),
      error(
        'kd-not-loaded',
        "the kd (kernel debugger) module is not loaded. Did you use 'load kd' command?",
      ),
      status('output-list-empty', 'output forwarding list is empty'),
      error(
        'output-name-exists',
        'err, the name you entered, already exists, please choose another name',
      ),
      error('output-invalid-address', 'err, invalid address or cannot open or find the address'),
      error('output-name-too-long', 'name of the output cannot exceed form 50 characters', ['50']),
      blank,
      error(
        'forwarding-failed',
        'err, there was an error transferring the message to the remote sources',
      ),
      error(
        'serial-desync',
        'err, serial stream desynced (a buffer exceeded the buffer limitation with no end marker); resyncing',
      ),
      error('script-file-invalid', 'err, invalid file specified for the script'),
      error('script-file-argument-missing', 'please specify a file'),
      blank,
      error('config-autounpause-invalid', 'err, incorrect auto unpause settings'),
      error('pipe-create-failed', 'err, rror occurred while creating the pipe (e7)', ['e7']),
      error('invalid-command-line', 'err, invalid command line options passed to the HyperDbg!'),
      error('unlisted-error', 'err, something nobody listed'),
    ],
  },
  {
    name: 'buffer-records.md §2 valid records: words little-endian, not zero-padded, cut to length',
    transcript: [
      REC_3,
      REC_PNAME,
      'HDBG1 0 0 0 3 1',
      'HDBG1 A B C 8 DEADBEEF',
      'HDBG1 0 0 0 0',
      'HDBG1 ffffffff 0 ffffffffffffffff 1 0',
      `HDBG1 1 0 0 3e7${MAX_WORDS}`,
      'HDBGRES 0 2 ffffc60e1a2b3000 1122334455667788 0 0 0',
      'HDBG1 0 0 0 1 ff',
    ].join('\n'),
    expected: [
      {
        type: 'record',
        eventId: '3',
        core: '1',
        context: '55',
        length: '18',
        bytes: '8877665544332211' + '00ffeeddccbbaa99' + 'f0debc9a78563412',
      },
      // The process name "svchost.exe" in 0xf bytes; the 16th byte of the last word (ff) is cut.
      {
        type: 'record',
        eventId: '0',
        core: '2',
        context: 'fffff8004ed6f010',
        length: 'f',
        bytes: '737663686f73742e65786500000000',
      },
      { type: 'record', eventId: '0', core: '0', context: '0', length: '3', bytes: '010000' },
      {
        type: 'record',
        eventId: 'a',
        core: 'b',
        context: 'c',
        length: '8',
        bytes: 'efbeadde00000000',
      },
      { type: 'record', eventId: '0', core: '0', context: '0', length: '0', bytes: '' },
      {
        type: 'record',
        eventId: 'ffffffff',
        core: '0',
        context: 'ffffffffffffffff',
        length: '1',
        bytes: '00',
      },
      {
        type: 'record',
        eventId: '1',
        core: '0',
        context: '0',
        length: '3e7',
        bytes: '00'.repeat(0x3e7),
      },
      // spec §5.5's HDBGRES lines are not records of this format: plain text, not malformed.
      text('HDBGRES 0 2 ffffc60e1a2b3000 1122334455667788 0 0 0'),
      // The stream ends without a newline: end() still delivers it.
      { type: 'record', eventId: '0', core: '0', context: '0', length: '1', bytes: 'ff' },
    ],
  },
  {
    name: 'buffer-records.md §2 malformed records are kept as text, marked, with a reason',
    transcript: [
      'HDBG1 0 0 0 9 1',
      'HDBG1 0 0 0 8 1 2',
      'HDBG1 0 0 0 8 12345g',
      `HDBG1 0 0 0 3e8${MAX_WORDS} 0`,
      'HDBG1 0 0 0 8 11111111111111111',
      'HDBG1 0  0 0 0',
      'HDBG1 0 0 0 0 ',
      'HDBG3 0 0 0 0',
      'HDBG1',
      'HDBG1 123456789 0 0 0',
      '',
    ].join('\n'),
    expected: [
      {
        type: 'text',
        text: 'HDBG1 0 0 0 9 1',
        malformed: true,
        reason: '1 payload words for length 0x9; expected 2',
      },
      {
        type: 'text',
        text: 'HDBG1 0 0 0 8 1 2',
        malformed: true,
        reason: '2 payload words for length 0x8; expected 1',
      },
      {
        type: 'text',
        text: 'HDBG1 0 0 0 8 12345g',
        malformed: true,
        reason: "word 0 '12345g' is not hex",
      },
      {
        type: 'text',
        text: `HDBG1 0 0 0 3e8${MAX_WORDS} 0`,
        malformed: true,
        reason: 'length 0x3e8 is over the limit 0x3e7',
      },
      {
        type: 'text',
        text: 'HDBG1 0 0 0 8 11111111111111111',
        malformed: true,
        reason: 'word 0 has 17 digits (at most 16)',
      },
      {
        type: 'text',
        text: 'HDBG1 0  0 0 0',
        malformed: true,
        reason: 'an empty field where the core should be (fields are separated by single spaces)',
      },
      {
        type: 'text',
        text: 'HDBG1 0 0 0 0 ',
        malformed: true,
        reason: 'an empty field at word 0 (fields are separated by single spaces)',
      },
      {
        type: 'text',
        text: 'HDBG3 0 0 0 0',
        malformed: true,
        reason: 'unsupported record version 3 (this parser reads versions 1 and 2)',
      },
      {
        type: 'text',
        text: 'HDBG1',
        malformed: true,
        reason: "'HDBG1' must be followed by a single space",
      },
      {
        type: 'text',
        text: 'HDBG1 123456789 0 0 0',
        malformed: true,
        reason: 'the event id has too many digits (9)',
      },
    ],
  },
  {
    name: '§1.7 ConPTY: VT sequences (title, cursor, colours), CRLF, cursor-forward for blanks',
    transcript:
      `\x1b[?25l\x1b[2J\x1b[m\x1b[H\x1b]0;C:\\hyperdbg\\hyperdbg-cli.exe\x07${BANNER}\r\n` +
      `\x1b[31merr, tag id is invalid\x1b[0m\r\n` +
      `a\x1b[7C(enabled)\x1b[11C!cpuid script {printf("%x\\n", $context);}\r\n` +
      `\x1b[?25hHyperDbg> \x1b[K`,
    expected: [
      {
        type: 'banner',
        version: 'v0.23.0',
        build: '20260803.1412',
        simulator: false,
        text: BANNER,
      },
      error('invalid-tag', 'err, tag id is invalid'),
      {
        type: 'events-row',
        id: 'a',
        enabled: true,
        command: '!cpuid script {printf("%x\\n", $context);}',
        truncated: false,
      },
      P,
    ],
  },
  {
    // What conhost's renderer may make of the same session when it repaints (plausible forms;
    // no raw capture of a real hyperdbg-cli exists yet): trailing blanks trimmed with the cursor
    // placed after them (CUP), the typed line repainted with its prompt (CUP or CR, then
    // erase-in-line), TABs expanded to spaces at 8-column stops.
    name: '§1.7 ConPTY repaints: trimmed prompt, prompt repainted with the echo (CUP, CR, EL), TABs expanded',
    echoes: ['events', '__hdbg_sync_0001', '.status', '__hdbg_sync_0002'],
    transcript:
      `\x1b[?25lHyperDbg>\x1b[K\x1b[5;11H\x1b[?25h` +
      `\x1b[?25l\x1b[5;1HHyperDbg> events\x1b[K\r\n__hdbg_sync_0001\x1b[K\r\n\x1b[?25h` +
      `0       (enabled)           !syscall script printf("x\\n");\r\n` +
      `(12:01:02.345 - core : 3 - vmx-root? yes)        [-] Warning (EptHookPerformPageHook:88) | the page is already hooked\r\n` +
      `\r\nerr, couldn't resolve command at '__hdbg_sync_0001'\r\n\r\n` +
      `HyperDbg> \rHyperDbg> .status\x1b[K\r\n__hdbg_sync_0002\r\n` +
      `local debugging ('vmi mode')\r\n\r\nerr, couldn't resolve command at '__hdbg_sync_0002'\r\n\r\n` +
      `\x1b[?25l0: kHyperDbg>\x1b[K\x1b[12;14H\x1b[?25h`,
    expected: [
      P,
      { type: 'echo', text: 'events' },
      { type: 'echo', text: '__hdbg_sync_0001' },
      {
        type: 'events-row',
        id: '0',
        enabled: true,
        command: '!syscall script printf("x\\n");',
        truncated: false,
      },
      {
        type: 'kernel-log',
        time: '12:01:02.345',
        core: 3,
        vmxRoot: true,
        level: 'warning',
        function: 'EptHookPerformPageHook',
        line: 88,
        message: 'the page is already hooked',
        text: '(12:01:02.345 - core : 3 - vmx-root? yes)        [-] Warning (EptHookPerformPageHook:88) | the page is already hooked',
      },
      blank,
      error('unknown-command', "err, couldn't resolve command at '__hdbg_sync_0001'", [
        '__hdbg_sync_0001',
      ]),
      blank,
      P,
      { type: 'echo', text: '.status' },
      { type: 'echo', text: '__hdbg_sync_0002' },
      status('status-local-vmi', "local debugging ('vmi mode')"),
      blank,
      error('unknown-command', "err, couldn't resolve command at '__hdbg_sync_0002'", [
        '__hdbg_sync_0002',
      ]),
      blank,
      { type: 'prompt', mode: 'kernel', text: '0: kHyperDbg> ', core: '0' },
    ],
  },
  {
    name: '§1.7 bare carriage returns end lines too; \\r\\r\\n is one line end',
    transcript:
      'progress 10%\rprogress 20%\r\r\nHDBG1 0 0 0 1 7\r\r\nlocal debugging (vmi-mode)\r\n',
    expected: [
      text('progress 10%'),
      text('progress 20%'),
      { type: 'record', eventId: '0', core: '0', context: '0', length: '1', bytes: '07' },
      status('connected-local', 'local debugging (vmi-mode)'),
    ],
  },
];

const WRAP = 24;
const LONG_RECORD = 'HDBG1 3 1 55 18 1122334455667788 99aabbccddeeff00 123456789abcdef0';
const LONG_COMMAND = '!syscall 55 script {printf("%x\\n", $context);}';
/** `line` as ConPTY hard-wraps it at WRAP columns (spec §1.7). */
const wrapped = (line: string): string =>
  line.match(new RegExp(`.{1,${WRAP}}`, 'g'))?.join('\r\n') ?? line;

export const WRAP_FAMILY: Family = {
  name: '§1.7 ConPTY hard wraps at a known width: a record and an echoed command rejoined',
  options: { wrapWidth: WRAP },
  echoes: [LONG_COMMAND],
  transcript: `${wrapped(LONG_RECORD)}\r\n${wrapped(`HyperDbg> ${LONG_COMMAND}`)}\r\n\r\nHyperDbg> `,
  expected: [
    {
      type: 'record',
      eventId: '3',
      core: '1',
      context: '55',
      length: '18',
      bytes: '8877665544332211' + '00ffeeddccbbaa99' + 'f0debc9a78563412',
    },
    P,
    { type: 'echo', text: LONG_COMMAND },
    blank,
    P,
  ],
};
