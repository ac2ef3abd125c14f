// A dry run's report, for the binder and the editor: the action run on sample events of a
// synthetic guest of the target's build before it reaches a kernel. Per sample: each memory
// access (instruction, address, what is there, what the listing says it means), faults, the
// guest registers it changes, and the record decoded by the schema with blanks flagged; the NX
// warning on stock targets; the summary. Renderer only.
import { useEffect, useRef, useState } from 'react';
import type { DryRunInput, DryRunReport, DryRunRun } from '../../../shared/contract/target';
import { useHost } from '../host/hooks';

export function DryRunPanel(props: { readonly input: DryRunInput; onClose(): void }) {
  const host = useHost();
  const inputJson = JSON.stringify(props.input);
  const ref = useRef<HTMLElement>(null);
  // Opened below the fold of a long form: bring it into view once.
  // (A block body: newer Chromium returns a promise from scrollIntoView, not a cleanup.)
  useEffect(() => {
    void ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const [settled, setSettled] = useState<{
    request: string;
    report: DryRunReport | null;
    error: string | null;
  } | null>(null);

  useEffect(() => {
    let live = true;
    void host.call('target:dry-run', JSON.parse(inputJson) as DryRunInput).then((r) => {
      if (!live) return;
      setSettled(
        r.ok
          ? { request: inputJson, report: r.value, error: null }
          : { request: inputJson, report: null, error: r.error.message },
      );
    });
    return () => {
      live = false;
    };
  }, [host, inputJson]);
  // An answer to an older input is not shown: the run for the current one is still going.
  const state =
    settled === null || settled.request !== inputJson
      ? ({ busy: true } as const)
      : { busy: false as const, report: settled.report, error: settled.error };

  return (
    <section className="dry-run" aria-label="Dry run" data-testid="dry-run-report" ref={ref}>
      <div className="preview-head">
        <strong>Dry run</strong>
        <span className="muted small">
          on a synthetic guest (the simulator&apos;s), before anything reaches a kernel
        </span>
        <span className="spacer" />
        <button type="button" onClick={props.onClose} aria-label="Close the dry run">
          Close
        </button>
      </div>
      {state.busy ? (
        <div className="muted" role="status">
          Running…
        </div>
      ) : state.error !== null ? (
        <div className="field-error" role="alert" data-testid="dry-run-error">
          {state.error}
        </div>
      ) : state.report !== null ? (
        <Report report={state.report} />
      ) : null}
    </section>
  );
}

function Report({ report }: { readonly report: DryRunReport }) {
  return (
    <div className="dry-run-body">
      <div className="small" data-testid="dry-run-target">
        {report.eventKind}
        {report.args.length > 0 ? ` ${report.args.join(' ')}` : ''} on Windows build {report.build}{' '}
        ({report.layout}); fields resolved for {report.resolvedFor}
      </div>
      {report.warnings.map((w) => (
        <div key={w} className="banner warn" role="alert" data-testid="dry-run-warning">
          {w}
        </div>
      ))}
      <ul className="dry-run-summary" data-testid="dry-run-summary">
        {report.summary.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      {report.samples.map((s, i) => (
        <details key={i} open={i === 0} className="dry-run-sample" data-testid="dry-run-sample">
          <summary>
            Sample {i + 1}: {s.occurrence} <span className="muted">(core {s.core})</span>
          </summary>
          {s.condition !== null && <Run title="condition" run={s.condition} />}
          {s.condition !== null && s.code === null && (
            <div className="muted small">the condition returned 0: the actions were skipped</div>
          )}
          {s.code !== null && <Run title="code" run={s.code} />}
          {s.regsChanged.length > 0 && (
            <ul className="small" data-testid="dry-run-regs">
              {s.regsChanged.map((c) => (
                <li key={c.reg} className="mono">
                  Regs-&gt;{c.reg}: 0x{c.before} → 0x{c.after}{' '}
                  <span className="muted">{c.note}</span>
                </li>
              ))}
            </ul>
          )}
          {s.record !== null ? (
            <table className="dry-run-record" data-testid="dry-run-record">
              <tbody>
                {s.record.fields.map((f) => (
                  <tr key={f.name} className={f.problem !== null ? 'warn-text' : undefined}>
                    <th scope="row">{f.name}</th>
                    <td className="mono" data-testid={`dry-run-field-${f.name}`}>
                      {f.display === '' ? '(blank)' : f.display}
                    </td>
                    <td className="small">{f.problem ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            s.recordNote !== null && <div className="muted small">no record: {s.recordNote}</div>
          )}
        </details>
      ))}
    </div>
  );
}

function Run({ title, run }: { readonly title: string; readonly run: DryRunRun }) {
  return (
    <div className="dry-run-run">
      <div className={run.outcome === 'returned' ? 'small' : 'field-error'}>
        {title}: {run.steps} instruction{run.steps === 1 ? '' : 's'},{' '}
        {run.outcome === 'returned'
          ? `returned rax = 0x${run.rax ?? '?'}`
          : run.outcome === 'fault'
            ? `faulted (${run.error ?? '?'}) at 0x${run.rip ?? '?'}: a real system would bug-check`
            : `did not return (runaway) at 0x${run.rip ?? '?'}`}
      </div>
      <table className="dry-run-accesses">
        <thead>
          <tr>
            <th scope="col">at</th>
            <th scope="col">access</th>
            <th scope="col">address</th>
            <th scope="col">value</th>
            <th scope="col">what is there</th>
          </tr>
        </thead>
        <tbody>
          {run.accesses.map((a, k) => (
            <tr
              key={k}
              className={a.kind === 'fault' ? 'error' : undefined}
              data-testid="dry-run-access"
            >
              <td className="mono" title={a.instruction ?? undefined}>
                {a.offset === null ? '—' : `+${a.offset.toString(16)}`}
                {a.line !== null ? ` (line ${a.line})` : ''}
              </td>
              <td>
                {a.kind === 'fault' ? `fault ${a.faultType ?? ''}` : a.kind} {a.size}B
              </td>
              <td className="mono">{a.address}</td>
              <td className="mono">{a.value ?? ''}</td>
              <td>
                {a.region}
                {a.meaning !== null && <div className="muted small">{a.meaning}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {run.truncated && <div className="muted small">(more accesses not shown)</div>}
    </div>
  );
}
