// What the Electron preload and the renderer agree on besides the contract: the three IPC
// channels that carry streams, and the shape of `window.studio`. Pure, and free of zod so the
// preload bundle stays small.

/** Host -> renderer: a stream's payload (`stream`, `payload`). */
export const IPC_PUSH = 'studio:push';
/** Renderer -> host: start forwarding a stream to this renderer. */
export const IPC_SUB = 'studio:sub';
/** Renderer -> host: stop forwarding a stream. */
export const IPC_UNSUB = 'studio:unsub';

/** `window.studio`: one function per contract method, one subscribe function per stream. */
export interface StudioBridge {
  readonly methods: Readonly<Record<string, (input: unknown) => Promise<unknown>>>;
  readonly streams: Readonly<Record<string, (listener: (payload: unknown) => void) => () => void>>;
}
