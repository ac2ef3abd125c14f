// React access to the host: a context holding the HostClient, a hook for one method call with
// loading and error states, and a hook for the latest value of a push stream.
import { createContext, useContext, useEffect, useState } from 'react';
import type { HostClient } from '../../../shared/contract/client';
import type {
  MethodInput,
  MethodName,
  MethodOutput,
  StreamName,
  StreamPayload,
} from '../../../shared/contract/index';
import type { AppErrorShape } from '../../../shared/contract/result';

export const HostContext = createContext<HostClient | null>(null);

export function useHost(): HostClient {
  const host = useContext(HostContext);
  if (host === null) throw new Error('useHost outside <HostContext.Provider>');
  return host;
}

export type CallState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: AppErrorShape }
  | { readonly status: 'ok'; readonly value: T };

/** Calls a method once per change of `key` and tracks its state. */
export function useCall<C extends MethodName>(
  channel: C,
  input: MethodInput<C>,
  key = '',
): CallState<MethodOutput<C>> {
  const host = useHost();
  const requestKey = `${channel}\u0000${key}`;
  // The settled answer and the request it answers; a newer request shows as loading.
  const [settled, setSettled] = useState<{ key: string; state: CallState<MethodOutput<C>> }>();
  useEffect(() => {
    let live = true;
    host.call(channel, input).then(
      (r) =>
        live &&
        setSettled({
          key: requestKey,
          state: r.ok ? { status: 'ok', value: r.value } : { status: 'error', error: r.error },
        }),
      (e: unknown) =>
        live &&
        setSettled({
          key: requestKey,
          state: { status: 'error', error: { code: 'internal', message: String(e) } },
        }),
    );
    return () => {
      live = false;
    };
    // `input` is deliberately not a dependency: callers change `key` when it matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [host, requestKey]);
  return settled !== undefined && settled.key === requestKey
    ? settled.state
    : { status: 'loading' };
}

/** The latest payload of a stream (undefined until the first one arrives). */
export function useStreamLatest<S extends StreamName>(stream: S): StreamPayload<S> | undefined {
  const host = useHost();
  const [latest, setLatest] = useState<StreamPayload<S>>();
  useEffect(() => host.subscribe(stream, (p) => setLatest(() => p)), [host, stream]);
  return latest;
}
