// Fixed strings hyperdbg-cli v0.23 prints, shared by several commands (spec §2, §3.6; the
// ASSERT_MESSAGE_* macros of libhyperdbg/header/common/common.h). Pure data.

export const MSG = {
  notConnected: "you're not connected to any instance of HyperDbg, did you use '.connect'? \n",
  vmmNotLoaded: "the vmm (virtualization) module is not loaded. Did you use 'load vmm' command?\n",
  driverNotLoaded:
    "handle of the driver not found, probably the driver is not loaded. Did you use 'load' command?\n",
  kdNotLoaded: "the kd (kernel debugger) module is not loaded. Did you use 'load kd' command?\n",
  connectedToDebugger: "you're connected to a debugger, please use '.disconnect' command\n",
  /** The "a an" typo is the CLI's own (spec §9.18). */
  connectedToInstance:
    "you're connected to a an instance of HyperDbg, please use '.debug close' command\n",
  alreadyLocal:
    "err, the current system is already connected to the local debugging, use '.disconnect' to disconnect\n",
  alreadySerialDebuggee:
    "err, the current system is already connected to remote machine (debuggee), use '.debug close' to disconnect from the remote machine\n",
  breakInVmi:
    'err, the script or assembly code is either not found or invalid. As a result, the default action is to break. However, breaking to the debugger is not possible in the VMI Mode. To achieve full control of the system, you can switch to the Debugger Mode. In the VMI Mode, you can still use scripts and run custom code for local debugging.For more information, please check: https://docs.hyperdbg.org/using-hyperdbg/prerequisites/operation-modes\n',
  hexNotation: 'please enter condition code in a hex notation\n',
  autoUnpausePause:
    "\npausing...\nauto-unpause mode is enabled, debugger will automatically continue when you run a new event command, if you want to change this behaviour then run run 'settings autounpause off'\n\n",
  noAutoUnpausePause:
    "\npausing...\nauto-unpause mode is disabled, you should run 'g' when you want to continue, otherwise run 'settings autounpause on'\n\n",
  autoFlushDisabled:
    "auto-flush mode is disabled, if there is still messages or buffers in the kernel, you continue to see the messages when you run 'g' until the kernel buffers are empty. you can run 'settings autoflush on' and after disabling and clearing events, kernel buffers will be flushed automatically\n",
} as const;

/** ShowErrorMessage texts for the kernel errors the simulated kernel returns (debugger.cpp). */
export function kernelError(code: number): string {
  const c = code.toString(16);
  switch (code) {
    case 0xc0000004:
      return `err, unable to create event (${c})\n`;
    case 0xc0000005:
      return `err, invalid address (${c})\naddress may be paged-out or unavailable on the page table due to 'demand paging'\nplease refer to https://docs.hyperdbg.org/tips-and-tricks/considerations/accessing-invalid-address for further information\n`;
    case 0xc0000006:
      return `err, invalid core id (${c})\n`;
    case 0xc000000e:
      return `err, modify event with invalid tag (${c})\n`;
    case 0xc0000040:
      return `err, you cannot specify process id while the debugger is paused in the debugger mode. You can use the '.process' or the '.thread' command to switch to the target process's memory layout (${c})\n`;
    case 0xc0000042:
      return `err, not enough pre-allocated buffer exists for storing the event. You can use the 'prealloc' command to fix this issue by pre-allocating more buffers (${c})\nfor more information please visit: https://docs.hyperdbg.org/tips-and-tricks/misc/instant-events\n`;
    case 0xc0000043:
      return `err, the requested event is considered as a "big instant event" and right now, there is no pre-allocated buffer for storing it. You can use the 'prealloc' command to fix this issue by pre-allocating big instant event buffers (${c})\nfor more information please visit: https://docs.hyperdbg.org/tips-and-tricks/misc/instant-events\n`;
    default:
      return `err, error not found (${c})\n`;
  }
}

export const ERR_UNABLE_TO_CREATE_EVENT = 0xc0000004;
export const ERR_INVALID_ADDRESS = 0xc0000005;
export const ERR_INVALID_CORE_ID = 0xc0000006;
export const ERR_PID_WHILE_PAUSED = 0xc0000040;
export const ERR_NO_REGULAR_INSTANT_EVENT = 0xc0000042;
export const ERR_NO_BIG_INSTANT_EVENT = 0xc0000043;
