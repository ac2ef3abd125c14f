// The log's one read of the library (recordActions): every action that can print records, with
// its buffer schema, deleted ones included (an event created before the delete still prints),
// on a real SQLite file in a temporary data folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibraryHandlers } from '../../../electron/host/library/handlers';
import type { HostClient } from '../../../shared/contract/client';
import type { Handlers } from '../../../shared/contract/dispatch';
import { createStreamHub } from '../../../shared/contract/hub';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import { tempDir } from '../../helpers/paths';

let client: HostClient;
let library: ReturnType<typeof createLibraryHandlers>;

beforeEach(() => {
  const hub = createStreamHub();
  library = createLibraryHandlers({ hub, dataDir: tempDir() });
  client = createMemoryClient(library.handlers as unknown as Handlers, hub);
});
afterEach(async () => {
  await library.dispose();
});

const codeDraft = {
  kind: 'code' as const,
  name: 'Image name',
  code: {
    source: 'mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0xb8]\nadd rax, 0x450\nret',
  },
  bufferSize: 0x18,
  bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
};
const logDraft = {
  kind: 'log' as const,
  name: 'Pool tag',
  script: 'printf("HDBG1 %x\\n", $context);',
  bufferSchema: [{ name: 'Tag', offset: 0, type: 'u32' }],
};

describe('library recordActions', () => {
  it('lists log and code actions with their schemas, and no break action', async () => {
    const code = unwrap(await client.call('library:save', { action: codeDraft })).action;
    const log = unwrap(await client.call('library:save', { action: logDraft })).action;
    const brk = unwrap(
      await client.call('library:save', { action: { kind: 'break', name: 'Stop here' } }),
    ).action;
    const actions = await library.recordActions();
    expect(actions.find((a) => a.id === code.id)).toEqual({
      id: code.id,
      name: 'Image name',
      kind: 'code',
      bufferSchema: codeDraft.bufferSchema,
      // What its event command carries, so an import can tell which action made an event.
      codeHex: code.kind === 'code' ? code.code.bytesHex : 'not a code action',
      script: null,
    });
    expect(actions.find((a) => a.id === log.id)).toMatchObject({
      kind: 'log',
      bufferSchema: logDraft.bufferSchema,
      codeHex: null,
      script: logDraft.script,
    });
    expect(actions.some((a) => a.id === brk.id)).toBe(false);
    // The built-ins are actions like any other.
    const listed = unwrap(await client.call('library:list', {}));
    const printing = listed.filter((s) => s.kind !== 'break').map((s) => s.id);
    expect(actions.map((a) => a.id).sort()).toEqual(printing.sort());
  });

  it('keeps a deleted action: events created from it still print records', async () => {
    const code = unwrap(await client.call('library:save', { action: codeDraft })).action;
    unwrap(await client.call('library:delete', { id: code.id }));
    const later = unwrap(
      await client.call('library:save', { action: { ...codeDraft, name: 'Later' } }),
    ).action;
    const actions = await library.recordActions();
    expect(actions.find((a) => a.id === code.id)?.bufferSchema).toEqual(codeDraft.bufferSchema);
    expect(actions.find((a) => a.id === later.id)?.name).toBe('Later');
  });
});
