// Opening the browser without putting the access token on a command line, where every local
// user can read it (/proc/<pid>/cmdline): the launcher gets the path of a file only the user can
// read, holding a one-time launch code that the host exchanges for the token cookie.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/paths';
import { startWebHost, type RunningWebHost } from '../../helpers/webHost';

let host: RunningWebHost;
let argvFile: string;

/** A stand-in for xdg-open that records the arguments it was given. */
function fakeLauncher(): string {
  const bin = tempDir('hds-launcher-');
  argvFile = join(bin, 'argv');
  const script = join(bin, 'xdg-open');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
  chmodSync(script, 0o755);
  return bin;
}

beforeAll(async () => {
  if (process.platform !== 'linux') return;
  const bin = fakeLauncher();
  host = await startWebHost([], undefined, {
    open: true,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
});
afterAll(async () => {
  await host?.stop();
});

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.runIf(process.platform === 'linux')('opening the browser', () => {
  it('hands the launcher a private file, never the token', async () => {
    await expect.poll(() => existsSync(argvFile), { timeout: 10_000 }).toBe(true);
    const argv = readFileSync(argvFile, 'utf8').trim().split('\n');
    expect(argv.join(' ')).not.toContain(host.token);
    expect(argv).toHaveLength(1);
    const target = argv[0] as string;
    expect(target.startsWith('file://') || target.startsWith('/')).toBe(true);
    const path = target.replace(/^file:\/\//, '');
    expect(statSync(path).mode & 0o077).toBe(0);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toContain(host.token);
    const launch = /url=(http:\/\/127\.0\.0\.1:\d+\/launch\?code=[0-9a-f]+)/.exec(html);
    expect(launch, html).not.toBeNull();

    const url = new URL((launch as RegExpExecArray)[1] as string);
    const first = await get(`${url.pathname}${url.search}`);
    expect(first.status).toBe(200);
    const cookie = String(first.headers['set-cookie']?.[0] ?? '');
    expect(cookie).toContain(`hds_token=${host.token}`);
    expect(cookie).toContain('HttpOnly');
    // The cookie opens the app; the code is spent.
    expect((await get('/', { Cookie: cookie.split(';')[0] as string })).status).toBe(200);
    expect((await get(`${url.pathname}${url.search}`)).status).toBe(403);
    // The file is gone once used.
    await expect.poll(() => existsSync(path)).toBe(false);
  });

  it('refuses made-up launch codes', async () => {
    expect((await get('/launch?code=00112233445566778899aabbccddeeff')).status).toBe(403);
    expect((await get('/launch')).status).toBe(403);
  });
});
