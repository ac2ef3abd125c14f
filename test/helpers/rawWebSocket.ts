// A WebSocket client written byte by byte over a plain TCP socket, for tests that must send what
// no well-behaved library would (RFC 6455 violations, random frames) or stop reading on purpose.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FrameSpec {
  readonly fin?: boolean;
  /** RSV1-3 as a 3-bit number (RFC 6455 §5.2: must be 0 without a negotiated extension). */
  readonly rsv?: number;
  readonly opcode: number;
  readonly payload?: Uint8Array | string;
  /** Clients must mask (RFC 6455 §5.3); false sends the payload unmasked. */
  readonly mask?: boolean;
  /** Announce this payload length instead of the real one (the bytes sent stay the payload). */
  readonly announcedLength?: bigint;
}

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** One frame's bytes as RFC 6455 §5.2 lays them out. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload =
    typeof spec.payload === 'string'
      ? Buffer.from(spec.payload, 'utf8')
      : Buffer.from(spec.payload ?? new Uint8Array(0));
  const mask = spec.mask ?? true;
  const length = spec.announcedLength ?? BigInt(payload.length);
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | spec.opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 0x10000n)
    head.push(maskBit | 126, Number(length >> 8n) & 0xff, Number(length) & 0xff);
  else {
    head.push(maskBit | 127);
    for (let shift = 56n; shift >= 0n; shift -= 8n) head.push(Number((length >> shift) & 0xffn));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++)
    masked[i] = (payload[i] as number) ^ (key[i % 4] as number);
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/** A close frame's payload: the 2-byte code, then the reason. */
export function closePayload(code: number, reason: Uint8Array = new Uint8Array(0)): Buffer {
  const b = Buffer.alloc(2 + reason.length);
  b.writeUInt16BE(code, 0);
  b.set(reason, 2);
  return b;
}

export interface RawSocket {
  readonly socket: Socket;
  /** Bytes received after the upgrade's response headers. */
  received(): Buffer;
  /** How many bytes that is (without joining them). */
  receivedBytes(): number;
  /** Resolves when the server ends or resets the connection. */
  readonly closed: Promise<void>;
  send(bytes: Uint8Array): void;
}

/**
 * Opens a TCP connection, performs the WebSocket upgrade on `path` (the token in the query) and
 * resolves once the server answered 101. Rejects with the status line otherwise.
 */
export function rawUpgrade(port: number, path: string, origin: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const after: Buffer[] = [];
    let afterBytes = 0;
    const closed = new Promise<void>((done) => {
      socket.once('close', () => done());
    });
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      if (upgraded) {
        after.push(d);
        afterBytes += d.length;
        return;
      }
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = buf.subarray(0, buf.indexOf('\r\n')).toString();
      if (!/^HTTP\/1\.1 101 /.test(status)) {
        socket.destroy();
        reject(new Error(`upgrade refused: ${status}`));
        return;
      }
      upgraded = true;
      const rest = buf.subarray(end + 4);
      after.push(rest);
      afterBytes += rest.length;
      resolve({
        socket,
        received: () => Buffer.concat(after),
        receivedBytes: () => afterBytes,
        closed,
        send: (bytes) => {
          if (!socket.destroyed) socket.write(bytes);
        },
      });
    });
    socket.once('connect', () => {
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          `Origin: ${origin}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error(`connection closed before the upgrade: ${buf.toString()}`));
    });
  });
}

/** Resolves true when `p` settles within `ms`, false otherwise. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
