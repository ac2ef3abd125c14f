// Words for the hyperdbg-cli errors a user can act on: what happened and what to do, by message
// code (and, where HyperDbg prints a Windows error number, by that number). Used for a failed
// connect step and for the same failures typed in the console. Host side; pure.
import { matchMessage } from '../../../shared/hyperdbg/messages';

/** GetLastError()'s ERROR_ACCESS_DENIED, which the service manager gives a non-elevated caller. */
const WIN32_ACCESS_DENIED = '5';

/** HyperDbg's own install guide, which its driver-loading error already points to. */
export const HYPERDBG_INSTALL_GUIDE = 'https://docs.hyperdbg.org/getting-started/build-and-install';

export const NOT_ELEVATED =
  'hyperdbg-cli is not running as administrator: Windows refused it the service manager (OpenSCManager error 5, access denied), so it cannot install its driver. Start HyperDbg Studio as administrator (or start it from an elevated prompt) and connect again';

export const DRIVER_SIGNATURE_BLOCKED = `Windows refused to load hyperkd.sys (ERROR_INVALID_IMAGE_HASH): driver signature enforcement is on, or HVCI (Memory integrity) blocks the driver. As HyperDbg's install guide says (${HYPERDBG_INSTALL_GUIDE}): disable driver signature enforcement (boot menu: Troubleshoot > Advanced options > Startup Settings > Disable driver signature enforcement, or attach WinDbg), turn off Memory integrity and VBS, then load again`;

type Words = string | ((args: readonly string[]) => string);

const WORDS: Readonly<Record<string, Words>> = {
  'driver-file-missing':
    'hyperkd.sys missing: hyperdbg-cli looks for it next to hyperdbg-cli.exe (spec §1.1, §2.6)',
  'scm-open-failed': (args) =>
    args[0] === WIN32_ACCESS_DENIED
      ? NOT_ELEVATED
      : `Windows refused hyperdbg-cli the service manager (OpenSCManager error ${args[0] ?? '?'}), so it cannot install its driver`,
  'service-create-failed': (args) =>
    args[0] === WIN32_ACCESS_DENIED
      ? NOT_ELEVATED.replace(
          'the service manager (OpenSCManager',
          'a driver service (CreateService',
        )
      : `Windows could not create the HyperDbg driver service (CreateService error ${args[0] ?? '?'})`,
  'service-start-failed': (args) =>
    `Windows could not start the HyperDbg driver (StartService error ${args[0] ?? '?'})`,
  'service-marked-for-delete':
    'the previous HyperDbg driver service is not fully deleted yet: wait a moment and load again',
  'driver-old-instance-remove-failed':
    'an older HyperDbg driver is installed and could not be removed: unload it (or reboot) and load again',
  'driver-path-not-found':
    'Windows could not reach hyperkd.sys (path not found, or access limited; often an anti-virus still scanning it): load again',
  'driver-signature-blocked': DRIVER_SIGNATURE_BLOCKED,
  'driver-signature-hint': DRIVER_SIGNATURE_BLOCKED,
  'kd-driver-install-failed': 'the HyperDbg driver could not be installed',
  'access-denied': 'hyperdbg-cli needs administrator rights to load its driver: run elevated',
  'access-denied-hint': 'hyperdbg-cli needs administrator rights to load its driver: run elevated',
  'not-vtx': 'this machine has no Intel VT-x: HyperDbg needs an Intel processor',
  'vmx-not-supported':
    'VT-x is not available: it may be off in the BIOS, or VBS/Hyper-V holds it (disable VBS)',
  'device-not-functioning': 'VT-x is disabled in the BIOS, or VBS/HVCI is active',
  'debug-privilege-failed': 'hyperdbg-cli could not get the debug privilege: run elevated',
  'vmm-init-failed': 'the vmm module failed to initialise',
  'driver-load-failed': 'the HyperDbg driver failed to load',
  'drivers-load-failed': 'the HyperDbg drivers failed to load',
  'namedpipe-connect-failed':
    'the named pipe could not be opened: is the virtual machine running with its serial port on this pipe? (spec §2.3, §7)',
  'serial-open-failed': 'the COM port cannot be opened (in use, or not present)',
  'invalid-baud-rate': 'the baud rate is not one hyperdbg-cli accepts',
  'invalid-com-port': 'only COM1 to COM4 are supported (spec §7)',
  'invalid-debuggee-packet':
    'what came over the link is not HyperDbg: is this the right COM port or pipe, with HyperDbg waiting on the other end?',
  'connect-failed': 'no HyperDbg listens at that address (unable to connect to the server)',
  'incorrect-ip': 'the IP address is not four numbers 0-255',
  'incorrect-port': 'the port is not a number 0-65535',
  'build-mismatch': 'the debuggee runs a different HyperDbg build: use the same build on both ends',
};

/** Codes whose words are worth a notice when the line comes from a command typed in the console. */
export const CONSOLE_EXPLAINED: ReadonlySet<string> = new Set([
  'scm-open-failed',
  'service-create-failed',
  'driver-signature-blocked',
  'driver-path-not-found',
  'service-marked-for-delete',
]);

/** The words for one recognised error line, or undefined when there are none. */
export function wordsFor(error: {
  readonly code: string;
  readonly text: string;
}): string | undefined {
  const w = WORDS[error.code];
  if (w === undefined || typeof w === 'string') return w;
  return w(matchMessage(error.text)?.args ?? []);
}
