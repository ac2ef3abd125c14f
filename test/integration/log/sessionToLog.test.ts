// The composition root end to end: the simulator in a real pty, the session engine handing its
// records to the log's sink, the log decoding them with the schema of the built-in library action
// that created the event (resolved from the session's registry), all through the contract.
import { afterEach, describe, expect, it } from 'vitest';
import type { HostClient } from '../../../shared/contract/client';
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

/**
 * Process names of the simulated guest (electron/sim/emulator/windowsGuest.ts) as ImageFileName
 * holds them: 14 characters and a NUL in 15 bytes.
 */
const GUEST_PROCESSES = new Set(
  [
    'System',
    'Registry',
    'smss.exe',
    'csrss.exe',
    'wininit.exe',
    'winlogon.exe',
    'services.exe',
    'lsass.exe',
    'svchost.exe',
    'MsMpEng.exe',
    'dwm.exe',
    'explorer.exe',
    'SearchIndexer.exe',
    'MicrosoftEdgeUpdate.exe',
    'cmd.exe',
    'conhost.exe',
    'notepad.exe',
  ].map((n) => n.slice(0, 14)),
);

async function ready(): Promise<{ c: HostClient }> {
  host = await createHost({ hostKind: 'web', dataDir: tempDir('hds-s2l-'), appVersion: '0.0.0' });
  const c = createMemoryClient(host.handlers, host.hub);
  const st = unwrap(
    await c.call('session:connect', simProfile('local', { seed: 3, pacing: 'fast' })),
  );
  expect(st.status).toBe('ready');
  return { c };
}

describe('session -> log', () => {
  it('records of an event bound to the ImageFileName action arrive decoded as process names', async () => {
    const { c } = await ready();
    const builtins = unwrap(await c.call('library:builtins', {}));
    const id = builtins.find((b) => b.key === 'current-process-image-file-name')?.actionId;
    expect(id).toBeTruthy();
    const action = unwrap(await c.call('library:get', { id: id as string }));
    if (action.kind !== 'code') throw new Error('expected a code action');
    // Its offsets are named: resolved for the guest's build (1909 here) as the binder does.
    const resolved = unwrap(await c.call('target:resolve-action', { id: action.id }));
    expect(resolved.build).toBe(18363);
    expect(resolved.code?.bytesHex).toBe('65488B042588010000488B80B8000000480550040000C3');
    const applied = unwrap(
      await c.call('events:apply', {
        binding: {
          kind: '!syscall',
          buffer: action.bufferSize.toString(16),
          code: resolved.code?.bytesHex ?? '',
        },
        source: { actionIds: [action.id], actionNames: [action.name], versionHashes: [''] },
      }),
    );
    const eventId = parseInt(applied.id, 16);
    await eventually(
      () => host !== undefined && host.log.sink.getStats().total >= 50,
      20_000,
      '50 records in the log',
    );
    const view = unwrap(await c.call('log:open-view', { filter: {} }));
    const rows = unwrap(
      await c.call('log:page', { viewId: view.viewId, revision: 0, offset: 0, limit: 50 }),
    ).rows;
    expect(rows.length).toBe(50);
    for (const r of rows) {
      expect(r.eventId).toBe(eventId);
      expect(r.actionName).toBe(action.name);
      expect(r.fields?.[0]?.[0]).toBe('ImageFileName');
      expect(GUEST_PROCESSES, String(r.fields?.[0]?.[1])).toContain(r.fields?.[0]?.[1] ?? '');
    }
    // The simulated guest runs more than one process: a field filter picks one of them.
    const counts = unwrap(
      await c.call('log:counts', { field: 'ImageFileName', top: 5, seconds: 60, exact: false }),
    );
    expect(counts.top.length).toBeGreaterThan(1);
    const top = counts.top[0]?.value as string;
    const only = unwrap(
      await c.call('log:open-view', {
        filter: { fields: [{ field: 'ImageFileName', op: 'equals', value: top }] },
      }),
    );
    const picked = unwrap(
      await c.call('log:page', { viewId: only.viewId, revision: 0, offset: 0, limit: 20 }),
    ).rows;
    expect(picked.length).toBeGreaterThan(0);
    expect(new Set(picked.map((r) => r.fields?.[0]?.[1]))).toEqual(new Set([top]));
    const stats = unwrap(await c.call('log:stats', {}));
    expect(stats.events.find((e) => e.eventId === eventId)?.actionName).toBe(action.name);
    expect(stats.marks[0]).toMatchObject({ kind: 'started', generation: 1 });
  });
});
