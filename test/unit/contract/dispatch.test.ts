// The dispatcher every transport shares: schema validation naming the field, unknown methods,
// and errors turned into Results.
import { describe, expect, it } from 'vitest';
import { dispatchCall, type Handlers } from '../../../shared/contract/dispatch';
import { createStreamHub } from '../../../shared/contract/hub';
import { contract, methodNames, streamNames } from '../../../shared/contract/index';
import { createMemoryClient } from '../../helpers/memoryClient';
import { AppError } from '../../../shared/contract/result';

const handlers = {
  'app:info': () => {
    throw new Error('boom');
  },
  'library:get': (input: { id: string }) => {
    if (input.id === 'conflict') throw new AppError('conflict', 'already exists', 'id');
    return { id: input.id.toUpperCase() };
  },
} as unknown as Handlers;

const ctx = { transport: 'memory' } as const;

describe('dispatchCall', () => {
  it('passes valid input to the handler and wraps the value', async () => {
    expect(await dispatchCall(handlers, 'library:get', { id: 'hi' }, ctx)).toEqual({
      ok: true,
      value: { id: 'HI' },
    });
  });

  it('rejects invalid input with a Result naming the field', async () => {
    const r = await dispatchCall(handlers, 'library:get', { id: 42 }, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-input');
    expect(r.error.field).toBe('id');
    expect(r.error.message).toMatch(/^id: /);
  });

  it('rejects unknown keys (strict schemas) naming nothing it cannot name', async () => {
    const r = await dispatchCall(handlers, 'library:get', { id: 'a', extra: 1 }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('rejects a missing input object', async () => {
    const r = await dispatchCall(handlers, 'library:get', undefined, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses channels outside the contract, including prototype names', async () => {
    for (const channel of ['app:nope', '__proto__', 'constructor', 42, null]) {
      const r = await dispatchCall(handlers, channel, {}, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });

  it('turns an AppError into its code and field, anything else into internal', async () => {
    expect(await dispatchCall(handlers, 'library:get', { id: 'conflict' }, ctx)).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'already exists', field: 'id' },
    });
    expect(await dispatchCall(handlers, 'app:info', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    });
  });

  it('documents every method and stream in one place', () => {
    for (const name of methodNames) {
      expect(name).toMatch(/^[a-z]+:[a-z][a-z-]*$/);
      expect(contract.methods[name].doc.length).toBeGreaterThan(5);
    }
    for (const name of streamNames) expect(contract.streams[name].doc.length).toBeGreaterThan(5);
  });
});

describe('in-memory transport', () => {
  it('validates like the real transports and clones payloads', async () => {
    const hub = createStreamHub();
    const client = createMemoryClient(handlers, hub);
    expect(await client.call('library:get', { id: 'x' })).toEqual({
      ok: true,
      value: { id: 'X' },
    });
    const bad = await client.call('library:get', { id: 1 } as never);
    expect(bad).toMatchObject({ ok: false, error: { field: 'id' } });

    const seen: unknown[] = [];
    const off = client.subscribe('app:heartbeat', (p) => seen.push(p));
    const beat = { seq: 1, time: 0, uptimeMs: 0, rssBytes: 0, heapUsedBytes: 0 };
    hub.publish('app:heartbeat', beat);
    off();
    hub.publish('app:heartbeat', { ...beat, seq: 2 });
    expect(seen).toEqual([beat]);
    expect(seen[0]).not.toBe(beat);
  });

  it('keeps delivering when one listener throws', () => {
    const errors: unknown[] = [];
    const hub = createStreamHub((e) => errors.push(e));
    const got: number[] = [];
    hub.subscribe('app:heartbeat', () => {
      throw new Error('bad listener');
    });
    hub.subscribe('app:heartbeat', (p) => got.push(p.seq));
    hub.publish('app:heartbeat', { seq: 7, time: 0, uptimeMs: 0, rssBytes: 0, heapUsedBytes: 0 });
    expect(got).toEqual([7]);
    expect(errors).toHaveLength(1);
  });
});
