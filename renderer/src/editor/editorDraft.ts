// The action editor's form state and its checks: what the user is editing (text as typed), how
// it becomes the draft `library:save` takes, and which field each problem belongs to. Pure, so
// every rule is unit-tested without a browser.
import {
  MAX_TAG_LENGTH,
  MAX_TAGS,
  type Action,
  type ActionDraftInput,
  type ActionKind,
} from '../../../shared/model/action';
import { MAX_RECORD_BYTES, validateBufferSchema } from '../../../shared/model/bufferSchema';
import type { EventKind } from '../../../shared/model/eventKinds';
import { fail, ok, type Result } from '../../../shared/result';
import { findLineBreaker } from '../../../shared/text/controlChars';
import { recordWordCount } from '../../../shared/model/record';
import { checkPayloadExpression } from '../../../shared/model/recordPayload';

/** One schema field as typed: the offset stays text until it is checked. */
export interface SchemaRow {
  readonly name: string;
  readonly offset: string;
  readonly type: string;
}

export interface EditorDraft {
  readonly kind: ActionKind;
  readonly name: string;
  readonly description: string;
  /** Comma-separated, as typed. */
  readonly tags: string;
  readonly eventKinds: readonly EventKind[];
  readonly codeSource: string;
  readonly conditionEnabled: boolean;
  readonly conditionSource: string;
  readonly script: string;
  /** Hex, as HyperDbg's `buffer` takes it (`18` = 24 bytes); `0x` allowed; empty = none. */
  readonly bufferSize: string;
  readonly schema: readonly SchemaRow[];
  /** Code actions: the author writes the log form (else it is derived from the code). */
  readonly logFormOwn: boolean;
  /** Its record length in hex, as typed. */
  readonly logFormLength: string;
  /** Its words, one script expression per line. */
  readonly logFormWords: string;
}

/** Field name -> message. Keys: `name`, `tags`, `bufferSize`, `schema.<i>.<part>`, ... */
export type FieldErrors = Readonly<Record<string, string>>;

const hex = (n: number) => `0x${n.toString(16)}`;

export function draftFromAction(a: Action): EditorDraft {
  const base = {
    kind: a.kind,
    name: a.name,
    description: a.description,
    tags: a.tags.join(', '),
    eventKinds: a.eventKinds,
    codeSource: '',
    conditionEnabled: false,
    conditionSource: '',
    script: '',
    bufferSize: '',
    schema: [] as SchemaRow[],
    logFormOwn: false,
    logFormLength: '',
    logFormWords: '',
  };
  switch (a.kind) {
    case 'break':
      return base;
    case 'log':
    case 'code': {
      const common = {
        ...base,
        bufferSize: a.bufferSize === 0 ? '' : a.bufferSize.toString(16),
        schema: a.bufferSchema.map((f) => ({ name: f.name, offset: hex(f.offset), type: f.type })),
      };
      return a.kind === 'log'
        ? { ...common, script: a.script }
        : {
            ...common,
            codeSource: a.code.source,
            conditionEnabled: a.condition !== null,
            conditionSource: a.condition?.source ?? '',
            logFormOwn: a.logForm !== undefined,
            logFormLength: a.logForm === undefined ? '' : a.logForm.length.toString(16),
            logFormWords: a.logForm === undefined ? '' : a.logForm.words.join('\n'),
          };
    }
  }
}

/**
 * The buffer size as HyperDbg reads `buffer N`: hex (`18` is 24 bytes), an optional `0x`, at
 * most 0x3e7 (a bigger one makes the kernel drop the action silently, spec §3.5). Empty = 0.
 */
export function parseBufferSize(text: string): Result<number, string> {
  const t = text.trim();
  if (t === '') return ok(0);
  const m = /^(?:0x)?([0-9a-f]{1,8})$/i.exec(t);
  if (m === null)
    return fail(
      `'${t.slice(0, 20)}' is not a hex size (HyperDbg reads buffer sizes in hex, e.g. 18 for 24 bytes)`,
    );
  const value = Number.parseInt(m[1] as string, 16);
  if (value > MAX_RECORD_BYTES)
    return fail(
      `${hex(value)} (${value}) bytes is too big: at most 0x3e7 (999) bytes; HyperDbg drops an action with a bigger buffer without a word (docs/hyperdbg-v0.23.md §3.5)`,
    );
  return ok(value);
}

/** A schema offset: `0x` hex or decimal, as the schema's text form reads it. */
export function parseOffset(text: string): Result<number, string> {
  const t = text.trim();
  const m = /^(?:0x([0-9a-f]+)|(\d+))$/i.exec(t);
  if (m === null) return fail('an offset: 0x hex or decimal');
  const value =
    m[1] !== undefined ? Number.parseInt(m[1], 16) : Number.parseInt(m[2] as string, 10);
  if (!Number.isSafeInteger(value) || value > MAX_RECORD_BYTES)
    return fail(`at most ${hex(MAX_RECORD_BYTES)}`);
  return ok(value);
}

export function parseTags(text: string): Result<string[], string> {
  const tags = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length > MAX_TAGS) return fail(`at most ${MAX_TAGS} tags`);
  const long = tags.find((t) => t.length > MAX_TAG_LENGTH);
  if (long !== undefined)
    return fail(`'${long.slice(0, 20)}…' is longer than ${MAX_TAG_LENGTH} characters`);
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.toLowerCase())) return fail(`'${t}' is listed twice`);
    seen.add(t.toLowerCase());
  }
  return ok(tags);
}

export type DraftCheck = Result<ActionDraftInput, FieldErrors>;

/**
 * The draft to save, or the problems by field. The code itself is not judged here: a draft that
 * does not assemble may still be saved (the host keeps it with null bytes).
 */
export function checkDraft(d: EditorDraft): DraftCheck {
  const errors: Record<string, string> = {};
  const name = d.name.trim();
  if (name === '') errors.name = 'a name is required';
  else if (findLineBreaker(name) >= 0)
    errors.name = 'a name is one line without control characters';
  else if (name.length > 120) errors.name = 'at most 120 characters';
  const tags = parseTags(d.tags);
  if (!tags.ok) errors.tags = tags.error;
  const common = {
    name,
    description: d.description,
    tags: tags.ok ? tags.value : [],
    eventKinds: [...d.eventKinds],
  };
  if (d.kind === 'break') {
    return Object.keys(errors).length > 0 ? fail(errors) : ok({ kind: 'break', ...common });
  }
  const size = parseBufferSize(d.bufferSize);
  if (!size.ok) errors.bufferSize = size.error;
  const fields = d.schema.map((row, i) => {
    const off = parseOffset(row.offset);
    if (!off.ok) errors[`schema.${i}.offset`] = off.error;
    return { name: row.name.trim(), offset: off.ok ? off.value : 0, type: row.type.trim() };
  });
  // Code records are exactly `buffer` bytes; a log action's records carry their own length.
  const limit = d.kind === 'code' ? (size.ok ? size.value : MAX_RECORD_BYTES) : MAX_RECORD_BYTES;
  for (const issue of validateBufferSchema(fields, limit)) {
    const key = `schema.${issue.index}.${issue.part ?? 'name'}`;
    errors[key] ??= issue.message;
  }
  if (d.kind === 'log' && d.script.trim() === '') errors.script = 'the script is empty';
  const logForm =
    d.kind === 'code' && d.logFormOwn ? checkLogForm(d, size.ok ? size.value : 0) : null;
  if (logForm !== null && !logForm.ok) errors.logForm = logForm.error;
  if (Object.keys(errors).length > 0) return fail(errors);
  const bufferSize = size.ok ? size.value : 0;
  return d.kind === 'log'
    ? ok({ kind: 'log', ...common, script: d.script, bufferSize, bufferSchema: fields })
    : ok({
        kind: 'code',
        ...common,
        code: { source: d.codeSource },
        condition: d.conditionEnabled ? { source: d.conditionSource } : null,
        bufferSize,
        bufferSchema: fields,
        ...(logForm?.ok === true
          ? {
              logForm: {
                length: logForm.value.length,
                words: logForm.value.words,
                origin: 'authored' as const,
              },
            }
          : {}),
      });
}

/** The author's log form: a hex length within the buffer and one valid expression per word. */
function checkLogForm(
  d: EditorDraft,
  bufferSize: number,
): Result<{ length: number; words: string[] }, string> {
  const len = parseBufferSize(d.logFormLength);
  if (!len.ok || len.value === 0)
    return fail('the log form needs a record length (hex, like the buffer)');
  if (len.value > bufferSize)
    return fail(
      `the log form's ${hex(len.value)} bytes are more than the ${hex(bufferSize)}-byte buffer`,
    );
  const words = d.logFormWords
    .split(/\r?\n/)
    .map((w) => w.trim())
    .filter((w) => w !== '');
  const want = recordWordCount(len.value);
  if (words.length !== want)
    return fail(
      `${hex(len.value)} bytes are ${want} word(s) of 8 bytes: write ${want} expression(s), one per line (${words.length} given)`,
    );
  for (const [i, w] of words.entries()) {
    const problem = checkPayloadExpression(w);
    if (problem !== null) return fail(`word ${i} ('${w.slice(0, 40)}'): ${problem}`);
  }
  return ok({ length: len.value, words });
}

/** Where a host error's field (`action.bufferSchema.0.offset`) shows in the form. */
export function formFieldOf(hostField: string | undefined): string {
  if (hostField === undefined) return 'form';
  const f = hostField.replace(/^action\./, '');
  if (f.startsWith('bufferSchema.')) {
    const [, index, part] = f.split('.');
    return `schema.${index ?? 0}.${part ?? 'name'}`;
  }
  if (f.startsWith('code')) return 'code';
  if (f.startsWith('condition')) return 'condition';
  if (f === 'baseVersion') return 'form';
  return f.split('.')[0] ?? 'form';
}

export function sameDraft(a: EditorDraft, b: EditorDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The next field's offset: right after the last one (its type's size when known). */
export function nextFieldOffset(
  rows: readonly SchemaRow[],
  sizeOf: (type: string) => number | undefined,
): string {
  const last = rows[rows.length - 1];
  if (last === undefined) return '0x0';
  const off = parseOffset(last.offset);
  const size = sizeOf(last.type);
  return off.ok && size !== undefined ? hex(off.value + size) : '';
}
