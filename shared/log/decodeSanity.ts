// Decode sanity: whether an event's first records look like what its schema says they hold. A
// string field that is blank or garbage in most of them, or records that are nothing but zeros,
// is what an action reading another Windows build's structure offsets produces; the event and the
// live log say so within the first records instead of filling the table with blanks. Pure.
import type { DecodedField } from '../model/bufferSchemaDecode';

/** Records looked at per event: the first ones, where a wrong offset shows at once. */
export const SANITY_SAMPLE = 32;
/** No verdict on fewer records than this: a few blanks can be real. */
export const SANITY_MIN_RECORDS = 8;
/** "Most of the first records": at least this share of them. */
export const SANITY_SHARE = 0.75;

export type FieldProblem = 'blank' | 'zero' | 'invalid';

/** Characters a kernel ANSI or UTF-16 string of a real name does not hold. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const GARBAGE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/;

/** What is wrong with one decoded value, or null when it looks like a value. */
export function fieldProblem(f: DecodedField): FieldProblem | null {
  if (f.missing) return null;
  const v = f.value;
  if (typeof v === 'string' && (f.type.startsWith('cstr') || f.type.startsWith('wstr'))) {
    if (v.trim() === '') return 'blank';
    if (GARBAGE.test(v)) return 'invalid';
    // Pointer bytes read as ANSI are mostly above 0x7f (`Àì'Ëƒ¦ÿÿ`); names are mostly ASCII.
    if (f.type.startsWith('cstr')) {
      let high = 0;
      for (const c of v) if (c.charCodeAt(0) > 0x7e) high++;
      if (high * 2 > v.length) return 'invalid';
    }
    return null;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return v === 0 || v === 0n ? 'zero' : null;
  if (typeof v === 'string' && f.type.startsWith('bytes')) return /^0*$/.test(v) ? 'zero' : null;
  return null;
}

export interface DecodeWarning {
  /** The field concerned, or null when whole records are empty. */
  readonly field: string | null;
  readonly problem: FieldProblem | 'empty';
  readonly bad: number;
  readonly of: number;
  readonly message: string;
}

/** Counts over one event's first records. */
export class DecodeSanity {
  private seen = 0;
  private empty = 0;
  private readonly stringBad = new Map<string, { blank: number; invalid: number }>();

  /** Takes one record's decoded fields (only the first SANITY_SAMPLE records count). */
  add(fields: readonly DecodedField[]): void {
    if (this.seen >= SANITY_SAMPLE || fields.length === 0) return;
    this.seen++;
    let allBad = true;
    for (const f of fields) {
      const p = fieldProblem(f);
      if (p === null && !f.missing) allBad = false;
      if (f.type.startsWith('cstr') || f.type.startsWith('wstr')) {
        const c = this.stringBad.get(f.name) ?? { blank: 0, invalid: 0 };
        if (p === 'blank') c.blank++;
        if (p === 'invalid') c.invalid++;
        this.stringBad.set(f.name, c);
      }
    }
    if (allBad) this.empty++;
  }

  /** True once the verdict cannot change (the sample is complete). */
  get settled(): boolean {
    return this.seen >= SANITY_SAMPLE;
  }

  warning(): DecodeWarning | null {
    if (this.seen < SANITY_MIN_RECORDS) return null;
    const most = (n: number) => n >= this.seen * SANITY_SHARE;
    const cause =
      'the action probably reads structure offsets of another Windows build than the target’s (name the fields, e.g. EPROCESS.ImageFileName, so they resolve for the target)';
    for (const [field, c] of this.stringBad) {
      const bad = c.blank + c.invalid;
      if (!most(bad)) continue;
      const problem: FieldProblem = c.blank >= c.invalid ? 'blank' : 'invalid';
      return {
        field,
        problem,
        bad,
        of: this.seen,
        message: `${field} is ${problem === 'blank' ? 'blank' : 'not text'} in ${bad} of the first ${this.seen} records: ${cause}`,
      };
    }
    if (most(this.empty))
      return {
        field: null,
        problem: 'empty',
        bad: this.empty,
        of: this.seen,
        message: `every field is blank or zero in ${this.empty} of the first ${this.seen} records: ${cause}`,
      };
    return null;
  }
}
