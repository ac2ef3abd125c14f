// Kernel log lines in hyperlog's format (spec §2.10): "(hh:mm:ss.mmm - core : N - vmx-root? yes)\t "
// then "[+] Information (Function:line) | message\n" (or Warning / Error). Simulator side; pure.

export type LogLevel = 'info' | 'warning' | 'error';

const PREFIX: Record<LogLevel, string> = {
  info: '[+] Information',
  warning: '[-] Warning',
  error: '[!] Error',
};

const pad = (n: number, w: number) => n.toString().padStart(w, '0');

export function kernelLogLine(
  level: LogLevel,
  fn: string,
  line: number,
  message: string,
  core: number,
  vmxRoot: boolean,
  now: Date = new Date(),
): string {
  const time = `${pad(now.getHours(), 2)}:${pad(now.getMinutes(), 2)}:${pad(now.getSeconds(), 2)}.${pad(now.getMilliseconds(), 3)}`;
  return `(${time} - core : ${core} - vmx-root? ${vmxRoot ? 'yes' : 'no'})\t ${PREFIX[level]} (${fn}:${line}) | ${message}\n`;
}

/** Where the kernel reports a failed script run: LogInfo in DebuggerPerformRunScript (Debugger.c:1758). */
export const SCRIPT_ERROR_SITE = { fn: 'DebuggerPerformRunScript', line: 1758 } as const;
export const SCRIPT_STACK_SITE = { fn: 'DebuggerPerformRunScript', line: 1764 } as const;
export const SCRIPT_LIMIT_SITE = { fn: 'DebuggerPerformRunScript', line: 1769 } as const;
/** The custom-code and condition call sites (Debugger.c:1836 and :1535). v0.23 would bug-check on a fault there; the simulator reports it instead. */
export const CUSTOM_CODE_SITE = { fn: 'DebuggerPerformRunTheCustomCode', line: 1836 } as const;
export const CONDITION_SITE = { fn: 'DebuggerCheckForCondition', line: 1535 } as const;
