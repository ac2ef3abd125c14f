// The connections behind `output create NAME file|namedpipe|tcp|module ADDRESS` (forwarding.cpp,
// docs/hyperdbg-v0.23.md §6.4): the CLI is always the client, connecting at `create`. Each write is
// one message's bytes, synchronous from the CLI's point of view, with v0.23's error lines. Named
// pipes are real pipes on Windows and a Unix-domain socket at the same path elsewhere. Simulator side.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { promises as dns } from 'node:dns';
import { connect, isIPv4, type Socket } from 'node:net';
import { resolve } from 'node:path';

/** Prints a line as the CLI's ShowMessages would. */
export type Printer = (text: string) => void;

export interface SinkConnection {
  /** Writes one message; false when the CLI's write reported a failure (it printed why). */
  write(bytes: Buffer): boolean;
  close(): void;
  /** True while the peer is not reading fast enough: the CLI's synchronous write would block. */
  readonly congested: boolean;
  /** Resolves once the peer has read enough for a write not to block any more. */
  drained(): Promise<void>;
}

/**
 * Bytes a blocking send() or WriteFile() can hand to the system before it waits for the peer:
 * Windows' default socket send buffer (SO_SNDBUF, 64 KiB), also taken for pipes [inferred].
 */
export const PEER_BUFFER_BYTES = 64 * 1024;

/** Windows error codes the CLI prints in hex (winerror.h / winsock2.h). */
const ERROR_FILE_NOT_FOUND = 0x2;
const ERROR_ACCESS_DENIED = 0x5;
const ERROR_INVALID_HANDLE = 0x6;
const ERROR_INVALID_NAME = 0x7b;
const ERROR_PIPE_BUSY = 0xe7;
const ERROR_NO_DATA = 0xe8;
const WSAENOTSOCK = 0x2736;
const WSAECONNRESET = 0x2746;
const WSAHOST_NOT_FOUND = 0x2af9;
const WSATYPE_NOT_FOUND = 0x277d;

/** Files this CLI holds: CreateFileA opens them with no sharing, so a second open fails. */
const openFiles = new Set<string>();

function fileKey(path: string): string {
  const full = resolve(path);
  return process.platform === 'win32' ? full.toLowerCase() : full;
}

/**
 * `file`: CreateFileA(GENERIC_WRITE, no sharing, OPEN_ALWAYS): an existing file is neither
 * truncated nor appended to, so writes overwrite it from offset 0. ForwardingWriteToFile returns
 * TRUE before it looks at the write's result. Null when the file cannot be opened.
 */
export function openFileSink(path: string): SinkConnection | null {
  const key = fileKey(path);
  if (path.length === 0 || openFiles.has(key)) return null;
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT, 0o644);
  } catch {
    return null;
  }
  openFiles.add(key);
  let position = 0;
  let open = true;
  return {
    write(bytes) {
      if (open) {
        try {
          position += writeSync(fd, bytes, 0, bytes.length, position);
        } catch {
          // WriteFile's failure is never looked at (forwarding.cpp returns TRUE first).
        }
      }
      return true;
    },
    close() {
      if (!open) return;
      open = false;
      openFiles.delete(key);
      try {
        closeSync(fd);
      } catch {
        // CloseHandle's result is not checked either.
      }
    },
    congested: false,
    drained: () => Promise.resolve(),
  };
}

/** A connected stream socket with the CLI's write semantics: errors after the peer is gone. */
function streamSink(
  socket: Socket,
  print: Printer,
  firstError: (code: number) => string,
  codes: { readonly broken: number; readonly closed: number },
): SinkConnection {
  let peerGone = false;
  let handleClosed = false;
  let corked = false;
  const gone = () => {
    peerGone = true;
  };
  socket.on('end', gone);
  socket.on('close', gone);
  socket.on('error', gone);
  // The CLI never reads; data the peer sends is discarded so its close is still seen.
  socket.resume();
  const congested = () =>
    !handleClosed && !socket.destroyed && socket.writableLength > PEER_BUFFER_BYTES;
  return {
    write(bytes) {
      if (handleClosed) {
        // The failed write closed the handle; the sink still says "opened" (docs §6.4).
        print(firstError(codes.closed));
        return false;
      }
      if (peerGone || socket.destroyed) {
        print(firstError(codes.broken));
        handleClosed = true;
        socket.destroy();
        return false;
      }
      // Messages written in one turn of the event loop leave in one writev: the bytes on the
      // wire are the same unframed stream, without a system call per message (a flood's cost).
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      socket.write(bytes);
      return true;
    },
    close() {
      handleClosed = true;
      if (!socket.destroyed) socket.end();
    },
    get congested() {
      return congested();
    },
    drained() {
      if (!congested()) return Promise.resolve();
      return new Promise((done) => {
        const finish = () => {
          socket.off('drain', finish);
          socket.off('close', finish);
          done();
        };
        socket.once('drain', finish);
        socket.once('close', finish);
      });
    },
  };
}

type Connected = { ok: true; socket: Socket } | { ok: false; error: NodeJS.ErrnoException };

/** Connects a stream socket; resolves with it or with the connection's error. */
function connectSocket(
  options: { path: string } | { host: string; port: number },
): Promise<Connected> {
  return new Promise((done) => {
    const socket = connect(options);
    const fail = (error: NodeJS.ErrnoException) => {
      socket.destroy();
      done({ ok: false, error });
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.off('error', fail);
      done({ ok: true, socket });
    });
  });
}

/** The GetLastError CreateFileA would give for a pipe that cannot be opened (the stand-in's map). */
function pipeErrorCode(e: NodeJS.ErrnoException): number {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return ERROR_ACCESS_DENIED;
    case 'EBUSY':
    case 'EAGAIN':
      return ERROR_PIPE_BUSY;
    case 'ENAMETOOLONG':
    case 'EINVAL':
    case 'ENOTDIR':
      return ERROR_INVALID_NAME;
    default:
      // ENOENT, ECONNREFUSED: no server behind that name.
      return ERROR_FILE_NOT_FOUND;
  }
}

/**
 * `namedpipe`: CreateFileA(OPEN_EXISTING) as a client, so the front-end must already be the pipe
 * server. On Windows Node connects to the real pipe; elsewhere the simulator's stand-in is a
 * Unix-domain socket at the same path (docs §6.4). Null after printing why.
 */
export async function connectPipeSink(
  path: string,
  print: Printer,
): Promise<SinkConnection | null> {
  const r = await connectSocket({ path });
  if (r.ok) {
    return streamSink(
      r.socket,
      print,
      (c) => `err, occurred while writing to the server (${c.toString(16)})\n`,
      {
        // WriteFile on a pipe whose server went away, then on the handle the CLI closed [inferred].
        broken: ERROR_NO_DATA,
        closed: ERROR_INVALID_HANDLE,
      },
    );
  }
  print(`err, occurred while connecting to the server (${pipeErrorCode(r.error).toString(16)})\n`);
  return null;
}

/** A port string getaddrinfo accepts: decimal 0-65535 (an empty service reads as port 0). */
function portNumber(text: string): number | null {
  if (text === '') return 0;
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 0xffff ? n : null;
}

/**
 * `tcp`: ADDRESS split at its first ':' into host and port (so IPv4 or a name, never an IPv6
 * literal), resolved by getaddrinfo and connected as a client, trying each address in turn
 * (CommunicationClientConnectToServer). Null after printing why; no ':' at all prints nothing.
 */
export async function connectTcpSink(
  address: string,
  print: Printer,
): Promise<SinkConnection | null> {
  const colon = address.indexOf(':');
  if (colon < 0) return null;
  const host = address.slice(0, colon);
  const port = portNumber(address.slice(colon + 1));
  if (port === null) {
    // An unknown service name [not verified: the exact code for an out-of-range number].
    print(`getaddrinfo failed (${WSATYPE_NOT_FOUND.toString(16)})\n`);
    return null;
  }
  let addresses: string[];
  if (isIPv4(host)) addresses = [host];
  else {
    try {
      if (host === '') throw new Error('empty host');
      addresses = (await dns.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      print(`getaddrinfo failed (${WSAHOST_NOT_FOUND.toString(16)})\n`);
      return null;
    }
  }
  for (const ip of addresses) {
    const r = await connectSocket({ host: ip, port });
    if (r.ok) {
      return streamSink(r.socket, print, (c) => `err, send failed (${c.toString(16)})\n`, {
        // send() to a peer that closed, then on the socket the CLI closed [inferred].
        broken: WSAECONNRESET,
        closed: WSAENOTSOCK,
      });
    }
  }
  print('unable to connect to the server\n');
  return null;
}

/**
 * `module`: LoadLibrary plus GetProcAddress("hyperdbg_event_forwarding"). The simulator runs no
 * Windows code, so it always answers as v0.23 does when the DLL cannot be loaded.
 */
export function loadModuleSink(print: Printer): null {
  print('err, unable to load the module\n');
  return null;
}
