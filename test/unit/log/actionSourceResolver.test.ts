// Which saved action explains an event's records: the registry's provenance and the library's
// schemas, the current CLI process only, code or log action by what the target returns.
import { describe, expect, it } from 'vitest';
import {
  ActionSchemaCache,
  createActionSourceResolver,
  pickRecordAction,
  type CachedAction,
  type EventSourceLike,
} from '../../../electron/host/log/actionSourceResolver';

const code: CachedAction = {
  id: 'c',
  name: 'Code',
  kind: 'code',
  bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
};
const log: CachedAction = {
  id: 'l',
  name: 'Log',
  kind: 'log',
  bufferSchema: [{ name: 'Pid', offset: 0, type: 'u32' }],
};
const noSchema: CachedAction = { id: 'n', name: 'None', kind: 'code', bufferSchema: [] };

describe('pickRecordAction', () => {
  it('the code action where buffers come back, the log action where they cannot', () => {
    expect(pickRecordAction([code, log], true)).toBe(code);
    expect(pickRecordAction([code, log], null)).toBe(code);
    expect(pickRecordAction([code, log], false)).toBe(log);
    expect(pickRecordAction([noSchema, log], true)).toBe(log);
    expect(pickRecordAction([noSchema], true)).toBeUndefined();
  });
});

describe('createActionSourceResolver', () => {
  const events: EventSourceLike[] = [
    { id: '0', source: { actionIds: ['c', 'l'], actionNames: ['Code (as bound)', 'Log'] } },
    { id: '1f', source: null },
    { id: '2', source: { actionIds: ['gone'], actionNames: ['Deleted'] } },
  ];
  const actions = new Map([code, log].map((a) => [a.id, a]));
  const resolve = createActionSourceResolver({
    events: () => events,
    generation: () => 4,
    returnsBuffers: () => true,
    action: (id) => actions.get(id),
  });

  it('resolves an event of the current process to its action, named as bound', () => {
    expect(resolve(4, 0)).toEqual({
      actionId: 'c',
      actionName: 'Code (as bound)',
      schema: code.bufferSchema,
    });
  });

  it('answers null for other processes, foreign events and unknown actions', () => {
    expect(resolve(3, 0)).toBeNull();
    expect(resolve(4, 0x1f)).toBeNull();
    expect(resolve(4, 2)).toBeNull();
    expect(resolve(4, 9)).toBeNull();
  });
});

describe('ActionSchemaCache', () => {
  it('loads, and coalesces refreshes asked for while one runs into one more', async () => {
    let loads = 0;
    let release: (() => void) | undefined;
    const cache = new ActionSchemaCache(async () => {
      loads++;
      if (loads === 1) await new Promise<void>((r) => (release = r));
      return loads === 1 ? [code] : [code, log];
    });
    const first = cache.refresh();
    void cache.refresh();
    void cache.refresh();
    release?.();
    await first;
    expect(loads).toBe(2);
    expect(cache.get('l')).toBe(log);
  });

  it('keeps the last good list when the library cannot be read', async () => {
    let fail = false;
    const cache = new ActionSchemaCache(async () => {
      if (fail) throw new Error('locked');
      return [code];
    });
    await cache.refresh();
    fail = true;
    const orig = console.error;
    console.error = () => undefined;
    try {
      await cache.refresh();
    } finally {
      console.error = orig;
    }
    expect(cache.get('c')).toBe(code);
  });
});
