// The import limit fits in one WebSocket message with room for JSON's encoding: the largest file
// the app accepts, made of the characters JSON escapes, crosses the real web host and is
// answered; anything that is not text is refused with where it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_IMPORT_BYTES } from '../../../shared/model/actionExport';
import {
  CALL_ENVELOPE_BYTES,
  IMPORT_CALL_MAX_BYTES,
  JSON_STRING_EXPANSION,
  MAX_WIRE_MESSAGE_BYTES,
} from '../../../shared/contract/wire';
import { startWebHost, type RunningWebHost } from '../../helpers/webHost';

let host: RunningWebHost;
let ws: WebSocket;
let nextId = 1;
beforeAll(async () => {
  host = await startWebHost();
  ws = await new Promise<WebSocket>((resolve, reject) => {
    const s = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      headers: { Origin: host.origin },
    });
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
});
afterAll(async () => {
  ws?.terminate();
  await host?.stop();
});

function call(
  channel: string,
  input: unknown,
): Promise<{ ok: boolean; error?: { code: string; message: string; field?: string } }> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onClose = (code: number) => reject(new Error(`connection closed with ${code}`));
    ws.once('close', onClose);
    const onMessage = (d: Buffer) => {
      const m = JSON.parse(String(d)) as { t: string; id: number; result: never };
      if (m.t !== 'result' || m.id !== id) return;
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(m.result);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'call', id, channel, input }));
  });
}

describe('import limit and wire limit', () => {
  it('the largest import call, fully escaped, fits in the wire limit with room to spare', () => {
    expect(IMPORT_CALL_MAX_BYTES).toBe(
      MAX_IMPORT_BYTES * JSON_STRING_EXPANSION + CALL_ENVELOPE_BYTES,
    );
    // Room for more than the estimate: most of another fully escaped file.
    expect(MAX_WIRE_MESSAGE_BYTES - IMPORT_CALL_MAX_BYTES).toBeGreaterThan(7 * 1024 * 1024);
    // The expansion is JSON's: each escaped text character takes two bytes.
    for (const c of ['"', '\\', '\t', '\n', '\r'])
      expect(JSON.stringify(c.repeat(100)).length - 2).toBe(100 * JSON_STRING_EXPANSION);
  });

  it('a file at the limit made only of characters JSON escapes is answered, not disconnected', async () => {
    const content = '\\"'.repeat(MAX_IMPORT_BYTES / 2);
    const message = JSON.stringify({
      t: 'call',
      id: 0,
      channel: 'library:import',
      input: { fileName: 'x'.repeat(260), content },
    });
    expect(message.length).toBeGreaterThan(2 * MAX_IMPORT_BYTES);
    expect(message.length).toBeLessThanOrEqual(IMPORT_CALL_MAX_BYTES);
    const r = await call('library:import', { fileName: 'escaped.json', content });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(r.error?.message).toMatch(/escaped\.json.*not valid JSON/);
    expect(await call('app:info', {})).toMatchObject({ ok: true, value: { host: 'web' } });
  });

  it('refuses a file over the limit, naming the limit', async () => {
    const r = await call('library:import', {
      fileName: 'big.ds',
      content: 'a'.repeat(MAX_IMPORT_BYTES + 1),
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'content' } });
  });

  it('refuses control characters and unpaired surrogates, saying where', async () => {
    const bell = await call('library:import', {
      fileName: 'bell.ds',
      content: '!syscall script {\n  print(1);\u0007\n}',
    });
    expect(bell).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'content' } });
    expect(bell.error?.message).toBe(
      'bell.ds: line 2, column 12: the control character U+0007; only text files are imported',
    );
    const half = await call('library:import', { fileName: 'half.json', content: '{"a":"\ud800"}' });
    expect(half.error?.message).toMatch(
      /line 1, column 7: an unpaired UTF-16 surrogate \(U\+D800\)/,
    );
  });
});
