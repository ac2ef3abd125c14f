// The action editor's form: buffer sizes read as HyperDbg reads them (hex, at most 0x3e7),
// schema problems on their cell, host field paths mapped onto the form, and the round trip.
import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/model/action';
import {
  checkDraft,
  draftFromAction,
  formFieldOf,
  nextFieldOffset,
  parseBufferSize,
  parseTags,
  sameDraft,
} from '../../../renderer/src/editor/editorDraft';

const action: Action = {
  id: 'a',
  name: 'ImageFileName',
  description: 'd',
  tags: ['seed', 'process'],
  eventKinds: ['!syscall'],
  windowsBuilds: null,
  version: 1,
  createdAt: 0,
  updatedAt: 0,
  builtin: null,
  kind: 'code',
  code: { source: 'mov rax, gs:[0x188]\nret', bytesHex: '00' },
  condition: null,
  bufferSize: 0x18,
  bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
};

describe('parseBufferSize', () => {
  it('reads hex as HyperDbg does (18 is 24 bytes), 0x allowed, empty is none', () => {
    expect(parseBufferSize('18')).toEqual({ ok: true, value: 24 });
    expect(parseBufferSize('0x3E7')).toEqual({ ok: true, value: 999 });
    expect(parseBufferSize('  ')).toEqual({ ok: true, value: 0 });
  });
  it('refuses more than 0x3e7 and what is not hex, saying why', () => {
    const big = parseBufferSize('3e8');
    expect(big.ok).toBe(false);
    expect(!big.ok && big.error).toMatch(
      /at most 0x3e7 \(999\) bytes.*docs\/hyperdbg-v0\.23\.md §3\.5/,
    );
    expect(parseBufferSize('24 bytes').ok).toBe(false);
    expect(parseBufferSize('-1').ok).toBe(false);
  });
});

describe('checkDraft', () => {
  it('round-trips an action into the draft library:save takes', () => {
    const d = draftFromAction(action);
    expect(d.bufferSize).toBe('18');
    expect(d.schema).toEqual([{ name: 'ImageFileName', offset: '0x0', type: 'cstr[15]' }]);
    expect(checkDraft(d)).toEqual({
      ok: true,
      value: {
        kind: 'code',
        name: 'ImageFileName',
        description: 'd',
        tags: ['seed', 'process'],
        eventKinds: ['!syscall'],
        code: { source: 'mov rax, gs:[0x188]\nret' },
        condition: null,
        bufferSize: 24,
        bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
      },
    });
    expect(sameDraft(d, draftFromAction(action))).toBe(true);
  });

  it('puts each problem on its field', () => {
    const d = draftFromAction(action);
    const r = checkDraft({
      ...d,
      name: ' ',
      tags: 'a, A',
      bufferSize: '400',
      schema: [
        { name: '__proto__', offset: '0x0', type: 'cstr[15]' },
        { name: 'Pid', offset: 'zz', type: 'u32' },
        { name: 'Big', offset: '0x10', type: 'u128' },
      ],
    });
    expect(r.ok).toBe(false);
    const e = r.ok ? {} : r.error;
    expect(e.name).toMatch(/required/);
    expect(e.tags).toMatch(/twice/);
    expect(e.bufferSize).toMatch(/at most 0x3e7/);
    expect(e['schema.0.name']).toMatch(/reserved/);
    expect(e['schema.1.offset']).toMatch(/offset/);
    expect(e['schema.2.type']).toMatch(/not a type/);
  });

  it('a code schema must fit in the buffer; a log schema only in a record', () => {
    const d = { ...draftFromAction(action), bufferSize: '8' };
    const r = checkDraft(d);
    expect(!r.ok && r.error['schema.0.offset']).toMatch(/does not fit in 0x8 bytes/);
    const log = checkDraft({ ...d, kind: 'log', script: 'printf("x\\n");', bufferSize: '' });
    expect(log.ok).toBe(true);
    expect(checkDraft({ ...d, kind: 'log', script: '  ' }).ok).toBe(false);
  });
});

describe('helpers', () => {
  it('maps host field paths to form fields', () => {
    expect(formFieldOf('action.bufferSize')).toBe('bufferSize');
    expect(formFieldOf('action.bufferSchema.2.offset')).toBe('schema.2.offset');
    expect(formFieldOf('action.code.source')).toBe('code');
    expect(formFieldOf('baseVersion')).toBe('form');
    expect(formFieldOf(undefined)).toBe('form');
  });
  it('parses tags and finds the next free offset', () => {
    expect(parseTags(' a ,b,, c')).toEqual({ ok: true, value: ['a', 'b', 'c'] });
    const sizeOf = (t: string) => (t === 'u32' ? 4 : t === 'cstr[15]' ? 15 : undefined);
    expect(nextFieldOffset([], sizeOf)).toBe('0x0');
    expect(nextFieldOffset([{ name: 'a', offset: '0x10', type: 'u32' }], sizeOf)).toBe('0x14');
    expect(nextFieldOffset([{ name: 'a', offset: '0', type: 'cstr[15]' }], sizeOf)).toBe('0xf');
  });
});

describe("a code action's own log form", () => {
  const withOwn = {
    ...draftFromAction(action),
    logFormOwn: true,
    logFormLength: 'f',
    logFormWords: 'dq($pname)\ndq($pname+8)\n',
  };

  it('becomes the draft’s authored payload: hex length, one expression per word', () => {
    const c = checkDraft(withOwn);
    expect(c.ok && c.value.kind === 'code' && c.value.logForm).toEqual({
      length: 15,
      words: ['dq($pname)', 'dq($pname+8)'],
      origin: 'authored',
    });
    // And back: what the library holds fills the form again.
    const back = draftFromAction({
      ...action,
      logForm: { length: 15, words: ['dq($pname)', 'dq($pname+8)'], origin: 'authored' },
    });
    expect(back).toMatchObject({ logFormOwn: true, logFormLength: 'f' });
  });

  it('is refused on its field when the words do not match the length, or break out of printf', () => {
    expect(checkDraft({ ...withOwn, logFormWords: 'dq($pname)' })).toEqual({
      ok: false,
      error: {
        logForm:
          '0xf bytes are 2 word(s) of 8 bytes: write 2 expression(s), one per line (1 given)',
      },
    });
    const c = checkDraft({ ...withOwn, logFormWords: 'dq($pname)\n1); eq(0, 0' });
    expect(c.ok === false && c.error.logForm).toMatch(/^word 1 \('1\); eq\(0, 0'\): only numbers/);
    expect(checkDraft({ ...withOwn, logFormLength: '20' })).toMatchObject({
      ok: false,
      error: { logForm: "the log form's 0x20 bytes are more than the 0x18-byte buffer" },
    });
    // Not written by the author: nothing is checked, nothing is saved.
    const none = checkDraft({ ...withOwn, logFormOwn: false, logFormWords: 'garbage ;' });
    expect(none.ok && none.value.kind === 'code' && 'logForm' in none.value).toBe(false);
  });
});
