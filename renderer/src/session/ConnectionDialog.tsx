// The connection dialog: saved profiles on the left (the built-in simulator always first), the
// selected one's form on the right for every kind of target (local VMI, named pipe, serial, TCP),
// a check that the CLI path exists before anything starts, and Connect / Save / Delete.
import { useEffect, useRef, useState } from 'react';
import type { SimulatorOptions } from '../../../shared/contract/session';
import {
  SERIAL_BAUD_RATES,
  SERIAL_PORTS,
  type ConnectionProfile,
} from '../../../shared/model/actionTarget';
import type { CliPathCheck } from '../../../shared/contract/library';
import { useHost } from '../host/hooks';
import { useHostQuery } from '../app/useHostQuery';
import { showToast } from '../app/toasts';
import { Field, SelectField, TextField } from '../editor/Field';
import { useSession } from './SessionProvider';
import { connect, disconnect } from './sessionActions';
import {
  checkProfileForm,
  CONNECTION_KIND_LABELS,
  describeProfile,
  emptyForm,
  formFromProfile,
  SIMULATOR_PROFILE,
  type ConnectionKind,
  type FormErrors,
  type ProfileForm,
} from './profileForm';

const SIM_ID = '__simulator__';

export function ConnectionDialog({ onClose }: { onClose(): void }) {
  const host = useHost();
  const { state } = useSession();
  const profiles = useHostQuery('profile:list', {}, { refreshOn: ['library:changed'] });
  const info = useHostQuery('app:info', {});
  const [selected, setSelected] = useState<string>(SIM_ID);
  const [form, setForm] = useState<ProfileForm>(() => formFromProfile(SIMULATOR_PROFILE));
  const [errors, setErrors] = useState<FormErrors>({});
  const [check, setCheck] = useState<CliPathCheck | null>(null);
  const [sim, setSim] = useState<SimulatorOptions | null>(null);
  const [working, setWorking] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const simOptions = sim ?? info.value?.simulatorDefaults ?? {};

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLElement>('input, select, button')?.focus();
  }, []);

  const pick = (id: string, p?: ConnectionProfile) => {
    setSelected(id);
    setForm(
      p === undefined
        ? id === SIM_ID
          ? formFromProfile(SIMULATOR_PROFILE)
          : emptyForm('local')
        : formFromProfile(p),
    );
    setErrors({});
    setCheck(null);
  };
  const patch = (p: Partial<ProfileForm>) => {
    setForm((f) => ({ ...f, ...p }));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in p))));
    if ('cliPath' in p || 'workingDirectory' in p) setCheck(null);
  };

  const checkPath = async (): Promise<CliPathCheck | null> => {
    if (form.kind === 'simulator' || form.cliPath.trim() === '') return null;
    const r = await host.call('profile:check-cli', {
      cliPath: form.cliPath.trim(),
      workingDirectory: form.workingDirectory.trim(),
    });
    if (!r.ok) {
      setErrors((e) => ({
        ...e,
        [r.error.field === 'workingDirectory' ? 'workingDirectory' : 'cliPath']: r.error.message,
      }));
      return null;
    }
    setCheck(r.value);
    return r.value;
  };

  /** Saves the form as a profile (not the simulator); resolves to its id, or null on a refusal. */
  const save = async (): Promise<string | null> => {
    const c = checkProfileForm(form);
    if (!c.ok) {
      setErrors(c.error);
      return null;
    }
    const id = selected === SIM_ID || selected === 'new' ? undefined : selected;
    const r = await host.call('profile:save', {
      ...(id !== undefined ? { id } : {}),
      profile: c.value,
    });
    if (!r.ok) {
      const field = (r.error.field ?? '')
        .replace(/^profile\./, '')
        .split('.')[0] as keyof ProfileForm;
      setErrors({ [field in form ? field : 'name']: r.error.message.replace(/^[\w.]+: /, '') });
      return null;
    }
    setSelected(r.value.id);
    profiles.reload();
    return r.value.id;
  };

  const onConnect = async () => {
    const c = checkProfileForm(form);
    if (!c.ok) {
      setErrors(c.error);
      return;
    }
    setWorking(true);
    try {
      let profileId: string | undefined;
      if (form.kind !== 'simulator') {
        const found = await checkPath();
        if (found === null || !found.ok) return;
        profileId = (await save()) ?? undefined;
        if (profileId === undefined) return;
      }
      const live =
        state !== null &&
        (state.status === 'ready' || state.status === 'starting' || state.status === 'connecting');
      if (live) await disconnect(host);
      onClose();
      await connect(host, { profile: c.value, profileId, simulator: simOptions });
    } finally {
      setWorking(false);
    }
  };

  const onDelete = async () => {
    if (selected === SIM_ID || selected === 'new') return;
    const r = await host.call('profile:delete', { id: selected });
    if (r.ok) {
      showToast(`Deleted profile '${form.name}'`);
      pick(SIM_ID);
      profiles.reload();
    } else showToast(`Could not delete the profile: ${r.error.message}`, 'error');
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialogRef}
        className="modal connection-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Connect to a target"
        data-testid="connection-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <div className="modal-head">
          <h2>Connect to a target</h2>
          <button type="button" className="icon" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="connection-body">
          <ul className="profile-list" aria-label="Saved targets">
            <li>
              <button
                type="button"
                className={selected === SIM_ID ? 'on' : ''}
                onClick={() => pick(SIM_ID)}
              >
                <strong>Simulator</strong>
                <span className="muted small">built-in, no HyperDbg needed</span>
              </button>
            </li>
            {(profiles.value ?? []).map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={selected === p.id ? 'on' : ''}
                  onClick={() => pick(p.id, p)}
                >
                  <strong>{p.name}</strong>
                  <span className="muted small">{describeProfile(p)}</span>
                </button>
              </li>
            ))}
            <li>
              <button
                type="button"
                className={selected === 'new' ? 'on' : ''}
                onClick={() => pick('new')}
              >
                + New target
              </button>
            </li>
          </ul>
          <form
            className="profile-form"
            onSubmit={(e) => {
              e.preventDefault();
              void onConnect();
            }}
          >
            <Field label="Target" error={errors.kind}>
              {(id) => (
                <select
                  id={id}
                  value={form.kind}
                  onChange={(e) => patch({ kind: e.target.value as ConnectionKind })}
                >
                  {(Object.keys(CONNECTION_KIND_LABELS) as ConnectionKind[]).map((k) => (
                    <option key={k} value={k}>
                      {CONNECTION_KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {form.kind === 'simulator' ? (
              <>
                <SelectField
                  label="Mode"
                  hint="Debugger Mode plays a debuggee behind a named pipe: pause and continue it"
                  value={form.simMode}
                  options={[
                    { value: 'vmi', label: 'VMI mode (local)' },
                    { value: 'debugger', label: 'Debugger Mode (named pipe)' },
                  ]}
                  onChange={(simMode) => patch({ simMode })}
                />
                <SimulatorFields value={simOptions} onChange={setSim} />
              </>
            ) : (
              <>
                <TextField
                  label="Name"
                  error={errors.name}
                  hint="how the header and this list show it"
                  value={form.name}
                  onChange={(v) => patch({ name: v })}
                  placeholder="e.g. Test VM over a pipe"
                />
                <Field
                  label="hyperdbg-cli path"
                  error={
                    errors.cliPath ??
                    (check !== null && !check.ok ? check.problems.join('; ') : undefined)
                  }
                  hint={
                    check !== null && check.ok
                      ? ['found', ...check.notes].join('; ')
                      : 'hyperdbg-cli.exe, with hyperkd.sys beside it; the app must run elevated'
                  }
                  testId="cli-path-field"
                >
                  {(id, d, invalid) => (
                    <div className="input-with-button">
                      <input
                        id={id}
                        className="mono"
                        value={form.cliPath}
                        aria-invalid={invalid}
                        aria-describedby={d}
                        placeholder="C:\HyperDbg\hyperdbg-cli.exe"
                        onChange={(e) => patch({ cliPath: e.target.value })}
                        onBlur={() => void checkPath()}
                      />
                      <button type="button" onClick={() => void checkPath()}>
                        Check
                      </button>
                    </div>
                  )}
                </Field>
                <TextField
                  label="Working folder"
                  error={errors.workingDirectory}
                  hint="empty: the folder of hyperdbg-cli (config.ini is read there)"
                  value={form.workingDirectory}
                  onChange={(v) => patch({ workingDirectory: v })}
                  mono
                />
                {form.kind === 'namedPipe' && (
                  <TextField
                    label="Pipe"
                    error={errors.pipe}
                    hint="the VM's serial port mapped to a pipe"
                    value={form.pipe}
                    onChange={(v) => patch({ pipe: v })}
                    mono
                  />
                )}
                {form.kind === 'serial' && (
                  <div className="field-row">
                    <Field label="Port" error={errors.port}>
                      {(id) => (
                        <select
                          id={id}
                          value={form.port}
                          onChange={(e) => patch({ port: e.target.value })}
                        >
                          {SERIAL_PORTS.map((p) => (
                            <option key={p}>{p}</option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field label="Baud rate" error={errors.baud}>
                      {(id) => (
                        <select
                          id={id}
                          value={form.baud}
                          onChange={(e) => patch({ baud: e.target.value })}
                        >
                          {SERIAL_BAUD_RATES.map((b) => (
                            <option key={b}>{b}</option>
                          ))}
                        </select>
                      )}
                    </Field>
                  </div>
                )}
                {form.kind === 'tcp' && (
                  <div className="field-row">
                    <TextField
                      label="Address"
                      error={errors.host}
                      className="grow"
                      value={form.host}
                      onChange={(v) => patch({ host: v })}
                      placeholder="192.168.1.10"
                      mono
                    />
                    <TextField
                      label="Port"
                      error={errors.tcpPort}
                      className="narrow"
                      value={form.tcpPort}
                      onChange={(v) => patch({ tcpPort: v })}
                      mono
                    />
                  </div>
                )}
                <Field
                  label="Custom-code buffers"
                  hint="auto: decided from the banner (stock v0.23 returns none)"
                >
                  {(id) => (
                    <select
                      id={id}
                      value={form.capability}
                      onChange={(e) =>
                        patch({ capability: e.target.value as ProfileForm['capability'] })
                      }
                    >
                      <option value="auto">auto (from the banner)</option>
                      <option value="stock">
                        stock build: no buffers come back, use log actions
                      </option>
                      <option value="patched">patched build: returns buffers</option>
                    </select>
                  )}
                </Field>
              </>
            )}
            <div className="modal-foot">
              {form.kind !== 'simulator' && (
                <>
                  <button
                    type="button"
                    onClick={() =>
                      void save().then(
                        (id) =>
                          id !== null &&
                          showToast(`Saved profile '${form.name || 'target'}'`, 'ok'),
                      )
                    }
                  >
                    Save
                  </button>
                  {selected !== SIM_ID && selected !== 'new' && (
                    <button type="button" onClick={() => void onDelete()}>
                      Delete
                    </button>
                  )}
                </>
              )}
              <div className="spacer" />
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button
                type="submit"
                className="primary"
                disabled={working}
                data-testid="dialog-connect"
              >
                {working ? 'Checking…' : 'Connect'}
              </button>
            </div>
          </form>
        </div>
      </div>
    </div>
  );
}

function SimulatorFields(props: {
  readonly value: SimulatorOptions;
  onChange(v: SimulatorOptions): void;
}) {
  const v = props.value;
  const builds = useHostQuery('target:builds', {});
  return (
    <div className="sim-fields">
      <p className="muted small">
        The simulator plays hyperdbg-cli v0.23 over a synthetic Windows guest whose custom code
        really runs (Unicorn). Nothing touches a real machine.
      </p>
      <Field
        label="Pacing"
        hint="realistic: v0.23's reader (30 packets/s, rings that overwrite); fast: at once"
      >
        {(id) => (
          <select
            id={id}
            value={v.pacing ?? 'realistic'}
            onChange={(e) =>
              props.onChange({ ...v, pacing: e.target.value as 'realistic' | 'fast' })
            }
          >
            <option value="realistic">realistic</option>
            <option value="fast">fast</option>
          </select>
        )}
      </Field>
      <label className="check">
        <input
          type="checkbox"
          checked={v.stock === true}
          onChange={(e) => props.onChange({ ...v, stock: e.target.checked })}
        />
        Play a stock v0.23 build (custom code's buffers never come back)
      </label>
      <Field
        label="Windows build"
        hint="the guest's structure layouts (EPROCESS.ImageFileName is +0x450 to 1909, +0x5a8 to 23H2, +0x338 on 24H2)"
      >
        {(id) => (
          <select
            id={id}
            data-testid="sim-os-build"
            value={v.osBuild ?? ''}
            onChange={(e) =>
              props.onChange({
                ...v,
                osBuild: e.target.value === '' ? undefined : Number(e.target.value),
              })
            }
          >
            <option value="">default (Windows 10 1909, build 18363)</option>
            {(builds.value?.builds ?? []).map((b) => (
              <option key={b.build} value={b.build}>
                {b.release} (build {b.build})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Seed" hint="the same seed replays the same guest">
        {(id) => (
          <input
            id={id}
            className="mono narrow"
            inputMode="numeric"
            value={v.seed ?? ''}
            placeholder="random"
            onChange={(e) => {
              const n = e.target.value.trim();
              if (n === '') props.onChange({ ...v, seed: undefined });
              else if (/^\d{1,10}$/.test(n) && Number(n) <= 0xffffffff)
                props.onChange({ ...v, seed: Number(n) });
            }}
          />
        )}
      </Field>
    </div>
  );
}
