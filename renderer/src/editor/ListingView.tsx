// The annotated listing beside the assembly editor, in the seed document's style: offset, bytes,
// instruction, and what the operands mean (`[rdx+0x40] = Regs->r8`). Below it the assembler's
// and linter's messages, each a button that jumps to its line.
import type { AsmDiagnostic, AssemblyResult } from '../../../shared/model/actionAssembly';

export interface ListingViewProps {
  readonly result: AssemblyResult | null;
  readonly busy: boolean;
  readonly failure: string | null;
  readonly label: string;
  readonly testId: string;
  onJump(line: number): void;
}

export function ListingView(props: ListingViewProps) {
  const { result } = props;
  return (
    <section
      className="listing"
      aria-label={`${props.label} listing`}
      data-testid={props.testId}
      data-state={
        props.busy ? 'assembling' : result === null ? 'empty' : result.ok ? 'ok' : 'error'
      }
    >
      <div className="listing-head">
        {result === null ? (
          <span className="muted">{props.busy ? 'Assembling…' : 'No listing yet'}</span>
        ) : result.ok ? (
          <span className="ok-text">
            {result.length} byte{result.length === 1 ? '' : 's'} (with the appended ret)
          </span>
        ) : (
          <span className="error">Does not assemble</span>
        )}
        {result !== null && result.ok && (
          <code
            className="hex-bytes"
            title="What the code { } block carries"
            data-testid={`${props.testId}-hex`}
          >
            {result.bytesHex}
          </code>
        )}
      </div>
      {result !== null && result.resolvedFor != null && (result.fields?.length ?? 0) > 0 && (
        <div className="muted small" data-testid={`${props.testId}-resolved-for`}>
          Structure fields resolved for {result.resolvedFor}
        </div>
      )}
      {props.failure !== null && (
        <div className="error" role="alert">
          The assembler could not be reached: {props.failure}
        </div>
      )}
      {result !== null && result.ok && result.listing.length > 0 && (
        <table className="listing-table">
          <thead>
            <tr>
              <th scope="col">off</th>
              <th scope="col">bytes</th>
              <th scope="col">instruction and meaning</th>
            </tr>
          </thead>
          <tbody>
            {result.listing.map((l) => (
              <tr
                key={l.offset}
                className={l.appended ? 'appended' : undefined}
                onClick={() => l.sourceLine !== null && props.onJump(l.sourceLine)}
                title={l.appended ? 'HyperDbg appends this ret (c3) to every block' : undefined}
              >
                <td className="mono">{l.offset.toString(16)}</td>
                <td className="mono bytes">{l.bytes}</td>
                <td>
                  <div className="mono">
                    {l.label !== null && <span className="label">{l.label}: </span>}
                    {l.text}
                    {l.target !== null && (
                      <span className="muted">
                        {' '}
                        → {l.target.label ?? l.target.offset.toString(16)}
                      </span>
                    )}
                  </div>
                  {l.appended ? (
                    <div className="annotation muted">appended by HyperDbg</div>
                  ) : (
                    l.annotations.map((a) => (
                      <div key={a} className="annotation">
                        {a}
                      </div>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result !== null && result.diagnostics.length > 0 && (
        <DiagnosticList
          diagnostics={result.diagnostics}
          onJump={props.onJump}
          testId={`${props.testId}-diagnostics`}
        />
      )}
    </section>
  );
}

export function DiagnosticList(props: {
  readonly diagnostics: readonly AsmDiagnostic[];
  readonly testId: string;
  onJump(line: number): void;
}) {
  return (
    <ul className="diagnostics" data-testid={props.testId}>
      {props.diagnostics.map((d, i) => (
        <li key={i} className={`diag diag-${d.severity}`}>
          <span className="diag-sev">{d.severity}</span>
          {d.line !== null ? (
            <button type="button" className="link" onClick={() => props.onJump(d.line ?? 1)}>
              line {d.line}
            </button>
          ) : null}
          <span className="diag-msg">{d.message}</span>
        </li>
      ))}
    </ul>
  );
}
