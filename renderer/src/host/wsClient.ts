// HostClient over the web host's WebSocket (browser mode). Calls made while disconnected wait
// for the connection; a connection lost mid-call answers `unavailable`, never hangs. The cookie
// set by the first page load authenticates the socket. A lost connection is retried by itself;
// while it is down, a plain request tells a host that is gone from one that refuses this page's
// token (it was restarted: its new URL carries a new token), which a failed socket cannot.
import type { HostClient } from '../../../shared/contract/client';
import { isStreamName } from '../../../shared/contract/index';
import type { Result } from '../../../shared/contract/result';
import { createStreamListeners } from '../../../shared/contract/streamForwarding';
import { serverMessage, type ClientMessage } from '../../../shared/contract/wire';

/**
 * Reconnect back-off: quick at first, never hammering a host that is gone. A loopback attempt
 * is cheap, so a host that comes back is found within 2 s.
 */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 2000;

type PageTransport = 'connecting' | 'open' | 'closed' | 'refused';

/** Whether a host answers at this origin, and whether it takes this page's token (cookie). */
async function probeHost(origin: string): Promise<'gone' | 'refused' | 'up'> {
  try {
    const r = await fetch(`${origin}/`, { method: 'HEAD', cache: 'no-store' });
    return r.status === 401 || r.status === 403 ? 'refused' : 'up';
  } catch {
    return 'gone';
  }
}

export function createWsClient(
  url: string,
  onStateChange?: (s: PageTransport) => void,
): HostClient {
  let ws: WebSocket | undefined;
  let state: PageTransport = 'connecting';
  let nextId = 1;
  let backoff = RECONNECT_MIN_MS;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const outbox: string[] = [];

  const setState = (s: typeof state) => {
    state = s;
    onStateChange?.(s);
  };
  const send = (m: ClientMessage) => {
    const text = JSON.stringify(m);
    if (ws !== undefined && ws.readyState === WebSocket.OPEN) ws.send(text);
    else outbox.push(text);
  };
  const listeners = createStreamListeners({
    subscribe: (stream) => send({ t: 'sub', stream }),
    unsubscribe: (stream) => send({ t: 'unsub', stream }),
  });

  const origin = new URL(url).origin.replace(/^ws/, 'http');

  function connect(): void {
    // Retries keep saying the host is lost (or refuses) until one succeeds.
    if (state !== 'closed' && state !== 'refused') setState('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      backoff = RECONNECT_MIN_MS;
      setState('open');
      for (const stream of listeners.streams())
        sock.send(JSON.stringify({ t: 'sub', stream } satisfies ClientMessage));
      for (const text of outbox.splice(0)) sock.send(text);
    };
    sock.onmessage = (ev) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      const m = serverMessage.safeParse(parsed);
      if (!m.success) return;
      if (m.data.t === 'result') {
        const resolve = pending.get(m.data.id);
        pending.delete(m.data.id);
        resolve?.(m.data.result as Result<unknown>);
      } else if (isStreamName(m.data.stream)) {
        listeners.deliver(m.data.stream, m.data.payload);
      }
    };
    sock.onclose = () => {
      if (state !== 'refused') setState('closed');
      void probeHost(origin).then((verdict) => {
        if (ws !== sock || state === 'open') return;
        if (verdict === 'refused') setState('refused');
        else if (state === 'refused') setState('closed');
      });
      for (const resolve of pending.values()) {
        resolve({
          ok: false,
          error: { code: 'unavailable', message: 'connection to the host was lost' },
        });
      }
      pending.clear();
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
    };
  }
  connect();

  return {
    call(channel, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        send({ t: 'call', id, channel, input });
      });
    },
    subscribe(stream, listener) {
      return listeners.add(stream, listener as (p: unknown) => void);
    },
    transportState: () => (state === 'refused' ? 'closed' : state),
  };
}
