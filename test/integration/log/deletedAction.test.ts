// The composition root with a deleted action in the library: the log still learns the schemas of
// actions saved after the delete (it reads the library through recordActions, deleted ones
// included), so records of an event bound to such an action arrive decoded, not as hex.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import { createHost, type Host } from '../../../electron/host/composition';
import { eventually, simProfile } from '../../helpers/sessionHarness';
import { tempDir } from '../../helpers/paths';

let host: Host | undefined;
afterEach(async () => {
  await host?.dispose();
  host = undefined;
});

describe('session -> log with a deleted action in the library', () => {
  it("decodes records of an action saved after another was deleted, under that action's name", async () => {
    host = await createHost({ hostKind: 'web', dataDir: tempDir('hds-del-'), appVersion: '0.0.0' });
    const c = createMemoryClient(host.handlers, host.hub);
    const builtins = unwrap(await c.call('library:builtins', {}));
    const builtinId = builtins.find((b) => b.key === 'current-process-image-file-name')?.actionId;
    if (builtinId == null) throw new Error('the ImageFileName built-in is missing');
    const gone = unwrap(await c.call('library:duplicate', { id: builtinId, name: 'Gone' }));
    unwrap(await c.call('library:delete', { id: gone.id }));
    const kept = unwrap(await c.call('library:duplicate', { id: builtinId, name: 'Kept copy' }));
    if (kept.kind !== 'code') throw new Error('expected a code action');

    expect(
      unwrap(await c.call('session:connect', simProfile('local', { seed: 5, pacing: 'fast' })))
        .status,
    ).toBe('ready');
    const applied = unwrap(
      await c.call('events:apply', {
        binding: {
          kind: '!syscall',
          buffer: kept.bufferSize.toString(16),
          code: kept.code.bytesHex ?? '',
        },
        source: { actionIds: [kept.id], actionNames: [kept.name], versionHashes: [''] },
      }),
    );
    const eventId = parseInt(applied.id, 16);
    await eventually(
      () => host !== undefined && host.log.sink.getStats().total >= 20,
      20_000,
      '20 records in the log',
    );
    const view = unwrap(await c.call('log:open-view', { filter: {} }));
    const rows = unwrap(
      await c.call('log:page', { viewId: view.viewId, revision: 0, offset: 0, limit: 20 }),
    ).rows;
    expect(rows.length).toBe(20);
    for (const r of rows) {
      expect(r.eventId).toBe(eventId);
      expect(r.actionName).toBe('Kept copy');
      expect(r.fields?.[0]?.[0]).toBe('ImageFileName');
    }
  });
});
