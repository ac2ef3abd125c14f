// What holding the token does not give: writing files outside the exports folder (`log:export`
// with a path), or starting a program that did not pass the connection dialog's check
// (`session:connect` with a cliPath). Through the contract, as the browser and IPC call it.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostClient } from '../../../shared/contract/client';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import { makeRecords, startInProcessHost, type InProcessHost } from '../../helpers/inProcessHost';
import { tempDir } from '../../helpers/paths';

let h: InProcessHost;
let c: HostClient;
let viewId: string;

beforeAll(async () => {
  h = await startInProcessHost();
  h.sink.records(makeRecords(0, 100));
  c = createMemoryClient(h.host.handlers, h.host.hub);
  viewId = unwrap(await c.call('log:open-view', { filter: {} })).viewId;
});
afterAll(async () => {
  await h?.stop();
});

describe('log:export with a path', () => {
  it('writes into the exports folder', async () => {
    const exportsDir = h.host.log.exportsDir;
    mkdirSync(exportsDir, { recursive: true });
    const r = unwrap(
      await c.call('log:export', { viewId, format: 'csv', path: join(exportsDir, 'mine.csv') }),
    );
    expect(r.path).toBe(join(exportsDir, 'mine.csv'));
    expect(r.records).toBe(100);
  });

  it('refuses any folder but the exports folder, writing nothing', async () => {
    const elsewhere = tempDir('hds-elsewhere-');
    const exportsDir = h.host.log.exportsDir;
    mkdirSync(exportsDir, { recursive: true });
    symlinkSync(elsewhere, join(exportsDir, 'link'));
    for (const path of [
      join(elsewhere, 'x.csv'),
      join(exportsDir, 'link', 'x.csv'),
      join(exportsDir, '..', 'x.csv'),
      '/etc/cron.d/x.csv',
    ]) {
      const r = await c.call('log:export', { viewId, format: 'csv', path });
      expect(r, path).toMatchObject({ ok: false, error: { field: 'path' } });
      if (!r.ok)
        expect(r.error.code === 'forbidden' || r.error.code === 'invalid-input').toBe(true);
    }
    expect(existsSync(join(elsewhere, 'x.csv'))).toBe(false);
    const r = await c.call('log:export', { viewId, format: 'csv', path: join(elsewhere, 'x.csv') });
    expect(!r.ok && r.error).toMatchObject({ code: 'forbidden' });
    expect(!r.ok && r.error.message).toContain(exportsDir);
  });
});

describe('session:connect with a CLI path', () => {
  function program(dir: string, name: string, body: string): string {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  }
  const profile = (cliPath: string) => ({
    profile: {
      name: 'lab',
      cliPath,
      connection: { kind: 'local' as const },
      workingDirectory: '',
      capability: 'auto' as const,
    },
  });

  it('refuses a path the connection dialog did not check, before starting anything', async () => {
    const dir = tempDir('hds-cli-');
    const marker = join(dir, 'ran');
    const cli = program(dir, 'hyperdbg-cli', `touch ${marker}`);
    const r = await c.call('session:connect', profile(cli));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', field: 'profile.cliPath' } });
    expect(!r.ok && r.error.message).toMatch(/check/i);
    await new Promise((res) => setTimeout(res, 300));
    expect(existsSync(marker)).toBe(false);
  });

  it('starts a checked path, and refuses it again once the file changed', async () => {
    const dir = tempDir('hds-cli-');
    const marker = join(dir, 'ran');
    const cli = program(dir, 'hyperdbg-cli', `touch ${marker}; exit 3`);
    const check = unwrap(await c.call('profile:check-cli', { cliPath: cli, workingDirectory: '' }));
    expect(check.ok).toBe(true);
    const started = await c.call('session:connect', profile(cli));
    // It ran (and, not being HyperDbg, ended before a prompt: a session error, not a refusal).
    expect(!started.ok && started.error.code).not.toBe('forbidden');
    await expect.poll(() => existsSync(marker)).toBe(true);
    // Swapped after the check: refused.
    program(dir, 'hyperdbg-cli', 'echo other program; exit 4; # a different size');
    const swapped = await c.call('session:connect', profile(cli));
    expect(swapped).toMatchObject({
      ok: false,
      error: { code: 'forbidden', field: 'profile.cliPath' },
    });
    expect(!swapped.ok && swapped.error.message).toMatch(/changed since/);
  });
});
