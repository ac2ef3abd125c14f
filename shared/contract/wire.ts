// Messages of the browser-mode WebSocket transport, checked on both ends: the server never
// trusts the page, and the page never trusts the socket. Pure.
import { z } from 'zod';
import { MAX_IMPORT_BYTES } from '../model/actionExport';

/**
 * Bytes a JSON string takes at most per byte of the imported text it carries: `"`, `\`, TAB,
 * LF and CR become two; other control characters (six, as `\u0001`) are refused by the import
 * (importText.ts); other characters keep their UTF-8 bytes.
 */
export const JSON_STRING_EXPANSION = 2;
/** Everything in an import call besides its content (id, channel, a 260-character file name). */
export const CALL_ENVELOPE_BYTES = 64 * 1024;
/**
 * Largest message either side accepts. The biggest one the app itself sends is a
 * `library:import` call, at most MAX_IMPORT_BYTES * JSON_STRING_EXPANSION + CALL_ENVELOPE_BYTES
 * (8.1 MiB); the 7.9 MiB left over covers what the estimate might miss. Bulk data moves in batches
 * far below it. A client that sends more is disconnected (close code 1009), nothing else.
 */
export const MAX_WIRE_MESSAGE_BYTES = 16 * 1024 * 1024;
/** The import call fits, with the room stated above (checked by a test, and here by the types). */
export const IMPORT_CALL_MAX_BYTES = MAX_IMPORT_BYTES * JSON_STRING_EXPANSION + CALL_ENVELOPE_BYTES;

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
