// The buffer schema editor: one row per field (name, offset, type) with each problem on its
// cell, and a live preview decoding a sample record with the same decoder the log uses.
import { useMemo, useState } from 'react';
import { fieldTypeSize, parseFieldType } from '../../../shared/model/bufferSchema';
import { decodeRecord } from '../../../shared/model/bufferSchemaDecode';
import { ok } from '../../../shared/result';
import { nextFieldOffset, parseOffset, type FieldErrors, type SchemaRow } from './editorDraft';
import { formatSample, parseSample, sampleFor, type Sample } from './schemaSample';

const TYPE_SUGGESTIONS = [
  'u8',
  'u16',
  'u32',
  'u64',
  'i8',
  'i16',
  'i32',
  'i64',
  'ptr',
  'cstr[15]',
  'wstr[32]',
  'bytes[16]',
];

const sizeOf = (type: string) => {
  const t = parseFieldType(type);
  return t === undefined ? undefined : fieldTypeSize(t);
};

export interface BufferSchemaEditorProps {
  readonly rows: readonly SchemaRow[];
  onChange(rows: SchemaRow[]): void;
  readonly errors: FieldErrors;
  /** Bytes a record of this action carries (code: the buffer size; log: as printed). */
  readonly recordBytes: number;
}

export function BufferSchemaEditor(props: BufferSchemaEditorProps) {
  const { rows, errors } = props;
  const [sampleText, setSampleText] = useState('');
  const set = (i: number, patch: Partial<SchemaRow>) =>
    props.onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const fields = useMemo(
    () =>
      rows.flatMap((r) => {
        const off = parseOffset(r.offset);
        return off.ok ? [{ name: r.name.trim(), offset: off.value, type: r.type.trim() }] : [];
      }),
    [rows],
  );
  const sample = useMemo(
    () =>
      sampleText.trim() === ''
        ? ok<Sample>({ bytes: sampleFor(fields, props.recordBytes), from: 'made-up' })
        : parseSample(sampleText),
    [sampleText, fields, props.recordBytes],
  );
  const decoded = sample.ok ? decodeRecord(fields, sample.value.bytes) : null;

  return (
    <section className="schema-editor" aria-label="Buffer schema">
      <table className="schema-table">
        <thead>
          <tr>
            <th scope="col">field</th>
            <th scope="col">offset</th>
            <th scope="col">type</th>
            <th scope="col">
              <span className="sr-only">remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-testid="schema-row">
              {(['name', 'offset', 'type'] as const).map((part) => {
                const err = errors[`schema.${i}.${part}`];
                return (
                  <td key={part}>
                    <input
                      className={`mono${err ? ' invalid' : ''}`}
                      aria-label={`Field ${i + 1} ${part}`}
                      aria-invalid={err !== undefined}
                      value={r[part]}
                      list={part === 'type' ? 'schema-types' : undefined}
                      placeholder={
                        part === 'name' ? 'ImageFileName' : part === 'offset' ? '0x0' : 'cstr[15]'
                      }
                      onChange={(e) => set(i, { [part]: e.target.value })}
                    />
                    {err !== undefined && (
                      <div className="field-error" role="alert">
                        {err}
                      </div>
                    )}
                  </td>
                );
              })}
              <td>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Remove field ${i + 1}`}
                  onClick={() => props.onChange(rows.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <datalist id="schema-types">
        {TYPE_SUGGESTIONS.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <button
        type="button"
        onClick={() =>
          props.onChange([
            ...rows,
            { name: `field${rows.length}`, offset: nextFieldOffset(rows, sizeOf), type: 'u64' },
          ])
        }
      >
        Add field
      </button>
      {rows.length === 0 && <span className="muted"> No schema: records show as a hex dump.</span>}

      <div className="schema-preview" aria-label="Schema preview">
        <label className="field">
          <span>
            Sample record{' '}
            <span className="muted">(hex bytes or an HDBG1 line; empty = made up)</span>
          </span>
          <textarea
            className="mono"
            rows={2}
            value={sampleText}
            placeholder={formatSample(sampleFor(fields, props.recordBytes))}
            onChange={(e) => setSampleText(e.target.value)}
            aria-invalid={!sample.ok}
          />
        </label>
        {!sample.ok && (
          <div className="field-error" role="alert">
            {sample.error}
          </div>
        )}
        {decoded !== null && (
          <div className="preview-out" data-testid="schema-preview">
            {decoded.fields.length > 0 ? (
              <table className="kv">
                <tbody>
                  {decoded.fields.map((f) => (
                    <tr key={`${f.name}@${f.offset}`}>
                      <th scope="row">{f.name}</th>
                      <td className={f.missing ? 'muted' : undefined}>{f.display}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <pre className="hexdump">{decoded.hexDump?.join('\n') || '(no bytes)'}</pre>
            )}
            <div className="muted small">
              {decoded.length} byte{decoded.length === 1 ? '' : 's'}
              {sample.ok && sample.value.from === 'made-up' ? ', made-up sample' : ''}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
