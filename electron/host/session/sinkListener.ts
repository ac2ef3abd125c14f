// The server end of the app's forwarding sink: hyperdbg-cli connects to it as a client at
// `output create` (docs/hyperdbg-v0.23.md §6.4), so the app listens first. TCP on 127.0.0.1 on a
// free port, or a named pipe (`\\.\pipe\hyperdbg-studio-<random>` on Windows; elsewhere a
// Unix-domain socket, the simulator's stand-in for a pipe). It takes exactly one connection,
// only after the app has sent `output create`, then stops listening. Host side.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SinkTransport } from '../../../shared/contract/session';

/** The loopback address the TCP sink binds to: nothing outside this machine can connect. */
export const SINK_HOST = '127.0.0.1';
/** Random bytes in a pipe's name: other local programs cannot guess it to squat on it. */
const PIPE_NAME_RANDOM_BYTES = 8;

/** The transport the app's sink uses on this platform: a named pipe on Windows, else TCP. */
export function defaultSinkTransport(platform: NodeJS.Platform = process.platform): SinkTransport {
  return platform === 'win32' ? 'namedpipe' : 'tcp';
}

/**
 * Where a named-pipe sink listens. Windows: `\\.\pipe\hyperdbg-studio-<random>`, a real pipe that
 * hyperdbg-cli opens with CreateFileA. Elsewhere: a Unix-domain socket in the temporary folder,
 * which the simulator's `namedpipe` stand-in connects to. Either way one CLI token: no blank,
 * quote or brace (docs/hyperdbg-v0.23.md §1.3).
 */
export function sinkPipePath(
  random: string,
  platform: NodeJS.Platform = process.platform,
  tempFolder: string = tmpdir(),
): string {
  if (!/^[0-9a-f]+$/.test(random))
    throw new Error(`a pipe name's random part is hex, not '${random}'`);
  if (platform === 'win32') return `\\\\.\\pipe\\hyperdbg-studio-${random}`;
  const path = join(tempFolder, `hyperdbg-studio-${random}.sock`);
  if (/[\s"{}]/.test(path))
    throw new Error(
      `the temporary folder '${tempFolder}' holds a blank, a quote or a brace, which one hyperdbg-cli token cannot carry`,
    );
  return path;
}

export interface SinkListener {
  readonly transport: SinkTransport;
  /** The ADDRESS of `output create NAME <transport> ADDRESS`. */
  readonly address: string;
  /**
   * The CLI's connection: the first one after this call (connections before it are refused: the
   * app has not sent `output create` yet, so they are not the CLI). Rejects after `timeoutMs`.
   */
  accept(timeoutMs: number): Promise<Socket>;
  /** Stops listening; a connection already taken stays open (its owner ends it). */
  close(): void;
}

/** Makes a listener of a transport: the real one, or a test's wrapper around it. */
export type ListenForSink = (transport: SinkTransport) => Promise<SinkListener>;

function listening(server: Server, where: number | string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const ready = () => {
      server.off('error', reject);
      resolve();
    };
    if (typeof where === 'number') server.listen(where, SINK_HOST, ready);
    else server.listen(where, ready);
  });
}

/** Starts listening on a free port of 127.0.0.1, or on a fresh pipe; throws what listen throws. */
export const listenForSink: ListenForSink = async (transport) => {
  const server = createServer({ pauseOnConnect: false });
  let pipePath: string | null = null;
  if (transport === 'tcp') await listening(server, 0);
  else {
    pipePath = sinkPipePath(randomBytes(PIPE_NAME_RANDOM_BYTES).toString('hex'));
    await listening(server, pipePath);
  }
  const bound = server.address();
  const address =
    pipePath ??
    (bound !== null && typeof bound === 'object' ? `${SINK_HOST}:${bound.port}` : String(bound));
  let armed = false;
  let waiting: {
    readonly resolve: (s: Socket) => void;
    readonly reject: (e: Error) => void;
    readonly timer: ReturnType<typeof setTimeout>;
  } | null = null;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    server.close();
    // A Unix-domain socket leaves its file behind; a Windows pipe has none.
    if (pipePath !== null && process.platform !== 'win32') rmSync(pipePath, { force: true });
    const w = waiting;
    waiting = null;
    if (w !== null) {
      clearTimeout(w.timer);
      w.reject(new Error(`the sink at ${address} was closed before hyperdbg-cli connected`));
    }
  };
  server.on('connection', (socket) => {
    const w = waiting;
    if (!armed || w === null) {
      // Not the CLI: it connects only once `output create` has been sent.
      socket.destroy();
      return;
    }
    waiting = null;
    clearTimeout(w.timer);
    close();
    w.resolve(socket);
  });
  // A listening error after start (rare): the accept below times out and the app falls back.
  server.on('error', () => undefined);
  return {
    transport,
    address,
    accept(timeoutMs) {
      if (closed || waiting !== null)
        return Promise.reject(new Error(`the sink at ${address} takes one connection`));
      armed = true;
      return new Promise<Socket>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = null;
          close();
          reject(new Error(`hyperdbg-cli did not connect to ${address} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting = { resolve, reject, timer };
      });
    },
    close,
  };
};
