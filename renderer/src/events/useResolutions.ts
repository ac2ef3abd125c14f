// The chosen code actions resolved for the connected target (their named structure fields, their
// bytes and log form), asked again when the action, the CLI process, the build or the symbols
// change. A resolution still on its way is 'pending', so nothing is bound with stale bytes.
// Renderer only.
import { useEffect, useMemo, useState } from 'react';
import type { SessionState } from '../../../shared/contract/session';
import type { ResolvedAction } from '../../../shared/contract/target';
import type { Action } from '../../../shared/model/action';
import { useHost } from '../host/hooks';
import type { Resolution } from './binderForm';

export function useResolutions(
  ids: readonly (string | null)[],
  actions: ReadonlyMap<string, Action>,
  session: SessionState | null,
): ReadonlyMap<string, Resolution> {
  const host = useHost();
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))]
    .filter((id) => actions.get(id)?.kind === 'code')
    .map((id) => `${id}@${actions.get(id)?.version ?? 0}`)
    .sort();
  const fact = session?.windowsBuild;
  const key = [
    wanted.join(','),
    session?.status,
    session?.generation,
    fact?.state,
    fact?.build,
    session?.symbols,
  ].join('|');
  const [done, setDone] = useState<{ key: string; map: Map<string, ResolvedAction> }>({
    key: '',
    map: new Map(),
  });

  useEffect(() => {
    if (session?.status !== 'ready' || wanted.length === 0) return;
    let live = true;
    void Promise.all(
      wanted.map(async (w) => {
        const id = w.slice(0, w.lastIndexOf('@'));
        const r = await host.call('target:resolve-action', { id });
        return [id, r] as const;
      }),
    ).then((results) => {
      if (!live) return;
      const map = new Map<string, ResolvedAction>();
      for (const [id, r] of results)
        map.set(
          id,
          r.ok
            ? r.value
            : {
                // A refusal (the action went away, the host failed) is shown, not waited on.
                actionId: id,
                version: actions.get(id)?.version ?? 0,
                resolvedFor: '',
                build: null,
                symbolic: false,
                code: { bytesHex: null, fields: [], errors: [r.error.message] },
                condition: null,
                logForm: null,
              },
        );
      setDone({ key, map });
    });
    return () => {
      live = false;
    };
    // `key` covers everything the resolution depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [host, key]);

  return useMemo(() => {
    const out = new Map<string, Resolution>();
    for (const w of wanted) {
      const id = w.slice(0, w.lastIndexOf('@'));
      out.set(id, done.key === key ? (done.map.get(id) ?? 'pending') : 'pending');
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [done, key]);
}
