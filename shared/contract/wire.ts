// Messages of the browser-mode WebSocket transport, checked on both ends: the server never
// trusts the page, and the page never trusts the socket. Pure.
import { z } from 'zod';

/** Largest frame either side accepts; bulk data moves in batches well below this. */
export const MAX_WIRE_MESSAGE_BYTES = 16 * 1024 * 1024;

export const clientMessage = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(100),
    input: z.unknown(),
  }),
  z.object({ t: z.literal('sub'), stream: z.string().max(100) }),
  z.object({ t: z.literal('unsub'), stream: z.string().max(100) }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export const serverMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: z.number().int().nonnegative(), result: z.unknown() }),
  z.object({ t: z.literal('push'), stream: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;
