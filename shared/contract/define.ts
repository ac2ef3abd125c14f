// Building blocks of the contract: a method is a channel name, a zod input schema, an output
// type and a doc line; a stream is a channel name, a payload type and a doc line. Pure.
import type { z } from 'zod';

export interface MethodDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly doc: string;
  readonly input: I;
  /** Phantom field carrying the output type; never set at runtime. */
  readonly __output?: O;
}

export interface StreamDef<P = unknown> {
  readonly doc: string;
  /** Phantom field carrying the payload type; never set at runtime. */
  readonly __payload?: P;
}

/** `method<Output>()(doc, inputSchema)`: curried so the output type is explicit and the input inferred. */
export const method =
  <O>() =>
  <I extends z.ZodType>(doc: string, input: I): MethodDef<I, O> => ({ doc, input });

export const stream = <P>(doc: string): StreamDef<P> => ({ doc });
