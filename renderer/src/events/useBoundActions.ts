// The full actions the binder has chosen (their bytes, script, buffer) and the hash of each one's
// current version (provenance: which version produced an event's records), kept fresh when the
// library changes. Renderer only.
import { useEffect, useMemo, useState } from 'react';
import type { Action } from '../../../shared/model/action';
import { useHost } from '../host/hooks';

export interface BoundActions {
  readonly actions: ReadonlyMap<string, Action>;
  readonly hashes: ReadonlyMap<string, string>;
  /** Ids that could not be read (deleted meanwhile), with why. */
  readonly missing: ReadonlyMap<string, string>;
  readonly loading: boolean;
}

export function useBoundActions(ids: readonly (string | null)[]): BoundActions {
  const host = useHost();
  const key = [...new Set(ids.filter((x): x is string => x !== null))].sort().join(',');
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<BoundActions & { key: string }>({
    key: '',
    actions: new Map(),
    hashes: new Map(),
    missing: new Map(),
    loading: false,
  });

  useEffect(() => host.subscribe('library:changed', () => setTick((t) => t + 1)), [host]);

  useEffect(() => {
    const wanted = key === '' ? [] : key.split(',');
    let live = true;
    void Promise.all(
      wanted.map(async (id) => {
        const [a, h] = await Promise.all([
          host.call('library:get', { id }),
          host.call('library:history', { id }),
        ]);
        return { id, a, h };
      }),
    ).then((results) => {
      if (!live) return;
      const actions = new Map<string, Action>();
      const hashes = new Map<string, string>();
      const missing = new Map<string, string>();
      for (const { id, a, h } of results) {
        if (!a.ok) {
          missing.set(id, a.error.message);
          continue;
        }
        actions.set(id, a.value);
        const v = h.ok ? h.value.find((x) => x.version === a.value.version) : undefined;
        if (v !== undefined) hashes.set(id, v.hash);
      }
      setState({ key, actions, hashes, missing, loading: false });
    });
    return () => {
      live = false;
    };
  }, [host, key, tick]);

  return useMemo(() => ({ ...state, loading: state.key !== key }), [state, key]);
}
