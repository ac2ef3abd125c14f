// Buffer schemas (buffer-records.md §3): the text form parsed and printed, validation naming the
// line or field, and the zod schema the contract and files use.
import { describe, expect, it } from 'vitest';
import {
  bufferSchemaSchema,
  fieldTypeSize,
  parseBufferSchemaText,
  parseFieldType,
  printBufferSchema,
  validateBufferSchema,
} from '../../../shared/model/bufferSchema';

describe('parseBufferSchemaText', () => {
  it("reads the spec's ImageFileName example", () => {
    expect(parseBufferSchemaText('ImageFileName: cstr[15] @ 0x0', 0x18)).toEqual({
      ok: true,
      value: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
    });
  });

  it('reads every type, decimal and hex offsets, comments and blank lines', () => {
    const r = parseBufferSchemaText(
      [
        '# a comment line',
        'a: u8 @ 0',
        'b: u16 @ 2   # trailing comment',
        '',
        'c: u32 @ 0x4',
        'd: u64 @ 8',
        'e: i8 @ 16',
        'f: i16 @ 18',
        'g: i32 @ 20',
        'h: i64 @ 24',
        'p: PTR @ 32',
        'w: wstr[4] @ 40',
        'x: bytes[0x8] @ 48',
        'Name: cstr[8] @ 56',
      ].join('\n'),
      64,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((f) => `${f.name}:${f.type}@${f.offset}`)).toEqual([
      'a:u8@0',
      'b:u16@2',
      'c:u32@4',
      'd:u64@8',
      'e:i8@16',
      'f:i16@18',
      'g:i32@20',
      'h:i64@24',
      'p:ptr@32',
      'w:wstr[4]@40',
      'x:bytes[8]@48',
      'Name:cstr[8]@56',
    ]);
  });

  it('places a field without an offset right after the previous one', () => {
    const r = parseBufferSchemaText('pid: u32\ntid: u32\nname: cstr[15]', 0x18);
    expect(r).toEqual({
      ok: true,
      value: [
        { name: 'pid', offset: 0, type: 'u32' },
        { name: 'tid', offset: 4, type: 'u32' },
        { name: 'name', offset: 8, type: 'cstr[15]' },
      ],
    });
  });

  it('prints the canonical form, which parses back to the same fields', () => {
    const fields = [
      { name: 'ImageFileName', offset: 0, type: 'cstr[15]' },
      { name: 'Pid', offset: 0x10, type: 'u64' },
    ];
    const text = printBufferSchema(fields);
    expect(text).toBe('ImageFileName: cstr[15] @ 0x0\nPid: u64 @ 0x10');
    expect(parseBufferSchemaText(text, 0x18)).toEqual({ ok: true, value: fields });
  });

  it.each([
    ['a: float @ 0', 1, /not a type/],
    ['a: cstr[0] @ 0', 1, /not a type/],
    ['a: cstr[1000] @ 0', 1, /not a type/],
    ['a: u32 @ zero', 1, /not an offset/],
    ['just words', 1, /expected 'Name: type @ offset'/],
    ['a: u8 @ 0\nb: u64 @ 0x14', 2, /does not fit in 0x18 bytes/],
    ['a: u32 @ 0\nb: u32 @ 2', 2, /overlaps 'a'/],
    ['Pid: u32 @ 0\npid: u32 @ 4', 2, /already the name of field 1/],
    ['__proto__: u8 @ 0', 1, /reserved/],
    ['constructor: u8 @ 0', 1, /reserved/],
    ['9lives: u8 @ 0', 1, /not a field name/],
    ['bad name: u8 @ 0', 1, /not a field name/],
    [`${'n'.repeat(65)}: u8 @ 0`, 1, /at most 64 characters/],
  ])('%j is refused on line %i', (text, line, message) => {
    const r = parseBufferSchemaText(text, 0x18);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]?.line).toBe(line);
    expect(r.error[0]?.message).toMatch(message);
  });

  it('says why when the action has no buffer at all', () => {
    const r = parseBufferSchemaText('a: u8 @ 0', 0);
    expect(r).toMatchObject({
      ok: false,
      error: [{ line: 1, message: expect.stringMatching(/no buffer/) }],
    });
  });

  it('escapes control characters it quotes back', () => {
    const r = parseBufferSchemaText('a\u001b[31m: u8 @ 0', 8);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error[0]?.message).not.toContain('\u001b');
  });

  it('refuses an oversized text before reading it', () => {
    expect(parseBufferSchemaText('a: u8 @ 0\n'.repeat(5000), 8).ok).toBe(false);
  });
});

describe('types', () => {
  it('knows each size (wstr[N] is N UTF-16 units)', () => {
    const size = (t: string) => fieldTypeSize(parseFieldType(t) ?? { base: 'u8' });
    expect(['u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'ptr'].map(size)).toEqual([
      1, 2, 4, 8, 1, 2, 4, 8, 8,
    ]);
    expect(size('cstr[15]')).toBe(15);
    expect(size('wstr[15]')).toBe(30);
    expect(size('bytes[0x10]')).toBe(16);
  });
});

describe('validateBufferSchema and its zod schema', () => {
  it('accepts touching fields and refuses overlapping ones, naming the field', () => {
    expect(
      validateBufferSchema(
        [
          { name: 'a', offset: 0, type: 'u32' },
          { name: 'b', offset: 4, type: 'u32' },
        ],
        8,
      ),
    ).toEqual([]);
    const zod = bufferSchemaSchema(8).safeParse([
      { name: 'a', offset: 0, type: 'u64' },
      { name: 'b', offset: 7, type: 'u8' },
    ]);
    expect(zod.success).toBe(false);
    expect(zod.error?.issues[0]?.path).toEqual([1, 'offset']);
  });

  it('refuses unknown keys and wrong types', () => {
    expect(
      bufferSchemaSchema().safeParse([{ name: 'a', offset: 0, type: 'u8', x: 1 }]).success,
    ).toBe(false);
    expect(bufferSchemaSchema().safeParse([{ name: 'a', offset: '0', type: 'u8' }]).success).toBe(
      false,
    );
  });
});
