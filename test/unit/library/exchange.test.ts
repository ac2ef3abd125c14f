// Exchange files read as hostile input: each malformed or hostile file is refused as a whole with
// what is wrong and where (truncated JSON, wrong hashes, bytes that are not their source, huge
// fields, unknown versions, prototype-pollution keys, wrong types); good files round-trip.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assembleAction } from '../../../electron/host/asm/asmService';
import {
  readExchangeFile,
  writeExchangeFile,
  type AssembleFn,
} from '../../../electron/host/library/exchange';
import type { Action } from '../../../shared/model/action';
import { MAX_IMPORT_BYTES } from '../../../shared/model/actionExport';

const assemble: AssembleFn = (source, role, ctx) =>
  assembleAction(source, {
    role,
    eventKind: ctx.eventKind,
    bufferSize: ctx.bufferSize,
    target: 'auto',
  });

const SEED_SOURCE = 'mov rax,QWORD PTR gs:0x188\nmov rax,QWORD PTR [rax+0xb8]\nadd rax,0x450\nret';
const SEED_HEX = '65488B042588010000488B80B8000000480550040000C3';
const sha = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

function action(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '8a0d6e2b-5c3f-4f7a-b1e9-2d4c6f8a0b02',
    name: 'Image name',
    description: '',
    tags: ['seed'],
    eventKinds: ['!syscall'],
    windowsBuilds: { minBuild: null, maxBuild: 18363, note: '' },
    kind: 'code',
    code: { source: SEED_SOURCE, bytes: SEED_HEX, sha256: sha(SEED_HEX) },
    condition: null,
    bufferSize: 0x18,
    bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
    ...over,
  };
}
function file(
  actions: unknown[] = [action()],
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    format: 'hyperdbg-studio/actions',
    formatVersion: 1,
    exportedAt: '2025-01-01T00:00:00.000Z',
    generator: 'test',
    actions,
    ...over,
  };
}
const read = (text: string) => readExchangeFile(text, 'lib.json', assemble);

async function refused(text: string): Promise<{ message: string; field: string | undefined }> {
  try {
    await read(text);
  } catch (e) {
    expect(e).toMatchObject({ code: 'invalid-input' });
    const err = e as { message: string; field?: string };
    expect(err.message).toMatch(/^lib\.json: /);
    expect(err.message).toMatch(/nothing was imported$/);
    return { message: err.message, field: err.field };
  }
  throw new Error('the file was accepted');
}

describe('readExchangeFile accepts', () => {
  it('a well-formed file, checking the bytes against the source', async () => {
    const [c] = await read(JSON.stringify(file()));
    expect(c?.id).toBe('8a0d6e2b-5c3f-4f7a-b1e9-2d4c6f8a0b02');
    expect(c?.content).toMatchObject({
      kind: 'code',
      code: { source: SEED_SOURCE, bytesHex: SEED_HEX },
    });
  });

  it('a code block saved without bytes, assembling it (or keeping it a draft)', async () => {
    const [ok] = await read(
      JSON.stringify(file([action({ code: { source: 'ret', bytes: null, sha256: null } })])),
    );
    expect(ok?.content).toMatchObject({ code: { bytesHex: 'C3' } });
    const [draft] = await read(
      JSON.stringify(file([action({ code: { source: 'bogus rax', bytes: null, sha256: null } })])),
    );
    expect(draft?.content).toMatchObject({ code: { bytesHex: null } });
  });

  it('what writeExchangeFile writes', async () => {
    const a: Action = {
      id: '8a0d6e2b-5c3f-4f7a-b1e9-2d4c6f8a0b02',
      version: 3,
      createdAt: 1,
      updatedAt: 2,
      builtin: null,
      kind: 'log',
      name: 'Log',
      description: 'd',
      tags: [],
      eventKinds: ['!cpuid'],
      windowsBuilds: null,
      script: 'printf("%x\\n", $context);',
      bufferSize: 0,
      bufferSchema: [],
    };
    const [c] = await read(writeExchangeFile([a], 'test', 0));
    expect(c?.content).toMatchObject({
      kind: 'log',
      name: 'Log',
      script: a.kind === 'log' ? a.script : '',
    });
  });
});

describe("a code action's authored log form", () => {
  it('travels with it, checked like the rest, and keeps the hash of actions without one', async () => {
    const logForm = { length: 15, words: ['dq($pname)', 'dq($pname+8)'], origin: 'authored' };
    const [c] = await read(JSON.stringify(file([action({ logForm })])));
    expect(c?.content).toMatchObject({ kind: 'code', logForm });
    // What an action without one exports has no logForm key at all.
    const [plain] = await read(JSON.stringify(file()));
    expect(plain?.content && 'logForm' in plain.content).toBe(false);
  });

  it('refuses one that could break out of its printf, or does not fit the buffer', async () => {
    const hostile = await refused(
      JSON.stringify(
        file([action({ logForm: { length: 8, words: ['1); eq(0, 0'], origin: 'authored' } })]),
      ),
    );
    expect(hostile.message).toMatch(
      /actions\[0\]\.logForm\.words\[0\]: word 0: only numbers, names/,
    );
    const big = await refused(
      JSON.stringify(
        file([
          action({
            bufferSize: 8,
            bufferSchema: [],
            logForm: { length: 16, words: ['1', '2'], origin: 'authored' },
          }),
        ]),
      ),
    );
    expect(big.message).toMatch(/the log form carries 16 bytes, more than the 8-byte buffer/);
  });
});

describe('readExchangeFile refuses, saying what and where', () => {
  it.each([
    ['truncated JSON', JSON.stringify(file()).slice(0, 200), '', /not valid JSON/],
    ['an empty file', '', '', /not valid JSON/],
    [
      'another format',
      JSON.stringify({ ...file(), format: 'something-else' }),
      '',
      /not a HyperDbg Studio action file/,
    ],
    [
      'a newer version',
      JSON.stringify(file(undefined, { formatVersion: 2 })),
      'formatVersion',
      /newer HyperDbg Studio/,
    ],
    [
      'version 0',
      JSON.stringify(file(undefined, { formatVersion: 0 })),
      'formatVersion',
      /unknown format version 0/,
    ],
    [
      'a string version',
      JSON.stringify(file(undefined, { formatVersion: '1' })),
      '',
      /not a HyperDbg Studio action file/,
    ],
    [
      'a wrong sha256',
      JSON.stringify(
        file([action({ code: { source: SEED_SOURCE, bytes: SEED_HEX, sha256: sha('C3') } })]),
      ),
      'actions[0].code.sha256',
      /does not match the bytes/,
    ],
    [
      'bytes that are not what the source assembles to (hash consistent)',
      JSON.stringify(
        file([action({ code: { source: SEED_SOURCE, bytes: '90C3', sha256: sha('90C3') } })]),
      ),
      'actions[0].code.bytes',
      /not what the source assembles to/,
    ],
    [
      'source that does not assemble next to bytes',
      JSON.stringify(file([action({ code: { source: 'bogus', bytes: 'C3', sha256: sha('C3') } })])),
      'actions[0].code.source',
      /does not assemble/,
    ],
    [
      'a condition whose bytes differ',
      JSON.stringify(
        file([action({ condition: { source: 'xor eax, eax', bytes: 'C3', sha256: sha('C3') } })]),
      ),
      'actions[0].condition.bytes',
      /not what the source assembles to/,
    ],
    [
      'a huge name',
      JSON.stringify(file([action({ name: 'x'.repeat(10_000) })])),
      'actions[0].name',
      /120/,
    ],
    [
      'a huge source',
      JSON.stringify(
        file([action({ code: { source: ';'.repeat(70_000), bytes: null, sha256: null } })]),
      ),
      'actions[0].code.source',
      /65536/,
    ],
    [
      'too many tags',
      JSON.stringify(file([action({ tags: Array.from({ length: 40 }, (_, i) => `t${i}`) })])),
      'actions[0].tags',
      /32/,
    ],
    [
      'a wrong type',
      JSON.stringify(file([action({ bufferSize: '18' })])),
      'actions[0].bufferSize',
      /number/,
    ],
    [
      'a buffer too big',
      JSON.stringify(file([action({ bufferSize: 0x3e8 })])),
      'actions[0].bufferSize',
      /999|<=/,
    ],
    ['an unknown key', JSON.stringify(file([action({ extra: true })])), 'actions[0]', /extra/],
    [
      'an unknown event kind',
      JSON.stringify(file([action({ eventKinds: ['!nope'] })])),
      'actions[0].eventKinds[0]',
      /./,
    ],
    [
      'a schema outside the buffer',
      JSON.stringify(file([action({ bufferSize: 8 })])),
      'actions[0].bufferSchema[0].offset',
      /does not fit/,
    ],
    [
      'a name with control characters',
      JSON.stringify(file([action({ name: 'a\u001b[2Jb' })])),
      'actions[0].name',
      /control/,
    ],
    ['a bad id', JSON.stringify(file([action({ id: '../../etc' })])), 'actions[0].id', /./],
    [
      'actions that is not an array',
      JSON.stringify(file(undefined, { actions: {} })),
      'actions',
      /array/,
    ],
  ])('%s', async (_what, text, field, message) => {
    const e = await refused(text);
    expect(e.message).toMatch(message);
    if (field !== '') {
      expect(e.field).toBe(field);
      expect(e.message).toContain(field);
    }
  });

  it.each([
    [
      '__proto__ at the top',
      '{"__proto__": {"polluted": true}, "format": "hyperdbg-studio/actions"}',
      '__proto__',
    ],
    [
      'constructor inside an action',
      JSON.stringify(file([{ ...action(), constructor: { prototype: { polluted: true } } }])),
      'actions[0].constructor',
    ],
    [
      '__proto__ inside a schema field',
      JSON.stringify(file([action()])).replace(
        '"name":"ImageFileName"',
        '"__proto__":{"x":1},"name":"ImageFileName"',
      ),
      'actions[0].bufferSchema[0].__proto__',
    ],
  ])('prototype-pollution keys: %s', async (_what, text, field) => {
    const e = await refused(text);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(/is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a file nested deeper than any valid one', async () => {
    const text = JSON.stringify(file([])).replace(
      '"actions":[]',
      `"actions":${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    const e = await refused(text);
    expect(e.message).toMatch(/nested more than/);
  });

  it('a file larger than the import limit, before parsing it', async () => {
    const e = await refused(' '.repeat(MAX_IMPORT_BYTES + 1));
    expect(e.message).toMatch(/at most/);
  });

  it('the whole file when only its last action is bad', async () => {
    const e = await refused(
      JSON.stringify(file([action(), action({ name: 'B', bufferSize: -1 })])),
    );
    expect(e.field).toBe('actions[1].bufferSize');
  });
});
