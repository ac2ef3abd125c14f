// Import a console transcript, a HyperDbg `.logopen` file or a session database from another
// machine: pick a file (uploaded in chunks) or give a path on this machine, see what the scan
// found (each event with the library action its command matches, or why none), change any
// choice, import with progress; every step can be cancelled. Renderer only.
import { useRef, useState } from 'react';
import type { ImportPlan, ImportResult, JobProgress } from '../../../shared/contract/sessions';
import { useHost } from '../host/hooks';
import { formatBytes, formatCount } from '../log/format';
import {
  followJob,
  ImportError,
  importFile,
  newJobId,
  scanFile,
  uploadFile,
  type ImportSource,
} from './importFlow';

type Step =
  | { readonly kind: 'pick' }
  | { readonly kind: 'busy'; readonly what: string; readonly done: number; readonly of: number }
  | { readonly kind: 'plan'; readonly plan: ImportPlan }
  | { readonly kind: 'done'; readonly result: ImportResult };

const HEX = '';

export function ImportDialog({
  onClose,
  onOpen,
}: {
  onClose: () => void;
  /** Open the new session. */
  onOpen: (id: string) => void;
}) {
  const host = useHost();
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [error, setError] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [label, setLabel] = useState('');
  const [choices, setChoices] = useState<Map<string, string>>(new Map());
  const source = useRef<ImportSource | null>(null);
  const job = useRef<string | null>(null);
  const cancelled = useRef(false);

  const busy = (what: string) => (p: { done: number; of: number }) =>
    setStep({ kind: 'busy', what, done: p.done, of: p.of });

  const fail = (e: unknown) => {
    const message = e instanceof ImportError || e instanceof Error ? e.message : String(e);
    setError(message);
    setStep({ kind: 'pick' });
  };

  const scan = async (src: ImportSource) => {
    source.current = src;
    const jobId = newJobId('scan');
    job.current = jobId;
    setStep({ kind: 'busy', what: 'Reading the file', done: 0, of: 0 });
    const off = followJob(host, jobId, (p: JobProgress) => busy('Reading the file')(p));
    try {
      const plan = await scanFile(host, jobId, src);
      setChoices(
        new Map(plan.events.map((e) => [`${e.generation}:${e.eventId}`, e.actionId ?? HEX])),
      );
      setStep({ kind: 'plan', plan });
    } finally {
      off();
      job.current = null;
    }
  };

  const pickFile = async (file: File) => {
    setError(null);
    cancelled.current = false;
    try {
      const src = await uploadFile(
        host,
        file,
        (done, of) => setStep({ kind: 'busy', what: `Uploading ${file.name}`, done, of }),
        () => cancelled.current,
      );
      await scan(src);
    } catch (e) {
      fail(e);
    }
  };

  const readPath = async () => {
    setError(null);
    try {
      await scan({ path: path.trim() });
    } catch (e) {
      fail(e);
    }
  };

  const run = async (plan: ImportPlan) => {
    const src = source.current;
    if (src === null) return;
    const jobId = plan.jobId;
    job.current = jobId;
    setStep({ kind: 'busy', what: 'Importing', done: 0, of: plan.bytes });
    const off = followJob(host, jobId, (p) => busy('Importing')(p));
    try {
      const mapping = plan.events.map((e) => {
        const c = choices.get(`${e.generation}:${e.eventId}`) ?? HEX;
        return { generation: e.generation, eventId: e.eventId, actionId: c === HEX ? null : c };
      });
      const result = await importFile(host, jobId, src, mapping, label);
      setStep({ kind: 'done', result });
    } catch (e) {
      fail(e);
    } finally {
      off();
      job.current = null;
    }
  };

  const cancel = () => {
    cancelled.current = true;
    if (job.current !== null) void host.call('sessions:cancel', { jobId: job.current });
  };

  const close = () => {
    cancel();
    const src = source.current;
    if (src !== null && 'uploadId' in src && step.kind !== 'done')
      void host.call('sessions:upload-discard', { uploadId: src.uploadId });
    onClose();
  };

  return (
    <div className="modal-backdrop" role="presentation">
      <div
        className="modal sessions-import"
        role="dialog"
        aria-modal="true"
        aria-label="Import a session"
        data-testid="sessions-import-dialog"
      >
        <h2>Import a session</h2>
        <p className="muted">
          A console transcript (what the app keeps beside each session), a HyperDbg{' '}
          <code>.logopen</code> file from another machine, or a session database. Records are
          decoded with the library action whose code or script their event’s command carries.
        </p>
        {error !== null && (
          <p className="error" role="alert" data-testid="sessions-import-error">
            {error}
          </p>
        )}
        {step.kind === 'pick' && (
          <div className="sessions-import-pick">
            <label>
              File{' '}
              <input
                type="file"
                data-testid="sessions-import-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f !== undefined) void pickFile(f);
                }}
              />
            </label>
            <span className="muted">or a path on the host’s machine</span>
            <input
              type="text"
              data-testid="sessions-import-path"
              placeholder="/path/to/session.log"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && path.trim() !== '') void readPath();
              }}
            />
            <button
              type="button"
              data-testid="sessions-import-path-go"
              disabled={path.trim() === ''}
              onClick={() => void readPath()}
            >
              Read
            </button>
          </div>
        )}
        {step.kind === 'busy' && (
          <div role="status" data-testid="sessions-import-progress">
            {step.what}…{' '}
            {step.of > 0 &&
              `${formatBytes(step.done)} of ${formatBytes(step.of)} (${Math.floor((step.done / step.of) * 100)}%)`}
            <progress max={step.of || 1} value={step.done} />
            <button type="button" data-testid="sessions-import-cancel" onClick={cancel}>
              Cancel
            </button>
          </div>
        )}
        {step.kind === 'plan' && (
          <PlanView
            plan={step.plan}
            choices={choices}
            setChoice={(k, v) => setChoices((m) => new Map(m).set(k, v))}
            label={label}
            setLabel={setLabel}
            onImport={() => void run(step.plan)}
          />
        )}
        {step.kind === 'done' && (
          <div data-testid="sessions-import-done">
            <p>
              Imported <strong>{formatCount(step.result.records)}</strong> records (
              {formatCount(step.result.malformed)} malformed lines) as session{' '}
              <code>{step.result.session.id}</code>.
            </p>
            {step.result.notes.length > 0 && (
              <ul className="sessions-notes" data-testid="sessions-import-notes">
                {step.result.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
            <button
              type="button"
              className="primary"
              data-testid="sessions-import-open"
              onClick={() => onOpen(step.result.session.id)}
            >
              Open it
            </button>
          </div>
        )}
        <div className="button-row">
          <button type="button" data-testid="sessions-import-close" onClick={close}>
            {step.kind === 'done' ? 'Close' : 'Cancel'}
          </button>
        </div>
      </div>
    </div>
  );
}

function PlanView({
  plan,
  choices,
  setChoice,
  label,
  setLabel,
  onImport,
}: {
  plan: ImportPlan;
  choices: ReadonlyMap<string, string>;
  setChoice: (key: string, actionId: string) => void;
  label: string;
  setLabel: (s: string) => void;
  onImport: () => void;
}) {
  // What each event maps to is in the table (and changes with a choice); the rest stays here.
  const otherNotes = plan.notes.filter((n) => !n.startsWith('event '));
  const what =
    plan.kind === 'logopen'
      ? 'a HyperDbg .logopen file'
      : plan.kind === 'session'
        ? 'a session database'
        : 'a console transcript';
  return (
    <div data-testid="sessions-import-plan">
      <p>
        <code>{plan.fileName}</code> is {what} ({formatBytes(plan.bytes)}):{' '}
        <strong data-testid="sessions-import-records">{formatCount(plan.records)}</strong> records,{' '}
        {formatCount(plan.malformed)} malformed lines.
      </p>
      {plan.events.length > 0 && (
        <div className="sessions-import-events">
          <table className="sessions-table">
            <thead>
              <tr>
                <th>Event</th>
                <th>Records</th>
                <th>Command</th>
                <th>Decode with</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {plan.events.map((e) => {
                const k = `${e.generation}:${e.eventId}`;
                return (
                  <tr
                    key={k}
                    data-testid="sessions-import-event"
                    data-event={e.eventId.toString(16)}
                  >
                    <td className="mono">
                      {e.eventId.toString(16)}
                      {e.generation > 1 ? ` (run ${e.generation})` : ''}
                    </td>
                    <td className="mono">{formatCount(e.records)}</td>
                    <td className="mono sessions-command" title={e.command ?? ''}>
                      {e.command ?? '(not in the file)'}
                    </td>
                    <td>
                      <select
                        data-testid="sessions-import-action"
                        aria-label={`Action for event ${e.eventId.toString(16)}`}
                        value={choices.get(k) ?? ''}
                        onChange={(ev) => setChoice(k, ev.target.value)}
                      >
                        <option value="">(none: hex)</option>
                        {plan.actions
                          .filter((a) => a.fields.length > 0)
                          .map((a) => (
                            <option key={a.id} value={a.id}>
                              {a.name}
                            </option>
                          ))}
                      </select>
                    </td>
                    <td className="muted sessions-why">{e.match}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {otherNotes.length > 0 && (
        <ul className="sessions-notes" data-testid="sessions-import-plan-notes">
          {otherNotes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <label>
        Name{' '}
        <input
          type="text"
          data-testid="sessions-import-label"
          placeholder={`Imported ${plan.fileName}`}
          value={label}
          maxLength={200}
          onChange={(e) => setLabel(e.target.value)}
        />
      </label>
      <button type="button" className="primary" data-testid="sessions-import-go" onClick={onImport}>
        Import
      </button>
    </div>
  );
}
