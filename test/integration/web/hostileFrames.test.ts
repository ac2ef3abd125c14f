// The browser-mode host as a real process against clients that break the WebSocket protocol
// after an authenticated upgrade: every RFC 6455 violation, random frames, and messages over the
// wire limit. The bad client loses its connection; the host keeps answering everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_WIRE_MESSAGE_BYTES } from '../../../shared/contract/wire';
import {
  closePayload,
  encodeFrame,
  OPCODE,
  rawUpgrade,
  within,
  type FrameSpec,
} from '../../helpers/rawWebSocket';
import { rng } from '../../unit/hyperdbg/parserHelpers';
import { startWebHost, type RunningWebHost } from '../../helpers/webHost';

let host: RunningWebHost;
beforeAll(async () => {
  host = await startWebHost();
});
afterAll(async () => {
  await host?.stop();
});

/** How long the host may take to drop a client that broke the protocol. */
const DROP_WITHIN_MS = 5_000;

const INVALID_UTF8 = Uint8Array.from([0x61, 0xff, 0xfe, 0xc3, 0x28]);
const json = (m: unknown) => JSON.stringify(m);

/** RFC 6455 violations a client can commit after the handshake (section in each name). */
const VIOLATIONS: readonly { name: string; frames: FrameSpec[] }[] = [
  {
    name: 'text frame with invalid UTF-8 (§8.1)',
    frames: [{ opcode: OPCODE.text, payload: INVALID_UTF8 }],
  },
  {
    name: 'close frame whose reason is invalid UTF-8 (§5.5.1)',
    frames: [{ opcode: OPCODE.close, payload: closePayload(1000, INVALID_UTF8) }],
  },
  {
    name: 'unmasked client frame (§5.1)',
    frames: [{ opcode: OPCODE.text, payload: '{}', mask: false }],
  },
  {
    name: 'RSV1 without an extension (§5.2)',
    frames: [{ opcode: OPCODE.text, rsv: 4, payload: '{}' }],
  },
  { name: 'RSV2 set (§5.2)', frames: [{ opcode: OPCODE.text, rsv: 2, payload: '{}' }] },
  { name: 'RSV3 set (§5.2)', frames: [{ opcode: OPCODE.text, rsv: 1, payload: '{}' }] },
  { name: 'reserved data opcode 0x3 (§5.2)', frames: [{ opcode: 0x3, payload: 'x' }] },
  { name: 'reserved data opcode 0x7 (§5.2)', frames: [{ opcode: 0x7, payload: 'x' }] },
  { name: 'reserved control opcode 0xB (§5.2)', frames: [{ opcode: 0xb, payload: 'x' }] },
  { name: 'reserved control opcode 0xF (§5.2)', frames: [{ opcode: 0xf }] },
  {
    name: 'control frame over 125 bytes (§5.5)',
    frames: [{ opcode: OPCODE.ping, payload: new Uint8Array(126) }],
  },
  {
    name: 'fragmented control frame (§5.5)',
    frames: [{ opcode: OPCODE.ping, fin: false, payload: 'x' }],
  },
  { name: 'close code 999 (§7.4)', frames: [{ opcode: OPCODE.close, payload: closePayload(999) }] },
  {
    name: 'close code 1005, reserved for "no code" (§7.4.1)',
    frames: [{ opcode: OPCODE.close, payload: closePayload(1005) }],
  },
  {
    name: 'close frame with a 1-byte body (§5.5.1)',
    frames: [{ opcode: OPCODE.close, payload: Uint8Array.from([3]) }],
  },
  {
    name: 'announced length over the payload limit (§5.2, §10.4)',
    frames: [{ opcode: OPCODE.text, payload: '{', announcedLength: 1n << 40n }],
  },
  {
    name: 'announced 64-bit length with the top bit set (§5.2)',
    frames: [{ opcode: OPCODE.binary, payload: 'x', announcedLength: 1n << 63n }],
  },
  {
    name: 'continuation frame with nothing to continue (§5.4)',
    frames: [{ opcode: OPCODE.continuation, payload: 'x' }],
  },
  {
    name: 'new data frame inside a fragmented message (§5.4)',
    frames: [
      { opcode: OPCODE.text, fin: false, payload: '{"t":' },
      { opcode: OPCODE.text, payload: '"sub"}' },
    ],
  },
];

function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      headers: { Origin: host.origin },
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The host is alive and serving: a fresh client's call is answered. */
async function expectHostAnswers(): Promise<void> {
  expect(host.child.exitCode, host.output()).toBeNull();
  const ws = await openSocket();
  const answer = await new Promise<unknown>((resolve) => {
    ws.once('message', (d: Buffer) => resolve(JSON.parse(String(d))));
    ws.send(json({ t: 'call', id: 1, channel: 'app:info', input: {} }));
  });
  expect(answer).toMatchObject({
    t: 'result',
    id: 1,
    result: { ok: true, value: { productName: 'HyperDbg Studio', host: 'web' } },
  });
  ws.terminate();
}

async function upgraded() {
  return rawUpgrade(host.port, `/ws?token=${host.token}`, host.origin);
}

describe('web host: clients that break RFC 6455', () => {
  it(`lists ${VIOLATIONS.length} distinct violations`, () => {
    expect(VIOLATIONS.length).toBeGreaterThanOrEqual(17);
  });

  for (const v of VIOLATIONS) {
    it(`drops the client and keeps serving: ${v.name}`, async () => {
      const raw = await upgraded();
      // A valid call first: the connection is really established and served.
      raw.send(
        encodeFrame({
          opcode: OPCODE.text,
          payload: json({ t: 'call', id: 7, channel: 'app:info', input: {} }),
        }),
      );
      await expect.poll(() => raw.received().toString('latin1')).toContain('"id":7');
      for (const f of v.frames) raw.send(encodeFrame(f));
      expect(await within(raw.closed, DROP_WITHIN_MS), 'the bad client was not dropped').toBe(true);
      await expectHostAnswers();
    });
  }

  it('survives a burst of random frames on many connections', async () => {
    const rand = rng(6455);
    const byte = () => Math.floor(rand() * 256);
    const randomFrame = (): Buffer => {
      const kind = rand();
      if (kind < 0.3) return Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 64) }, byte));
      const payload = Uint8Array.from(Array.from({ length: Math.floor(rand() * 200) }, byte));
      return encodeFrame({
        fin: rand() < 0.7,
        rsv: rand() < 0.2 ? Math.floor(rand() * 8) : 0,
        opcode: Math.floor(rand() * 16),
        payload,
        mask: rand() < 0.9,
        announcedLength: rand() < 0.1 ? BigInt(Math.floor(rand() * 2 ** 40)) : undefined,
      });
    };
    const CONNECTIONS = 120;
    const PARALLEL = 20;
    for (let start = 0; start < CONNECTIONS; start += PARALLEL) {
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          const raw = await upgraded();
          for (let k = 0; k < 1 + Math.floor(rand() * 5); k++) raw.send(randomFrame());
          await within(raw.closed, 300);
          raw.socket.destroy();
        }),
      );
      expect(host.child.exitCode, host.output()).toBeNull();
    }
    await expectHostAnswers();
  });

  it('closes a client whose message is over the wire limit (1009) and keeps serving', async () => {
    const ws = await openSocket();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(MAX_WIRE_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
    await expectHostAnswers();
  });

  it('a client that resets its connection during the handshake does not take the host down', async () => {
    for (let i = 0; i < 20; i++) {
      const raw = await upgraded();
      raw.socket.resetAndDestroy();
    }
    await expectHostAnswers();
  });
});
