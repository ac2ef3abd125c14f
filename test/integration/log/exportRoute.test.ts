// The web host's export download route (/exports/<file name>): the same token, cookie and
// Origin checks as every request, plain file names only, nothing outside the exports folder;
// in process with records fed through the sink, and in the built `npm run web` host.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import { findExportFile } from '../../../electron/host/log/exportFiles';
import { makeRecords, startInProcessHost, type InProcessHost } from '../../helpers/inProcessHost';
import { tempDir } from '../../helpers/paths';
import { startWebHost } from '../../helpers/webHost';

let h: InProcessHost;
let fileName = '';
let content = '';

beforeAll(async () => {
  h = await startInProcessHost();
  h.sink.records(makeRecords(0, 1000));
  const c = createMemoryClient(h.host.handlers, h.host.hub);
  const view = unwrap(await c.call('log:open-view', { filter: { actions: ['act-pool-tag'] } }));
  const r = unwrap(await c.call('log:export', { viewId: view.viewId, format: 'csv' }));
  expect(r.downloadPath).toBe(`/exports/${r.fileName}`);
  fileName = r.fileName;
  content = readFileSync(r.path, 'utf8');
});
afterAll(async () => {
  await h?.stop();
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${h.origin}${path}`, { method, headers, redirect: 'manual' });

describe('export download route', () => {
  it('serves an export as an attachment with the token, and through the cookie', async () => {
    const r = await get(`/exports/${fileName}?token=${h.token}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${fileName}"`);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.text()).toBe(content);
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const again = await get(`/exports/${fileName}`, { cookie });
    expect(again.status).toBe(200);
    const head = await get(`/exports/${fileName}`, { cookie }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(content)));
  });

  it('refuses without the token, with a wrong one, or from a foreign page', async () => {
    expect((await get(`/exports/${fileName}`)).status).toBe(401);
    expect((await get(`/exports/${fileName}?token=${'0'.repeat(48)}`)).status).toBe(403);
    const foreign = await get(`/exports/${fileName}?token=${h.token}`, {
      origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).not.toContain(content.slice(0, 20));
    expect((await get(`/exports/${fileName}?token=${h.token}`, {}, 'POST')).status).toBe(405);
  });

  it('serves only plain export names inside the exports folder', async () => {
    // Something worth stealing beside the exports: the session database and a secret.
    writeFileSync(join(h.dataDir, 'secret.csv'), 'secret');
    mkdirSync(join(h.dataDir, 'exports'), { recursive: true });
    symlinkSync(join(h.dataDir, 'secret.csv'), join(h.dataDir, 'exports', 'link.csv'));
    const cases: [string, number][] = [
      ['/exports/..%2Fsecret.csv', 400],
      ['/exports/%2e%2e%2fsecret.csv', 400],
      ['/exports/sub%2Fx.csv', 400],
      ['/exports/.hidden.csv', 400],
      ['/exports/notes.txt', 400],
      ['/exports/%E0%A4%A.csv', 400],
      ['/exports/nosuch.csv', 404],
      ['/exports/link.csv', 404],
      ['/exports/', 400],
    ];
    for (const [path, status] of cases) {
      const r = await get(`${path}?token=${h.token}`);
      expect([path, r.status]).toEqual([path, status]);
      expect(await r.text()).not.toContain('secret');
    }
    // A path the URL parser folds (`/exports/../secret.csv` -> `/secret.csv`) is a static file
    // request, which the renderer folder does not have.
    expect((await get(`/exports/../secret.csv?token=${h.token}`)).status).toBe(404);
  });

  it('findExportFile: names are checked before the disk is touched', () => {
    const dir = tempDir('hds-exp-');
    writeFileSync(join(dir, 'log-1.jsonl'), '{}\n');
    expect(findExportFile(dir, 'log-1.jsonl')).toMatchObject({
      ok: true,
      value: { size: 3, contentType: 'application/x-ndjson; charset=utf-8' },
    });
    expect(findExportFile(dir, 'a..csv')).toMatchObject({ ok: false, error: { status: 400 } });
    expect(findExportFile(join(dir, 'missing'), 'x.csv')).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
  });
});

describe('the built web host', () => {
  it('passes its data folder exports to the route (npm run web)', async () => {
    const web = await startWebHost();
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`, {
        headers: { origin: web.origin },
      });
      const call = (id: number, channel: string, input: unknown) =>
        new Promise<unknown>((resolve) => {
          const onMessage = (data: WebSocket.RawData) => {
            const m = JSON.parse(String(data)) as { t: string; id?: number; result?: unknown };
            if (m.t === 'result' && m.id === id) {
              ws.off('message', onMessage);
              resolve(m.result);
            }
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ t: 'call', id, channel, input }));
        });
      await new Promise((r) => ws.once('open', r));
      const view = (await call(1, 'log:open-view', { filter: {} })) as {
        ok: true;
        value: { viewId: string };
      };
      const exp = (await call(2, 'log:export', { viewId: view.value.viewId, format: 'jsonl' })) as {
        ok: true;
        value: { downloadPath: string; records: number; path: string };
      };
      ws.close();
      expect(exp.value).toMatchObject({ records: 0 });
      expect(exp.value.path.startsWith(join(web.dataDir, 'exports'))).toBe(true);
      const r = await fetch(`${web.origin}${exp.value.downloadPath}?token=${web.token}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toBe('');
    } finally {
      await web.stop();
    }
  });
});
