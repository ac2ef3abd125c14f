// The browser-mode host as a real process: the listening line, token and cookie handling,
// Origin and Host checks, loopback-only binding, and the contract over its WebSocket.
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startWebHost, type RunningWebHost } from '../../helpers/webHost';

let host: RunningWebHost;
beforeAll(async () => {
  host = await startWebHost();
});
afterAll(async () => {
  await host?.stop();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function cookie(): Promise<string> {
  const r = await get(`/?token=${host.token}`);
  const set = r.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0] as string;
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, channel: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const m = JSON.parse(String(data)) as { t: string; id?: number; result?: unknown };
      if (m.t === 'result' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'call', id, channel, input }));
  });
}

describe('web host', () => {
  it('prints exactly the listening line', () => {
    const lines = host
      .output()
      .split('\n')
      .filter((l) => l.startsWith('HyperDbg Studio listening on '));
    expect(lines).toEqual([
      `HyperDbg Studio listening on http://127.0.0.1:${host.port}/?token=${host.token}`,
    ]);
    expect(host.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses requests without the token (401) or with a wrong one (403)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/anything.js')).status).toBe(401);
    expect((await get('/?token=0000')).status).toBe(403);
    expect((await get('/', { Cookie: 'hds_token=wrong' })).status).toBe(403);
  });

  it('serves the app with the token and sets an HttpOnly SameSite=Strict cookie', async () => {
    const r = await get(`/?token=${host.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<div id="root">');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    const set = r.headers['set-cookie']?.[0] ?? '';
    expect(set).toMatch(/^hds_token=[0-9a-f]+;/);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    const again = await get('/', { Cookie: await cookie() });
    expect(again.status).toBe(200);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Origin and a foreign Host even with the token', async () => {
    expect((await get(`/?token=${host.token}`, { Origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect((await get(`/?token=${host.token}`, { Host: `evil.example:${host.port}` })).status).toBe(
      403,
    );
  });

  it('does not escape the renderer folder', async () => {
    const c = await cookie();
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%00']) {
      expect((await get(p, { Cookie: c })).status).toBe(404);
    }
  });

  it('listens on loopback only', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: address, port: host.port });
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
      expect(refused, `reachable on ${address}`).toBe(true);
    }
  });

  it('closes WebSockets without the token or from a foreign Origin', async () => {
    await expect(openSocket({ Origin: host.origin })).rejects.toThrow('HTTP 401');
    const c = await cookie();
    await expect(openSocket({ Origin: 'http://evil.example', Cookie: c })).rejects.toThrow(
      'HTTP 403',
    );
    await expect(openSocket({ Origin: host.origin, Cookie: 'hds_token=bad' })).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('serves the contract over the WebSocket with validation and streams', async () => {
    const ws = await openSocket({ Origin: host.origin, Cookie: await cookie() });
    // Valid input reaches the library service, which answers with its own error as a value.
    expect(await call(ws, 1, 'library:get', { id: 'no-such-action' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', field: 'id' },
    });
    expect(await call(ws, 2, 'library:get', { id: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'id' },
    });
    expect(await call(ws, 3, 'no:such', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    const info = (await call(ws, 4, 'app:info', {})) as {
      ok: boolean;
      value: { host: string; dataDir: string };
    };
    expect(info.value.host).toBe('web');
    expect(info.value.dataDir).toBe(host.dataDir);

    const beats = await new Promise<number[]>((resolve) => {
      const seqs: number[] = [];
      ws.on('message', (d: Buffer) => {
        const m = JSON.parse(String(d)) as {
          t: string;
          stream?: string;
          payload?: { seq: number };
        };
        if (m.t === 'push' && m.stream === 'app:heartbeat' && m.payload) seqs.push(m.payload.seq);
        if (seqs.length === 2) resolve(seqs);
      });
      ws.send(JSON.stringify({ t: 'sub', stream: 'app:heartbeat' }));
    });
    expect(beats[1]).toBe((beats[0] as number) + 1);

    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1007);
  });
});
