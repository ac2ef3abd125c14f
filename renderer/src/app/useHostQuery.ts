// A method's answer kept fresh: called on mount, again when a push stream says it changed, when
// the host connection reopens, or on `reload()`. Keeps the last good value while reloading, so
// lists do not flash empty. Renderer only.
import { useCallback, useEffect, useState } from 'react';
import type {
  MethodInput,
  MethodName,
  MethodOutput,
  StreamName,
} from '../../../shared/contract/index';
import type { AppErrorShape } from '../../../shared/contract/result';
import { useHost } from '../host/hooks';
import { useUi } from './appStore';

export interface HostQuery<T> {
  readonly value: T | undefined;
  readonly error: AppErrorShape | null;
  readonly loading: boolean;
  reload(): void;
}

interface Settled<T> {
  readonly request: string;
  readonly value: T | undefined;
  readonly error: AppErrorShape | null;
}

/** `input` null = do not call (nothing to ask yet). Inputs are plain JSON. */
export function useHostQuery<C extends MethodName>(
  channel: C,
  input: MethodInput<C> | null,
  opts: { readonly key?: string; readonly refreshOn?: readonly StreamName[] } = {},
): HostQuery<MethodOutput<C>> {
  const host = useHost();
  const transport = useUi((s) => s.transport);
  const [tick, setTick] = useState(0);
  const [settled, setSettled] = useState<Settled<MethodOutput<C>>>();
  const inputJson = input === null ? null : JSON.stringify(input);
  const request = `${channel}\u0000${inputJson}\u0000${opts.key ?? ''}\u0000${tick}`;
  const refreshOn = (opts.refreshOn ?? []).join(',');

  useEffect(() => {
    if (inputJson === null || transport !== 'open') return;
    let live = true;
    void host.call(channel, JSON.parse(inputJson) as MethodInput<C>).then((r) => {
      if (!live) return;
      setSettled((prev) =>
        r.ok
          ? { request, value: r.value, error: null }
          : { request, value: prev?.value, error: r.error },
      );
    });
    return () => {
      live = false;
    };
  }, [host, channel, inputJson, request, transport]);

  useEffect(() => {
    if (refreshOn === '') return;
    const offs = refreshOn
      .split(',')
      .map((s) => host.subscribe(s as StreamName, () => setTick((t) => t + 1)));
    return () => offs.forEach((off) => off());
  }, [host, refreshOn]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  if (inputJson === null) return { value: undefined, error: null, loading: false, reload };
  return {
    value: settled?.value,
    error: settled?.error ?? null,
    loading: settled?.request !== request,
    reload,
  };
}
