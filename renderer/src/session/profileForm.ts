// The connection dialog's form: what the user types for each kind of target, checked field by
// field, and the profile draft it becomes. Pure (unit-tested).
import {
  DEFAULT_NAMED_PIPE,
  DEFAULT_TCP_PORT,
  profileDraftSchema,
  describeConnection,
  SERIAL_BAUD_RATES,
  SERIAL_PORTS,
  type ConnectionProfile,
  type ProfileDraft,
  type TargetCapability,
} from '../../../shared/model/actionTarget';
import { fail, ok, type Result } from '../../../shared/result';

export type ConnectionKind = 'simulator' | 'local' | 'namedPipe' | 'serial' | 'tcp';

export const CONNECTION_KIND_LABELS: Readonly<Record<ConnectionKind, string>> = {
  simulator: 'Built-in simulator',
  local: 'Local (VMI mode)',
  namedPipe: 'Named pipe (Debugger Mode, a VM)',
  serial: 'Serial port (Debugger Mode)',
  tcp: 'TCP (remote HyperDbg)',
};

export interface ProfileForm {
  readonly name: string;
  readonly kind: ConnectionKind;
  readonly cliPath: string;
  readonly workingDirectory: string;
  readonly pipe: string;
  readonly port: string;
  readonly baud: string;
  readonly host: string;
  readonly tcpPort: string;
  readonly capability: TargetCapability;
  /** The simulator's link: VMI mode (local) or Debugger Mode over a named pipe (spec §2.3). */
  readonly simMode: 'vmi' | 'debugger';
}

export const SIMULATOR_PROFILE: ProfileDraft = {
  name: 'Simulator',
  cliPath: '',
  connection: { kind: 'local' },
  workingDirectory: '',
  capability: 'auto',
};

export function emptyForm(kind: ConnectionKind = 'local'): ProfileForm {
  return {
    name: '',
    kind,
    cliPath: '',
    workingDirectory: '',
    pipe: DEFAULT_NAMED_PIPE,
    port: 'COM1',
    baud: '115200',
    host: '',
    tcpPort: String(DEFAULT_TCP_PORT),
    capability: 'auto',
    simMode: 'vmi',
  };
}

export function formFromProfile(p: ProfileDraft | ConnectionProfile): ProfileForm {
  const f = {
    ...emptyForm(),
    name: p.name,
    cliPath: p.cliPath,
    workingDirectory: p.workingDirectory,
    capability: p.capability,
  };
  const c = p.connection;
  const kind: ConnectionKind = p.cliPath === '' ? 'simulator' : c.kind;
  if (kind === 'simulator') return { ...f, kind, simMode: c.kind === 'local' ? 'vmi' : 'debugger' };
  switch (c.kind) {
    case 'local':
      return { ...f, kind };
    case 'namedPipe':
      return { ...f, kind, pipe: c.pipe };
    case 'serial':
      return { ...f, kind, port: c.port, baud: String(c.baud) };
    case 'tcp':
      return { ...f, kind, host: c.host, tcpPort: String(c.port) };
  }
}

export type FormErrors = Readonly<Partial<Record<keyof ProfileForm, string>>>;

export type FormCheck = Result<ProfileDraft, FormErrors>;

/** A Windows or POSIX absolute path: `C:\...`, `\\server\...` or `/...`. */
export function isAbsolutePath(p: string): boolean {
  return /^(?:[A-Za-z]:[\\/]|\\\\|\/)/.test(p);
}

export function checkProfileForm(f: ProfileForm): FormCheck {
  const errors: Partial<Record<keyof ProfileForm, string>> = {};
  const cliPath = f.kind === 'simulator' ? '' : f.cliPath.trim();
  if (f.kind !== 'simulator') {
    if (cliPath === '')
      errors.cliPath =
        'the path of hyperdbg-cli.exe is required (leave it to the simulator otherwise)';
    else if (!isAbsolutePath(cliPath))
      errors.cliPath = 'give the full path, e.g. C:\\HyperDbg\\hyperdbg-cli.exe';
  }
  const workingDirectory = f.kind === 'simulator' ? '' : f.workingDirectory.trim();
  if (workingDirectory !== '' && !isAbsolutePath(workingDirectory))
    errors.workingDirectory = 'a full path, or empty for the folder of hyperdbg-cli.exe';
  let connection: ProfileDraft['connection'] = { kind: 'local' };
  switch (f.kind) {
    case 'simulator':
      if (f.simMode === 'debugger') connection = { kind: 'namedPipe', pipe: DEFAULT_NAMED_PIPE };
      break;
    case 'local':
      break;
    case 'namedPipe':
      connection = { kind: 'namedPipe', pipe: f.pipe.trim() };
      break;
    case 'serial':
      connection = {
        kind: 'serial',
        port: f.port as (typeof SERIAL_PORTS)[number],
        baud: Number(f.baud),
      };
      if (!(SERIAL_PORTS as readonly string[]).includes(f.port))
        errors.port = 'HyperDbg maps only COM1 to COM4 (docs/hyperdbg-v0.23.md §7)';
      if (!(SERIAL_BAUD_RATES as readonly number[]).includes(Number(f.baud)))
        errors.baud = `one of ${SERIAL_BAUD_RATES.join(', ')}`;
      break;
    case 'tcp':
      connection = {
        kind: 'tcp',
        host: f.host.trim(),
        port: /^\d{1,5}$/.test(f.tcpPort.trim()) ? Number(f.tcpPort) : -1,
      };
      if (!/^\d{1,5}$/.test(f.tcpPort.trim()) || Number(f.tcpPort) > 65535)
        errors.tcpPort = 'a port number 0..65535 (decimal)';
      break;
  }
  const parsed = profileDraftSchema.safeParse({
    name: f.name.trim() === '' ? defaultName(f) : f.name,
    cliPath,
    connection,
    workingDirectory,
    capability: f.kind === 'simulator' ? 'auto' : f.capability,
  });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const key = fieldOfIssue(issue.path.map(String));
      errors[key] ??= issue.message;
    }
  if (Object.keys(errors).length > 0 || !parsed.success) return fail(errors);
  return ok(parsed.data);
}

function fieldOfIssue(path: readonly string[]): keyof ProfileForm {
  const [first, second] = path;
  if (first === 'connection') {
    if (second === 'pipe') return 'pipe';
    if (second === 'host') return 'host';
    if (second === 'port') return 'tcpPort';
    if (second === 'baud') return 'baud';
    return 'kind';
  }
  if (
    first === 'name' ||
    first === 'cliPath' ||
    first === 'workingDirectory' ||
    first === 'capability'
  )
    return first;
  return 'name';
}

/** A name from the target when the user gave none: `COM2 @ 115200`, `10.0.0.2:50000`... */
export function defaultName(f: ProfileForm): string {
  switch (f.kind) {
    case 'simulator':
      return f.simMode === 'debugger' ? 'Simulator (Debugger Mode)' : 'Simulator';
    case 'local':
      return 'Local (VMI)';
    case 'namedPipe':
      return `Pipe ${f.pipe.trim()}`.slice(0, 120);
    case 'serial':
      return `${f.port} @ ${f.baud}`;
    case 'tcp':
      return `${f.host.trim()}:${f.tcpPort.trim()}`;
  }
}

/** One line that says where a profile goes. */
export function describeProfile(p: ProfileDraft): string {
  if (p.cliPath === '')
    return p.connection.kind === 'local'
      ? 'built-in simulator'
      : 'built-in simulator, Debugger Mode';
  return p.connection.kind === 'local' ? 'local, VMI mode' : describeConnection(p.connection);
}
