// The error and status lines hyperdbg-cli v0.23 prints, each with a stable code, built from the
// spec's exact format strings (typos included, spec §9.18) and a matcher for one output line.
// Pure. Multi-line messages are listed line by line: the parser sees lines.

export type MessageSeverity = 'error' | 'status';

export interface MessageDef {
  /** Stable identifier, e.g. `unknown-command`. */
  readonly code: string;
  readonly severity: MessageSeverity;
  /**
   * The C format of one line, without its `\n`: `%s` any text, `%x` hex, `%d` decimal, `%u`
   * unsigned decimal. Matched against a line with its trailing spaces removed.
   */
  readonly format: string;
  /** Where the spec lists it. */
  readonly section: string;
}

type Row = readonly [code: string, severity: MessageSeverity, format: string, section: string];

const E = 'error';
const S = 'status';

/**
 * Order matters only among patterns (formats with `%`): the first that matches wins, so the
 * specific ones come before the general `err, %s (%x)`.
 */
const ROWS: readonly Row[] = [
  // §1.1-1.3 start-up and input
  ['invalid-command-line', E, 'err, invalid command line options passed to the HyperDbg!', '§1.1'],
  ['banner-docs', S, 'Please visit https://docs.hyperdbg.org for more information...', '§1.2'],
  ['banner-license', S, 'HyperDbg is released under the GNU Public License v3 (GPLv3).', '§1.2'],
  ['unknown-command', E, "err, couldn't resolve command at '%s'", '§1.3, §1.8'],
  ['incorrect-use', E, "incorrect use of the '%s'", '§2'],
  // §2.1 .connect local
  ['connected-local', S, 'local debugging (vmi-mode)', '§2.1'],
  [
    'already-connected',
    E,
    "you're connected to a debugger, please use '.disconnect' command",
    '§2.1',
  ],
  [
    'already-connected-debugger',
    E,
    "you're connected to a an instance of HyperDbg, please use '.debug close' command",
    '§2.1',
  ],
  // §2.2 .connect <ip> [port], .listen
  ['incorrect-ip', E, 'incorrect ip address', '§2.2'],
  ['incorrect-port', E, 'incorrect port', '§2.2'],
  ['connect-failed', E, 'unable to connect to the server', '§2.2'],
  ['getaddrinfo-failed', E, 'getaddrinfo failed (%x)', '§2.2'],
  ['wsastartup-failed', E, 'err, WSAStartup failed (%x)', '§2.2'],
  [
    'build-mismatch',
    E,
    'the handshaking process was successful; however, there is a mismatch between the version/build of the debuggee and the debugger. please use the same version/build for both the debuggee and debugger',
    '§2.2',
  ],
  ['debuggee-communication-failed', E, 'err, failed to communicate with debuggee', '§2.2'],
  ['debuggee-receive-failed', E, 'err, failed to receive message from debuggee', '§2.2'],
  // Before `connected to %s:%s`, which would also match these two.
  ['connected-debuggee', S, 'connected to debuggee %s', '§2.3'],
  ['client-connected', S, 'connected to : %s:%d', '§2.2'],
  ['connected-remote', S, 'connected to %s:%s', '§2.2'],
  ['recv-failed', E, 'recv failed with error: %d', '§2.2'],
  ['remote-closed', S, 'the remote system closes the connection.', '§2.2'],
  ['listening', S, 'listening on %s ...', '§2.2'],
  ['closing-connection', S, 'closing the connection...', '§2.2'],
  // §2.3 .debug remote serial|namedpipe, .debug prepare
  ['invalid-baud-rate', E, 'err, baud rate is invalid', '§2.3'],
  ['invalid-com-port', E, 'err, COM port is invalid', '§2.3'],
  ['unresolved-token', E, "err, couldn't resolve error at '%s'", '§2.3, §3.8'],
  ['remote-and-prepare', E, "err, both 'remote' and 'prepare' can't be used together", '§2.3'],
  ['remote-or-prepare-missing', E, "err, either 'remote' or 'prepare' should be used", '§2.3'],
  ['pause-with-prepare', E, "err, 'pause' cannot be used with 'prepare'", '§2.3'],
  ['namedpipe-with-prepare', E, "err, named pipe cannot be used with 'prepare'", '§2.3'],
  ['namedpipe-empty', E, 'err, named pipe address is empty', '§2.3'],
  ['com-or-baud-unknown', E, 'err, COM port address or baudrate is unknown', '§2.3'],
  [
    'already-connected-local',
    E,
    "err, the current system is already connected to the local debugging, use '.disconnect' to disconnect",
    '§2.3',
  ],
  ['namedpipe-connect-failed', E, 'err, occurred while connecting to the server (%x)', '§2.3'],
  ['namedpipe-vm-hint', E, 'is the virtual machine running?', '§2.3'],
  ['serial-open-failed', E, "err, port can't be opened", '§2.3'],
  ['serial-get-state-failed', E, 'err, to Get the COM state', '§2.3'],
  ['serial-set-dcb-failed', E, 'err, to Setting DCB Structure', '§2.3'],
  ['waiting-for-debuggee', S, 'waiting for debuggee to connect...', '§2.3'],
  ['getting-symbols', S, 'getting symbol details...', '§2.3'],
  ['interpreting-symbols', S, 'interpreting symbols and creating symbol maps', '§2.3, §2.6'],
  ['press-ctrl-c', S, 'press CTRL+C to pause the debuggee', '§2.3'],
  ['debuggee-running', S, 'debuggee is running...', '§2.3, §2.7'],
  [
    'handshake-retry',
    S,
    'is the debugger listening? retry handshaking with the debugger... (timeout: 5 seconds)',
    '§2.3',
  ],
  ['synchronizing-symbols', S, "synchronizing modules' symbol details", '§2.3'],
  ['operation-successful', S, 'the operation was successful', '§2.3'],
  // §2.4 .debug close
  ['not-attached', E, 'err, debugger is not attached to any instance of debuggee', '§2.4'],
  ['unloading-debuggee-vmm', S, 'unloading debugger vmm module on debuggee...', '§2.4'],
  ['remote-connection-closed', S, 'the remote connection is closed', '§2.4'],
  // §2.5 .disconnect
  [
    'not-connected',
    E,
    "you're not connected to any instance of HyperDbg, did you use '.connect'? ",
    '§2.5',
  ],
  [
    'disconnect-driver-loaded',
    E,
    "you cannot disconnect in local debugging while the driver is still loaded. please use 'unload' command before disconnecting from the current instance of debugger",
    '§2.5',
  ],
  ['disconnected', S, 'disconnected successfully', '§2.5'],
  // §2.6 load / unload
  ['loading-vmm', S, 'loading the vmm module', '§2.6'],
  ['driver-service-exists', S, 'the service (driver) already exists', '§2.6'],
  ['vtx-detected', S, 'virtualization technology is vt-x', '§2.6'],
  ['vmx-supported', S, 'vmx operation is supported by your processor', '§2.6'],
  ['vmm-running', S, 'vmm module is running...', '§2.6'],
  [
    'symbol-path-hint',
    S,
    "please configure the symbol path (use '.help .sympath' for more information)",
    '§2.6',
  ],
  [
    'vmm-already-running',
    E,
    "the vmm module is already running, if you use 'load' before, please first unload it using the 'unload' command",
    '§2.6',
  ],
  ['driver-load-failed', E, 'failed to install or load the driver', '§2.6'],
  ['kd-driver-install-failed', E, 'unable to install KD driver', '§2.6'],
  // hyperkd.sys is not next to the executable (SetupPathForFileName).
  ['driver-file-missing', E, 'err, target file is not loaded', '§2.6'],
  [
    'not-vtx',
    E,
    'err, this program is not designed to run in a non-VT-x environment. It needs an Intel processor.',
    '§2.6',
  ],
  [
    'vmx-not-supported',
    E,
    'vmx operation is not supported by your processor (if you are using an Intel processor, it might be because VBS is not disabled!)',
    '§2.6',
  ],
  ['access-denied', E, 'err, access denied', '§2.6'],
  ['access-denied-hint', E, 'are you sure you have administrator rights?', '§2.6'],
  ['device-not-functioning', E, 'err, a device attached to the system is not functioning', '§2.6'],
  [
    'device-not-functioning-hint',
    E,
    'vmx feature might be disabled from BIOS or VBS/HVCI is active',
    '§2.6',
  ],
  ['createfile-failed', E, 'err, CreateFile failed (%x)', '§2.6'],
  ['debug-privilege-failed', E, "err, couldn't set debug privilege", '§2.6'],
  ['ioctl-failed', E, 'ioctl failed with code 0x%x', '§2.6, §3.6'],
  ['vmm-init-failed', E, 'err, initializing VMM module', '§2.6'],
  ['module-not-found', E, 'err, module not found', '§2.6'],
  ['terminating-vmm', S, 'start terminating vmm...', '§2.6'],
  ['vmm-terminated', S, "you're not on HyperDbg's hypervisor anymore!", '§2.6'],
  ['debugger-unloaded', S, 'the debugger module is unloaded!', '§2.6'],
  ['vmm-not-loaded', E, 'the vmm module is not loadedd', '§2.6'],
  ['unloading-all', S, 'unloading all modules', '§2.6'],
  ['all-unloaded', S, 'all modules are unloaded', '§2.6'],
  ['no-module-loaded', S, 'no module is loaded', '§2.6'],
  ['drivers-removed', S, 'all drivers are removed', '§2.6'],
  // §2.7 g, pause, Ctrl+C
  ['pausing', S, 'pausing...', '§2.7'],
  [
    'autounpause-enabled',
    S,
    "auto-unpause mode is enabled, debugger will automatically continue when you run a new event command, if you want to change this behaviour then run run 'settings autounpause off'",
    '§2.7',
  ],
  [
    'autounpause-disabled',
    S,
    "auto-unpause mode is disabled, you should run 'g' when you want to continue, otherwise run 'settings autounpause on'",
    '§2.7',
  ],
  ['pause-process-hint', S, "To pause the target process, run the 'pause' command", '§2.7'],
  ['continue-failed', E, 'err, unable to continue the debuggee', '§2.7'],
  ['pause-failed', E, 'err, unable to pause the debuggee', '§2.7'],
  ['entrypoint-hint', S, "press 'g' to reach to the entrypoint of the main module...", '§2.7'],
  // §2.11 .status
  ['status-debugger-mode', S, "remote debugging - debugger ('debugger mode')", '§2.11'],
  ['status-debuggee-mode', S, "remote debugging - debuggee ('debugger mode')", '§2.11'],
  ['status-remote-vmi', S, "remote debugging ('vmi mode'), ip : %s:%s ", '§2.11'],
  ['status-local-vmi', S, "local debugging ('vmi mode')", '§2.11'],
  ['status-not-connected', E, "err, you're not connected to any instance of HyperDbg", '§2.11'],
  // §3.1 event commands
  [
    'notice-current-process',
    S,
    "notice: as you're debugging a user-mode application, this event will only trigger on your current debugging process (pid:%x). If you want the event from the entire system, add 'pid all' to the event",
    '§3.1',
  ],
  // §3.2 code / condition
  ['hex-expected', E, 'please enter condition code in a hex notation', '§3.2'],
  ['assemble-error', E, "err, assemble error code: '%u'", '§3.2'],
  [
    'big-instant-event',
    E,
    'err, the requested event is considered as a "big instant event"%s',
    '§3.2',
  ],
  // §3.3 script
  ['script-file-missing', E, "err, either script file is not found or it's empty", '§3.3'],
  ['script-syntax-line', E, 'Line %d:', '§3.3'],
  ['script-syntax-error', E, 'Syntax Error: %s', '§3.3'],
  ['script-undefined-function', E, 'Undefined Function', '§3.3'],
  // §3.4 keywords
  ['invalid-pid', E, 'err, pid is invalid', '§3.4'],
  ['invalid-core', E, 'err, core id is invalid', '§3.4'],
  ['invalid-imm', E, 'err, immediate messaging token is invalid', '§3.4'],
  [
    'invalid-stage',
    E,
    "err, the specified execution mode is invalid; you can either choose 'pre' or 'post'",
    '§3.4',
  ],
  [
    'invalid-sc',
    E,
    "err, the specified short-circuiting state is invalid; you can either choose 'on' or 'off'",
    '§3.4',
  ],
  ['output-no-input', E, 'err, no input found', '§3.4'],
  [
    'output-too-many',
    E,
    'err, based on this build of HyperDbg, the maximum input sources for a single event is 0x%x sources but you entered 0x%x sources',
    '§3.4',
  ],
  [
    'output-not-found',
    E,
    "err, the name you entered, not found. Did you use 'output' command to create it?",
    '§3.4',
  ],
  ['output-closed', E, 'err, output source already closed', '§3.4'],
  [
    'output-not-opened',
    S,
    "some of the output(s) are not opened, it's not an error, but please ensure to open the output using the 'output' command to forward the results to the target resource",
    '§3.4',
  ],
  [
    'pid-while-paused',
    E,
    "err, you cannot specify process id while the debugger is paused in the debugger mode. You can use the '.process' or the '.thread' command to switch to the target process's memory layout (%x)",
    '§3.4',
  ],
  // §3.5 buffer
  ['invalid-buffer', E, 'err, buffer size is invalid', '§3.5'],
  // `prealloc` (Debugger Mode's pools for buffers and big events)
  ['prealloc-reserved', S, 'the requested pools are allocated and reserved', '§3.5'],
  [
    'buffer-too-big',
    E,
    'err, the requested optional buffer is bigger than the debuggers send/receive stack, please select a smaller requested buffer for the target event (%x)',
    '§3.5',
  ],
  // §3.6 kernel registration
  [
    'vmm-not-loaded-event',
    E,
    "the vmm (virtualization) module is not loaded. Did you use 'load vmm' command?",
    '§3.6',
  ],
  [
    'driver-handle-missing',
    E,
    "handle of the driver not found, probably the driver is not loaded. Did you use 'load' command?",
    '§3.6',
  ],
  ['invalid-address', E, 'err, invalid address (%x)', '§3.6'],
  [
    'invalid-address-paging',
    E,
    "address may be paged-out or unavailable on the page table due to 'demand paging'",
    '§3.6',
  ],
  [
    'invalid-address-docs',
    E,
    'please refer to https://docs.hyperdbg.org/tips-and-tricks/considerations/accessing-invalid-address for further information',
    '§3.6',
  ],
  [
    'ept-page-modification',
    E,
    "err, the page modification is not applied, make sure that you don't put multiple EPT Hooks or Monitors on a single page (%x)",
    '§3.6',
  ],
  ['unknown-kernel-error', E, 'err, error not found (%x)', '§3.6'],
  // §3.7 shared interpreter (each uses up an id)
  ['missing-value', E, "err, please specify a value for '%s'", '§3.7'],
  [
    'sc-with-post',
    E,
    "err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!",
    '§3.7',
  ],
  [
    'break-in-vmi',
    E,
    'err, the script or assembly code is either not found or invalid. As a result, the default action is to break. However, breaking to the debugger is not possible in the VMI Mode. To achieve full control of the system, you can switch to the Debugger Mode. In the VMI Mode, you can still use scripts and run custom code for local debugging.For more information, please check: https://docs.hyperdbg.org/using-hyperdbg/prerequisites/operation-modes',
    '§3.7',
  ],
  [
    'imm-no-with-output',
    E,
    "err, non-immediate message passing is not supported in 'output-forwarding mode'",
    '§3.7',
  ],
  ['allocation-error', E, 'err, allocation error', '§3.7'],
  // §3.8 per-command
  ['unknown-parameter', E, "unknown parameter '%s'", '§3.8'],
  [
    'epthook-address-missing',
    E,
    'please choose an address to put the hidden breakpoint on it',
    '§3.8',
  ],
  ['epthook2-address-missing', E, 'please choose an address to put the hook on it', '§3.8'],
  [
    'hidden-hook-stage',
    E,
    "the utilization of 'post' or 'all' event calling stages is not meaningful for the hidden hook; therefore, this command does not support them",
    '§3.8',
  ],
  ['monitor-invalid-length', E, 'err, you should enter a valid length', '§3.8'],
  [
    'monitor-range-missing',
    E,
    "please choose the 'from' or 'to' values or specify the length",
    '§3.8',
  ],
  [
    'monitor-from-first',
    E,
    "please choose the 'from' value first, then choose the 'to' value",
    '§3.8',
  ],
  [
    'monitor-attributes-missing',
    E,
    'please specify the attribute(s) that you want to monitor (r, w, x, rw, rx, wx, rwx)',
    '§3.8',
  ],
  [
    'exception-index-range',
    E,
    "the entry should be between 0x0 to 0x1f or first 32 entries'",
    '§3.8',
  ],
  [
    'interrupt-index-range',
    E,
    'the entry should be between 0x20 to 0xFF or the entries between 32 to 255',
    '§3.8',
  ],
  [
    'interrupt-index-missing',
    E,
    "please specify an interrupt index to monitor, HyperDbg doesn't support to trigger events on all interrupts because it's not reasonable and make the system unresponsive",
    '§3.8',
  ],
  [
    'mode-missing',
    E,
    'please specify the mode(s) that you want to intercept their execution (u, k, ku)',
    '§3.8',
  ],
  [
    'mode-pid-missing',
    E,
    "this event only applies to the selected process(es). please specify the 'pid' or the process id of the target process that you want to trap its execution",
    '§3.8',
  ],
  ['crwrite-register-invalid', E, 'please choose either 0 for cr0 or 4 for cr4', '§3.8'],
  ['trace-type-missing', E, 'please specify the trace type', '§3.8'],
  // §4 events
  ['events-empty', S, 'no active/disabled events ', '§4'],
  [
    'events-cleared-debugger-mode',
    S,
    '%s successfully cleared, but please note in the Debugger Mode (current mode), HyperDbg cannot clear events instantly.%s',
    '§4',
  ],
  [
    'autoflush-disabled',
    S,
    "auto-flush mode is disabled, if there is still messages or buffers in the kernel, you continue to see the messages when you run 'g' until the kernel buffers are empty. you can run 'settings autoflush on' and after disabling and clearing events, kernel buffers will be flushed automatically",
    '§4',
  ],
  ['invalid-tag', E, 'err, tag id is invalid', '§4'],
  ['no-event', S, 'there is no event', '§4'],
  ['invalid-tag-hex', E, 'please specify a correct hex value for tag id (event number)', '§4'],
  ['modify-invalid-tag', E, 'err, modify event with invalid tag (%x)', '§4'],
  [
    'events-usermode-mismatch',
    E,
    "err, the event was successfully, %s but can't apply it to the user-mode structures",
    '§4',
  ],
  ['events-sc-changed', S, "the event's short-circuiting state changed to '%s'", '§4'],
  ['no-debuggee-com-handle', E, "err, handle to remote debuggee's com port is not found", '§4'],
  [
    'events-sc-invalid',
    E,
    "please specify a correct 'on' or 'off' state for the short-circuiting state",
    '§4',
  ],
  // §6.2 serial desync, §6.4 flush and output
  [
    'serial-desync',
    E,
    'err, serial stream desynced (a buffer exceeded the buffer limitation with no end marker); resyncing',
    '§6.2',
  ],
  ['flush-ok', S, 'flushing buffers was successful, total %d messages were cleared.', '§6.4'],
  ['flush-failed', E, 'flushing buffers was not successful :(', '§6.4'],
  [
    'kd-not-loaded',
    E,
    "the kd (kernel debugger) module is not loaded. Did you use 'load kd' command?",
    '§6.4',
  ],
  ['output-list-empty', S, 'output forwarding list is empty', '§6.4'],
  [
    'output-name-exists',
    E,
    'err, the name you entered, already exists, please choose another name',
    '§6.4',
  ],
  ['output-invalid-address', E, 'err, invalid address or cannot open or find the address', '§6.4'],
  ['output-name-too-long', E, 'name of the output cannot exceed form %d characters', '§6.4'],
  [
    'forwarding-failed',
    E,
    'err, there was an error transferring the message to the remote sources',
    '§6.4',
  ],
  // A source's write failed (tcpclient.cpp, namedpipe.cpp): its handle is closed, the source stays
  // "opened" and every later message fails the same way.
  ['forwarding-send-failed', E, 'err, send failed (%x)', '§6.4'],
  ['forwarding-pipe-write-failed', E, 'err, occurred while writing to the server (%x)', '§6.4'],
  ['output-name-not-found', E, 'err, the name you entered, not found', '§6.4'],
  ['output-already-opened', E, 'err, the name you entered was already opened', '§6.4'],
  ['output-already-closed', E, 'err, the name you entered was already closed', '§6.4'],
  ['output-open-failed', E, 'err, unable to open the source', '§6.4'],
  ['output-close-failed', E, 'err, unable to close the source', '§6.4'],
  ['output-module-load-failed', E, 'err, unable to load the module', '§6.4'],
  [
    'output-module-function-missing',
    E,
    "err, unable to find the 'hyperdbg_event_forwarding' function",
    '§6.4',
  ],
  // §7 command files, config.ini, pipes
  ['script-file-invalid', E, 'err, invalid file specified for the script', '§7'],
  ['script-file-argument-missing', E, 'please specify a file', '§7'],
  ['config-autounpause-invalid', E, 'err, incorrect auto unpause settings', '§7'],
  ['pipe-create-failed', E, 'err, rror occurred while creating the pipe (%x)', '§9.18'],
  // The driver installer (libhyperdbg driver-loader/install.cpp, ManageDriver and its helpers):
  // what `load` prints when the service manager, the service or the driver refuses. `(%x)` is
  // GetLastError(): 5 is ERROR_ACCESS_DENIED, i.e. hyperdbg-cli is not elevated.
  ['scm-open-failed', E, 'err, OpenSCManager failed (%x)', '§2.6'],
  ['service-open-failed', E, 'err, OpenService failed (%x)', '§2.6'],
  ['service-create-failed', E, 'err, CreateService failed (%x)', '§2.6'],
  ['service-delete-failed', E, 'err, DeleteService failed (%x)', '§2.6'],
  ['service-start-failed', E, 'err, StartService failure (%x)', '§2.6'],
  [
    'service-marked-for-delete',
    E,
    'err, previous instance of the service is not fully deleted. Try again...',
    '§2.6',
  ],
  [
    'driver-old-instance-removing',
    S,
    'trying to remove the old instance of the driver first',
    '§2.6',
  ],
  [
    'driver-old-instance-removed',
    S,
    'the old instance of the driver is removed successfully',
    '§2.6',
  ],
  [
    'driver-old-instance-remove-failed',
    E,
    'err, failed to remove the old instance of the driver',
    '§2.6',
  ],
  ['driver-installing-again', S, 'installing the driver again', '§2.6'],
  [
    'driver-reinstall-failed',
    E,
    'err, failed to install the driver after removing the old instance',
    '§2.6',
  ],
  // A stopped (not running) service after a reboot: v0.23 warns and goes on (StopDriver).
  [
    'driver-stop-warning',
    S,
    'warning, failed to stop the driver. Possible reasons include the driver not currently running or an unsuccessful unload from a previous run. This is not an error, HyperDbg tries to remove the previous driver and load it again (%x)',
    '§2.6',
  ],
  [
    'driver-path-not-found',
    E,
    'err, path to the driver not found, or the access to the driver file is limited',
    '§2.6',
  ],
  [
    'driver-path-antivirus-hint',
    E,
    "most of the time, it's because anti-virus software is not finished scanning the drivers, so, if you try to load the driver again (re-enter the previous command), the problem will be solved",
    '§2.6',
  ],
  // StartService gave ERROR_INVALID_IMAGE_HASH: signature enforcement or HVCI blocked hyperkd.sys.
  ['driver-signature-blocked', E, 'err, failed loading driver', '§2.6'],
  [
    'driver-signature-hint',
    E,
    "it's because either the driver signature enforcement is enabled or HVCI prevents the driver from loading",
    '§2.6',
  ],
  [
    'driver-signature-disable-hint',
    E,
    'you should disable the driver signature enforcement by attaching WinDbg or from the boot menu',
    '§2.6',
  ],
  [
    'driver-hvci-hint',
    E,
    'if the driver signature enforcement is disabled, HVCI might prevent the driver from loading',
    '§2.6',
  ],
  [
    'driver-vbs-hint',
    E,
    'HyperDbg is not compatible with Virtualization Based Security (VBS)',
    '§2.6',
  ],
  [
    'driver-install-docs-hint',
    E,
    'please follow the instructions from: https://docs.hyperdbg.org/getting-started/build-and-install',
    '§2.6',
  ],
  ['driver-manage-invalid', E, 'invalid Driver or Service provided to ManageDriver()', '§2.6'],
  ['driver-manage-unknown', E, 'unknown ManageDriver() function', '§2.6'],
  // The other modules of `load` / `unload` (load.cpp, unload.cpp, libhyperdbg.cpp).
  ['loading-all', S, 'loading the all modules', '§2.6'],
  ['loading-kd', S, 'loading the kd module', '§2.6'],
  ['loading-trace', S, 'loading the trace module', '§2.6'],
  ['trace-running', S, 'hypertrace (trace) module is running...', '§2.6'],
  ['drivers-load-failed', E, 'failed to install or load drivers', '§2.6'],
  [
    'kd-already-running',
    E,
    "the kd module is already running, if you use 'load' before, please first unload it using the 'unload' command",
    '§2.6',
  ],
  [
    'trace-already-running',
    E,
    "the trace module is already running, if you use 'load' before, please first unload it using the 'unload' command",
    '§2.6',
  ],
  ['kd-not-loadedd', E, 'the kd (kernel debugger) module is not loadedd', '§2.6'],
  ['trace-not-loadedd', E, 'the trace (hypertrace) module is not loadedd', '§2.6'],
  ['unload-all-failed', E, 'err, failed to unload all modules', '§2.6'],
  // Symbols (script-engine/symbol.cpp, meta-commands/sympath.cpp, sym.cpp).
  [
    'symbol-table-empty',
    E,
    "symbol table is empty, please use '.sym reload' to build a symbol table",
    '§2.6',
  ],
  [
    'symbol-table-empty-err',
    E,
    "err, symbol table is empty. please use '.sym reload' to build the symbol table",
    '§2.6',
  ],
  [
    'sympath-not-configured',
    S,
    "symbol server is not configured, please use '.help .sympath'",
    '§2.6',
  ],
  ['sympath-current', S, 'current symbol server is : %s', '§2.6'],
  ['sympath-configured', S, 'symbol server/path is configured successfully', '§2.6'],
  [
    'sympath-load-hint',
    S,
    "use '.sym load', '.sym reload', or '.sym download' to load pdb files",
    '§2.6',
  ],
  ['sympath-invalid', E, 'symbol path is invalid', '§2.6'],
  ['symbols-updated', S, 'symbol table updated successfully', '§2.6'],
  // SymbolInitLoad (symbol-parser.cpp): one line per PDB, the result after a TAB.
  ['symbol-loaded', S, "loading symbol '%s'...\tloaded", '§12'],
  // `settings` (debugging-commands/settings.cpp): queries, changes and the per-option usage line.
  ['settings-autounpause-on', S, 'auto-unpause is enabled', '§2.7'],
  ['settings-autounpause-off', S, 'auto-unpause is disabled', '§2.7'],
  ['settings-autounpause-set-on', S, 'set auto-unpause to enabled', '§2.7'],
  ['settings-autounpause-set-off', S, 'set auto-unpause to disabled', '§2.7'],
  ['settings-autoflush-on', S, 'auto-flush is enabled', '§4'],
  ['settings-autoflush-off', S, 'auto-flush is disabled', '§4'],
  ['settings-autoflush-set-on', S, 'set auto-flush to enabled', '§4'],
  ['settings-autoflush-set-off', S, 'set auto-flush to disabled', '§4'],
  ['settings-addrconv-on', S, 'address conversion is enabled', '§2.7'],
  ['settings-addrconv-off', S, 'address conversion is disabled', '§2.7'],
  ['settings-addrconv-set-on', S, 'set address conversion to enabled', '§2.7'],
  ['settings-addrconv-set-off', S, 'set address conversion to disabled', '§2.7'],
  ['settings-syntax', S, 'disassembler syntax is : %s', '§2.7'],
  ['settings-syntax-unknown', S, 'unknown syntax', '§2.7'],
  ['settings-syntax-set', S, 'set syntax to %s', '§2.7'],
  [
    'settings-incorrect-use',
    E,
    "incorrect use of the '%s', please use 'help %s' for more information",
    '§2.7',
  ],
  ['config-syntax-invalid', E, 'err, incorrect assembly syntax settings', '§7'],
  ['config-autoflush-invalid', E, 'err, incorrect auto flush settings', '§7'],
  ['config-addrconv-invalid', E, 'err, incorrect address conversion settings', '§7'],
  // Failure lines without `err, ` that commands print (mode.cpp, logopen.cpp, output.cpp, ...).
  [
    'mode-stage',
    E,
    "the utilization of 'post' or 'all' event calling stages is not meaningful for the mode (user-mode/kernel-mode) change traps; therefore, this command does not support them",
    '§3.8',
  ],
  ['logopen-failed', E, 'unable to open file : %s', '§7'],
  ['output-incorrect-option', E, "incorrect option at '%s'", '§6.4'],
  ['output-incorrect-type', E, "incorrect type near '%s'", '§6.4'],
  ['invalid-hex-value', E, 'please specify a correct hex value for %s', '§4'],
  [
    'invalid-debuggee-packet',
    E,
    'err, invalid packet is received. did you connect to an instance of HyperDbg?',
    '§2.3',
  ],
  ['incorrect-com-source-hint', E, 'maybe an incorrect COM source is specified', '§2.3'],
  [
    'disassembly-misinterpretation',
    E,
    'oOh, no! there might be a misinterpretation in disassembling the current instruction',
    '§2.7',
  ],
  // The script engine's other error causes (script-engine.c HandleError), each on its own line
  // after `Line %d:`, the source line and the caret.
  [
    'script-internal-error',
    E,
    'Internal Error: Please split the expression to many smaller expressions.',
    '§3.3',
  ],
  ['script-undefined-variable-type', E, 'Undefined Variable Type', '§3.3'],
  ['script-void-returns-value', E, 'Returning a value in void function', '§3.3'],
  ['script-missing-return', E, 'Not returning a value in noo-void function', '§3.3'],
  ['script-unknown-struct', E, 'Unknown struct tag', '§3.3'],
  ['script-incomplete-struct', E, 'Incomplete struct type cannot be used by value', '§3.3'],
  ['script-duplicate-struct', E, 'Duplicate struct definition', '§3.3'],
  ['script-duplicate-member', E, 'Duplicate struct member', '§3.3'],
  ['script-duplicate-typedef', E, 'Duplicate typedef name', '§3.3'],
  ['script-invalid-array-size', E, 'Invalid or overflowing array size', '§3.3'],
  ['script-invalid-float', E, 'Invalid floating-point literal', '§3.3'],
  ['script-float-range', E, 'Floating-point literal is out of range', '§3.3'],
  ['script-float-operation', E, 'Unsupported floating-point operation', '§3.3'],
  ['script-unknown-error', E, 'Unknown Error: ', '§3.3'],
  // Last: any other `err, ... (code)` from ShowErrorMessage (§3.6).
  ['kernel-error', E, 'err, %s (%x)', '§3.6'],
];

export const MESSAGES: readonly MessageDef[] = ROWS.map(([code, severity, format, section]) => ({
  code,
  severity,
  format,
  section,
}));

/**
 * Error lines the CLI's kernel-message reader prints while events run (forwarding failures,
 * spec §6.4), never a command: when they arrive inside a command's answer they say nothing
 * about that command (asynchronous output, spec §13).
 */
export const READER_ERRORS: ReadonlySet<string> = new Set([
  'forwarding-failed',
  'forwarding-send-failed',
  'forwarding-pipe-write-failed',
]);

/** Code given to an `err, ...` line that is in no table row. */
export const UNLISTED_ERROR = 'unlisted-error';

export interface MessageMatch {
  readonly def: MessageDef;
  /** The values of the format's `%` fields, as text. */
  readonly args: readonly string[];
}

interface Pattern {
  readonly def: MessageDef;
  readonly prefix: string;
  readonly re: RegExp;
}

const PLACEHOLDER_RE = /%[sxdu]/g;
const PLACEHOLDER: Readonly<Record<string, string>> = {
  '%s': '(.*?)',
  '%x': '([0-9a-fA-F]+)',
  '%d': '(-?[0-9]+)',
  '%u': '([0-9]+)',
};

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(def: MessageDef): Pattern {
  const format = def.format.trimEnd();
  const first = format.search(PLACEHOLDER_RE);
  let source = '';
  let last = 0;
  for (const m of format.matchAll(PLACEHOLDER_RE)) {
    source += escapeRe(format.slice(last, m.index)) + (PLACEHOLDER[m[0]] as string);
    last = m.index + m[0].length;
  }
  source += escapeRe(format.slice(last));
  return { def, prefix: format.slice(0, first), re: new RegExp(`^${source}$`) };
}

const exact = new Map<string, MessageDef>();
const patterns: Pattern[] = [];
for (const def of MESSAGES) {
  if (/%[sxdu]/.test(def.format)) patterns.push(compile(def));
  else exact.set(def.format.trimEnd(), def);
}

/**
 * The table row a line matches (its trailing spaces ignored, since ConPTY may drop them), or
 * undefined. Exact rows are one map lookup; patterns are tried only when their literal prefix
 * matches.
 */
export function matchMessage(line: string): MessageMatch | undefined {
  const text = line.trimEnd();
  const def = exact.get(text);
  if (def !== undefined) return { def, args: [] };
  for (const p of patterns) {
    if (!text.startsWith(p.prefix)) continue;
    const m = p.re.exec(text);
    if (m !== null) return { def: p.def, args: m.slice(1) };
  }
  return undefined;
}
