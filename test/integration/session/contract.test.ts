// The session domain through the contract (createMemoryClient: the same validation path as IPC
// and the web host): inputs checked with field names, start-up and connect failures in words,
// and the console stream with its acknowledgements.
import { afterEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../../shared/contract/dispatch';
import { createMemoryClient } from '../../helpers/memoryClient';
import { createSessionHandlers } from '../../../electron/host/session/handlers';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';
import { join } from 'node:path';
import { distDir } from '../../helpers/paths';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

function client(harness: Harness) {
  const { handlers } = createSessionHandlers({
    hub: harness.hub,
    dataDir: harness.dataDir,
    simulatorEntry: join(distDir, 'sim/index.mjs'),
  });
  // Only the session domain is exercised here.
  return { c: createMemoryClient(handlers as unknown as Handlers, harness.hub), handlers };
}

describe('session contract', () => {
  it('connects, streams the console with acknowledgements, checks inputs by field', async () => {
    h = createHarness();
    const { c, handlers } = client(h);
    const chunks: { data: string; seq: number }[] = [];
    const stop = c.subscribe('terminal:data', (p) => chunks.push(p));
    try {
      const st = await c.call('session:connect', simProfile('local', { seed: 1, pacing: 'fast' }));
      expect(st.ok && st.value.status).toBe('ready');
      await eventually(() =>
        chunks
          .map((x) => x.data)
          .join('')
          .includes('vmm module is running...'),
      );
      let seq = 0;
      for (const x of chunks) {
        seq += x.data.length;
        expect(x.seq).toBe(seq);
      }
      expect((await c.call('terminal:ack', { chars: seq })).ok).toBe(true);
      const snap = await c.call('terminal:snapshot', {});
      expect(snap.ok && snap.value.data).toContain('HyperDbg Debugger [version: v0.23.0-sim');

      const blank = await c.call('session:command', { line: '   ' });
      expect(blank).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'line' } });
      const badBinding = await c.call('events:apply', {
        binding: { kind: '!syscall', buffer: '3e8', code: '90' },
      });
      expect(badBinding).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', field: 'binding.buffer' },
      });
      const preview = await c.call('events:preview', {
        binding: { kind: '!syscall', args: ['55'], script: 'print($pid);' },
      });
      // Records are forwarded (docs/hyperdbg-v0.23.md §6.4): the preview shows the app's sink,
      // exactly as the event is then sent.
      const state = await c.call('session:get-state', {});
      const records = state.ok ? state.value.records : null;
      if (records?.kind !== 'forwarded') throw new Error(`records: ${JSON.stringify(records)}`);
      expect(records.sink).toMatch(/^hds_[0-9a-f]{8}$/);
      expect(preview).toEqual({
        ok: true,
        value: {
          command: `!syscall 55 output {${records.sink}} script {print($pid);}`,
          listed: `!syscall 55 output ${records.sink} script print($pid); `,
        },
      });
      const applied = await c.call('events:apply', {
        binding: { kind: '!syscall', args: ['55'], script: 'print($pid);' },
      });
      expect(applied.ok && applied.value.id).toBe('0');
      expect(applied.ok && applied.value.command).toBe(
        preview.ok ? preview.value.command : 'no preview',
      );
      const listed = await c.call('events:list', {});
      expect(listed.ok && listed.value.map((e) => e.state)).toEqual(['active']);
      const pause = await c.call('session:pause', {});
      expect(pause).toMatchObject({ ok: false, error: { code: 'session' } });
      const cmd = await c.call('session:command', { line: '.status' });
      expect(cmd.ok && cmd.value.lines).toEqual(["local debugging ('vmi mode')"]);
    } finally {
      stop();
      await handlers['session:disconnect']({}, { transport: 'memory' });
    }
  });

  it("refuses a script that would use the CLI's escapes to add blocks, and sends nothing", async () => {
    h = createHarness();
    const { c, handlers } = client(h);
    try {
      const st = await c.call('session:connect', simProfile('local', { seed: 2, pacing: 'fast' }));
      expect(st.ok && st.value.status).toBe('ready');
      for (const script of [
        '\\{} code {90} script {\\}',
        'print(1); \\',
        '\\{} condition {90} script {\\}',
      ]) {
        const binding = { kind: '!syscall' as const, script };
        for (const channel of ['events:preview', 'events:apply'] as const) {
          const r = await c.call(channel, { binding });
          expect(r).toMatchObject({
            ok: false,
            error: { code: 'invalid-input', field: 'binding.script' },
          });
          expect(!r.ok && r.error.message).toMatch(/backslash outside a string/);
        }
      }
      const listed = await c.call('events:list', {});
      expect(listed.ok && listed.value).toEqual([]);
    } finally {
      await handlers['session:disconnect']({}, { transport: 'memory' });
    }
  });

  it('says when the CLI path does not exist, before starting anything', async () => {
    h = createHarness();
    const r = await h.service
      .connect({
        profile: {
          name: 'lab',
          cliPath: '/nowhere/hyperdbg-cli.exe',
          connection: { kind: 'local' },
        },
      })
      .catch((e: unknown) => e);
    expect(String(r)).toMatch(/\/nowhere\/hyperdbg-cli\.exe does not exist\. Check the CLI path/);
    expect(h.service.getState()).toMatchObject({ status: 'disconnected', generation: 0 });
  });

  it('reports a target that ends before its first prompt, with its last words', async () => {
    h = createHarness();
    const r = await h.service.connect(simProfile('local'), ['--bogus']).catch((e: unknown) => e);
    expect(String(r)).toMatch(
      /the simulator ended before its first prompt \(exit code 2\): .*unknown option '--bogus'/,
    );
    expect(h.service.getState().status).toBe('disconnected');
  });

  it('explains a failed connect step in words and stops the CLI (§2.3)', async () => {
    h = createHarness();
    const r = await h.service
      .connect({
        profile: { name: 'vm', cliPath: '', connection: { kind: 'namedPipe', pipe: 'nopipe' } },
      })
      .catch((e: unknown) => e);
    expect(String(r)).toMatch(
      /named pipe could not be opened: is the virtual machine running.*\("err, occurred while connecting to the server \(2\)"\)/,
    );
    const s = h.service.getState();
    expect(s.status).toBe('disconnected');
    expect(s.error).toMatch(/named pipe could not be opened/);
    expect(s.exit?.code).toBe(0);
  });
});
