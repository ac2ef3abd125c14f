// Browser-mode host: serves the built renderer and the contract over a WebSocket, on 127.0.0.1
// only, behind the per-launch token (auth.ts). The same dispatcher as Electron's IPC validates
// every call. Plain Node; never imports `electron`.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { RENDERER_CSP } from '../../shared/contract/csp';
import { dispatchCall, type Handlers } from '../../shared/contract/dispatch';
import type { StreamHub } from '../../shared/contract/hub';
import { isStreamName } from '../../shared/contract/index';
import { forwardStreams } from '../../shared/contract/streamForwarding';
import {
  clientMessage,
  MAX_WIRE_MESSAGE_BYTES,
  type ServerMessage,
} from '../../shared/contract/wire';
import { systemClock } from '../../shared/stream/clock';
import { authorize, hostOrOriginProblem, tokenCookie, type LaunchCodes } from './auth';
import { ClientOutbox, STALLED_CLIENT_MS } from './clientOutbox';
import { loadStatic } from '../host/staticFiles';
import { EXPORTS_ROUTE, findExportFile } from '../host/log/exportFiles';

/** The only interface the server ever binds to. */
export const LOOPBACK = '127.0.0.1';
export const WS_PATH = '/ws';
/**
 * After a protocol violation, how long the close frame may take to reach the client before the
 * connection is cut (ms): loopback delivers it at once; ws would otherwise wait 30 s for a reply.
 */
const BROKEN_CLIENT_GRACE_MS = 1_000;

export interface WebServerOptions {
  readonly handlers: Handlers;
  readonly hub: StreamHub;
  readonly rendererDir: string;
  readonly token: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Log exports, downloadable at `/exports/<file name>` (browser mode's save dialog). */
  readonly exportsDir?: string;
  /** One-time codes `/launch?code=` exchanges for the token cookie (the browser the host opens). */
  readonly launchCodes?: LaunchCodes;
}

/** Where a launch code is exchanged for the token cookie. */
export const LAUNCH_PATH = '/launch';

/** The page a redeemed launch code gets: the cookie is set, then the app loads from `/`. */
const LAUNCH_PAGE =
  '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/"><title>HyperDbg Studio</title><p>Opening HyperDbg Studio…</p>\n';

export interface WebServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WIRE_MESSAGE_BYTES });
  let allowedHosts: string[] = [];

  const server = createServer((req, res) => void handleHttp(req, res));

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', `http://${LOOPBACK}`).pathname;
    if (path === LAUNCH_PATH) {
      launch(req, res);
      return;
    }
    const verdict = authorize(req, opts.token, allowedHosts);
    if (!verdict.ok) {
      res.writeHead(verdict.error.status, {
        'Content-Type': 'text/plain; charset=utf-8',
        ...SECURITY_HEADERS,
      });
      res.end(
        verdict.error.status === 401
          ? 'HyperDbg Studio: open the URL printed by `npm run web` (it carries the access token).\n'
          : `HyperDbg Studio: forbidden (${verdict.error.reason}).\n`,
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...SECURITY_HEADERS });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? LOOPBACK}`);
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    if (verdict.value.viaQuery) headers['Set-Cookie'] = tokenCookie(opts.token);
    if (opts.exportsDir !== undefined && url.pathname.startsWith(EXPORTS_ROUTE)) {
      // Same checks as every request above; the name is a bare file name in the exports folder.
      const found = findExportFile(opts.exportsDir, url.pathname.slice(EXPORTS_ROUTE.length));
      if (!found.ok) {
        res.writeHead(found.error.status, {
          'Content-Type': 'text/plain; charset=utf-8',
          ...headers,
        });
        res.end(`${found.error.message}\n`);
        return;
      }
      const file = found.value;
      res.writeHead(200, {
        ...headers,
        'Content-Type': file.contentType,
        'Content-Length': String(file.size),
        'Content-Disposition': `attachment; filename="${file.fileName}"`,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') res.end();
      else
        createReadStream(file.path)
          .on('error', () => res.destroy())
          .pipe(res);
      return;
    }
    const file = await loadStatic(opts.rendererDir, url.pathname);
    if (file === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end('not found\n');
      return;
    }
    headers['Content-Type'] = file.contentType;
    headers['Cache-Control'] = url.pathname.startsWith('/assets/')
      ? 'max-age=31536000, immutable'
      : 'no-store';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  /** `/launch?code=`: a one-time code from the host's own browser launch, for the cookie. */
  function launch(req: IncomingMessage, res: ServerResponse): void {
    const problem = hostOrOriginProblem(req, allowedHosts);
    const code = new URL(req.url ?? '/', `http://${LOOPBACK}`).searchParams.get('code');
    const redeemed =
      problem === null &&
      req.method === 'GET' &&
      code !== null &&
      opts.launchCodes?.redeem(code) === true;
    if (!redeemed) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end(
        'HyperDbg Studio: this launch link was already used or has expired; open the URL printed by `npm run web`.\n',
      );
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Set-Cookie': tokenCookie(opts.token),
    });
    res.end(LAUNCH_PAGE);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client may reset the connection at any moment: its socket error must end that socket
    // only (an unhandled 'error' event would end the process). ws adds its own handler once the
    // upgrade is done.
    socket.on('error', () => socket.destroy());
    const verdict = authorize(req, opts.token, allowedHosts);
    const path = new URL(req.url ?? '/', `http://${LOOPBACK}`).pathname;
    if (!verdict.ok || path !== WS_PATH) {
      const status = verdict.ok ? 404 : verdict.error.status;
      const text = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found';
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    // Backpressure: a client that reads slowly gets the latest state, one that stops is dropped.
    const outbox = new ClientOutbox(
      ws,
      systemClock,
      (stream, payload) => JSON.stringify({ t: 'push', stream, payload } satisfies ServerMessage),
      (reason, unsent) =>
        console.error(
          `HyperDbg Studio: disconnected a browser client that ${reason === 'stalled' ? `stopped reading (${STALLED_CLIENT_MS / 1000} s without catching up)` : 'let its unsent data pass the limit'}, ${Math.round(unsent / 1024)} KiB unsent`,
        ),
    );
    // Protocol violations (bad UTF-8, RSV bits, unmasked or oversized frames, ...) arrive here:
    // ws has sent the matching close code (1002, 1007, 1009) and half-closed; this client's
    // connection ends, nothing else. A peer that never completes the close is cut off soon.
    ws.on('error', () => setTimeout(() => ws.terminate(), BROKEN_CLIENT_GRACE_MS).unref());
    const answer = (m: ServerMessage) => {
      if (ws.readyState === ws.OPEN) outbox.sendAnswer(JSON.stringify(m));
    };
    const streams = forwardStreams(opts.hub, (stream, payload) => {
      if (ws.readyState === ws.OPEN) outbox.push(stream, payload);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        return ws.close(1007, 'malformed JSON');
      }
      const msg = clientMessage.safeParse(parsed);
      if (!msg.success) return ws.close(1007, 'malformed message');
      const m = msg.data;
      if (m.t === 'call') {
        void dispatchCall(opts.handlers, m.channel, m.input, { transport: 'web' }).then((result) =>
          answer({ t: 'result', id: m.id, result }),
        );
      } else if (isStreamName(m.stream)) {
        if (m.t === 'sub') streams.subscribe(m.stream);
        else streams.unsubscribe(m.stream);
      }
    });
    ws.on('close', () => {
      outbox.dispose();
      streams.close();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, LOOPBACK, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`${LOOPBACK}:${port}`, `localhost:${port}`];
  return {
    port,
    url: `http://${LOOPBACK}:${port}/?token=${opts.token}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
