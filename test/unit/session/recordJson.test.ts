// capture's record lines are byte for byte what `parse` prints for the same record
// (JSON.stringify(itemToJson(item))), whatever the values, with or without an HDBG2 sequence
// number, and wherever a buffer fills.
import { describe, expect, it } from 'vitest';
import { itemToJson } from '../../../shared/hyperdbg/itemJson';
import type { HdbgRecord } from '../../../shared/model/record';
import { recordJsonLine, RecordJsonWriter } from '../../../electron/cli/session/recordJson';

function records(n: number): HdbgRecord[] {
  let seed = 99;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const out: HdbgRecord[] = [];
  const edges = [0, 1, 0xf, 0x10, 0xffffffff, 0x7fffffff];
  for (let i = 0; i < n; i++) {
    const length = i < 3 ? [0, 1, 0x3e7][i]! : rand() % 0x40;
    const bytes = new Uint8Array(length);
    for (let j = 0; j < length; j++) bytes[j] = rand() & 0xff;
    const context =
      i % 5 === 0
        ? (BigInt(rand()) << 33n) | BigInt(rand())
        : i % 7 === 0
          ? 0xffffffffffffffffn
          : BigInt(edges[i % edges.length] as number);
    out.push({
      eventId: edges[(i + 1) % edges.length] as number,
      core: rand() % 64,
      context,
      length,
      bytes,
      // Every third an HDBG2 record with its sequence number, up to the largest kept (2^52 - 1).
      ...(i % 3 === 0 ? { seq: i % 9 === 0 ? 2 ** 52 - 1 : i + 1 } : {}),
    });
  }
  return out;
}

const parseLine = (r: HdbgRecord) => `${JSON.stringify(itemToJson({ type: 'record', ...r }))}\n`;

describe('record JSON lines', () => {
  it('match parse output exactly, as strings and as written bytes across buffer edges', () => {
    const rs = records(2000);
    const expected = rs.map(parseLine).join('');
    expect(rs.map(recordJsonLine).join('')).toBe(expected);
    const chunks: Uint8Array[] = [];
    const w = new RecordJsonWriter(3000, (c) => chunks.push(c));
    for (const r of rs) w.write(r);
    w.flush();
    expect(chunks.length).toBeGreaterThan(10);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
  });
});
