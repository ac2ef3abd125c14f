// The action model's schemas: drafts as the contract takes them, content as the store keeps it,
// and the canonical form versions are hashed from.
import { describe, expect, it } from 'vitest';
import {
  actionContentSchema,
  actionDraftSchema,
  canonicalContent,
  isAssembled,
  type ActionContent,
} from '../../../shared/model/action';
import { connectionSchema, profileDraftSchema } from '../../../shared/model/actionTarget';

const code = {
  kind: 'code',
  name: 'Image name',
  code: { source: 'ret' },
  bufferSize: 0x18,
  bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
  eventKinds: ['!syscall'],
};

describe('actionDraftSchema', () => {
  it('fills defaults and trims the name', () => {
    const r = actionDraftSchema.parse({ ...code, name: '  Image name  ' });
    expect(r).toMatchObject({ name: 'Image name', description: '', tags: [], condition: null });
  });

  it.each([
    [{ ...code, name: '' }, 'name'],
    [{ ...code, name: 'two\nlines' }, 'name'],
    [{ ...code, name: 'x'.repeat(121) }, 'name'],
    [{ ...code, tags: ['a', 'A'] }, 'tags'],
    [{ ...code, eventKinds: ['!nope'] }, 'eventKinds.0'],
    [{ ...code, eventKinds: ['!syscall', '!syscall'] }, 'eventKinds'],
    [{ ...code, bufferSize: 0x3e8 }, 'bufferSize'],
    [{ ...code, bufferSize: 8 }, 'bufferSchema.0.offset'],
    [
      { ...code, bufferSchema: [{ name: '__proto__', offset: 0, type: 'u8' }] },
      'bufferSchema.0.name',
    ],
    [{ ...code, extra: 1 }, ''],
    [{ ...code, code: { source: 'ret', bytesHex: 'C3' } }, 'code'],
    [{ kind: 'log', name: 'x', script: '   ' }, 'script'],
    [{ kind: 'break', name: 'x', script: 'y' }, ''],
    [
      { ...code, windowsBuilds: { minBuild: 20000, maxBuild: 19041, note: '' } },
      'windowsBuilds.minBuild',
    ],
  ])('refuses %j at %s', (input, path) => {
    const r = actionDraftSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toBe(path);
  });

  it('accepts a log action whose schema describes the record it prints', () => {
    expect(
      actionDraftSchema.safeParse({
        kind: 'log',
        name: 'log twin',
        script: 'printf("HDBG1 %x\\n", $core);',
        bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
      }).success,
    ).toBe(true);
  });
});

describe('stored content', () => {
  const content: ActionContent = {
    kind: 'code',
    name: 'n',
    description: '',
    tags: [],
    eventKinds: [],
    windowsBuilds: null,
    code: { source: 'ret', bytesHex: 'C3' },
    condition: null,
    bufferSize: 0,
    bufferSchema: [],
  };

  it('checks bytes are upper-case hex pairs', () => {
    expect(actionContentSchema.safeParse(content).success).toBe(true);
    expect(
      actionContentSchema.safeParse({ ...content, code: { source: 'ret', bytesHex: 'c3' } })
        .success,
    ).toBe(false);
    expect(
      actionContentSchema.safeParse({ ...content, code: { source: 'ret', bytesHex: 'C' } }).success,
    ).toBe(false);
  });

  it('orders keys canonically whatever order they were built in', () => {
    const shuffled = Object.fromEntries(Object.entries(content).reverse()) as ActionContent;
    expect(JSON.stringify(canonicalContent(shuffled))).toBe(
      JSON.stringify(canonicalContent(content)),
    );
  });

  it('knows whether code and condition assembled', () => {
    expect(isAssembled(content)).toBe(true);
    expect(isAssembled({ ...content, code: { source: 'x', bytesHex: null } })).toBe(false);
    expect(
      isAssembled({ ...content, condition: { source: 'x', bytesHex: null } } as ActionContent),
    ).toBe(false);
  });
});

describe('connection profiles', () => {
  it('defaults the named pipe, the TCP port and the capability', () => {
    expect(connectionSchema.parse({ kind: 'namedPipe' })).toEqual({
      kind: 'namedPipe',
      pipe: '\\\\.\\pipe\\HyperDbgPipe',
    });
    expect(connectionSchema.parse({ kind: 'tcp', host: '10.0.0.2' })).toEqual({
      kind: 'tcp',
      host: '10.0.0.2',
      port: 50000,
    });
    expect(profileDraftSchema.parse({ name: 'VM', connection: { kind: 'local' } }).capability).toBe(
      'auto',
    );
  });

  it.each([
    { kind: 'serial', port: 'COM5', baud: 115200 },
    { kind: 'serial', port: 'COM1', baud: 115201 },
    { kind: 'tcp', host: '256.0.0.1' },
    { kind: 'tcp', host: 'example.com' },
    { kind: 'tcp', host: '10.0.0.1', port: 70000 },
    { kind: 'namedPipe', pipe: '' },
    { kind: 'usb' },
  ])('refuses %j', (connection) => {
    expect(connectionSchema.safeParse(connection).success).toBe(false);
  });
});
