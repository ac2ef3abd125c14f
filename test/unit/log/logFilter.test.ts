// The live log's filter: its schema refuses hostile input, its canonical form, and the
// in-memory test (which must agree with the store's SQL, see the integration tests).
import { describe, expect, it } from 'vitest';
import {
  asciiLower,
  compileFilter,
  describeFilter,
  equalsCandidates,
  hexNeedle,
  isEmptyFilter,
  logFilterSchema,
  normalizeFilter,
  searchText,
  type FilterSubject,
} from '../../../shared/log/logFilter';

const subject = (over: Partial<FilterSubject> = {}): FilterSubject => {
  const fields = over.fields ?? [
    ['ImageFileName', 'explorer.exe'],
    ['Pid', '0x1c4'],
  ];
  return {
    generation: 1,
    eventId: 5,
    core: 2,
    actionId: 'a1',
    fields,
    text: searchText(fields),
    hex: '6578706c6f726572',
    ...over,
  };
};

describe('logFilterSchema', () => {
  it('accepts a full filter and refuses unknown keys, bad names and oversized lists', () => {
    expect(
      logFilterSchema.safeParse({
        events: [{ generation: 1, eventId: 5 }],
        cores: [0],
        actions: ['a1', null],
        fields: [{ field: 'ImageFileName', op: 'contains', value: 'exp' }],
        text: 'x',
      }).success,
    ).toBe(true);
    expect(logFilterSchema.safeParse({ sql: '1=1' }).success).toBe(false);
    expect(logFilterSchema.safeParse({ events: [{ generation: 1, eventId: -1 }] }).success).toBe(
      false,
    );
    expect(
      logFilterSchema.safeParse({ events: [{ generation: 1, eventId: 2 ** 32 }] }).success,
    ).toBe(false);
    expect(
      logFilterSchema.safeParse({
        fields: [{ field: "a'; DROP TABLE records;--", op: 'equals', value: '' }],
      }).success,
    ).toBe(false);
    expect(
      logFilterSchema.safeParse({ fields: [{ field: 'A', op: 'regex', value: '.*' }] }).success,
    ).toBe(false);
    expect(logFilterSchema.safeParse({ text: 'x'.repeat(257) }).success).toBe(false);
    expect(
      logFilterSchema.safeParse({
        fields: Array.from({ length: 9 }, () => ({ field: 'A', op: 'equals', value: '1' })),
      }).success,
    ).toBe(false);
    expect(
      logFilterSchema.safeParse({ cores: Array.from({ length: 65 }, (_, i) => i) }).success,
    ).toBe(false);
  });
});

describe('normalizeFilter', () => {
  it('drops empty parts and duplicates so equal filters compare equal', () => {
    expect(normalizeFilter({ events: [], cores: [], actions: [], fields: [], text: '  ' })).toEqual(
      {},
    );
    expect(isEmptyFilter({ text: ' ' })).toBe(true);
    expect(
      normalizeFilter({
        events: [
          { generation: 1, eventId: 2 },
          { generation: 1, eventId: 2 },
        ],
        cores: [1, 1, 2],
        actions: [null, null, 'a'],
        text: ' chrome ',
      }),
    ).toEqual({
      events: [{ generation: 1, eventId: 2 }],
      cores: [1, 2],
      actions: [null, 'a'],
      text: 'chrome',
    });
  });
});

describe('equalsCandidates and hexNeedle', () => {
  it('a number stands for the forms the decoder shows', () => {
    expect(equalsCandidates('452').sort()).toEqual(['452', '0x1c4', '0x00000000000001c4'].sort());
    expect(equalsCandidates('0x1C4')).toEqual(
      expect.arrayContaining(['0x1C4', '452', '0x1c4', '0x00000000000001c4']),
    );
    expect(equalsCandidates('-5')).toEqual(['-5']);
    expect(equalsCandidates('explorer.exe')).toEqual(['explorer.exe']);
    // Out of 64-bit range: only the text itself.
    expect(equalsCandidates('0x1' + '0'.repeat(16))).toEqual(['0x1' + '0'.repeat(16)]);
  });

  it('reads hex digits with spaces as bytes, anything else as text', () => {
    expect(hexNeedle('DE ad be EF')).toBe('deadbeef');
    expect(hexNeedle('a')).toBeNull();
    expect(hexNeedle('chrome')).toBeNull();
    expect(hexNeedle('0x10')).toBeNull();
  });
});

describe('compileFilter', () => {
  it('an empty filter keeps everything', () => {
    expect(compileFilter({})(subject())).toBe(true);
  });

  it('events are keyed by (generation, event id)', () => {
    const f = compileFilter({ events: [{ generation: 2, eventId: 5 }] });
    expect(f(subject())).toBe(false);
    expect(f(subject({ generation: 2 }))).toBe(true);
  });

  it('cores and actions; null stands for records without an action', () => {
    expect(compileFilter({ cores: [1, 2] })(subject())).toBe(true);
    expect(compileFilter({ cores: [3] })(subject())).toBe(false);
    expect(compileFilter({ actions: ['a2'] })(subject())).toBe(false);
    expect(compileFilter({ actions: [null] })(subject({ actionId: null }))).toBe(true);
    expect(compileFilter({ actions: [null] })(subject())).toBe(false);
  });

  it('field equals is exact (numbers in any base); contains ignores ASCII case only', () => {
    const eq = (field: string, value: string) =>
      compileFilter({ fields: [{ field, op: 'equals', value }] })(subject());
    const has = (field: string, value: string) =>
      compileFilter({ fields: [{ field, op: 'contains', value }] })(subject());
    expect(eq('ImageFileName', 'explorer.exe')).toBe(true);
    expect(eq('ImageFileName', 'Explorer.exe')).toBe(false);
    expect(eq('Pid', '452')).toBe(true);
    expect(eq('Pid', '0x1C4')).toBe(true);
    expect(eq('pid', '452')).toBe(false); // field names are case-sensitive
    expect(has('ImageFileName', 'PLOR')).toBe(true);
    expect(has('ImageFileName', '')).toBe(true); // "has the field"
    expect(has('Missing', '')).toBe(false);
    // Only ASCII folds, as in SQLite's LIKE: É does not match é.
    const s = subject({ fields: [['Name', 'café']] });
    expect(compileFilter({ fields: [{ field: 'Name', op: 'contains', value: 'CAFÉ' }] })(s)).toBe(
      false,
    );
    expect(compileFilter({ fields: [{ field: 'Name', op: 'contains', value: 'CAFé' }] })(s)).toBe(
      true,
    );
  });

  it('text searches the decoded values, and the bytes when it is hex', () => {
    expect(compileFilter({ text: 'EXPLORER' })(subject())).toBe(true);
    expect(compileFilter({ text: '0x1c4' })(subject())).toBe(true);
    expect(compileFilter({ text: '65 78 70' })(subject({ text: '' }))).toBe(true);
    expect(compileFilter({ text: 'zz' })(subject())).toBe(false);
  });

  it('parts are ANDed, list entries ORed', () => {
    const f = compileFilter({
      cores: [2, 3],
      fields: [
        { field: 'ImageFileName', op: 'contains', value: 'exe' },
        { field: 'Pid', op: 'equals', value: '452' },
      ],
    });
    expect(f(subject())).toBe(true);
    expect(f(subject({ core: 1 }))).toBe(false);
  });
});

describe('asciiLower and describeFilter', () => {
  it('lowers A-Z only', () => {
    expect(asciiLower('ÀBC-É')).toBe('Àbc-É');
  });

  it('describes a filter for chips and files', () => {
    expect(describeFilter({})).toBe('all records');
    expect(
      describeFilter(
        {
          events: [{ generation: 2, eventId: 0x1f }],
          actions: ['a1', null],
          fields: [{ field: 'Tag', op: 'equals', value: 'HDBG' }],
          text: 'x',
        },
        () => 'Pool tag',
      ),
    ).toBe('event 1f (run 2) and action Pool tag or (none) and Tag == "HDBG" and text "x"');
  });
});
