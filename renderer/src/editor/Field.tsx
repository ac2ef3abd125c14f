// A labelled form field with its error under it, tied by aria-describedby so a screen reader
// reads the problem with the field.
import { useId, type ReactNode } from 'react';

export function Field(props: {
  readonly label: ReactNode;
  readonly error?: string;
  readonly hint?: ReactNode;
  readonly className?: string;
  readonly testId?: string;
  children(id: string, describedBy: string | undefined, invalid: boolean): ReactNode;
}) {
  const id = useId();
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const describedBy = [
    props.error !== undefined ? errId : '',
    props.hint !== undefined ? hintId : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field ${props.className ?? ''}`} data-testid={props.testId}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy || undefined, props.error !== undefined)}
      {props.hint !== undefined && (
        <div id={hintId} className="hint muted small">
          {props.hint}
        </div>
      )}
      {props.error !== undefined && (
        <div id={errId} className="field-error" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

/** A Field holding one text input: the common case, without repeating the input's wiring. */
export function TextField(props: {
  readonly label: ReactNode;
  readonly error?: string;
  readonly hint?: ReactNode;
  readonly className?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly placeholder?: string;
  /** Monospaced input, for hex, addresses and paths. */
  readonly mono?: boolean;
  /** Test id of the field (wrapper) and of the input itself. */
  readonly testId?: string;
  readonly inputTestId?: string;
}) {
  return (
    <Field
      label={props.label}
      error={props.error}
      hint={props.hint}
      className={props.className}
      testId={props.testId}
    >
      {(id, describedBy, invalid) => (
        <input
          id={id}
          className={props.mono === true ? 'mono' : undefined}
          value={props.value}
          placeholder={props.placeholder}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          data-testid={props.inputTestId}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A Field holding one select with a fixed list of options. */
export function SelectField<V extends string>(props: {
  readonly label: ReactNode;
  readonly error?: string;
  readonly hint?: ReactNode;
  readonly className?: string;
  readonly value: V;
  readonly options: readonly { readonly value: V; readonly label: string }[];
  readonly onChange: (value: V) => void;
  readonly testId?: string;
}) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint} className={props.className}>
      {(id, describedBy, invalid) => (
        <select
          id={id}
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          data-testid={props.testId}
          // The options are exactly the values of V, so the chosen value is one of them.
          onChange={(e) => props.onChange(e.target.value as V)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
